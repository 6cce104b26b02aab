/**
 * The portal's first-load budget (issue 6): the JavaScript that `web/dist/index.html` loads before the
 * first page shows — its module scripts, its modulepreloads and every chunk they import statically — must
 * stay within 300 KB gzipped. Lazy pages (`import()`) are not counted: they load when visited.
 *
 *   tsx scripts/check-web-budget.ts        # prints the figure; exit 1 over budget
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const PORTAL_FIRST_LOAD_BUDGET = 300 * 1024;
const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface FirstLoad {
  readonly files: readonly { readonly file: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Static imports and re-exports of a built chunk (`import{a}from"./x.js"`), not `import("./x.js")`. */
export function staticImportsOf(code: string): string[] {
  const found = new Set<string>();
  const pattern = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g;
  for (const m of code.matchAll(pattern)) if (m[1]) found.add(m[1]);
  return [...found];
}

export function measurePortalFirstLoad(dist: string = DIST): FirstLoad {
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: run npm run web:build`);
  const html = readFileSync(indexFile, 'utf8');
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) if (m[1]) queue.push(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    if (m[1]) queue.push(m[1]);
  const seen = new Map<string, { file: string; bytes: number; gzipBytes: number }>();
  while (queue.length > 0) {
    const url = queue.shift() ?? '';
    const path = url.replace(/^\//, '');
    if (seen.has(path) || !path.endsWith('.js')) continue;
    const code = readFileSync(join(dist, path));
    seen.set(path, { file: path, bytes: code.length, gzipBytes: gzipSync(code).length });
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    for (const imported of staticImportsOf(code.toString('utf8'))) {
      queue.push(new URL(imported, `http://x/${dir}`).pathname);
    }
  }
  const files = [...seen.values()];
  return {
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
  };
}

export const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const load = measurePortalFirstLoad();
  for (const f of load.files) console.log(`  ${f.file}  ${kb(f.bytes)}  (gzip ${kb(f.gzipBytes)})`);
  const verdict = load.gzipBytes <= PORTAL_FIRST_LOAD_BUDGET ? 'within' : 'OVER';
  console.log(
    `portal first load: ${kb(load.gzipBytes)} gzipped JavaScript (${kb(load.bytes)} raw) — ${verdict} the budget of ${kb(PORTAL_FIRST_LOAD_BUDGET)}`,
  );
  if (verdict === 'OVER') process.exit(1);
}
