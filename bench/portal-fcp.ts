/**
 * `npm run bench:fcp [-- --runs N]`: the portal's first contentful paint on a throttled mid-range phone
 * (Slow 4G: 400 kbit/s down and up, 400 ms round trip; CPU slowed 4× — Chrome DevTools Protocol
 * `Network.emulateNetworkConditions` and `Emulation.setCPUThrottlingRate`), at 390×844 with an empty
 * cache, beside its peer: the same page from the same server sent uncompressed (the browser asks for
 * `Accept-Encoding: identity`). Prints the first contentful paint, the page's load and the bytes
 * transferred for each run and the medians; the goal is FCP ≤ 2 s compressed. It asserts nothing.
 *
 * The server is `huji serve` (a fresh embedded database, no demo data) in a child process, built first
 * when stale. Runs alternate between the two variants, so drift of a busy machine hits both alike.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildWebIfStale } from '../scripts/build-web.js';
import { kb, measureFirstLoad, type FirstLoad } from '../scripts/check-web-budget.js';
import { launchBrowser } from '../e2e/support/browser.js';
import { killHuji, startServer } from '../test/support/spawned.js';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(1, Number(args.runs));

/** Slow 4G as DevTools defines it, in bytes per second. */
const SLOW_4G = {
  offline: false,
  latency: 400,
  downloadThroughput: 400_000 / 8,
  uploadThroughput: 400_000 / 8,
};
const CPU_SLOWDOWN = 4;

const VARIANTS = [
  { name: 'Huji (brotli, precompressed)', headers: {} },
  { name: 'peer: same page uncompressed', headers: { 'Accept-Encoding': 'identity' } },
] as const;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const seconds = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

await buildWebIfStale();
const dir = mkdtempSync(join(tmpdir(), 'huji-bench-fcp-'));
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const server = await startServer({ DATABASE_URL: '', HUJI_DATA_DIR: dir, HUJI_DEMO_DATA: 'false' }, 600_000);
const browser = await launchBrowser();
const results = new Map<string, { load: FirstLoad; ms: number }[]>(VARIANTS.map((v) => [v.name, []]));
try {
  for (let run = 1; run <= runs; run++) {
    for (const variant of VARIANTS) {
      const started = performance.now();
      const load = await measureFirstLoad(browser, `${server.url}/`, {
        setup: async (send) => {
          await send('Network.emulateNetworkConditions', SLOW_4G);
          await send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
          if (Object.keys(variant.headers).length > 0)
            await send('Network.setExtraHTTPHeaders', { headers: variant.headers });
        },
      });
      const ms = performance.now() - started;
      results.get(variant.name)?.push({ load, ms });
      console.log(
        `run ${run}  ${variant.name.padEnd(30)}  FCP ${seconds(load.firstContentfulPaintMs)}  network idle ${seconds(ms)}  ${kb(load.encodedBytes)} transferred (${load.counted.length} files)`,
      );
    }
  }
} finally {
  await browser.close();
  await killHuji(server);
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nmedians of ${runs} run(s), Slow 4G (400 kbit/s, 400 ms RTT), CPU ${CPU_SLOWDOWN}× slower, 390×844:`,
);
console.log('| page | first contentful paint | network idle | scripts, styles, fonts transferred |');
console.log('| --- | --- | --- | --- |');
for (const [name, rows] of results) {
  const fcps = rows.map((r) => r.load.firstContentfulPaintMs).filter((v): v is number => v !== undefined);
  console.log(
    `| ${name} | ${seconds(fcps.length ? median(fcps) : undefined)} | ${seconds(median(rows.map((r) => r.ms)))} | ${kb(median(rows.map((r) => r.load.encodedBytes)))} |`,
  );
}
