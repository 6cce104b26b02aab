/**
 * Serves the web app (the resident portal at `/`, the officer console at `/console`) from the Vite build
 * in `web/dist/`, from the same process as the API. Hashed files under `/assets/` are cached for a year;
 * every other GET that is not a server route answers `index.html`, so the app's own router shows the page
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

  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // Vite names every file by its content hash: a name never changes meaning.
      immutable: true,
      maxAge: '365d',
    });
  }

  const notFound = (request: FastifyRequest) =>
    new HujiError('HUJI_ROUTE_NOT_FOUND', { method: request.method, path: request.url.split('?')[0] });

  const sendFile = (reply: FastifyReply, file: string, contentType: string, cache: string) =>
    reply.header('content-type', contentType).header('cache-control', cache).send(createReadStream(file));

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
        return sendFile(reply, file, contentTypeOf(file), 'public, max-age=3600');
      throw notFound(request);
    }
    // The app's pages: always revalidated, so a new build is picked up at once.
    return sendFile(reply, join(dist, 'index.html'), 'text/html; charset=utf-8', 'no-cache');
  };

  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, page);
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
