import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProblemHandlers } from './problem.js';
import { isServerPath, registerWebRoutes } from './web-routes.js';

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
