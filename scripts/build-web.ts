/**
 * Builds the web app (web/ → web/dist/) with Vite, or, with --if-stale, only when a source is newer
 * than the last build: `npm start` runs it first (prestart), and the browser tests before they start, so
 * a fresh clone needs nothing but `npm install` and `npm start`.
 *
 *   tsx scripts/build-web.ts [--if-stale]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
const STAMP = join(WEB_DIST, '.build-stamp');

/** What the web bundle is made of: its own sources and the pure core it imports. */
const SOURCES = [
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'web/src',
  'src/policy',
  'src/standards',
  'src/errors',
  'src/register/command-fields.ts',
  'package-lock.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function isWebBuildStale(): boolean {
  if (!existsSync(STAMP) || !existsSync(join(WEB_DIST, 'index.html'))) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built);
}

export function buildWeb(): number {
  const started = Date.now();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    throw new Error('vite is not installed: run `npm install` (the web app is built from devDependencies)');
  }
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`the web build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

export async function buildWebIfStale(): Promise<{ built: boolean; ms: number }> {
  if (!isWebBuildStale()) return { built: false, ms: 0 };
  return { built: true, ms: buildWeb() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  try {
    if (ifStale && !isWebBuildStale()) {
      console.log('web app: build is up to date (web/dist)');
    } else {
      console.log(`web app: built web/dist in ${buildWeb()} ms`);
    }
  } catch (error) {
    console.error(`web app: ${(error as Error).message}`);
    process.exit(1);
  }
}
