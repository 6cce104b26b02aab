/**
 * The officers' queue in the browser (issue 13), at 1440×900 in Chinese, in a browser set to New York
 * time: the demo window clerk of 柯城区 signs in and lands on the queue; nine more residence-permit
 * applications arrive over the API, with the deployment's time limit for residence permits set to 2
 * working days (HUJI_TIME_LIMITS) so they are due within 3 working days and show amber. The clerk
 * filters by type, searches by name, pages at 10 a page, reads a submission time in China time, and
 * downloads the filtered queue as CSV and Excel (read back). The reform office lands on the dashboard
 * and has no queue in its menu.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import { readXlsx } from '../test/support/xlsx.js';
import { launchBrowser, screenshot } from './support/browser.js';
import { firstOfficerSignIn } from './support/officer.js';
import { codeFor } from './support/resident.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const COUNTY = '330802';
const SEEDED = 9;
const NAMES = ['欧阳一', '欧阳二', '欧阳三', '欧阳四', '欧阳五', '欧阳六', '欧阳七', '欧阳八', '司马九'];

/** A resident signs in over HTTP and submits residence-permit applications (no browser: setup only). */
async function submitPermits() {
  const phone = '13700009999';
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const since = server.process.output().length;
  const start = (await (await post('/api/v1/resident-auth/start', { phone })).json()) as {
    challenge: string;
  };
  const verify = await post('/api/v1/resident-auth/verify', {
    challenge: start.challenge,
    code: await codeFor(server, phone, since),
  });
  const cookie = String(verify.headers.get('set-cookie')).split(';')[0] ?? '';
  const { csrfToken } = (await verify.json()) as { csrfToken: string };
  for (const [i, name] of NAMES.entries()) {
    const res = await post(
      '/api/v1/my/applications',
      {
        typeId: 'residence-permit',
        form: {
          kind: 'residence-permit',
          applicant: {
            name,
            citizenId: composeCitizenId('620102', '1995-04-0' + String(1 + (i % 9)), 70 + 2 * i),
            sex: '2',
            birthDate: '1995-04-0' + String(1 + (i % 9)),
            ethnicity: '01',
          },
          residenceAddress: { text: `衢州市柯城区白云街道花园路 ${30 + i} 号`, countyCode: COUNTY },
          livingSince: '2026-01-10',
        },
      },
      { cookie, 'x-csrf-token': csrfToken, 'idempotency-key': `queue-e2e-${i}` },
    );
    if (res.status !== 201) throw new Error(`submission ${i}: ${res.status} ${await res.text()}`);
  }
}

beforeAll(async () => {
  [server, browser] = await Promise.all([
    // Info logs carry the demo one-time codes; a 2-day limit makes today's permits due soon.
    startE2eServer({ LOG_LEVEL: 'info', HUJI_TIME_LIMITS: 'residence-permit=2' }),
    launchBrowser(),
  ]);
  await submitPermits();
}, 240_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function officerPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    // Whatever the officer's computer says, the console shows China time.
    timezoneId: 'America/New_York',
    acceptDownloads: true,
  });
  contexts.push(context);
  return context.newPage();
}

const rows = (page: Page) => page.getByTestId('queue').locator('tbody tr.ant-table-row');
const totalText = (page: Page) => page.locator('.ant-pagination-total-text').textContent();

async function pick(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click();
}

/** Waits until the table shows what the latest request answered. */
async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-table .ant-spin-spinning').waitFor({ state: 'detached' });
}

