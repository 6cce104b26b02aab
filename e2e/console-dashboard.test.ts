/**
 * The officer dashboard: the demo approver of 柯城区 signs in, finds the dashboard in the menu and reads
 * the seven demo applications as labelled numbers — by type and status, time limits, the settlement
 * approved and the person it moved in — in Chinese and in English, with no code on the page; a date
 * range before the demo shows the empty state, a backwards range the server's own message under the
 * field. axe-core finds no serious or critical violation. A window clerk has no dashboard.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field } from './support/antd.js';
import { axeViolations, launchBrowser, screenshot } from './support/browser.js';
import { firstOfficerSignIn } from './support/officer.js';
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

const PASSWORD = 'E2e-dashboard-户籍-9kc-新';

/** The number under a total's label, e.g. 申请总数 → "7". */
async function total(page: Page, label: string): Promise<string | null> {
  const item = page
    .getByTestId('totals')
    .locator('div')
    .filter({
      has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }),
    });
  return item.locator('dd').textContent();
}

/** The cells of the table row whose first cell is `first`. */
async function row(table: Locator, first: string): Promise<string[]> {
  const tr = table.locator('tbody tr').filter({ has: table.page().locator('td', { hasText: first }) });
  return tr.locator('td').allTextContents();
}

async function noSeriousViolation(page: Page) {
  const serious = (await axeViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious, JSON.stringify(serious, null, 2)).toEqual([]);
}

describe('console: the dashboard', () => {
  it('shows the approver the demo applications as labelled figures, in Chinese and English', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await firstOfficerSignIn(page, server, 'kc-approver', PASSWORD);
    await page.getByTestId('officer').waitFor();
    await page.getByRole('link', { name: '统计看板' }).click();
    await page.getByRole('heading', { name: '统计看板', level: 1 }).waitFor();
    await page.getByTestId('totals').waitFor();

    // Seven demo applications in 柯城区, none finished; one settlement approved, moving one person in.
    expect(await total(page, '申请总数')).toBe('7');
    expect(await total(page, '办理中')).toBe('7');
    expect(await total(page, '已办结')).toBe('0');
    expect(await total(page, '已超期')).toBe('0');
    expect(await total(page, '批准落户')).toBe('1');
    expect(await total(page, '迁入人数')).toBe('1');
    expect(await page.locator('main canvas').count()).toBe(3);

    // The figures of each chart, as tables a person can open.
    for (const id of ['by-type-table', 'compliance-table', 'county-table'])
      await page.getByTestId(id).locator('summary').click();
    const byType = page.getByTestId('by-type-table');
    const headers = await byType.locator('thead th').allTextContents();
    expect(headers).toEqual(['申请事项', '已提交', '退回补正', '已受理', '已审核', '已批准', '合计']);
    expect(await row(byType, '落户：合法稳定住所落户')).toEqual([
      '落户：合法稳定住所落户',
      '1',
      '1',
      '1',
      '1',
      '1',
      '5',
    ]);
    expect((await row(byType, '居住证首次申领')).at(-1)).toBe('1');
    expect((await row(byType, '户口性质证明')).at(-1)).toBe('1');
    const compliance = page.getByTestId('compliance-table');
    // The returned application's clock is paused; the other six are within their limits today.
    expect(await row(compliance, '退回补正（暂停计时）')).toEqual(['退回补正（暂停计时）', '1']);
    expect(await row(compliance, '已超期')).toEqual(['已超期', '0']);
    const onTime = Number((await row(compliance, '时限充裕'))[1]);
    const dueSoon = Number((await row(compliance, '3 个工作日内到期'))[1]);
    expect(onTime + dueSoon).toBe(6);
    expect(await row(page.getByTestId('county-table'), '柯城区')).toEqual(['柯城区', '1', '1']);

    // Labels only: no type id, state id or division code anywhere on the page.
    const main = (await page.locator('main').textContent()) ?? '';
    for (const code of ['settlement/', 'residence-permit', 'legacy-nature-proof', 'submitted', '330802'])
      expect(main).not.toContain(code);
    await screenshot(page, 'console-dashboard-zh');
    await noSeriousViolation(page);

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await total(page, 'Applications')).toBe('7');
    expect(await total(page, 'Settlements approved')).toBe('1');
    expect(await total(page, 'Persons moved in')).toBe('1');
    expect(await byType.locator('thead th').allTextContents()).toEqual([
      'Application',
      'submitted',
      'returned for materials',
      'accepted',
      'reviewed',
      'approved',
      'Total',
    ]);
    expect((await row(byType, 'Settlement: ')).at(-1)).toBe('5');
    expect(await row(page.getByTestId('county-table'), '柯城区')).toEqual(['柯城区', '1', '1']);
    await screenshot(page, 'console-dashboard-en');
    await noSeriousViolation(page);

    // A range before the demo: nothing in it. A backwards range: the server's words, and no request.
    const to = field(page, 'To').locator('input');
    await to.click();
    await to.fill('2020-01-31');
    await to.press('Enter');
    await expect.poll(() => total(page, 'Applications')).toBe('0');
    expect(await page.locator('main').textContent()).toContain('No applications in the chosen range.');
    const from = field(page, 'From').locator('input');
    await from.click();
    await from.fill('2020-02-01');
    await from.press('Enter');
    await expect
      .poll(() => field(page, 'To').locator('.ant-form-item-explain').textContent())
      .toBe('The start date 2020-02-01 is after the end date 2020-01-31.');
    await page.getByRole('button', { name: 'All dates' }).click();
    await expect.poll(() => total(page, 'Applications')).toBe('7');
    await page.close();
  });

  it('gives a window clerk no dashboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await firstOfficerSignIn(page, server, 'kc-clerk', PASSWORD);
    await page.getByTestId('officer').waitFor();
    expect(await page.getByRole('link', { name: '统计看板' }).count()).toBe(0);
    await page.goto(`${server.url}/console/dashboard`);
    await page.getByRole('heading', { name: '统计看板', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/权限|无权/);
    expect(await page.getByTestId('totals').count()).toBe(0);
    await page.close();
  });
});
