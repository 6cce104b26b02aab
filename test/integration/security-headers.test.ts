/**
 * Issue 14: security headers on every answer (CSP, frame-ancestors, nosniff, Referrer-Policy; HSTS only
 * over TLS), PDFs framable by the console only, a configurable trustProxy, /metrics behind a token and a
 * /healthz that names no database.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const OFFICER: TestOfficer = { id: 'sh-kc', countyCode: '330802' };
const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';

/** The directives of a Content-Security-Policy header, by name. */
function csp(header: string | string[] | number | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe.each(testDatabases().slice(0, 1))('security headers on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let proxied: FastifyInstance;
  let personId = '';

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false });
    proxied = await buildApp({ database, logger: false, trustProxy: ['127.0.0.1'], metricsToken: TOKEN });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: '330802000940001',
          household_type: '家庭户',
          address: '衢州市柯城区荷花街道 40 号',
          county_code: '330802',
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1958-04-05', 15),
          name: '龚建国',
          sex: '男',
          birth_date: '1958-04-05',
          legacy_hukou_type: '农业家庭户口',
          legacy_from: '1958-04-05',
          legacy_to: '2017-06-30',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: '330802' }, 'test');
    personId = household.members[0]!.person.id;
  });
  afterAll(async () => {
    await app.close();
    await proxied.close();
    await database.close();
  });

  it('sends the app policy, no framing, nosniff and no referrer on pages, API answers and errors', async () => {
    for (const url of [
      '/',
      '/console',
      '/healthz',
      '/api/v1/divisions/330802',
      '/api/v1/nothing',
      '/docs/',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      const policy = csp(res.headers['content-security-policy']);
      expect(policy.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(policy.get('script-src'), url).toEqual(["'self'"]);
      expect(policy.get('object-src'), url).toEqual(["'none'"]);
      expect(policy.get('style-src'), url).toEqual(["'self'", "'unsafe-inline'"]);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      // Plain HTTP: HSTS would be ignored, and must not pin a development server to https.
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('gives the verify page a policy without script, and PDFs one that lets the console frame them', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'sh-proof' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const token = String(issued.json().verifyUrl).split('/verify/')[1];
    const page = await app.inject({ method: 'GET', url: `/verify/${token}` });
    expect(page.statusCode).toBe(200);
    const policy = csp(page.headers['content-security-policy']);
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.has('script-src')).toBe(false);
    expect(page.headers['x-frame-options']).toBe('DENY');

    const pdf = await app.inject({
      method: 'GET',
      url: issued.json().pdfUrl,
      headers: await officerHeaders(app, OFFICER),
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-security-policy']).toBe("frame-ancestors 'self'");
    expect(pdf.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS over TLS as a trusted proxy says, never on a forwarded header nobody trusts', async () => {
    const overTls = { 'x-forwarded-proto': 'https' };
    const trusted = await proxied.inject({ method: 'GET', url: '/healthz', headers: overTls });
    expect(trusted.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const spoofed = await app.inject({ method: 'GET', url: '/healthz', headers: overTls });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    const elsewhere = await proxied.inject({
      method: 'GET',
      url: '/healthz',
      headers: overTls,
      remoteAddress: '198.51.100.9',
    });
    expect(elsewhere.headers['strict-transport-security']).toBeUndefined();
  });

  it("records the client's address a trusted proxy forwards, and only then", async () => {
    const failSignIn = (target: FastifyInstance, username: string) =>
      target.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: 'not-the-password' },
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
    expect((await failSignIn(proxied, 'behind.proxy')).statusCode).toBe(401);
    expect((await failSignIn(app, 'no.proxy')).statusCode).toBe(401);
    const addressOf = async (actor: string) =>
      (await listAuditEntries(database.db, { actor, limit: 5 })).items[0]?.sourceAddress;
    expect(await addressOf('behind.proxy')).toBe('203.0.113.7');
    expect(await addressOf('no.proxy')).toBe('127.0.0.1');
  });

  it('serves /metrics only with its bearer token, and not at all without one configured', async () => {
    const closed = await app.inject({ method: 'GET', url: '/metrics' });
    expect(closed.statusCode).toBe(404);
    expect(closed.body).not.toContain('huji_http');
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await proxied.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().code).toBe('HUJI_METRICS_TOKEN_REQUIRED');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).not.toContain('huji_http');
    }
    await proxied.inject({ method: 'GET', url: '/api/v1/divisions/330802' });
    const open = await proxied.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(open.statusCode).toBe(200);
    expect(open.headers['content-type']).toContain('text/plain');
    expect(open.body).toContain('route="/api/v1/divisions/:code"');
    expect(open.body).not.toContain('330802"');
  });

  it('tells a load balancer whether it is ready, and nothing about the database or the font files', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', database: { isReachable: true }, fonts: { isReady: true } });
    expect(Object.keys(body.database).sort()).toEqual(['isReachable', 'latencyMs']);
    expect(Object.keys(body.fonts)).toEqual(['isReady']);
    expect(res.body).not.toMatch(/pglite|postgres|snapshot|127\.0\.0\.1|node_modules|\.otf|\.ttf/i);
  });
});
