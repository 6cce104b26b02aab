/**
 * A new resident applies with their family on a phone (390 × 844, zh-CN), in Chromium: signs in, adds
 * three family members, removes the one added by mistake and corrects another, declares for each what
 * the register will hold (birthplace through the division picker, by name or level by level, ethnicity
 * from GB 3304), answers the pathway's questions and sees the engine's answer, reviews everything, ticks the
 * declaration, picks the materials and submits. The API then shows that `form.movers` holds exactly what
 * was typed, field by field, and that the stored decision was made on the declared facts (the lease term,
 * the family members' ages).
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { choose, field, select } from './support/antd.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { officerDesk } from './support/officer-desk.js';
import { pdf, pickDivision, pickTown, residentApi, residentSignIn } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PHONE = '13900000456';
/** The API masks ids (PIPL): the division and the last four characters. */
const masked = (id: string) => `${id.slice(0, 6)}************`;

interface Person {
  readonly name: string;
  readonly citizenId: string;
  readonly relationship: RegExp;
  readonly relationshipCode: string;
  readonly birthplace?: { search: string; option: string; code: string };
  readonly ethnicity?: { search: string; option: string; code: string };
  readonly education?: { option: RegExp; code: string };
  readonly occupation?: string;
}

/** Fills one mover's card; sex and date of birth are left as the citizen id fills them. */
async function fillMover(page: Page, card: Locator, p: Person) {
  await field(card, '姓名').locator('input').fill(p.name);
  await field(card, '公民身份号码').locator('input').fill(p.citizenId);
  await select(page, card, '与户主关系', p.relationship, {
    search: p.relationship.source.replace(/[\^$]/g, ''),
  });
  if (p.birthplace) await pickDivision(page, card, '出生地', p.birthplace.search, p.birthplace.option);
  else await field(card, '出生地').getByRole('checkbox', { name: '不详' }).check();
  if (p.ethnicity) await select(page, card, '民族', p.ethnicity.option, { search: p.ethnicity.search });
  else await field(card, '民族').getByRole('checkbox', { name: '不详' }).check();
  if (p.education) await select(page, card, '文化程度（选填）', p.education.option, { search: '本科' });
  if (p.occupation) await field(card, '职业（选填）').locator('input').fill(p.occupation);
}

