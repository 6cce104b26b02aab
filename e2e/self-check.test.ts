/**
 * The self-check (我能落户吗?) as a renter with family under the Quzhou final policy sees it, in Chinese
 * and in English, at phone width: the pathway, who in the family may follow, the materials, and the
 * article the answer rests on with its quoted sentence. Also the axe-core check of the portal pages.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, field, fillNumber, select } from './support/antd.js';
import { axeViolations, cspViolations, launchBrowser, screenshot } from './support/browser.js';
import { residentSignIn } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  // Info logs carry the demo provider's one-time codes, for the resident who applies from the result.
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = { width: 375, height: 812 };

interface Words {
  next: string;
  showResult: string;
  county: string;
  age: string;
  marital: string;
  married: string;
  residenceType: string;
  privateRental: string;
  townType: string;
  countySeat: string;
  lease: string;
  proof: string;
  yes: string;
  addMember: string;
  relation: string;
  spouse: string;
  child: string;
  parent: string;
  memberAge: string;
  sex: string;
  male: string;
  female: string;
  coResident: string;
  no: string;
}

const ZH: Words = {
  next: '下一步',
  showResult: '查看结果',
  county: '申请落户的县（市、区）',
  age: '年龄',
  marital: '婚姻状况',
  married: '已婚',
  residenceType: '住所类型',
  privateRental: '私人租赁住房',
  townType: '住所所在地',
  countySeat: '县（市、区）人民政府驻地镇（街道），即城区',
  lease: '租赁合同期限',
  proof: '有居住情况证明',
  yes: '是',
  addMember: '添加家庭成员',
  relation: '与申请人关系',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  memberAge: '年龄',
  sex: '性别',
  male: '男',
  female: '女',
  coResident: '与申请人共同居住生活',
  no: '否',
};

const EN: Words = {
  next: 'Next',
  showResult: 'See the result',
  county: 'County (district, city) where you would settle',
  age: 'age',
  marital: 'marital status',
  married: 'married',
  residenceType: 'type of residence',
  privateRental: 'private rental',
  townType: 'where the residence is',
  countySeat: 'county seat town or sub-district (urban area)',
  lease: 'lease term',
  proof: 'has proof of residence',
  yes: 'Yes',
  addMember: 'Add a family member',
  relation: 'relation to the applicant',
  spouse: 'spouse',
  child: 'child',
  parent: 'parent',
  memberAge: 'age',
  sex: 'sex',
  male: 'male',
  female: 'female',
  coResident: 'lives with the applicant',
  no: 'No',
};

async function next(page: Page, w: Words) {
  await page.getByRole('button', { name: new RegExp(`^(${w.next}|${w.showResult})$`) }).click();
}

/** A woman of 32 from another province, renting in Kecheng's urban area with a year's lease, her husband
 * and son living with her, her father not. */
async function answerAsRenterWithFamily(page: Page, w: Words) {
  await select(page, page, w.county, '柯城区');
  await next(page, w);
  await fillNumber(page, w.age, 32);
  await choose(page, w.marital, w.married);
  await next(page, w);
  await choose(page, w.residenceType, w.privateRental);
  await choose(page, w.townType, w.countySeat);
  await fillNumber(page, w.lease, 12);
  // A follow-up of the home: asked once a home is named, and answered (no default).
  await choose(page, w.proof, w.yes);
  await next(page, w);
  await next(page, w); // work and education: nothing that matters here
  await next(page, w); // joining a relative: no
  const members: [string, number, string, boolean][] = [
    [w.spouse, 34, w.male, true],
    [w.child, 6, w.male, true],
    [w.parent, 63, w.male, false],
  ];
  for (const [i, [relation, age, sex, livesWith]] of members.entries()) {
    await page.getByRole('button', { name: w.addMember }).click();
    const card = page.getByTestId(`member-${i}`);
    await choose(card, w.relation, relation);
    await fillNumber(card, w.memberAge, age);
    await choose(card, w.sex, sex);
    if (!livesWith) await choose(card, w.coResident, w.no);
  }
  await next(page, w);
}

