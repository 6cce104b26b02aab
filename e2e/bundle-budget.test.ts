/**
 * The portal's first page costs a phone at most 300 KB: every script, style sheet and font that loading
 * `/` in Chromium fetches, lazy chunks of the first route included, counted in bytes actually received
 * (the brotli copies the server sends, with their headers).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeFirstLoad,
  measureFirstLoad,
  PORTAL_FIRST_LOAD_BUDGET,
} from '../scripts/check-web-budget.js';
import { launchBrowser } from './support/browser.js';
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

describe('bundle budget', () => {
  it('keeps the bytes transferred for the portal first page within 300 KB', async () => {
    const load = await measureFirstLoad(browser, `${server.url}/`);
    console.log(describeFirstLoad(load).join('\n'));
    const scripts = load.counted.filter((t) => t.type === 'Script');
    // The entry, the runtime and the home page's own chunk at least.
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    expect(load.counted.some((t) => new URL(t.url).pathname.includes('/HomePage-'))).toBe(true);
    // Every script and style goes out compressed (the .br copies made by the build).
    for (const t of load.counted.filter((c) => c.decodedBytes >= 1024)) {
      expect(t.contentEncoding, t.url).toBe('br');
      expect(t.encodedBytes, t.url).toBeLessThan(t.decodedBytes);
    }
    expect(load.encodedBytes).toBeLessThanOrEqual(PORTAL_FIRST_LOAD_BUDGET);
  });

  it('paints the portal frame from the HTML and its style sheet alone, before any script has arrived', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // The scripts never arrive: what shows is what a slow phone shows while they are on their way.
    await page.route(/\.js$/, (route) => route.abort());
    await page.goto(`${server.url}/`);
    expect(await page.locator('header .brand').textContent()).toBe('户户籍服务');
    expect(await page.getByRole('status').textContent()).toBe('正在加载…');
    // Styled by the app's style sheet (the portal's red header), not unstyled text.
    const headerColour = await page.evaluate<string>(
      "getComputedStyle(document.querySelector('header.site-header')).backgroundColor",
    );
    expect(headerColour).toBe('rgb(160, 31, 37)');
    await context.close();
  });
});
