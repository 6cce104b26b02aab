/**
 * Register events in the officer console (issue 6): the demo registrar of 柯城区 opens a household,
 * registers a birth (the child appears with the allocated id, masked), records a member's move out, tries
 * to move the moved-out person again and sees the API's refusal, enters a too-short reason and sees the
 * inline message the API itself gives; then the same refusal in English, and axe-core on the person page
 * with a form open. The demo registrar of 衢江区 changes a household's head, splits a member off into a
 * household of their own and cancels the new head's registration on their death, naming the next head.
 * The city's registrar corrects a member's occupation, changes their relationship to the head, moves
 * another member into a household of 衢江区 and lets a third found a household of their own.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRegister } from '../src/register/synthetic-register.js';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { field, select } from './support/antd.js';
import { axeViolations, launchBrowser, screenshot } from './support/browser.js';
import { firstOfficerSignIn } from './support/officer.js';
import { pickDivision } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A household of the demo register (Quzhou, seed 1) in 柯城区 with a head and at least two others. */
function householdWithMembers() {
  for (const h of syntheticRegister({ city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 })) {
    if (h.household.address.countyCode !== '330802' || h.members.length < 3) continue;
    const names = h.members.map((m) => m.person.name);
    if (new Set(names).size !== names.length) continue;
    const member = h.members.find((m) => m.membership.relationship !== '02' && m.person.status === 'active');
    if (!member) continue;
    return { number: h.household.householdNumber, member: member.person.name };
  }
  throw new Error('no suitable household in the demo register');
}

/** A household of the demo register in 衢江区 with a head and at least two other active members. */
function qujiangHousehold() {
  for (const h of syntheticRegister({ city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 })) {
    if (h.household.address.countyCode !== '330803' || h.members.length < 3) continue;
    if (h.members.some((m) => m.person.status !== 'active')) continue;
    const names = h.members.map((m) => m.person.name);
    if (new Set(names).size !== names.length) continue;
    const head = h.members.find((m) => m.membership.relationship === '02');
    const others = h.members.filter((m) => m !== head);
    if (!head || others.length < 2) continue;
    return {
      number: h.household.householdNumber,
      head: head.person.name,
      successor: others[0]!.person.name,
      leaver: others[1]!.person.name,
      size: h.members.length,
    };
  }
  throw new Error('no suitable household in 衢江区 in the demo register');
}

/**
 * Two households of the demo register for the city registrar: one in 柯城区 (not the one the first test
 * uses) with a head and at least three other active members, and one in 衢江区 (not the second test's)
 * to move a member into.
 */
function cityHouseholds() {
  const used = [householdWithMembers().number, qujiangHousehold().number];
  let from: { number: string; members: string[] } | undefined;
  let into: string | undefined;
  for (const h of syntheticRegister({ city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 })) {
    const number = h.household.householdNumber;
    if (used.includes(number) || h.members.some((m) => m.person.status !== 'active')) continue;
    const county = h.household.address.countyCode;
    if (county === '330803' && !into) into = number;
    const others = h.members.filter((m) => m.membership.relationship !== '02').map((m) => m.person.name);
    if (county === '330802' && !from && others.length >= 3 && new Set(others).size === others.length)
      from = { number, members: others };
  }
  if (!from || !into) throw new Error('no suitable households for the city registrar in the demo register');
  return {
    number: from.number,
    corrected: from.members[0]!,
    mover: from.members[1]!,
    founder: from.members[2]!,
    into,
  };
}

const drawer = (page: Page) => page.getByRole('dialog');

/** Opens a member picker (not searchable) by its label and clicks the member of this name. */
async function pickMember(page: Page, scope: Locator, label: string, name: string) {
  await field(scope, label).locator('.ant-select').click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: new RegExp(`^${name}（`) })
    .first()
    .click();
}