describe('a family applies together on a phone', () => {
  it('adds, corrects and removes family members, declares their facts, answers, reviews and submits', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, server, PHONE);

    const applicant: Person = {
      name: '程思远',
      citizenId: composeCitizenId('620123', '1988-05-06', 31),
      relationship: /^户主$/,
      relationshipCode: '02',
      birthplace: { search: '榆中', option: '甘肃省 兰州市 榆中县', code: '620123' },
      ethnicity: { search: '回', option: '回族', code: '03' },
      education: { option: /^大学本科/, code: '20' },
      occupation: '软件工程师',
    };
    const spouse: Person = {
      name: '马晓燕',
      citizenId: composeCitizenId('620102', '1990-09-12', 42),
      relationship: /^妻$/,
      relationshipCode: '12',
      birthplace: { search: '城关', option: '甘肃省 兰州市 城关区', code: '620102' },
      ethnicity: { search: '汉', option: '汉族', code: '01' },
    };
    const child: Person = {
      name: '程小禾',
      citizenId: composeCitizenId('330802', '2018-02-20', 52),
      relationship: /^长女$/,
      relationshipCode: '32',
      ethnicity: { search: '汉', option: '汉族', code: '01' },
    };

    await page.getByRole('link', { name: '在线申请' }).first().click();
    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    await select(page, page, '办理地（县、市、区）', '柯城区');
    await select(page, page, '申请事项', '合法稳定住所');
    await fillMover(page, page.getByTestId('mover-0'), applicant);

    // Three family members: the third by mistake.
    for (let i = 0; i < 3; i++) await page.getByTestId('add-mover').click();
    await fillMover(page, page.getByTestId('mover-1'), { ...spouse, name: '马小燕' });
    await fillMover(page, page.getByTestId('mover-2'), child);
    // The child's birthplace: first declared not known (the pickers close), then browsed level by level.
    const childPlace = field(page.getByTestId('mover-2'), '出生地');
    expect(await childPlace.getByRole('checkbox', { name: '不详' }).isChecked()).toBe(true);
    await childPlace.getByRole('checkbox', { name: '不详' }).uncheck();
    await childPlace.locator('.ant-cascader').click();
    for (const level of ['浙江省', '衢州市', '柯城区'])
      await page
        .locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: level })
        .first()
        .click();
    await expect
      .poll(() => childPlace.locator('.division-picker > .ant-select').first().textContent())
      .toContain('浙江省 衢州市 柯城区');
    await field(page.getByTestId('mover-3'), '姓名').locator('input').fill('多添的一位');
    await screenshot(page, 'family-apply-form');
    // Typing the id did not blank the name (the defect of issue 13).
    expect(await field(page.getByTestId('mover-1'), '姓名').locator('input').inputValue()).toBe('马小燕');
    await page.getByRole('button', { name: '删除随迁家属 3' }).click();
    await expect.poll(() => page.getByTestId('mover-3').count()).toBe(0);
    // The spouse's name corrected.
    await field(page.getByTestId('mover-1'), '姓名').locator('input').fill(spouse.name);
    expect(
      await field(page.getByTestId('mover-1'), '性别').getByRole('radio', { name: '女' }).isChecked(),
    ).toBe(true);
    expect(await field(page.getByTestId('mover-2'), '出生日期').locator('input').inputValue()).toBe(
      '2018-02-20',
    );

    await pickDivision(page, page, '迁出地（现户口所在县、市、区）', '榆中', '甘肃省 兰州市 榆中县');
    await field(page, '迁入地').getByText('新立户', { exact: true }).click();
    // The new household is in the county applied to: shown, not asked a second time.
    await expect
      .poll(() => page.getByTestId('new-household-county').textContent())
      .toBe('浙江省 衢州市 柯城区');
    expect(await field(page, '新户所在县（市、区）').locator('.division-picker').count()).toBe(0);
    // The town of the new household: from the county's towns, found by part of its name.
    await pickTown(page, page, '新户所在乡镇（街道）', '荷花', '荷花街道');
    await field(page, '新户住址（街道、门牌号）')
      .locator('input')
      .fill('柯城区荷花街道荷三路 18 号 2 幢 301 室');
    await page.getByTestId('next-form').click();

    // The pathway's questions.
    const questions = page.getByTestId('questions');
    await questions.waitFor();
    // Where the hukou is now follows from 迁出地, so it is not asked again.
    expect(await questions.textContent()).not.toContain('现户口所在地');
    // Only what this pathway reads is asked: 合法稳定住所落户 does not ask a lease term.
    expect(await questions.textContent()).not.toContain('租赁合同期限');
    await choose(page, '住所类型', '私人租赁住房');
    await choose(page, '住所所在地', '县（市、区）人民政府驻地镇（街道），即城区');
    for (const who of [spouse.name, child.name]) {
      const card = questions.locator('.ant-card', { hasText: `关于 ${who}` });
      await choose(card, '婚姻状况', who === spouse.name ? '已婚' : '未婚');
      await choose(card, '有生活来源', '否');
      await choose(card, '与申请人共同居住生活', '是');
    }
    await page.getByTestId('show-answer').click();
    const answer = page.getByTestId('engine-answer');
    await expect.poll(() => answer.textContent()).toContain('符合条件');
    expect(await answer.textContent()).toContain('衢州实施意见第 1 条「凡在我市');
    await screenshot(page, 'family-apply-questions');
    await page.getByTestId('next-questions').click();

    // The materials, each picked for its checklist row.
    const checklist = page.getByTestId('checklist');
    await checklist.waitFor();
    expect(await checklist.locator('thead').textContent()).toBe('材料已选文件上传');
    const rows = checklist.locator('tbody tr.ant-table-row');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++)
      await rows
        .nth(i)
        .locator('input[type=file]')
        .setInputFiles({ name: `family-${i}.pdf`, mimeType: 'application/pdf', buffer: pdf(`family ${i}`) });
    await expect.poll(() => checklist.textContent()).toContain(`family-${count - 1}.pdf`);
    await page.getByRole('button', { name: '下一步：核对并提交' }).click();

    // The last look: everything typed, the answers, the files; submitting waits for the declaration.
    const review = page.getByTestId('review');
    await review.waitFor();
    const reviewed = (await review.textContent()) ?? '';
    for (const s of [
      applicant.name,
      spouse.name,
      child.name,
      '甘肃省 兰州市 榆中县',
      '回族',
      '大学本科教育',
      '软件工程师',
      '浙江省 衢州市 柯城区',
      '荷三路 18 号',
      '私人租赁住房',
      `family-${count - 1}.pdf`,
    ])
      expect(reviewed, s).toContain(s);
    expect(reviewed).not.toContain('多添的一位');
    // Each family member's answers to the pathway's questions, under their name (issue 13).
    for (const [i, marital] of [
      [1, '已婚'],
      [2, '未婚'],
    ] as const) {
      const card = page.getByTestId(`review-mover-${i}`);
      expect(await card.getByTestId('review-answer-member.isCoResident').textContent()).toBe('是');
      expect(await card.getByTestId('review-answer-member.hasIncome').textContent()).toBe('否');
      expect(await card.getByTestId('review-answer-member.maritalStatus').textContent()).toBe(marital);
    }
    expect(await page.getByTestId('submit').isDisabled()).toBe(true);
    await page.getByTestId('declaration').click();
    await screenshot(page, 'family-apply-review');
    await page.getByTestId('submit').click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    await page.getByTestId('state').waitFor();
    const id = page.url().split('/').at(-1)!;

    // What the server holds is exactly what was typed (ids and birth dates masked by ADR 0021).
    const api = await residentApi(server, PHONE);
    const stored = (await api.get(`/api/v1/my/applications/${id}`)) as {
      form: { movers: unknown[]; fromDivision: string; destination: unknown };
      facts: {
        residence: Record<string, unknown>;
        family: Record<string, unknown>[];
        hukou: { scope: string };
      };
      decision: { policy: string; outcome: string; pathway: string };
    };
    expect(stored.form.movers).toEqual([
      {
        name: applicant.name,
        citizenId: masked(applicant.citizenId),
        sex: '1',
        birthDate: '1988-05',
        relationship: '02',
        birthplace: '620123',
        ethnicity: '03',
        education: '20',
        occupation: '软件工程师',
      },
      {
        name: spouse.name,
        citizenId: masked(spouse.citizenId),
        sex: '2',
        birthDate: '1990-09',
        relationship: '12',
        birthplace: '620102',
        ethnicity: '01',
        // 已婚, answered on the questions step, as the GB/T 2261.2 code.
        maritalStatus: '20',
      },
      {
        name: child.name,
        citizenId: masked(child.citizenId),
        sex: '2',
        birthDate: '2018-02',
        relationship: '32',
        birthplace: '330802',
        ethnicity: '01',
        maritalStatus: '10',
      },
    ]);
    expect(stored.form.fromDivision).toBe('620123');
    expect(stored.form.destination).toEqual({
      newHousehold: {
        type: 'family',
        address: {
          text: '柯城区荷花街道荷三路 18 号 2 幢 301 室',
          countyCode: '330802',
          townCode: '330802007',
        },
      },
    });
    // The decision rests on the declared facts: the rented home in the county seat, the family as typed.
    expect(stored.facts.residence).toMatchObject({
      type: 'private-rental',
      townType: 'county-seat',
    });
    expect(stored.facts.hukou.scope).toBe('other-province');
    expect(stored.facts.family).toEqual([
      expect.objectContaining({
        name: spouse.name,
        relation: 'spouse',
        sex: 'female',
        maritalStatus: 'married',
      }),
      expect.objectContaining({ name: child.name, relation: 'child', sex: 'female', isCoResident: true }),
    ]);
    expect(stored.decision).toMatchObject({ pathway: 'legal-residence', outcome: 'eligible' });
    await screenshot(page, 'family-apply-submitted');

    // The county's officers, in the console: the clerk sees who moves and where, and accepts.
    const desk = officerDesk(browser, server);
    const clerk = await desk.page('kc-clerk');
    await desk.open(clerk, id);
    const moverRows = clerk.getByTestId('movers').locator('tbody tr.ant-table-row');
    await expect.poll(() => moverRows.count()).toBe(3);
    const moverTexts = await moverRows.allTextContents();
    for (const [i, [name, relation]] of [
      [applicant.name, '户主'],
      [spouse.name, '妻'],
      [child.name, '长女'],
    ].entries()) {
      expect(moverTexts[i]).toContain(name);
      expect(moverTexts[i]).toContain(relation);
    }
    // The child's optional education and occupation were left empty: 未填写, not the code 不详 (newcomer trial).
    expect(moverTexts[2]).toContain('未填写');
    // The clerk compares the screen with the identity card: the full number is one audited click away.
    await clerk.getByRole('button', { name: '显示完整号码' }).click();
    await expect.poll(() => clerk.getByTestId('full-citizen-id').textContent()).toBe(applicant.citizenId);
    expect(await clerk.getByTestId('plan-from').textContent()).toBe('甘肃省兰州市榆中县');
    expect(await clerk.getByTestId('plan-to').textContent()).toContain(
      '柯城区荷花街道荷三路 18 号 2 幢 301 室',
    );
    await screenshot(clerk, 'family-apply-officer');
    await desk.accept(clerk);
    const reviewer = await desk.page('kc-reviewer');
    await desk.open(reviewer, id);
    await desk.review(reviewer, '建议批准');
    const approver = await desk.page('kc-approver');
    await desk.open(approver, id);
    let householdNumber = '';
    await desk.approve(approver, (preview) => {
      for (const name of [applicant.name, spouse.name, child.name, '新立户']) expect(preview).toContain(name);
      householdNumber = /3308020\d{8}/.exec(preview)?.[0] ?? '';
    });
    expect(householdNumber).not.toBe('');

    // The register holds exactly what was declared: read by the county's registrar through the API.
    const registrar = await desk.page('kc-registrar');
    const read = async (path: string) => {
      const response = await registrar.request.get(`${server.url}${path}`);
      expect(response.status(), path).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const household = (await read(`/api/v1/register/households/by-number/${householdNumber}`)) as {
      household: { address: { text: string; countyCode: string } };
      members: { person: Record<string, unknown> & { id: string }; relationship: string }[];
    };
    expect(household.household.address).toMatchObject({
      text: '柯城区荷花街道荷三路 18 号 2 幢 301 室',
      countyCode: '330802',
    });
    const declared = [
      { ...applicant, sex: '1', birthDate: '1988-05-06' },
      { ...spouse, sex: '2', birthDate: '1990-09-12', maritalStatus: '20' },
      {
        ...child,
        // Browsed level by level in the picker: 浙江省 衢州市 柯城区.
        birthplace: { search: '', option: '', code: '330802' },
        sex: '2',
        birthDate: '2018-02-20',
        maritalStatus: '10',
      },
    ];
    expect(household.members.map((m) => m.person.name)).toEqual(declared.map((p) => p.name));
    for (const [i, p] of declared.entries()) {
      const member = household.members[i]!;
      expect(member.relationship, p.name).toBe(p.relationshipCode);
      expect(member.person, p.name).toMatchObject({
        name: p.name,
        sex: p.sex,
        // Beside the masked id, the birth year and month (ADR 0021); the id read below holds the date.
        birthDate: p.birthDate.slice(0, 7),
        birthplace: p.birthplace?.code ?? null,
        ethnicity: p.ethnicity?.code ?? null,
        ...(p.education ? { education: p.education.code } : {}),
        ...(p.occupation ? { occupation: p.occupation } : {}),
        ...('maritalStatus' in p ? { maritalStatus: p.maritalStatus } : {}),
        status: 'active',
        countyCode: '330802',
      });
      const full = await read(`/api/v1/register/persons/${member.person.id}/citizen-id`);
      expect(full.citizenId, p.name).toBe(p.citizenId);
      // 迁出地 and the application are on the move-in event.
      const history = (await read(`/api/v1/register/persons/${member.person.id}`)).history as {
        type: string;
        fromDivision?: { code: string; name: string };
        sourceApplication?: string;
      }[];
      expect(
        history.find((e) => e.type === 'move-in'),
        p.name,
      ).toMatchObject({
        fromDivision: { code: '620123', name: '甘肃省兰州市榆中县' },
      });
    }
  }, 600_000);
});
