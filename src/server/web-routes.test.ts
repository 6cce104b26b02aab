import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/build-web.js';
import { registerProblemHandlers } from './problem.js';
import {
  acceptedEncodings,
  isServerPath,
  precompressedEncodingFor,
  registerWebRoutes,
} from './web-routes.js';

async function appServing(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerProblemHandlers(app);
  app.get('/api/v1/known', async () => ({ ok: true }));
  app.get('/verify/:token', async () => 'verify page');
  await registerWebRoutes(app, { distDir });
  return app;
}

describe('the web app is served beside the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-web-'));
  const dist = join(dir, 'dist');
  let app: FastifyInstance;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
    app = await appServing(dist);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/self-check', '/policies/quzhou-2017-final', '/console', '/console/persons/abc'])(
    'answers the app for the page %s',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    },
  );

  it('serves hashed assets for a year and top-level files as themselves', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const robots = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(robots.body).toBe('User-agent: *');
  });

  it('never shadows the server: unknown API paths and missing files stay problem+json 404s', async () => {
    for (const url of [
      '/api/v1/nothing',
      '/api',
      '/docs/x',
      '/healthz/x',
      '/metrics/x',
      '/missing.js',
      '/assets/nope.js',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/problem\+json/);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/known' })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/verify/token' })).body).toBe('verify page');
    const post = await app.inject({ method: 'POST', url: '/self-check' });
    expect(post.statusCode).toBe(404);
  });

  it('refuses paths that climb out of the build', async () => {
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const climbing = await app.inject({ method: 'GET', url: '/..%2fsecret.txt' });
    expect(climbing.statusCode).toBe(404);
    // Dot segments are resolved before routing: this is the page /secret.txt, not found in the build.
    const dots = await app.inject({ method: 'GET', url: '/%2e%2e/secret.txt' });
    expect(dots.body).not.toContain('outside');
  });

  it('answers a malformed asset path 404 like any missing file, never a malformed body (issue 14)', async () => {
    writeFileSync(join(dir, 'x'), 'outside');
    for (const url of [
      '/assets/....//x',
      '/assets/..%2f..%2fx',
      '/assets/.hidden',
      '/assets/a%00.js',
      '/assets//index-abc123.js',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/problem\+json/);
      expect(res.json().code, url).toBe('HUJI_ROUTE_NOT_FOUND');
      expect(res.body, url).not.toContain('outside');
    }
  });

  it('says how to build when there is no build, and the API still works', async () => {
    const bare = await appServing(join(dir, 'nothing-here'));
    const page = await bare.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run web:build');
    expect((await bare.inject({ method: 'GET', url: '/api/v1/known' })).statusCode).toBe(200);
    await bare.close();
  });

  it('knows the server paths', () => {
    expect(isServerPath('/api/v1/x')).toBe(true);
    expect(isServerPath('/openapi.json')).toBe(true);
    expect(isServerPath('/apiary')).toBe(false);
    expect(isServerPath('/verify-help')).toBe(false);
  });
});

describe('assets go out precompressed, negotiated by Accept-Encoding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-web-compressed-'));
  const dist = join(dir, 'dist');
  const script = `export const texts = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `落户自测 ${i}`))};`;
  const html = `<!doctype html><html lang="zh-CN"><title>户籍 Huji</title>${'<!-- padding -->'.repeat(100)}<div id="root"></div>`;
  let app: FastifyInstance;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), html);
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), script);
    // What the build writes: scripts/build-web.ts precompress().
    expect((await precompress(dist)).map((f) => f.file).sort()).toEqual([
      'assets/index-abc123.js',
      'index.html',
    ]);
    app = await appServing(dist);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({
      method: 'GET',
      url,
      headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
    });

  it('sends a hashed script as brotli to a browser, immutable for a year, varying by Accept-Encoding', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 3);
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(script);
  });

  it('sends gzip where brotli is not accepted, and the file itself where neither is', async () => {
    const gz = await get('/assets/index-abc123.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    const refused = await get('/assets/index-abc123.js', 'br;q=0, gzip;q=0.5');
    expect(refused.headers['content-encoding']).toBe('gzip');
    const plain = await get('/assets/index-abc123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    expect(plain.body).toBe(script);
  });

  it('sends the app page compressed too, but revalidated on every load', async () => {
    for (const url of ['/', '/self-check']) {
      const res = await get(url, 'gzip, deflate, br');
      expect(res.headers['content-encoding'], url).toBe('br');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.headers['vary'], url).toMatch(/accept-encoding/i);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(brotliDecompressSync(res.rawPayload).toString(), url).toBe(html);
    }
    const plain = await get('/', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    expect(plain.body).toBe(html);
  });

  it('reads Accept-Encoding by its q-values and the * wildcard', () => {
    expect([...acceptedEncodings('gzip, br;q=0.8, *;q=0')]).toEqual([
      ['gzip', 1],
      ['br', 0.8],
      ['*', 0],
    ]);
    const file = join(dist, 'index.html');
    expect(precompressedEncodingFor('gzip, br;q=0.8', file)).toBe('gzip');
    expect(precompressedEncodingFor('*', file)).toBe('br');
    expect(precompressedEncodingFor('br;q=0, *', file)).toBe('gzip');
    expect(precompressedEncodingFor('identity', file)).toBeUndefined();
    expect(precompressedEncodingFor(undefined, file)).toBeUndefined();
    expect(precompressedEncodingFor('br', join(dist, 'missing.html'))).toBeUndefined();
  });
});
