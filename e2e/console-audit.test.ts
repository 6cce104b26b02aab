/**
 * The audit administrator's screen: the demo audit administrator signs in (password, authenticator
 * code, new password), finds the audit trail in the menu — with the sign-ins just made in it — and
 * verifies every chain intact. A registrar has no such menu item, and the page refuses them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, totpAt } from '../src/accounts/totp.js';
import { field } from './support/antd.js';
import { launchBrowser, screenshot } from './support/browser.js';
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

/** Signs a demo officer in for the first time: password, TOTP code, then the required new password. */
async function signIn(page: Page, username: string) {
  const officer = server.officers.get(username);
  expect(officer, `the first start prints ${username}`).toBeDefined();
  await page.goto(`${server.url}/console`);
  await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
  await field(page, '用户名').locator('input').fill(officer!.username);
  await field(page, '密码').locator('input').fill(officer!.password);
  await page
    .getByRole('button', { name: '登 录' })
    .or(page.getByRole('button', { name: '登录' }))
    .click();
  await page.getByRole('heading', { name: '动态验证码' }).waitFor();
  await field(page, '验证码')
    .locator('input')
    .fill(totpAt(base32Decode(officer!.totpSecret), new Date()));
  await page.getByRole('button', { name: /^验\s?证$/ }).click();
  await page.getByRole('heading', { name: '首次登录请修改密码' }).waitFor();
  // The rules refuse a password holding the username.
  const fresh = 'E2e-audit-户籍-7qz-新';
  await field(page, '当前密码').locator('input').fill(officer!.password);
  await field(page, '新密码').locator('input').fill(fresh);
  await field(page, '再次输入新密码').locator('input').fill(fresh);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByTestId('officer').waitFor();
}

describe('console: the audit trail', () => {
  it('shows the audit administrator the trail and an intact chain check', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'qz-audit');
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
    expect(await page.getByRole('link', { name: '审计记录' }).count()).toBe(0);
    await page.goto(`${server.url}/console/audit`);
    await page.getByRole('heading', { name: '审计记录', level: 1 }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/权限|not allowed|无权/);
    expect(await page.locator('main table').count()).toBe(0);
    await page.close();
  });
});