async function typeDate(scope: Locator, label: string, date: string) {
  const input = field(scope, label).locator('input');
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** A number no demo person holds: born 1991-04-12 in 上城区, a random sequence (male: odd). */
const newcomerId = composeCitizenId('330102', '1991-04-12', 1 + 2 * Math.floor(Math.random() * 400));

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('console: register events', () => {
  it('registers a birth and a move out, shows a refusal and inline field messages, in both languages', async () => {
    const target = householdWithMembers();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await firstOfficerSignIn(page, server, 'kc-registrar', 'E2e-registrar-登记-8kd');

    // A birth, from the household's page.
    await page.goto(`${server.url}/console/households/${target.number}`);
    await page.getByRole('heading', { name: `户 ${target.number}` }).waitFor();
    const members = page.getByTestId('members').locator('tbody tr.ant-table-row');
    await members.first().waitFor();
    const before = await members.count();
    await page.getByRole('button', { name: '出生登记' }).click();
    const form = drawer(page);
    await form.getByText('出生医学证明编号').waitFor();
    await field(form, '姓名').locator('input').fill('柯新苗');
    await select(page, form, '性别', /^男$/, { search: '男' });
    await typeDate(form, '出生日期', daysAgo(20));
    await select(page, form, '与户主关系', /^子$/, { search: '子' });
    // Ethnicity and birthplace are asked, nothing is assumed.
    await select(page, form, '民族', /^汉族/, { search: '汉族' });
    await select(page, form, '出生地', /柯城区/, { search: '柯城区' });
    await field(form, '出生医学证明编号').locator('input').fill('Q330812345');
    await screenshot(page, 'console-register-birth-form');
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    expect(await form.getByTestId('command-done').textContent()).toBe('出生登记已登记');
    const allocated = (await form.getByTestId('allocated-id').textContent()) ?? '';
    expect(allocated).toMatch(/^330802\*{12}$/);
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => members.count()).toBe(before + 1);
    const child = page.getByTestId('members').locator('tr', { hasText: '柯新苗' });
    expect(await child.textContent()).toContain(allocated);
    await screenshot(page, 'console-register-birth-done');

    // A booklet issue and a move in on the same household.
    await page.getByRole('button', { name: '户口簿签发' }).click();
    await field(form, '签发原因').getByRole('radio', { name: '补发、换发', exact: true }).check();
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await page.getByRole('button', { name: /^迁 ?入$/ }).click();
    await field(form, '姓名').locator('input').fill('柯迁来');
    // Date of birth and sex come from the number (GB 11643).
    await field(form, '公民身份号码').locator('input').fill(newcomerId);
    await expect.poll(() => field(form, '出生日期').locator('input').inputValue()).toBe('1991-04-12');
    await select(page, form, '与户主关系', /^非亲属$/, { search: '非亲属' });
    await field(form, '准予迁入证明编号').locator('input').fill('ZQ2026-77');
    await select(page, form, '迁出地', /上城区/, { search: '上城区' });
    await select(page, form, '民族', /^畲族/, { search: '畲族' });
    await select(page, form, '出生地', /上城区/, { search: '上城区' });
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    expect(await form.textContent()).toContain('柯迁来');
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => members.count()).toBe(before + 2);

    // A person without hukou, from the search page, into this household.
    await page.getByRole('link', { name: '人员查询' }).click();
    await page.getByTestId('no-hukou').click();
    await field(form, '姓名').locator('input').fill('柯无户');
    await select(page, form, '性别', /^女$/, { search: '女' });
    await typeDate(form, '出生日期', '2001-02-03');
    await field(form, '迁入户（户号）').locator('input').fill(target.number);
    await form.getByText(/（\d+ 人）/).waitFor();
    await select(page, form, '与户主关系', /^非亲属$/, { search: '非亲属' });
    // Not known for a person without hukou: declared 不详, recorded as unknown.
    await select(page, form, '民族', /^不详$/, { search: '不详' });
    await select(page, form, '出生地', /^不详$/, { search: '不详' });
    await field(form, '登记依据').locator('textarea').fill('未办理出生登记的无户口人员');
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    expect(await form.getByTestId('allocated-id').textContent()).toMatch(/^330802\*{12}$/);
    await form.getByRole('link', { name: `户 ${target.number}` }).click();
    await expect.poll(() => members.count()).toBe(before + 3);
    expect(await page.getByTestId('members').textContent()).toContain('柯无户');

    // A member moves out, from their own page.
    await page.getByTestId('members').getByRole('link', { name: target.member, exact: true }).click();
    await page.getByRole('heading', { name: target.member, level: 1 }).waitFor();
    await page.getByRole('button', { name: /^迁 ?出$/ }).click();
    await select(page, form, '迁往地', /西湖区/, { search: '西湖区' });
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    expect(await form.getByTestId('command-done').textContent()).toBe('迁出已登记');
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => page.locator('main .ant-descriptions').first().textContent()).toContain('已迁出');
    await expect.poll(() => page.locator('main').textContent()).toContain('迁出');

    // Moving them again is refused by the register, in its own words.
    await page.getByRole('button', { name: /^迁 ?出$/ }).click();
    await select(page, form, '迁往地', /西湖区/, { search: '西湖区' });
    await form.getByTestId('command-submit').click();
    const refusal = form.getByTestId('command-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`${target.member} 的户口状态为“已迁出”，不能办理迁出。`);
    await screenshot(page, 'console-register-refusal');
    await form.getByRole('button', { name: /^取\s?消$/ }).click();

    // A reason too short: the inline message is the API's own for the same value.
    await page.getByRole('button', { name: '变更更正' }).click();
    await field(form, '更正项目').getByRole('radio', { name: '职业', exact: true }).check();
    await field(form, '更正后的值').locator('input').fill('教师');
    await field(form, '更正原因').locator('textarea').fill('错');
    await field(form, '证明材料').locator('input').fill('单位证明');
    await form.getByTestId('command-submit').click();
    const reasonError = field(form, '更正原因').locator('.ant-form-item-explain-error');
    await reasonError.waitFor();
    const shown = await reasonError.textContent();
    const personId = page.url().split('/').at(-1)!;
    const api = await page.evaluate<{ status: number; errors: { path: string; message: string }[] }>(`
      fetch('/api/v1/auth/me').then((r) => r.json()).then((me) => fetch('/api/v1/register/correction', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN',
          'x-csrf-token': me.csrfToken, 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({ personId: '${personId}', field: 'occupation', value: '教师', reason: '错',
          evidence: '单位证明' }),
      })).then(async (r) => ({ status: r.status, errors: (await r.json()).errors }))`);
    expect(api.status).toBe(400);
    expect(api.errors).toEqual([expect.objectContaining({ path: 'body.reason', message: shown })]);
    await screenshot(page, 'console-register-inline-error');

    // axe-core on the person page with a form open.
    const violations = (await axeViolations(page)).filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await form.getByRole('button', { name: /^取\s?消$/ }).click();

    // In English: the same refusal, and the form in English.
    await page.getByTestId('lang-switch').click();
    await page.getByRole('button', { name: 'Move out', exact: true }).click();
    await field(form, 'Moving to').waitFor();
    await select(page, form, 'Moving to', /西湖区/, { search: '西湖区' });
    await form.getByTestId('command-submit').click();
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`${target.member} is moved out; move out is not possible.`);
    await screenshot(page, 'console-register-refusal-en');
    await page.close();
  });

  it('changes the head, splits a member off and cancels a death with the next head named', async () => {
    const h = qujiangHousehold();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await firstOfficerSignIn(page, server, 'qj-registrar', 'E2e-qujiang-登记-5hw');
    const form = drawer(page);
    const members = page.getByTestId('members');
    const rowOf = (name: string) => members.locator('tr', { hasText: name });
    const done = async (action: string) => {
      await form
        .getByTestId('command-done')
        .waitFor()
        .catch(async (error: unknown) => {
          await screenshot(page, `debug-command-${action}`);
          console.log(
            server.process
              .output()
              .split('\n')
              .filter((l) => l.includes('"level":50'))
              .slice(-3)
              .join('\n'),
          );
          throw error;
        });
      expect(await form.getByTestId('command-done').textContent()).toBe(`${action}已登记`);
    };

    // Head change: the new head, and every other member's relationship to them.
    await page.goto(`${server.url}/console/households/${h.number}`);
    await page.getByRole('heading', { name: `户 ${h.number}` }).waitFor();
    await page.getByRole('button', { name: '户主变更' }).click();
    await pickMember(page, form, '新户主', h.successor);
    const asked = form.locator('.ant-form-item-label label', { hasText: '与新户主关系：' });
    await expect.poll(() => asked.count()).toBe(h.size - 1);
    // Typed and chosen with Enter: several dropdowns open and close in turn here, and a click could land
    // on one still closing.
    for (const label of await asked.allTextContents()) {
      const control = field(form, label);
      await control.locator('.ant-select').click();
      await control.locator('input').fill('非亲属');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => control.locator('.ant-select-content, .ant-select-selection-item').first().textContent())
        .toBe('非亲属');
    }
    await form.getByTestId('command-submit').click();
    await done('户主变更');
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => rowOf(h.successor).textContent()).toContain('户主');
    expect(await rowOf(h.head).textContent()).not.toContain('户主');

    // Split: one member founds a household of their own in the county.
    await page.getByRole('button', { name: /^分\s?户$/ }).click();
    await pickMember(page, form, '新户户主', h.leaver);
    await pickDivision(page, form, '所在乡镇（街道）', '樟潭', '樟潭街道');
    await field(form, '住址').locator('input').fill('衢州市衢江区樟潭街道分户路 3 号');
    await form.getByTestId('command-submit').click();
    await done('分户');
    const newNumber = /330803\d{9}/.exec((await form.textContent()) ?? '')?.[0];
    expect(newNumber).toBeDefined();
    expect(newNumber).not.toBe(h.number);
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => members.textContent()).not.toContain(h.leaver);
    await page.goto(`${server.url}/console/households/${newNumber}`);
    await expect.poll(() => rowOf(h.leaver).textContent()).toContain('户主');
    await screenshot(page, 'console-register-split');

    // Death of the new head: the register asks for the next head, then records both.
    await page.goto(`${server.url}/console/households/${h.number}`);
    await members.getByRole('link', { name: h.successor, exact: true }).click();
    await page.getByRole('heading', { name: h.successor, level: 1 }).waitFor();
    await page.getByRole('button', { name: '死亡注销' }).click();
    await typeDate(form, '死亡日期', daysAgo(3));
    await field(form, '死亡证明编号').locator('input').fill('SW2026-0412');
    await pickMember(page, form, '新户主', h.head);
    await form.getByTestId('command-submit').click();
    await done('死亡注销');
    await form.locator('button', { hasText: /^关闭$/ }).click();
    await expect.poll(() => page.locator('main .ant-descriptions').first().textContent()).toContain('死亡');
    await page.goto(`${server.url}/console/households/${h.number}`);
    await expect.poll(() => rowOf(h.head).textContent()).toContain('户主');
    expect(await members.textContent()).not.toContain(h.successor);
    await screenshot(page, 'console-register-death-new-head');
    await context.close();
  });

  it('corrects a field, changes a relationship, moves a member within the city and founds a household', async () => {
    const h = cityHouseholds();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await firstOfficerSignIn(page, server, 'qz-registrar', 'E2e-city-登记-7pq');
    const form = drawer(page);
    const members = page.getByTestId('members');
    const rowOf = (name: string) => members.locator('tr', { hasText: name });
    const details = page.locator('main .ant-descriptions').first();
    const done = async (action: string) => {
      await form.getByTestId('command-done').waitFor();
      expect(await form.getByTestId('command-done').textContent()).toBe(`${action}已登记`);
      await form.locator('button', { hasText: /^关闭$/ }).click();
    };
    const openPerson = async (name: string) => {
      await page.goto(`${server.url}/console/households/${h.number}`);
      await members.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
    };

    // A correction of the occupation, with its reason and evidence: the person page shows the new value.
    await openPerson(h.corrected);
    await page.getByRole('button', { name: '变更更正' }).click();
    await field(form, '更正项目').getByRole('radio', { name: '职业', exact: true }).check();
    await field(form, '更正后的值').locator('input').fill('乡村教师');
    await field(form, '更正原因').locator('textarea').fill('原登记职业有误');
    await field(form, '证明材料').locator('input').fill('学校任职证明');
    await form.getByTestId('command-submit').click();
    await done('变更更正');
    await expect.poll(() => details.textContent()).toContain('乡村教师');

    // The same member's relationship to the head: the household's table shows it.
    await page.getByRole('button', { name: '与户主关系变更' }).click();
    await select(page, form, '与户主关系', /^非亲属$/, { search: '非亲属' });
    await form.getByTestId('command-submit').click();
    await done('与户主关系变更');
    await page.goto(`${server.url}/console/households/${h.number}`);
    await expect.poll(() => rowOf(h.corrected).textContent()).toContain('非亲属');

    // A move within the city, into a household of another county: the person page names the new one.
    await openPerson(h.mover);
    await page.getByRole('button', { name: '市内迁移' }).click();
    await field(form, '迁入户（户号）').locator('input').fill(h.into);
    await form.getByText(/（\d+ 人）/).waitFor();
    await select(page, form, '与户主关系', /^非亲属$/, { search: '非亲属' });
    await form.getByTestId('command-submit').click();
    await done('市内迁移');
    await expect.poll(() => details.textContent()).toContain(h.into);
    await page.goto(`${server.url}/console/households/${h.into}`);
    await expect.poll(() => rowOf(h.mover).textContent()).toContain('非亲属');

    // A member founds a household of their own (立户) in the county: they head the new household.
    await openPerson(h.founder);
    await page.getByRole('button', { name: /^立\s?户$/ }).click();
    await pickDivision(page, form, '所在乡镇（街道）', '府山', '府山街道');
    await field(form, '住址').locator('input').fill('衢州市柯城区府山街道立户巷 8 号');
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    const newNumber = /330802\d{9}/.exec((await form.textContent()) ?? '')?.[0];
    expect(newNumber).toBeDefined();
    expect(newNumber).not.toBe(h.number);
    await done('立户');
    await page.goto(`${server.url}/console/households/${newNumber}`);
    await expect.poll(() => rowOf(h.founder).textContent()).toContain('户主');
    await page.goto(`${server.url}/console/households/${h.number}`);
    await rowOf(h.corrected).waitFor();
    expect(await members.textContent()).not.toContain(h.founder);
    expect(await members.textContent()).not.toContain(h.mover);
    await screenshot(page, 'console-register-city-moves');
    await context.close();
  });

  it('shows no register actions to an officer without register.command (a reviewer)', async () => {
    const target = householdWithMembers();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await firstOfficerSignIn(page, server, 'kc-reviewer', 'E2e-reviewer-审核-3mv');
    await page.goto(`${server.url}/console/households/${target.number}`);
    await page.getByTestId('members').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await page.getByTestId('command-actions').count()).toBe(0);
    expect(await page.getByRole('button', { name: '出生登记' }).count()).toBe(0);
    await page.goto(`${server.url}/console/persons`);
    await page.getByRole('heading', { name: '人员查询' }).waitFor();
    expect(await page.getByTestId('no-hukou').count()).toBe(0);

    // The demo's approved settlement (冯涛, declared born in 江山市, 高中, 未婚): the person page shows the
    // declared values and the move-in's 迁出地, application reference and the article it rests on.
    const found = await page.request.get(
      `${server.url}/api/v1/register/persons?name=${encodeURIComponent('冯涛')}`,
    );
    const settled = (
      (await found.json()) as { items: { id: string; birthDate: string; citizenId: string }[] }
    ).items.find((p) => p.birthDate === '1990-11' && p.citizenId.startsWith('330881'));
    expect(settled).toBeDefined();
    await page.goto(`${server.url}/console/persons/${settled!.id}`);
    await page.getByRole('heading', { name: '冯涛', level: 1 }).waitFor();
    const details = page.getByTestId('event-details');
    await details.first().waitFor();
    const text = (await details.first().textContent()) ?? '';
    expect(text).toContain('迁出地：浙江省衢州市江山市');
    expect(text).toMatch(/申请编号：SQ\d{14}/);
    expect(text).toMatch(/依据 qz-final\/[\d.]+：“.+”/);
    // The birthplace's name arrives with its own request (the division's path): wait for it.
    const personCard = page.locator('.ant-descriptions').first();
    await expect.poll(() => personCard.textContent(), { timeout: 20_000 }).toContain('江山市');
    const card = (await personCard.textContent()) ?? '';
    expect(card).toContain('普通高级中学教育');
    expect(card).toContain('未婚');
    expect(card).toContain('未登记'); // occupation was not declared: not recorded, not 无
    await screenshot(page, 'console-person-settled-history');
    await context.close();
  });
});