describe('self-check: a renter with family under the Quzhou final policy', () => {
  it('sees the pathway, the family members who may follow and the article quoted (中文)', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: '开始自测' }).click();
    await expect.poll(() => page.getByTestId('step-title').textContent()).toContain('地点');
    await answerAsRenterWithFamily(page, ZH);

    const decision = page.getByTestId('decision');
    await decision.waitFor();
    expect(await page.getByTestId('outcome').textContent()).toBe('可以落户');
    expect(await page.getByTestId('chosen-pathway').textContent()).toBe('途径：合法稳定住所落户');
    const basis = decision.locator('[data-article="qz-final/1"]').first();
    expect(await basis.textContent()).toContain('依据：衢州实施意见第 1 条');
    expect(await basis.textContent()).toContain(
      '凡在我市县（市、区）人民政府驻地镇（街道）和其他建制镇（街道）有合法稳定住所（含租赁）的人员',
    );

    const followers = page.getByTestId('followers');
    expect(await followers.textContent()).toContain('配偶：可以随迁落户');
    expect(await followers.textContent()).toContain('子女：可以随迁落户');
    expect(await followers.textContent()).toContain('父母：不符合随迁条件');
    expect(await page.getByTestId('materials').textContent()).toContain(
      '房屋所有权证（不动产权证书）或房屋租赁合同',
    );

    // Phone width: nothing sticks out sideways.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'self-check-renter-family-zh');
    const serious = (await axeViolations(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
    await page.close();
  });

  it('reads the same in English, and the language choice sticks', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Hukou services' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Start the self-check' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await answerAsRenterWithFamily(page, EN);

    await page.getByTestId('decision').waitFor();
    expect(await page.getByTestId('outcome').textContent()).toBe('You may settle');
    expect(await page.getByTestId('chosen-pathway').textContent()).toBe(
      'Pathway: Settlement with a legal stable residence',
    );
    const basis = page.getByTestId('decision').locator('[data-article="qz-final/1"]').first();
    expect(await basis.textContent()).toContain('Basis：Quzhou opinion, art. 1');
    expect(await basis.textContent()).toContain('Anyone with a legal stable residence (rental included)');
    const followers = await page.getByTestId('followers').textContent();
    expect(followers).toContain('spouse: may settle too');
    expect(followers).toContain('parent: may not settle with the applicant');
    await screenshot(page, 'self-check-renter-family-en');
    await context.close();
  });
});

describe('from the home page and the self-check to 在线申请 (issue 13)', () => {
  it('offers 在线申请 on the home page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/`);
    const apply = page.getByTestId('home-apply');
    await apply.waitFor();
    await screenshot(page, 'home-apply');
    await apply.getByRole('button', { name: '在线申请' }).click();
    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/apply');
    await page.close();
  });

  it('asks an owner no lease term, requires the follow-ups, and carries the answers into the form', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, server, '13900000321');
    await page.goto(`${server.url}/self-check`);
    await select(page, page, ZH.county, '柯城区');
    await next(page, ZH);
    await fillNumber(page, ZH.age, 41);
    await choose(page, ZH.marital, ZH.married);
    await next(page, ZH);
    await choose(page, ZH.residenceType, '自有住房');
    // An owner has no lease; where the home is must be answered before going on.
    expect(await field(page, ZH.lease).count()).toBe(0);
    await next(page, ZH);
    await expect
      .poll(() => field(page, ZH.townType).locator('.ant-form-item-explain').textContent())
      .toBe('请回答此问题');
    expect(await page.getByTestId('step-title').textContent()).toContain('住所');
    await screenshot(page, 'self-check-owner-follow-up-required');
    await choose(page, ZH.townType, ZH.countySeat);
    await choose(page, ZH.proof, ZH.yes);
    await next(page, ZH);
    await next(page, ZH); // work and education
    await next(page, ZH); // joining a relative: no
    const members: [string, number, string][] = [
      [ZH.spouse, 39, ZH.female],
      [ZH.child, 10, ZH.male],
    ];
    for (const [i, [relation, age, sex]] of members.entries()) {
      await page.getByRole('button', { name: ZH.addMember }).click();
      const card = page.getByTestId(`member-${i}`);
      await choose(card, ZH.relation, relation);
      await fillNumber(card, ZH.memberAge, age);
      await choose(card, ZH.sex, sex);
    }
    await field(page.getByTestId('member-0'), '称呼（可不填）').locator('input').fill('林晓');
    await next(page, ZH);
    await expect.poll(() => page.getByTestId('chosen-pathway').textContent()).toBe('途径：合法稳定住所落户');
    await page.getByTestId('apply-online').click();

    // The form: the pathway found named, the people as described (the spouse 妻, the child 子), the
    // applicant's marital status as answered.
    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByTestId('from-self-check').textContent())
      .toBe('已按自测结果预填：合法稳定住所落户');
    await expect.poll(() => page.getByTestId('mover-2').count()).toBe(1);
    expect(await field(page.getByTestId('mover-1'), '姓名').locator('input').inputValue()).toBe('林晓');
    expect(await field(page.getByTestId('mover-1'), '与户主关系').textContent()).toContain('妻');
    expect(await field(page.getByTestId('mover-2'), '与户主关系').textContent()).toContain('子');
    expect(await field(page.getByTestId('mover-0'), '婚姻状况（选填）').textContent()).toContain('已婚');
    await screenshot(page, 'apply-from-self-check');
    await context.close();
  });
});

describe('accessibility of the portal (axe-core)', () => {
  it.each(['/', '/self-check', '/policies', '/policies/quzhou-2017-final', '/verify-help'])(
    '%s has no serious or critical violation',
    async (path) => {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const serious = (await axeViolations(page)).filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
      await page.close();
    },
  );
});

it('met no Content-Security-Policy refusal on the way (issue 14)', () => {
  expect(cspViolations()).toEqual([]);
});
