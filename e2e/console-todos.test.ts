/**
 * The officer's to-dos in the browser (issue 13), at 1440×900 in Chinese: the demo window clerk of 柯城区
 * signs in; the header shows how many of the clerk's to-dos the clerk has not read; marking one read on
 * the queue page lowers it by one, marking all clears it (for this clerk only: the API suite proves another
 * clerk of the county keeps them unread, test/integration/queue.test.ts).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './support/browser.js';
import { firstOfficerSignIn } from './support/officer.js';
import { startE2eServer, type E2eServer } from './support/server.js';

let server: E2eServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
}, 240_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const shot = async (page: Parameters<typeof screenshot>[0], name: string) => {
  const path = await screenshot(page, name);
  // A copy where the helper's report points (the e2e folder's screenshots are git-ignored too).
  mkdirSync('/tmp/shots-queue', { recursive: true });
  copyFileSync(path, `/tmp/shots-queue/${name}.png`);
};

describe('console: the officer’s to-dos', () => {
  it('counts the clerk’s unread to-dos in the header and marks one, then all, read', async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await firstOfficerSignIn(page, server, 'kc-clerk', 'E2e-todos-户籍-6kc-新');
    await page.getByRole('heading', { name: '待办申请', level: 1 }).waitFor();
    const badge = page.getByTestId('todo-badge');
    const count = async () => Number((await badge.getAttribute('title'))?.match(/\d+/)?.[0] ?? NaN);
    await expect.poll(count).toBeGreaterThan(1);
    const before = await count();
    const todos = page.locator('#todos');
    await todos.locator('[data-unread=true]').first().waitFor();
    await shot(page, 'console-todos-unread');
    await todos.getByRole('button', { name: '标为已读', exact: true }).first().click();
    await expect.poll(count).toBe(before - 1);
    expect(await todos.locator('[data-unread=true]').count()).toBe(Math.min(10, before) - 1);
    await todos.getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(count).toBe(0);
    expect(await todos.locator('[data-unread=true]').count()).toBe(0);
    // Read, not gone: the to-dos stay listed until their work is done.
    expect(await todos.locator('.ant-list-item').count()).toBeGreaterThan(0);
    await shot(page, 'console-todos-read');
  }, 180_000);
});
