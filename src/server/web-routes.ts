/**
 * Serves the web app (the resident portal at `/`, the officer console at `/console`) from the Vite build
 * in `web/dist/`, from the same process as the API. Hashed files under `/assets/` are cached for a year
 * (`public, max-age=31536000, immutable`), `index.html` is revalidated on every load (`no-cache`). Each
 * text file goes out as the brotli or gzip copy the build made beside it (`x.js.br`, `x.js.gz`;
 * scripts/build-web.ts) when the request's Accept-Encoding allows, with `Vary: Accept-Encoding` so a
 * cache keeps the copies apart: the portal's main script is 630 KB as built, a quarter of that as sent.
 * Every other GET that is not a server route answers `index.html`, so the app's own router shows the page
 * (an SPA fallback). Server paths (`/api`, `/docs`, `/openapi.json`, `/verify`, `/healthz`, `/metrics`,
 * `/problems`) are never shadowed: an unknown one still answers the usual problem+json 404.
 *
 * When the build is missing (`huji serve` run without `npm start`, which builds first), pages answer 503
 * with one line saying how to build, and the API works as ever.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HujiError } from '../errors/huji-error.js';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Path prefixes the server owns; the web app's fallback never answers them. */
export const SERVER_PATH_PREFIXES = [
  '/api',
  '/docs',
  '/openapi.json',
  '/verify',
  '/healthz',
  '/metrics',
  '/problems',
] as const;

export function isServerPath(path: string): boolean {
  return SERVER_PATH_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

export interface WebRouteOptions {
  /** The built app (default `web/dist/`). */
  readonly distDir?: string;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>户籍 Huji</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>网页尚未构建 / The web app is not built</h1>
<p>运行 <code>npm run web:build</code>（<code>npm start</code> 会自动构建）。API 照常可用：<a href="/docs">/docs</a>。</p>
<p>Run <code>npm run web:build</code> (<code>npm start</code> builds it for you). The API works: <a href="/docs">/docs</a>.</p>
</body></html>`;

export async function registerWebRoutes(app: FastifyInstance, options: WebRouteOptions = {}) {
  const dist = options.distDir ?? WEB_DIST_DIR;
  const assets = join(dist, 'assets');
  const isBuilt = () => existsSync(join(dist, 'index.html'));

  const notFound = (request: FastifyRequest) =>
    new HujiError('HUJI_ROUTE_NOT_FOUND', { method: request.method, path: request.url.split('?')[0] });

  // The build's assets are flat, hash-named files (index-abc123.js): any other /assets/ path is a file
  // that does not exist, answered 404 before @fastify/static sees it (it answered some of them 400,
  // mapped to HUJI_MALFORMED_BODY; issue 14).
  app.addHook('onRequest', async (request) => {
    const raw = request.url.split('?')[0] ?? '';
    if (!raw.startsWith('/assets/')) return;
    const name = decodePath(raw)?.slice('/assets/'.length);
    if (name === undefined || !ASSET_NAME.test(name) || name.includes('..')) throw notFound(request);
  });

  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // Vite names every file by its content hash: a name never changes meaning.
      immutable: true,
      maxAge: '365d',
      // x.js.br / x.js.gz made at build time, chosen by Accept-Encoding (br first), with Vary.
      preCompressed: true,
    });
  }

  const sendFile = (
    request: FastifyRequest,
    reply: FastifyReply,
    file: string,
    contentType: string,
    cache: string,
  ) => {
    reply.header('content-type', contentType).header('cache-control', cache);
    const encoding = precompressedEncodingFor(request.headers['accept-encoding'], file);
    if (encoding === undefined) {
      if (hasPrecompressedCopy(file)) reply.header('vary', 'accept-encoding');
      return reply.send(createReadStream(file));
    }
    return reply
      .header('content-encoding', encoding)
      .header('vary', 'accept-encoding')
      .send(createReadStream(`${file}${ENCODING_SUFFIX[encoding]}`));
  };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = decodePath(request.url.split('?')[0] ?? '/');
    if (path === undefined || isServerPath(path)) throw notFound(request);
    if (!isBuilt()) {
      return reply
        .code(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(NOT_BUILT_PAGE);
    }
    // A top-level file of the build (favicon, robots.txt) is served as itself.
    const last = path.split('/').at(-1) ?? '';
    if (last.includes('.')) {
      const file = normalize(join(dist, path));
      if (
        file.startsWith(dist.endsWith(sep) ? dist : dist + sep) &&
        existsSync(file) &&
        statSync(file).isFile()
      )
        return sendFile(request, reply, file, contentTypeOf(file), 'public, max-age=3600');
      throw notFound(request);
    }
    // The app's pages: always revalidated, so a new build is picked up at once.
    return sendFile(request, reply, join(dist, 'index.html'), 'text/html; charset=utf-8', 'no-cache');
  };

  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, page);
}

/** A file name of the build's assets directory: no directory, no dot file. */
const ASSET_NAME = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;

const ENCODING_SUFFIX = { br: '.br', gzip: '.gz' } as const;
type Encoding = keyof typeof ENCODING_SUFFIX;

function hasPrecompressedCopy(file: string): boolean {
  return Object.values(ENCODING_SUFFIX).some((suffix) => existsSync(file + suffix));
}

/**
 * The encodings a request accepts (`br;q=0.8, gzip`, `*`), by RFC 9110 § 12.5.3: a q of 0 refuses,
 * `*` stands for any encoding not named.
 *
 * @example acceptedEncodings('gzip, br;q=0') // Map { 'gzip' => 1, 'br' => 0 }
 */
export function acceptedEncodings(header: string | undefined): Map<string, number> {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [token = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (token === '') continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    accepted.set(token, Number.isFinite(weight) ? weight : 0);
  }
  return accepted;
}

/** brotli, else gzip, when the request accepts it and the build made that copy of the file. */
export function precompressedEncodingFor(header: string | undefined, file: string): Encoding | undefined {
  const accepted = acceptedEncodings(header);
  const weightOf = (encoding: Encoding) => accepted.get(encoding) ?? accepted.get('*') ?? 0;
  const candidates = (['br', 'gzip'] as const).filter((e) => weightOf(e) > 0);
  candidates.sort((a, b) => weightOf(b) - weightOf(a));
  return candidates.find((e) => existsSync(file + ENCODING_SUFFIX[e]));
}

function decodePath(raw: string): string | undefined {
  try {
    const path = decodeURIComponent(raw);
    return path.includes('\0') || path.split('/').includes('..') ? undefined : path;
  } catch {
    return undefined;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return TYPES[file.slice(dot)] ?? 'application/octet-stream';
}
