/**
 * The portal's first-load budget (issues 6 and 13): the bytes a phone actually receives for the first
 * page — every script, style sheet and font that loading `/` in Chromium fetches, lazy route chunks
 * included, counted as encoded on the wire (brotli as the server sends it, with response headers) —
 * must stay within 300 KB. Measured with the Chrome DevTools Protocol's `encodedDataLength`, not by
 * compressing files here: what is counted is what the server sent.
 *
 *   tsx scripts/check-web-budget.ts   # builds when stale, starts `huji serve`, prints the files; exit 1 over budget
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';

export const PORTAL_FIRST_LOAD_BUDGET = 300 * 1024;

/** Resource types of the first load that count: what the page needs to show itself. */
const COUNTED_TYPES = new Set(['Script', 'Stylesheet', 'Font']);

export interface Transfer {
  readonly url: string;
  /** The DevTools resource type: Document, Script, Stylesheet, Font, Fetch, … */
  readonly type: string;
  /** Bytes received: headers and the encoded body. */
  readonly encodedBytes: number;
  /** The body's size once decoded. */
  readonly decodedBytes: number;
  readonly contentEncoding: string | undefined;
}

export interface FirstLoad {
  /** Every response of the page load, counted or not. */
  readonly transfers: readonly Transfer[];
  /** The scripts, styles and fonts. */
  readonly counted: readonly Transfer[];
  readonly encodedBytes: number;
  readonly decodedBytes: number;
  /** `first-contentful-paint` of the Paint Timing API, from navigation start. */
  readonly firstContentfulPaintMs: number | undefined;
}

interface ResponseReceived {
  requestId: string;
  type?: string;
  response: { url: string; headers: Record<string, string> };
}
interface LoadingFinished {
  requestId: string;
  encodedDataLength: number;
}
interface DataReceived {
  requestId: string;
  dataLength: number;
}

/**
 * Loads `url` in a fresh browser context (an empty cache) and waits until the network is idle, so the
 * lazy chunks of the first route are in. `setup` runs on the page's DevTools session first (the bench
 * throttles the network and the CPU there).
 */
export async function measureFirstLoad(
  browser: Browser,
  url: string,
  options: {
    readonly context?: BrowserContextOptions;
    readonly setup?: (send: (method: string, params?: object) => Promise<unknown>) => Promise<void>;
  } = {},
): Promise<FirstLoad> {
  const context = await browser.newContext(options.context ?? { viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const responses = new Map<string, ResponseReceived>();
    const decoded = new Map<string, number>();
    const finished = new Map<string, number>();
    cdp.on('Network.responseReceived', (event: ResponseReceived) => responses.set(event.requestId, event));
    cdp.on('Network.dataReceived', (event: DataReceived) =>
      decoded.set(event.requestId, (decoded.get(event.requestId) ?? 0) + event.dataLength),
    );
    cdp.on('Network.loadingFinished', (event: LoadingFinished) =>
      finished.set(event.requestId, event.encodedDataLength),
    );
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (options.setup) await options.setup((method, params) => cdp.send(method as 'Network.enable', params));
    await page.goto(url, { waitUntil: 'load', timeout: 300_000 });
    // The app renders after its script runs, then fetches the route's lazy chunks: wait for the first
    // contentful paint, then for the network to rest, or a slow (throttled) phone is measured half-loaded.
    await page.waitForFunction("performance.getEntriesByName('first-contentful-paint').length > 0", null, {
      timeout: 300_000,
      polling: 100,
    });
    await page.waitForLoadState('networkidle', { timeout: 300_000 });
    // A string, not a function: this Node code is type-checked without the DOM library.
    const fcp = await page.evaluate<number | null>(
      "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null",
    );
    const transfers: Transfer[] = [];
    for (const [requestId, encodedBytes] of finished) {
      const response = responses.get(requestId);
      if (!response) continue;
      const headers = Object.fromEntries(
        Object.entries(response.response.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      transfers.push({
        url: response.response.url,
        type: response.type ?? 'Other',
        encodedBytes,
        decodedBytes: decoded.get(requestId) ?? 0,
        contentEncoding: headers['content-encoding'],
      });
    }
    const counted = transfers.filter((t) => COUNTED_TYPES.has(t.type));
    return {
      transfers,
      counted,
      encodedBytes: counted.reduce((n, t) => n + t.encodedBytes, 0),
      decodedBytes: counted.reduce((n, t) => n + t.decodedBytes, 0),
      firstContentfulPaintMs: fcp ?? undefined,
    };
  } finally {
    await context.close();
  }
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function describeFirstLoad(load: FirstLoad): string[] {
  const lines = load.counted.map(
    (t) =>
      `  ${new URL(t.url).pathname}  ${t.type}  ${kb(t.encodedBytes)} sent (${t.contentEncoding ?? 'identity'}), ${kb(t.decodedBytes)} decoded`,
  );
  const verdict = load.encodedBytes <= PORTAL_FIRST_LOAD_BUDGET ? 'within' : 'OVER';
  lines.push(
    `portal first load: ${kb(load.encodedBytes)} transferred in ${load.counted.length} scripts, styles and fonts (${kb(load.decodedBytes)} decoded) — ${verdict} the budget of ${kb(PORTAL_FIRST_LOAD_BUDGET)}`,
  );
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { buildWebIfStale } = await import('./build-web.js');
  const { launchBrowser } = await import('../e2e/support/browser.js');
  const { startServer, killHuji } = await import('../test/support/spawned.js');
  await buildWebIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'huji-budget-'));
  // A first start loads 10,169 divisions: minutes on a busy machine.
  const server = await startServer(
    { DATABASE_URL: '', HUJI_DATA_DIR: dir, HUJI_DEMO_DATA: 'false' },
    600_000,
  );
  const browser = await launchBrowser();
  try {
    const load = await measureFirstLoad(browser, `${server.url}/`);
    for (const line of describeFirstLoad(load)) console.log(line);
    process.exitCode = load.encodedBytes > PORTAL_FIRST_LOAD_BUDGET ? 1 : 0;
  } finally {
    await browser.close();
    await killHuji(server);
    rmSync(dir, { recursive: true, force: true });
  }
}
