/**
 * The permission matrix (style.md): every officer route × every role, on the real database. A role the
 * table (src/accounts/roles.ts) allows gets past the check; any other gets 403; without a session, with
 * only the password step done, or with a timed-out session, 401. Officers of another county find
 * nothing (404), and city officers see their counties.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canPerform, ROLES, type Role } from '../../src/accounts/roles.js';
import { TRANSITIONS } from '../../src/services/workflow.js';
import { csrfTokenOf } from '../../src/accounts/secrets.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import {
  officerHeaders,
  provisionTestOfficers,
  signIn,
  TEST_OFFICER_PASSWORD,
  type TestOfficer,
} from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const officerOf = (role: Role, countyCode = '330802'): TestOfficer => ({
  id: `pm-${role}-${countyCode}`,
  countyCode,
  roles: [role],
});
const TARGET: TestOfficer = { id: 'pm-target', countyCode: '330802', roles: [] };
const HOUSEHOLD_NUMBER = '330802000900001';
const secretOf = (otpauthUri: string) => new URL(otpauthUri).searchParams.get('secret')!;

describe.each(testDatabases())('permission matrix on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let now = new Date();
  const ids = { person: '', household: '', document: '', account: '', application: '', material: '' };
  const residents = testResidents();
  /** What the holders' channel received (their phones), never the administrators. */
  const delivered: { mobile: string; username: string; password: string; otpauthUri?: string }[] = [];

  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      clock: () => now,
      residentIdentity: residents.provider,
      credentialChannel: {
        id: 'test-sms',
        deliver: async (mobile, message) => void delivered.push({ mobile, ...message }),
      },
    });
    const common = {
      household_number: HOUSEHOLD_NUMBER,
      household_type: '家庭户',
      address: '衢州市柯城区荷花街道 19 号',
      county_code: '330802',
    };
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          ...common,
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1970-03-04', 17),
          name: '矩阵',
          sex: '男',
          birth_date: '1970-03-04',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: '330802' }, 'test');
    ids.person = household.members[0]!.person.id;
    ids.household = household.household.id;
    await provisionTestOfficers(database.db, [TARGET], now);
    const me = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: TARGET.id, password: TEST_OFFICER_PASSWORD },
    });
    expect(me.statusCode).toBe(200);
    const accounts = await app.inject({
      method: 'GET',
      url: '/api/v1/accounts',
      headers: await officerHeaders(app, officerOf('system-admin')),
    });
    ids.account = accounts.json().items.find((a: { username: string }) => a.username === TARGET.id).id;
    const doc = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${ids.person}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, officerOf('registrar'))), 'idempotency-key': 'pm-doc' },
    });
    expect(doc.statusCode).toBe(201);
    ids.document = doc.json().documentId;
    // An application in 330802 (a proof of pre-reform hukou nature for the fixture person), with a material.
    const resident = await residents.headers(app, '13700000001');
    const applied = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...resident, 'idempotency-key': 'pm-apply' },
      payload: {
        typeId: 'legacy-nature-proof',
        form: {
          kind: 'legacy-nature-proof',
          applicant: { name: '矩阵', citizenId: composeCitizenId('330802', '1970-03-04', 17) },
        },
      },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    ids.application = applied.json().id;
    const uploaded = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${ids.application}/materials?key=nature-proof.id-card&fileName=id.pdf`,
      headers: { ...resident, 'idempotency-key': 'pm-upload', 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    ids.material = uploaded.json().id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** The URL of a route with its parameters filled by the 330802 fixtures. */
  const urlOf = (pattern: string) =>
    pattern
      .replace(/persons\/:id/, `persons/${ids.person}`)
      .replace(/households\/:id/, `households/${ids.household}`)
      .replace(/accounts\/:id/, `accounts/${ids.account}`)
      .replace(/applications\/:id/, `applications/${ids.application}`)
      .replace(/documents\/:id/, `documents/${ids.document}`)
      .replace(':materialId', ids.material)
      .replace(':documentId', ids.document)
      .replace(':number', HOUSEHOLD_NUMBER)
      .replace(':code', '330802')
      .replace(':file', `${ids.document}.pdf`)
      .concat(pattern === '/api/v1/register/persons' ? '?name=矩阵' : '');

  /** A body each POST accepts, so the answer is about who may call it, not about the body. */
  const payloadOf = (url: string) => {
    if (url.endsWith('/roles')) return { roles: [] };
    if (url.endsWith('/review')) return { recommendation: 'approve' };
    if (url.endsWith('/record-county-approval')) return { document: '衢柯政〔2026〕1号' };
    // The first role allowed revokes the document; the next hear it is already revoked (409).
    if (url.endsWith('/revoke')) return { reason: '权限矩阵测试' };
    if (url.endsWith('/refuse') || url.endsWith('/decline'))
      return {
        reason: {
          article: 'qz-final/1',
          quote: '有合法稳定住所（含租赁）的人员',
          explanation: { zh: '测试', en: 'test' },
        },
      };
    return {};
  };

  let keys = 0;
  const call = (route: { method: string; url: string }, headers: Record<string, string>) =>
    app.inject({
      method: route.method as 'GET' | 'POST' | 'PUT',
      url: urlOf(route.url),
      headers: { ...headers, 'idempotency-key': `pm-${++keys}` },
      ...(route.method === 'GET' ? {} : { payload: payloadOf(route.url) }),
    });

  const routes = () => app.hujiAccounts.officerRoutes;

  /** The workflow's own role check behind `application.act`: who may take the step in the path. */
  const workflowRoles = (url: string): readonly string[] | undefined => {
    const path = /^\/api\/v1\/applications\/:id\/([a-z-]+)$/.exec(url)?.[1];
    if (!path || path === 'applicant-id') return undefined;
    // The approval's preview runs the approval itself: the approval's roles.
    const action = path === 'approval-preview' ? 'approve' : path;
    return Object.values(TRANSITIONS).flatMap(
      (rules) => (rules as Record<string, { by: readonly string[] } | undefined>)[action]?.by ?? [],
    );
  };

  it('covers every register, document, account, application and statistics route of the API', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const guarded = new Set(routes().map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
    const expected = Object.entries(spec.paths).flatMap(([path, methods]) =>
      /^\/api\/v1\/(register|documents|accounts|applications|stats)/.test(path)
        ? Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`)
        : [],
    );
    expect(expected.length).toBeGreaterThan(25);
    for (const route of expected) expect(guarded, route).toContain(route);
  });

  it('refuses every officer route without a session, and after the password step alone', async () => {
    const challenge = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: TARGET.id, password: TEST_OFFICER_PASSWORD },
      })
    ).json().challenge as string;
    for (const route of routes()) {
      const anonymous = await call(route, {});
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(anonymous.json().code).toBe('HUJI_OFFICER_REQUIRED');
      // Even with the CSRF token such a cookie would have, the challenge is no session.
      const halfway = await call(route, {
        cookie: `__Host-huji_session=${challenge}`,
        'x-csrf-token': csrfTokenOf(challenge),
      });
      expect(halfway.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it.each(ROLES)('lets a %s do exactly what the table allows', async (role) => {
    const headers = await officerHeaders(app, officerOf(role));
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    for (const route of routes()) {
      const res = await call(route, headers);
      const where = `${role}: ${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
      const steps = workflowRoles(route.url);
      if (canPerform([role], route.action) && steps && !steps.includes(role)) {
        // Past the route check, the workflow table refuses a step the role never takes.
        expect(res.statusCode, where).toBe(403);
        expect(res.json().code, where).toBe('HUJI_APPLICATION_ROLE');
      } else if (canPerform([role], route.action)) {
        expect([401, 403], where).not.toContain(res.statusCode);
        expect(res.statusCode, where).toBeLessThan(500);
      } else {
        expect(res.statusCode, where).toBe(403);
        expect(res.json().code, where).toBe('HUJI_FORBIDDEN');
      }
    }
  });

  it('answers 404 to officers of another county, for every route that names a record', async () => {
    const officers: TestOfficer[] = [
      { id: 'pm-registrar-qj', countyCode: '330803', roles: ['registrar'] },
      { id: 'pm-system-lz', countyCode: '620100', roles: ['system-admin'] },
      { id: 'pm-security-lz', countyCode: '620100', roles: ['security-admin'] },
      { id: 'pm-audit-lz', countyCode: '620100', roles: ['audit-admin'] },
    ];
    let checked = 0;
    for (const officer of officers) {
      const headers = await officerHeaders(app, officer);
      for (const route of routes()) {
        if (!/:(id|number|code|file)/.test(route.url) || !canPerform(officer.roles!, route.action)) continue;
        const res = await call(route, headers);
        expect(res.statusCode, `${officer.id}: ${route.method} ${route.url}`).toBe(404);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    const qj = await officerHeaders(app, officers[0]!);
    const search = await app.inject({
      method: 'GET',
      url: '/api/v1/register/persons?name=矩阵',
      headers: qj,
    });
    expect(search.json().items).toEqual([]);
    const moveOut = await app.inject({
      method: 'POST',
      url: '/api/v1/register/move-out',
      headers: { ...qj, 'idempotency-key': 'pm-cross' },
      payload: { personId: ids.person, toDivision: '110105', effectiveDate: '2025-01-01' },
    });
    expect(moveOut.statusCode).toBe(404);
    // The dashboard names its area in the query: another county's figures answer 404 as well.
    const figures = await app.inject({
      method: 'GET',
      url: '/api/v1/stats/dashboard?county=330802',
      headers: qj,
    });
    expect(figures.statusCode).toBe(404);
    // Duplicate-pair review names its persons in the body: another county's answer 404 before anything
    // is said of them, where the county's own registrar hears why the pair is refused.
    const pair = { a: ids.person, b: ids.person, verdict: 'duplicate', note: '同一条登记' };
    const reviewUrl = '/api/v1/register/duplicates/review';
    const foreign = await app.inject({
      method: 'POST',
      url: reviewUrl,
      headers: { ...qj, 'idempotency-key': 'pm-review-qj' },
      payload: pair,
    });
    expect(foreign.statusCode).toBe(404);
    const own = await app.inject({
      method: 'POST',
      url: reviewUrl,
      headers: { ...(await officerHeaders(app, officerOf('registrar'))), 'idempotency-key': 'pm-review-kc' },
      payload: pair,
    });
    expect(own.json().code).toBe('HUJI_DUPLICATE_SAME_RECORD');
  });

  it('keeps the three administrators apart on every account path (no secret reaches another administrator)', async () => {
    const admins = {
      system: officerOf('system-admin', '330800'),
      security: officerOf('security-admin', '330800'),
      audit: officerOf('audit-admin', '330800'),
    };
    const system = await officerHeaders(app, admins.system);
    const security = await officerHeaders(app, admins.security);
    await officerHeaders(app, admins.audit);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/accounts', headers: system })).json();
    const idOf = (username: string) =>
      (list.items as { id: string; username: string }[]).find((a) => a.username === username)!.id;
    const post = (url: string, headers: Record<string, string>, payload: object = {}, method = 'POST') =>
      app.inject({ method: method as 'POST' | 'PUT', url, headers, payload });

    // The system administrator can neither reset nor switch off another administrator online.
    for (const other of [admins.audit, admins.security]) {
      const id = idOf(other.id);
      for (const body of [{}, { newSecondFactor: true }]) {
        const reset = await post(`/api/v1/accounts/${id}/reset`, system, body);
        expect(reset.statusCode, reset.body).toBe(403);
        expect(reset.json().code).toBe('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
        expect(reset.body).not.toMatch(/initialPassword|totpSecret|otpauth/);
      }
      const off = await post(`/api/v1/accounts/${id}/disable`, system);
      expect(off.json().code).toBe('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
    }
    // The security administrator cannot give an administrator a business role, nor anyone a duty.
    const onAudit = await post(
      `/api/v1/accounts/${idOf(admins.audit.id)}/roles`,
      security,
      { roles: ['audit-admin', 'registrar'] },
      'PUT',
    );
    expect(onAudit.statusCode).toBe(422);
    expect(onAudit.json().code).toBe('HUJI_ADMIN_ROLE_ALONE');
    const strip = await post(
      `/api/v1/accounts/${idOf(admins.audit.id)}/roles`,
      security,
      { roles: ['registrar'] },
      'PUT',
    );
    expect(strip.json().code).toBe('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
    const promote = await post(
      `/api/v1/accounts/${ids.account}/roles`,
      security,
      { roles: ['system-admin'] },
      'PUT',
    );
    expect(promote.json().code).toBe('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
    const makeAdmin = await post('/api/v1/accounts', security, {
      username: 'pm-new-admin',
      displayName: '新管理员',
      countyCode: '330800',
      mobile: '13800000077',
      roles: ['audit-admin'],
    });
    expect(makeAdmin.json().code).toBe('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
    await expect(
      database.db.execute(
        sql`update officer_account set roles = array['security-admin','registrar'] where username = ${admins.security.id}`,
      ),
    ).rejects.toThrow();

    // A registrar made by the security administrator: its secrets go to the holder's phone only, and it
    // stays disabled until the system administrator (a second person) enables it.
    const created = await post('/api/v1/accounts', security, {
      username: 'pm-new-registrar',
      displayName: '新民警',
      countyCode: '330802',
      mobile: '13800000078',
      roles: ['registrar'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toMatch(/initialPassword|totpSecret|otpauth|\$argon2/);
    expect(created.json()).toMatchObject({
      deliveredTo: '138****0078',
      account: { isEnabled: false, mobile: '138****0078', roles: ['registrar'] },
    });
    const message = delivered.find((d) => d.username === 'pm-new-registrar')!;
    expect(message.mobile).toBe('13800000078');
    expect(created.body).not.toContain(message.password);
    const early = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'pm-new-registrar', password: message.password },
    });
    expect(early.json().code).toBe('HUJI_ACCOUNT_DISABLED');
    const newId = created.json().account.id as string;
    expect((await post(`/api/v1/accounts/${newId}/enable`, security)).json().code).toBe('HUJI_FORBIDDEN');
    expect((await post(`/api/v1/accounts/${newId}/enable`, system)).json().isEnabled).toBe(true);
    const holder = await signIn(
      app,
      { username: 'pm-new-registrar', password: message.password, totpSecret: secretOf(message.otpauthUri!) },
      { now },
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: holder })).statusCode).toBe(
      200,
    );

    // The system administrator's reset of a business account: the new secret goes to the holder too.
    const before = delivered.length;
    const reset = await post(`/api/v1/accounts/${newId}/reset`, system, { newSecondFactor: true });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toEqual({ deliveredTo: '138****0078', newSecondFactor: true });
    expect(delivered.length).toBe(before + 1);
    expect(delivered.at(-1)).toMatchObject({ mobile: '13800000078', username: 'pm-new-registrar' });
    expect(reset.body).not.toContain(delivered.at(-1)!.password);
    // An account with no number of its holder is reset on the host only.
    const noChannel = await post(`/api/v1/accounts/${ids.account}/reset`, system);
    expect(noChannel.json().code).toBe('HUJI_ACCOUNT_NO_CHANNEL');

    // Every one of these changes, refused or done, is in the audit trail with its actor and account.
    const audit = await officerHeaders(app, admins.audit);
    const trail = await app.inject({
      method: 'GET',
      url: `/api/v1/audit/entries?action=account.reset&limit=100`,
      headers: audit,
    });
    expect(trail.statusCode, trail.body).toBe(200);
    const entries = trail.json().items as { objectId: string; outcome: string; actorId: string }[];
    expect(entries.some((e) => e.objectId === newId && e.outcome === 'success')).toBe(true);
    expect(entries.some((e) => e.objectId === idOf(admins.audit.id) && e.outcome === 'refused')).toBe(true);
  });

  it('lets a city officer see the counties of the city', async () => {
    const city = await officerHeaders(app, officerOf('registrar', '330800'));
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons/${ids.person}`,
      headers: city,
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses every officer route once the session has timed out', async () => {
    const headers = await officerHeaders(app, officerOf('registrar'));
    now = new Date(now.getTime() + 31 * 60_000);
    for (const route of routes()) {
      const res = await call(route, headers);
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});
