/**
 * Addresses down to the town (乡镇、街道) through the division picker (issue 13), in Chromium. The demo
 * registrar of 柯城区 at a desk (1440 × 900) lets a member found a household of their own (立户): the
 * form will not take the county alone where its towns are known, the officer finds 府山街道 by typing
 * “府山”, the register then holds the town's code 330802006 beside the county, and the household page
 * names it; the form in English too. A resident on a phone (390 × 844) applying to settle in 柯城区 into a
 * new household picks the town from the county's towns by part of its name, and browses the levels of
 * the picker elsewhere (迁出地) down to a county.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRegister } from '../src/register/synthetic-register.js';
import { field, select } from './support/antd.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { firstOfficerSignIn } from './support/officer.js';
import { pickTown, residentSignIn } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  // The resident's one-time code is read from the server's info log.
  [server, browser] = await Promise.all([startE2eServer({ LOG_LEVEL: 'info' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A household of the demo register in 柯城区 and a member who is not its head. */
function kechengMember() {
  for (const h of syntheticRegister({ city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 })) {
    if (h.household.address.countyCode !== '330802' || h.members.length < 2) continue;
    if (h.members.some((m) => m.person.status !== 'active')) continue;
    const names = h.members.map((m) => m.person.name);
    if (new Set(names).size !== names.length) continue;
    const member = h.members.find((m) => m.membership.relationship !== '02');
    if (!member) continue;
    return { number: h.household.householdNumber, member: member.person.name };
  }
  throw new Error('no suitable household in 柯城区 in the demo register');
}

const errorOf = (page: Page, label: string) =>
  field(page, label).locator('.ant-form-item-explain-error').first();

describe('addresses down to the town', () => {
  it('an officer founds a household in 府山街道: the register holds the town code, the page its name', async () => {
    const target = kechengMember();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await firstOfficerSignIn(page, server, 'kc-registrar', 'E2e-towns-登记-5hw');
    await page.goto(`${server.url}/console/households/${target.number}`);
    await page.getByTestId('members').getByRole('link', { name: target.member, exact: true }).click();
    await page.getByRole('heading', { name: target.member, level: 1 }).waitFor();

    await page.getByRole('button', { name: /^立\s?户$/ }).click();
    const form = page.getByRole('dialog');
    const place = field(form, '所在乡镇（街道）');
    await place.waitFor();
    // The form starts at the person's county; the town must still be chosen where its towns are known.
    await expect
      .poll(() => place.locator('.division-picker > .ant-select').first().textContent())
      .toContain('柯城区');
    await field(form, '住址').locator('input').fill('衢州市柯城区府山街道县学街 12 号');
    await form.getByTestId('command-submit').click();
    await expect.poll(() => errorOf(page, '所在乡镇（街道）').textContent()).toBe('请选择乡镇、街道');

    // By name: “府山” finds the sub-district with its county.
    const search = place.locator('.division-picker > .ant-select').first();
    await search.click();
    await search.locator('input').fill('府山');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await expect.poll(() => option.textContent()).toBe('府山街道（浙江省 衢州市 柯城区）');
    await screenshot(page, 'towns-console-search');
    await option.click();
    await expect.poll(() => search.textContent()).toContain('府山街道（浙江省 衢州市 柯城区）');
    await expect.poll(() => errorOf(page, '所在乡镇（街道）').count()).toBe(0);
    await form.getByTestId('command-submit').click();
    await form.getByTestId('command-done').waitFor();
    const number = /330802\d{9}/.exec((await form.textContent()) ?? '')?.[0];
    expect(number).toBeDefined();
    expect(number).not.toBe(target.number);

    // What the officer picked is what the register holds: county and town codes, and the text.
    const held = await page.request.get(`${server.url}/api/v1/register/households/by-number/${number}`);
    expect(held.status()).toBe(200);
    expect(((await held.json()) as { household: { address: unknown } }).household.address).toEqual({
      text: '衢州市柯城区府山街道县学街 12 号',
      countyCode: '330802',
      townCode: '330802006',
    });
    // …and the household page shows it by name.
    await page.goto(`${server.url}/console/households/${number}`);
    // The name is loaded from the division API: on a loaded machine that takes more than a second.
    await expect
      .poll(() => page.getByTestId('household-place').textContent(), { timeout: 20_000 })
      .toBe('浙江省 衢州市 柯城区 府山街道');
    await screenshot(page, 'towns-console-household');

    // English: the same picker, level by level (province → city → county → town) this time.
    await page.getByTestId('lang-switch').click();
    await page.goto(`${server.url}/console/households/${target.number}`);
    await page.getByTestId('members').locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByRole('button', { name: 'Household split' }).click();
    const town = field(form, 'Town or sub-district');
    await town.waitFor();
    await town.locator('.ant-cascader').click();
    for (const level of ['浙江省', '衢州市', '柯城区', '荷花街道'])
      await page
        .locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: level })
        .first()
        .click();
    await expect
      .poll(() => town.locator('.division-picker > .ant-select').first().textContent(), {
        timeout: 20_000,
      })
      .toBe('荷花街道（浙江省 衢州市 柯城区）');
    await screenshot(page, 'towns-console-english-browse');
    await context.close();
  });

  it('a resident on a phone picks the town of the new household on /apply', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await residentSignIn(page, server, '13900000789');
    await page.getByRole('link', { name: '在线申请' }).first().click();
    await page.getByRole('heading', { name: '在线申请', level: 1 }).waitFor();
    await select(page, page, '办理地（县、市、区）', '柯城区');
    await select(page, page, '申请事项', '合法稳定住所');
    // 迁出地 is a county: browsed level by level, it ends at the county.
    const from = field(page, '迁出地（现户口所在县、市、区）');
    await from.locator('.ant-cascader').click();
    for (const level of ['甘肃省', '兰州市', '榆中县'])
      await page
        .locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: level })
        .first()
        .click();
    await expect
      .poll(() => from.locator('.division-picker > .ant-select').first().textContent())
      .toContain('甘肃省 兰州市 榆中县');
    await field(page, '迁入地').getByText('新立户', { exact: true }).click();
    // The town is asked: the form does not go on without it.
    await page.getByTestId('next-form').click();
    await expect.poll(() => errorOf(page, '新户所在乡镇（街道）').textContent()).toBe('必填');
    // The county's towns only, found by part of the name.
    const towns = field(page, '新户所在乡镇（街道）').locator('.town-picker > .ant-select');
    await towns.click();
    await towns.locator('input').fill('街道');
    const offered = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => offered.count()).toBeGreaterThan(3);
    expect(await offered.allTextContents()).not.toContain('樟潭街道'); // 衢江区's
    await screenshot(page, 'towns-apply-phone-list');
    await page.keyboard.press('Escape');
    await pickTown(page, page, '新户所在乡镇（街道）', '府山', '府山街道');
    await expect.poll(() => errorOf(page, '新户所在乡镇（街道）').count()).toBe(0);
    await field(page, '新户住址（街道、门牌号）').locator('input').fill('县学街 12 号 3 单元 201 室');
    await screenshot(page, 'towns-apply-phone');
    await context.close();
  });
});