describe('console: the officers’ queue', () => {
  it('lands the clerk on the queue, which filters, searches, pages, marks due-soon rows and exports', async () => {
    const page = await officerPage();
    await firstOfficerSignIn(page, server, 'kc-clerk', 'E2e-queue-户籍-6kc-新');
    await page.getByRole('heading', { name: '待办申请', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/applications');
    await rows(page).first().waitFor();
    await settled(page);

    // Due within 3 working days: the nine permits (2-day limit), amber, with the days left.
    const dueSoon = page.getByTestId('queue').locator('tbody tr.row-due-soon');
    expect(await dueSoon.count()).toBeGreaterThanOrEqual(1);
    await expect
      .poll(() => dueSoon.first().getByTestId('band').textContent())
      .toMatch(/剩 \d 个工作日|今日到期/);
    const amber = await page.evaluate(
      "getComputedStyle(document.querySelector('[data-testid=queue] tbody tr.row-due-soon td')).backgroundColor",
    );
    expect(amber).toBe('rgb(255, 251, 230)');

    // A known timestamp, in China time although the browser runs on New York time.
    const api = (await (
      await page.request.get(`${server.url}/api/v1/applications/queue?pageSize=100`)
    ).json()) as { items: { reference: string; submittedAt: string }[]; total: number };
    const first = api.items[0];
    if (!first) throw new Error('the queue is empty');
    const china = new Date(Date.parse(first.submittedAt) + 8 * 3_600_000)
      .toISOString()
      .slice(0, 16)
      .replace('T', ' ');
    const newYork = await page.evaluate(
      (iso) => new Date(iso).toLocaleString('sv-SE').slice(0, 16),
      first.submittedAt,
    );
    expect(newYork).not.toBe(china);
    const firstRow = rows(page).filter({ hasText: first.reference });
    expect(await firstRow.getByTestId('submitted-at').textContent()).toBe(china);

    // Pages of 10, with the total over every page.
    const total = api.total;
    expect(total).toBeGreaterThan(10);
    expect(await totalText(page)).toBe(`共 ${total} 件`);
    await page.locator('.ant-pagination-options .ant-select').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '10 条/页' })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.get('pageSize')).toBe('10');
    await expect.poll(() => rows(page).count()).toBe(10);
    await page.locator('.ant-pagination-item-2').click();
    await expect.poll(() => rows(page).count()).toBe(total - 10);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await screenshot(page, 'console-queue-page-2');

    // Filter by type: the residence permits only (nine seeded, plus the demo's submitted permits).
    const permit = '居住证';
    await pick(page, '申请事项', permit);
    await expect.poll(() => new URL(page.url()).searchParams.get('type')).toBe('residence-permit');
    await expect
      .poll(async () => (await rows(page).allTextContents()).every((r) => r.includes(permit)))
      .toBe(true);
    const permits = await rows(page).allTextContents();
    expect(permits.length).toBeGreaterThanOrEqual(SEEDED);
    for (const r of permits) expect(r).toContain(permit);
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();

    // Search by a name: one applicant.
    await page
      .getByRole('searchbox', { name: '查找' })
      .or(page.getByPlaceholder(/受理编号/))
      .first()
      .fill('司马九');
    await page.getByRole('button', { name: /查\s?找/ }).click();
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain('司马九');
    expect(await totalText(page)).toBe('共 1 件');
    await screenshot(page, 'console-queue-search');

    // Export what the filters keep: CSV (BOM, Chinese headers, the clerk sees the full id) and Excel.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvBytes = readFileSync(await csv.path());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvBytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]?.startsWith('受理编号,申请事项,申请人,公民身份号码')).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('司马九');
    expect(lines[1]).toContain(composeCitizenId('620102', '1995-04-09', 86));
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = readXlsx(readFileSync(await xlsx.path()));
    expect(book.rows).toHaveLength(2);
    expect(book.rows[1]?.[2]).toBe('司马九');
  }, 240_000);

  it('lands the reform office on the dashboard, with no queue in its menu', async () => {
    const page = await officerPage();
    await firstOfficerSignIn(page, server, 'qz-reform', 'E2e-reform-户改-4qz-新');
    await page.getByRole('heading', { name: '统计看板', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/dashboard');
    expect(await page.getByText('你的角色无权执行此操作').count()).toBe(0);
    const nav = page.getByRole('navigation', { name: '工作人员控制台' });
    expect(await nav.getByRole('link', { name: '待办申请' }).count()).toBe(0);
    await screenshot(page, 'console-reform-start');
  }, 120_000);
});
