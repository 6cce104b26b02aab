/**
 * Builds the web app (web/ → web/dist/) with Vite, or, with --if-stale, only when a source is newer
 * than the last build: `npm start` runs it first (prestart), and the browser tests before they start, so
 * a fresh clone needs nothing but `npm install` and `npm start`. Every text file of the build gets a
 * brotli (`.br`) and a gzip (`.gz`) copy beside it, made once here at the highest levels, which the
 * server sends by Accept-Encoding (src/server/web-routes.ts) instead of compressing per request.
 *
 *   tsx scripts/build-web.ts [--if-stale]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

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
  'scripts/build-web.ts',
];

/** Text files worth compressing; images and fonts of the build are compressed formats already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest|map)$/;
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_COMPRESS_BYTES = 1024;

export interface PrecompressedFile {
  readonly file: string;
  readonly bytes: number;
  readonly brotliBytes: number;
  readonly gzipBytes: number;
}

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside every compressible file of
 * at least 1 KB under dir, keeping a copy only when it is smaller than the file. The files are compressed
 * on libuv's thread pool, side by side (brotli 11 is slow: ~30 s of CPU for the 2.5 MB build).
 */
export async function precompress(dir: string): Promise<PrecompressedFile[]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
    (entry) => COMPRESSIBLE.test(entry) && statSync(join(dir, entry)).isFile(),
  );
  const done = await Promise.all(files.map((entry) => precompressFile(dir, entry)));
  return done.filter((f): f is PrecompressedFile => f !== undefined);
}

async function precompressFile(dir: string, entry: string): Promise<PrecompressedFile | undefined> {
  const file = join(dir, entry);
  const data = readFileSync(file);
  if (data.length < MIN_COMPRESS_BYTES) return undefined;
  const [brotli, gzipped] = await Promise.all([
    brotliAsync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzipAsync(data, { level: 9 }),
  ]);
  if (brotli.length < data.length) writeFileSync(`${file}.br`, brotli);
  if (gzipped.length < data.length) writeFileSync(`${file}.gz`, gzipped);
  return { file: entry, bytes: data.length, brotliBytes: brotli.length, gzipBytes: gzipped.length };
}

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

export async function buildWeb(): Promise<number> {
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
  await precompress(WEB_DIST);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return Date.now() - started;
}

export async function buildWebIfStale(): Promise<{ built: boolean; ms: number }> {
  if (!isWebBuildStale()) return { built: false, ms: 0 };
  return { built: true, ms: await buildWeb() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  try {
    if (ifStale && !isWebBuildStale()) {
      console.log('web app: build is up to date (web/dist)');
    } else {
      console.log(`web app: built web/dist in ${await buildWeb()} ms`);
    }
  } catch (error) {
    console.error(`web app: ${(error as Error).message}`);
    process.exit(1);
  }
}
