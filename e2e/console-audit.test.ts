/**
 * The audit administrator's screen: the demo audit administrator signs in (password, authenticator
 * code, new password), finds the audit trail in the menu — with the sign-ins just made in it — and
 * verifies every chain intact. A registrar has no such menu item, and the page refuses them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
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

const signIn = (page: Page, username: string) =>
  // The rules refuse a password holding the username.
  firstOfficerSignIn(page, server, username, 'E2e-audit-户籍-7qz-新');

describe('console: the audit trail', () => {
  it('shows the audit administrator the trail and an intact chain check', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'qz-audit');
    await page.getByTestId('officer').waitFor();
    await page.getByRole('link', { name: '审计记录' }).click();
    await page.getByRole('heading', { name: '审计记录', level: 1 }).waitFor();
    const table = page.locator('main table');
    await expect.poll(() => table.textContent()).toContain('POST /api/v1/auth/totp');
    expect(await table.textContent()).toContain('qz-audit');
    await page.getByRole('button', { name: '校验哈希链' }).click();
    await expect.poll(() => page.locator('.ant-alert').textContent()).toMatch(/全部哈希链完整 · \d+ 条记录/);
    await screenshot(page, 'console-audit');
    await page.close();
  });

  it('gives a registrar no audit screen', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'kc-registrar');
    await page.getByTestId('officer').waitFor();
    expect(await page.getByRole('link', { name: '审计记录' }).count()).toBe(0);
    await page.goto(`${server.url}/console/audit`);
    await page.getByRole('heading', { name: '审计记录', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/权限|not allowed|无权/);
    expect(await page.locator('main table').count()).toBe(0);
    await page.close();
  });
});
