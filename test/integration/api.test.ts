/**
 * The HTTP API through app.inject() on the real database (PGlite, and PostgreSQL when DATABASE_URL is
 * set): what a client sees for good and bad input.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { testDatabases } from '../support/databases.js';
import { checkHolidayNotices } from '../../src/services/china-holidays.js';
import { todayInChina } from '../../src/standards/calendar.js';

const METRICS_TOKEN = 'api-test-metrics-token-0123456789abcdef';

describe.each(testDatabases())('HTTP API on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, metricsToken: METRICS_TOKEN });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const checkId = (citizenId: unknown, lang = 'zh-CN') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/citizen-ids/check',
      headers: { 'accept-language': lang },
      payload: { citizenId },
    });

  it('reports health with a database round trip', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: { isReachable: true } });
  });

  it("reports the documents' CJK font on /healthz, and is unavailable when it cannot be read", async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    // Ready or not: the font's file and faces are the log's business, not a public answer (issue 14).
    expect(res.json()).toMatchObject({ fonts: { isReady: true } });
    // The holiday notices are reported (from December the coming year's too), without failing readiness.
    const notices = checkHolidayNotices(todayInChina());
    expect(res.json().holidays).toEqual(
      notices.isComplete ? { isComplete: true } : { isComplete: false, missingYear: notices.missingYear },
    );
    const saved = process.env.HUJI_CJK_FONT;
    process.env.HUJI_CJK_FONT = '/nonexistent/huji-font.otf';
    try {
      const gone = await app.inject({ method: 'GET', url: '/healthz' });
      expect(gone.statusCode).toBe(503);
      expect(gone.json()).toMatchObject({
        status: 'unavailable',
        database: { isReachable: true },
        fonts: { isReady: false },
      });
      expect(gone.body).not.toContain('/nonexistent/huji-font.otf');
    } finally {
      if (saved === undefined) delete process.env.HUJI_CJK_FONT;
      else process.env.HUJI_CJK_FONT = saved;
    }
  });

  it('answers 503 on /healthz when the database is gone', async () => {
    const other = await open();
    const lonely = await buildApp({ database: other, logger: false });
    await other.close();
    const res = await lonely.inject({ method: 'GET', url: '/healthz' });
    await lonely.close();
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unavailable', database: { isReachable: false } });
  });

  it('checks a valid ID and explains it', async () => {
    const res = await checkId('11010519491231002X');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      isValid: true,
      parsed: { birthDate: '1949-12-31', sex: 'female', sexLabel: '女', address: { name: '朝阳区' } },
    });
  });

  it('says why an ID is invalid, in Chinese by default and in English on request', async () => {
    const zh = (await checkId('110105194912310021')).json();
    expect(zh).toMatchObject({ isValid: false, problems: [{ code: 'HUJI_ID_CHECKSUM' }] });
    expect(zh.problems[0].message).toContain('校验码不符');
    const en = (await checkId('110105194912310021', 'en-US,en;q=0.9')).json();
    expect(en.problems[0].message).toContain('Check character mismatch');
  });

  it('rejects a malformed body with the field path and rule, as problem+json', async () => {
    const res = await checkId(12345, 'en');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['content-language']).toBe('en');
    const body = res.json();
    expect(body).toMatchObject({ code: 'HUJI_VALIDATION', status: 400, type: '/problems/HUJI_VALIDATION' });
    expect(body.errors).toEqual([
      { path: 'body.citizenId', code: 'invalid_type', message: expect.stringContaining('string') },
    ]);
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('gives Chinese messages for structural validation too', async () => {
    const res = await checkId('');
    expect(res.json().errors[0]).toMatchObject({ path: 'body.citizenId', code: 'too_small' });
    expect(res.json().errors[0].message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers unparseable JSON with 400, never 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/citizen-ids/check',
      headers: { 'content-type': 'application/json' },
      payload: '{"citizenId":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('HUJI_MALFORMED_BODY');
    expect(res.body).not.toContain(' at ');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/citizen-ids/check',
      headers: { 'content-type': 'application/xml' },
      payload: '<id/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('HUJI_UNSUPPORTED_MEDIA_TYPE');
  });

  it('upgrades a 15-digit number, and refuses an 18-character one with 422 naming the field', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/citizen-ids/upgrade',
      payload: { citizenId: '330821850101123' },
    });
    expect(ok.json()).toMatchObject({
      citizenId: '330821198501011233',
      parsed: { address: { name: '衢县', isCurrent: false } },
    });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/citizen-ids/upgrade',
      payload: { citizenId: '11010519491231002X' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'HUJI_ID_NOT_LEGACY',
      errors: [{ path: 'body.citizenId', code: 'HUJI_ID_NOT_LEGACY' }],
    });
  });

  it('shows a division with its children, and an abolished county', async () => {
    const city = (await app.inject({ method: 'GET', url: '/api/v1/divisions/330800' })).json();
    expect(city.children.map((c: { name: string }) => c.name)).toEqual([
      '柯城区',
      '衢江区',
      '常山县',
      '开化县',
      '龙游县',
      '江山市',
    ]);
    const old = (await app.inject({ method: 'GET', url: '/api/v1/divisions/330821' })).json();
    expect(old).toMatchObject({ name: '衢县', isCurrent: false, history: [{ from: 1985, to: 2000 }] });
  });

  it('lists the provinces, the first level of a division picker, then each level by its parent', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/divisions/provinces' });
    expect(res.statusCode).toBe(200);
    const provinces = res.json().items as { code: string; name: string; level: string }[];
    expect(provinces.length).toBeGreaterThanOrEqual(31);
    expect(provinces.every((p) => p.level === 'province' && /^\d{2}0000$/.test(p.code))).toBe(true);
    expect(provinces.find((p) => p.code === '620000')?.name).toBe('甘肃省');
    const gansu = (await app.inject({ method: 'GET', url: '/api/v1/divisions/620000' })).json();
    expect(gansu.children.map((c: { name: string }) => c.name)).toContain('兰州市');
  });

  it('answers 404 for an unknown division and 400 naming the rule for a malformed code', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/divisions/990101' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('HUJI_DIVISION_UNKNOWN');
    const malformed = await app.inject({
      method: 'GET',
      url: '/api/v1/divisions/33080',
      headers: { 'accept-language': 'en' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors).toEqual([
      {
        path: 'params.code',
        code: 'HUJI_DIVISION_CODE_FORMAT',
        message: 'A division code has 2, 4, 6, 9 or 12 digits; "33080" does not.',
      },
    ]);
  });

  it('searches divisions by former name and validates the limit', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/divisions?q=衢县&limit=1' });
    expect(res.json().items).toEqual([
      expect.objectContaining({ isFormerName: true, division: expect.objectContaining({ code: '330821' }) }),
    ]);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/divisions?q=衢县&limit=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.limit');
  });

  it('serves the towns of a county, searches them by name, and says where towns are not bundled', async () => {
    const kecheng = await app.inject({ method: 'GET', url: '/api/v1/divisions/330802/towns' });
    expect(kecheng.statusCode).toBe(200);
    const body = kecheng.json();
    expect(body.county).toMatchObject({ code: '330802', name: '柯城区' });
    expect(body.hasTowns).toBe(true);
    expect(body.items.map((t: { code: string; name: string }) => [t.code, t.name])).toContainEqual([
      '330802006',
      '府山街道',
    ]);
    expect(body.items.every((t: { level: string }) => t.level === 'town')).toBe(true);
    const filtered = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/divisions/330802/towns?q=${encodeURIComponent('府山')}`,
      })
    ).json();
    expect(filtered.items.map((t: { name: string }) => t.name)).toEqual(['府山街道']);
    const elsewhere = (await app.inject({ method: 'GET', url: '/api/v1/divisions/330102/towns' })).json();
    expect(elsewhere).toMatchObject({ hasTowns: false, items: [] });
    const city = await app.inject({ method: 'GET', url: '/api/v1/divisions/330800/towns' });
    expect(city.statusCode).toBe(422);
    expect(city.json().code).toBe('HUJI_DIVISION_NOT_COUNTY');
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/divisions/990101/towns' });
    expect(unknown.statusCode).toBe(404);
  });

  it('searches towns by name across the bundled cities, and within one county', async () => {
    const search = (qs: string) => app.inject({ method: 'GET', url: `/api/v1/divisions?${qs}` });
    const fushan = (await search(`q=${encodeURIComponent('府山')}&level=town`)).json();
    expect(fushan.items).toEqual([
      expect.objectContaining({
        matchedName: '府山街道',
        division: expect.objectContaining({
          code: '330802006',
          level: 'town',
          path: expect.arrayContaining([{ code: '330802', name: '柯城区' }]),
        }),
      }),
    ]);
    const inQujiang = (await search(`q=${encodeURIComponent('府山')}&level=town&within=330803`)).json();
    expect(inQujiang.items).toEqual([]);
    const lanzhou = (await search(`q=${encodeURIComponent('酒泉路')}&level=town&within=6201`)).json();
    expect(lanzhou.items.map((h: { division: { code: string } }) => h.division.code)).toEqual(['620102001']);
    const badLevel = await search('q=x&level=street');
    expect(badLevel.statusCode).toBe(400);
    expect(badLevel.json().errors[0].path).toBe('querystring.level');
  });

  it('serves the code tables', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/v1/code-tables' })).json();
    expect(list.items.map((t: { id: string }) => t.id)).toContain('relationship');
    const eth = (await app.inject({ method: 'GET', url: '/api/v1/code-tables/ethnicity' })).json();
    expect(eth.entries).toHaveLength(58);
    const none = await app.inject({ method: 'GET', url: '/api/v1/code-tables/nope' });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('HUJI_CODE_TABLE_UNKNOWN');
  });

  it('answers unknown routes with a problem, and explains problem types', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('HUJI_ROUTE_NOT_FOUND');
    const type = (await app.inject({ method: 'GET', url: '/problems/HUJI_ID_CHECKSUM' })).json();
    expect(type).toMatchObject({ code: 'HUJI_ID_CHECKSUM', status: 422 });
  });

  it('echoes a well-formed request id and replaces a malformed one', async () => {
    const given = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const replaced = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\n' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes an OpenAPI 3.1 document generated from the schemas, and its docs page', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const check = doc.paths['/api/v1/citizen-ids/check'].post;
    expect(check.requestBody.content['application/json'].schema.properties.citizenId.type).toBe('string');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/api/v1/divisions/{code}',
        '/api/v1/divisions/{code}/towns',
        '/api/v1/code-tables/{table}',
      ]),
    );
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('exposes Prometheus metrics labelled by route pattern', async () => {
    await app.inject({ method: 'GET', url: '/api/v1/divisions/330802' });
    const res = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('huji_http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/api/v1/divisions/:code"');
    expect(res.body).not.toContain('330802');
  });

  it('never answers 5xx to arbitrary input on any route', async () => {
    const routes: { method: 'GET' | 'POST'; url: (x: string) => string; body?: boolean }[] = [
      { method: 'POST', url: () => '/api/v1/citizen-ids/check', body: true },
      { method: 'POST', url: () => '/api/v1/citizen-ids/upgrade', body: true },
      { method: 'GET', url: (x) => `/api/v1/divisions/${encodeURIComponent(x)}` },
      {
        method: 'GET',
        url: (x) => `/api/v1/divisions?q=${encodeURIComponent(x)}&limit=${encodeURIComponent(x)}`,
      },
      { method: 'GET', url: (x) => `/api/v1/code-tables/${encodeURIComponent(x)}` },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.string({ maxLength: 30 }),
        fc.anything(),
        async (route, text, junk) => {
          const res = await app.inject({
            method: route.method,
            url: route.url(text),
            ...(route.body ? { payload: { citizenId: junk, birthDateOnRecord: text } } : {}),
          });
          expect(res.statusCode, `${route.method} ${route.url(text)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
