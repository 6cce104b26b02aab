/**
 * The audit trail (security.md § Audit) on the real database: sign-ins, reads, refusals and resident
 * requests become entries with actor, role, object and request id; only the audit administrator lists
 * them; the verifier finds an untouched log intact and notices an edited, a removed and two swapped
 * entries (tampered through SQL with the append-only trigger bypassed, as an attacker holding the
 * database could); concurrent requests and writers make one valid chain in few transactions.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneCodeProvider } from '../../src/accounts/resident-identity.js';
import { AuditWriter, listAuditEntries, verifyAuditLog } from '../../src/audit/audit-log.js';
import type { AuditEntry } from '../../src/audit/chain.js';
import { rowsOf, type DatabaseHandle, type DbExecutor } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { base32Decode, totpAt } from '../../src/accounts/totp.js';
import {
  officerHeaders,
  provisionTestOfficers,
  TEST_OFFICER_PASSWORD,
  testTotpSecret,
  type TestOfficer,
} from '../support/officer.js';

const REGISTRAR: TestOfficer = { id: 'au-registrar', countyCode: '330802', roles: ['registrar'] };
const REVIEWER: TestOfficer = { id: 'au-reviewer', countyCode: '330802', roles: ['reviewer'] };
const AUDITOR: TestOfficer = { id: 'au-auditor', countyCode: '330800', roles: ['audit-admin'] };
const SYSTEM_ADMIN: TestOfficer = { id: 'au-sysadmin', countyCode: '330800', roles: ['system-admin'] };
const SECURITY_ADMIN: TestOfficer = { id: 'au-secadmin', countyCode: '330800', roles: ['security-admin'] };
const CONCURRENT: TestOfficer = { id: 'au-busy', countyCode: '330803', roles: ['registrar'] };

/** Entries in the database, newest first (straight from the table, not through the API under test). */
async function entries(db: DbExecutor, filter: Parameters<typeof listAuditEntries>[1] = {}) {
  return (await listAuditEntries(db, { limit: 500, ...filter })).items;
}

/** Runs SQL with the append-only trigger bypassed, as someone holding the database could. */
async function tamper(db: DbExecutor, ...statements: ReturnType<typeof sql>[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const statement of statements) await tx.execute(statement);
  });
}

describe.each(testDatabases())('audit trail on $name', ({ name, open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const suite = name === 'pglite' ? 'gm' : 'international';
  const inbox = new Map<string, string>();
  let personId = '';

  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      cryptoSuite: suite,
      residentIdentity: phoneCodeProvider('test-phone', (phone, code) => inbox.set(phone, code)),
    });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: '330802000950001',
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 5 号',
          county_code: '330802',
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1980-05-06', 32),
          name: '审计',
          sex: '女',
          birth_date: '1980-05-06',
        },
      },
    ]);
    const imported = await importHousehold(
      database.db,
      household,
      { id: 'import', countyCode: '330802' },
      'test',
    );
    expect(imported.status).not.toBe('rejected');
    personId = household.members[0]!.person.id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('records sign-in failures and successes, with the username tried', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'Nobody.Here', password: 'not-the-password' },
      headers: { 'x-request-id': 'au-login-wrong' },
    });
    expect(wrong.statusCode).toBe(401);
    const [failure] = await entries(database.db, { actor: 'nobody.here' });
    expect(failure).toMatchObject({
      chain: 'anonymous',
      actorKind: 'anonymous',
      action: 'POST /api/v1/auth/login',
      outcome: 'refused',
      status: 401,
      requestId: 'au-login-wrong',
      sourceAddress: '127.0.0.1',
      details: { username: 'nobody.here', code: 'HUJI_SIGN_IN_FAILED' },
      suite,
    });
    expect(JSON.stringify(failure)).not.toContain('not-the-password');

    await officerHeaders(app, REGISTRAR);
    const mine = await entries(database.db, { actor: REGISTRAR.id });
    const totp = mine.find((e) => e.action === 'POST /api/v1/auth/totp');
    const login = mine.find((e) => e.action === 'POST /api/v1/auth/login');
    expect(login).toMatchObject({
      actorKind: 'anonymous',
      outcome: 'success',
      details: { username: REGISTRAR.id },
    });
    expect(totp).toMatchObject({
      chain: '330802',
      actorKind: 'officer',
      roles: ['registrar'],
      outcome: 'success',
      status: 200,
      details: { username: REGISTRAR.id },
    });
    expect(totp!.actorId).toMatch(/^[0-9a-f-]{36}$/);

    // A wrong authenticator code after a right password: refused, attributed to the username only.
    const step1 = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: REGISTRAR.id, password: TEST_OFFICER_PASSWORD },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp',
      payload: { challenge: step1.json().challenge, code: '000000' },
      headers: { 'x-request-id': 'au-totp-wrong' },
    });
    const [badCode] = await entries(database.db, { action: 'POST /api/v1/auth/totp', outcome: 'refused' });
    expect(badCode).toMatchObject({
      chain: 'anonymous',
      actorKind: 'anonymous',
      requestId: 'au-totp-wrong',
      details: { username: REGISTRAR.id, code: 'HUJI_SECOND_FACTOR_FAILED' },
    });
    expect(JSON.stringify(badCode)).not.toContain(step1.json().challenge as string);
  });

  it('records a register read by a registrar with actor, role, object and request id', async () => {
    const headers = await officerHeaders(app, REGISTRAR);
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons/${personId}`,
      headers: { ...headers, 'x-request-id': 'au-read-1' },
    });
    expect(read.statusCode, read.body).toBe(200);
    const [entry] = await entries(database.db, { objectId: personId });
    expect(entry).toMatchObject({
      chain: '330802',
      actorKind: 'officer',
      roles: ['registrar'],
      action: 'register.read',
      objectType: 'person',
      objectId: personId,
      outcome: 'success',
      status: 200,
      requestId: 'au-read-1',
      sourceAddress: '127.0.0.1',
      details: { username: REGISTRAR.id },
    });
    // The session token and CSRF token never reach the trail.
    const all = JSON.stringify(await entries(database.db));
    expect(all).not.toContain(headers['x-csrf-token']!);
    expect(all).not.toContain(headers.cookie!.split('=')[1]!);
  });

  it('records a 403 and a 401 as refused access-control decisions', async () => {
    const headers = await officerHeaders(app, REVIEWER);
    const denied = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons/${personId}/citizen-id`,
      headers: { ...headers, 'x-request-id': 'au-denied' },
    });
    expect(denied.statusCode).toBe(403);
    const [refusal] = await entries(database.db, { outcome: 'refused', action: 'register.read-full-id' });
    expect(refusal).toMatchObject({
      actorKind: 'officer',
      roles: ['reviewer'],
      objectType: 'person',
      objectId: personId,
      status: 403,
      requestId: 'au-denied',
      details: { username: REVIEWER.id, code: 'HUJI_FORBIDDEN' },
    });
    const anonymous = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons/${personId}`,
      headers: { 'x-request-id': 'au-no-session' },
    });
    expect(anonymous.statusCode).toBe(401);
    const [stranger] = (await entries(database.db, { chain: 'anonymous' })).filter(
      (e) => e.requestId === 'au-no-session',
    );
    expect(stranger).toMatchObject({
      actorKind: 'anonymous',
      action: 'register.read',
      outcome: 'refused',
      status: 401,
      details: { code: 'HUJI_OFFICER_REQUIRED' },
    });
  });

  it('records resident sign-in, their requests and sign-out, and not public routes', async () => {
    const phone = '13612345678';
    const start = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/start',
      payload: { phone },
    });
    const { challenge } = start.json();
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/verify',
      payload: { challenge, code: inbox.get(phone) === '000000' ? '111111' : '000000' },
    });
    expect(wrong.statusCode).toBe(401);
    const verify = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/verify',
      payload: { challenge, code: inbox.get(phone) },
    });
    expect(verify.statusCode).toBe(200);
    const headers = {
      cookie: String(verify.headers['set-cookie']).split(';')[0]!,
      'x-csrf-token': verify.json().csrfToken as string,
    };
    await app.inject({ method: 'GET', url: '/api/v1/resident-auth/me', headers });
    await app.inject({ method: 'GET', url: '/api/v1/divisions/330802', headers });
    await app.inject({ method: 'POST', url: '/api/v1/resident-auth/logout', headers });
    const resident = await entries(database.db, { chain: 'resident' });
    expect(resident.map((e) => `${e.action} ${e.outcome}`).reverse()).toEqual([
      'POST /api/v1/resident-auth/verify success',
      'GET /api/v1/resident-auth/me success',
      'POST /api/v1/resident-auth/logout success',
    ]);
    expect(resident.every((e) => e.actorId === `test-phone:${phone}` && e.actorKind === 'resident')).toBe(
      true,
    );
    const attempts = await entries(database.db, { actor: phone });
    expect(attempts.map((e) => `${e.action} ${e.outcome}`).sort()).toEqual([
      'POST /api/v1/resident-auth/start success',
      'POST /api/v1/resident-auth/verify refused',
    ]);
    expect(JSON.stringify(await entries(database.db))).not.toContain(inbox.get(phone)!);
    expect((await entries(database.db, { objectType: 'division' })).length).toBe(0);
  });

  it('lets only the audit administrator list entries, and records the reading', async () => {
    for (const officer of [REGISTRAR, SYSTEM_ADMIN, SECURITY_ADMIN]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/audit/entries',
        headers: await officerHeaders(app, officer),
      });
      expect(res.statusCode, officer.id).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/entries' })).statusCode).toBe(401);
    const headers = await officerHeaders(app, AUDITOR);
    const page1 = await app.inject({
      method: 'GET',
      url: `/api/v1/audit/entries?actor=${REGISTRAR.id}&limit=2`,
      headers,
    });
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json<{ items: AuditEntry[]; nextCursor: string }>();
    expect(body1.items).toHaveLength(2);
    expect(body1.nextCursor).toEqual(expect.any(String));
    const page2 = await app.inject({
      method: 'GET',
      url: `/api/v1/audit/entries?actor=${REGISTRAR.id}&limit=2&cursor=${body1.nextCursor}`,
      headers,
    });
    const body2 = page2.json<{ items: AuditEntry[] }>();
    const seen = [...body1.items, ...body2.items];
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    // Newest first across both pages.
    const times = seen.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/audit/entries?cursor=not-a-cursor',
          headers,
        })
      ).json().code,
    ).toBe('HUJI_AUDIT_CURSOR_INVALID');
    const reads = await entries(database.db, { action: 'audit.read', outcome: 'success' });
    expect(reads[0]).toMatchObject({
      chain: '330800',
      roles: ['audit-admin'],
      details: { username: AUDITOR.id },
    });
    const refused = await entries(database.db, { action: 'audit.read', outcome: 'refused' });
    const officers = refused.filter((e) => e.status === 403);
    expect(officers.map((e) => (e.details as { username?: string } | null)?.username).sort()).toEqual(
      [REGISTRAR.id, SECURITY_ADMIN.id, SYSTEM_ADMIN.id].sort(),
    );
  });

  it('finds the untouched log intact through the API', async () => {
    const headers = await officerHeaders(app, AUDITOR);
    const res = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers, payload: {} });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ isIntact: true, problemCount: 0 });
    expect(report.chains.map((c: { chain: string }) => c.chain)).toEqual(
      expect.arrayContaining(['330802', '330800', 'anonymous', 'resident']),
    );
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      headers: await officerHeaders(app, REGISTRAR),
      payload: {},
    });
    expect(denied.statusCode).toBe(403);
  });

  it('detects an edited, a removed and two swapped entries', async () => {
    const writer = new AuditWriter(database.db, { suite });
    for (const county of ['110101', '110102', '110105'])
      for (let i = 1; i <= 6; i++)
        await writer.record({
          actorKind: 'officer',
          actorId: `officer-${county}`,
          countyCode: county,
          roles: ['registrar'],
          action: 'register.read',
          objectType: 'person',
          objectId: `p-${i}`,
          outcome: 'success',
          status: 200,
          requestId: `t-${county}-${i}`,
        });
    await writer.close();
    expect((await verifyAuditLog(database.db)).isIntact).toBe(true);

    await tamper(
      database.db,
      sql`update audit_entry set outcome = 'refused' where chain = '110101' and seq = 3`,
      sql`delete from audit_entry where chain = '110102' and seq = 3`,
      sql`update audit_entry set seq = -3 where chain = '110105' and seq = 3`,
      sql`update audit_entry set seq = 3 where chain = '110105' and seq = 4`,
      sql`update audit_entry set seq = 4 where chain = '110105' and seq = -3`,
    );
    // Pages of 3 put the swapped pair across a page boundary.
    const report = await verifyAuditLog(database.db, { pageSize: 3 });
    expect(report.isIntact).toBe(false);
    const byChain = (chain: string) => report.chains.find((c) => c.chain === chain)!.problems;
    expect(byChain('110101')).toEqual([{ chain: '110101', seq: 3, kind: 'edited' }]);
    expect(byChain('110102')).toEqual([{ chain: '110102', seq: 3, kind: 'removed', count: 1 }]);
    expect(byChain('110105')).toEqual([
      { chain: '110105', seq: 3, kind: 'reordered', movedFrom: 4 },
      { chain: '110105', seq: 4, kind: 'reordered', movedFrom: 3 },
    ]);
    expect(report.chains.filter((c) => !c.isIntact).map((c) => c.chain)).toEqual([
      '110101',
      '110102',
      '110105',
    ]);
    const one = await verifyAuditLog(database.db, { chain: '110102' });
    expect(one.chains).toHaveLength(1);
    expect(one.isIntact).toBe(false);

    const api = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      headers: await officerHeaders(app, AUDITOR),
      payload: { chain: '110101' },
    });
    expect(api.json()).toMatchObject({
      isIntact: false,
      chains: [{ chain: '110101', problems: [{ seq: 3, kind: 'edited' }] }],
    });
  });

  it('refuses UPDATE and DELETE of entries while the trigger is on', async () => {
    await expect(
      database.db.execute(sql`delete from audit_entry where chain = 'anonymous'`),
    ).rejects.toThrow();
    await expect(database.db.execute(sql`update audit_entry set action = 'x'`)).rejects.toThrow();
  });

  it('turns 200 concurrent requests into 200 entries of one valid chain', async () => {
    const headers = await officerHeaders(app, CONCURRENT);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        app.inject({
          method: 'GET',
          url: '/api/v1/register/persons?name=审计',
          headers: { ...headers, 'x-request-id': `au-busy-${i}` },
        }),
      ),
    );
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const chain = await entries(database.db, { chain: '330803', action: 'register.read' });
    expect(chain.filter((e) => e.requestId?.startsWith('au-busy-'))).toHaveLength(200);
    const report = await verifyAuditLog(database.db, { chain: '330803' });
    expect(report.isIntact).toBe(true);
    expect(report.entries).toBe(report.chains[0]!.head!.seq);
  });

  it('answers 503 without a session cookie when the entry cannot be written', async () => {
    const other = await buildApp({ database, logger: false, cryptoSuite: suite });
    try {
      const officer: TestOfficer = { id: 'au-unavailable', countyCode: '330802' };
      await provisionTestOfficers(database.db, [officer]);
      const login = await other.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: officer.id, password: TEST_OFFICER_PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      // A closed writer refuses every entry, as a database that cannot write would.
      await other.hujiAudit.writer.close();
      const code = totpAt(base32Decode(testTotpSecret(officer)), new Date());
      const totp = await other.inject({
        method: 'POST',
        url: '/api/v1/auth/totp',
        payload: { challenge: login.json().challenge, code },
        headers: { 'x-request-id': 'au-unavailable' },
      });
      expect(totp.statusCode).toBe(503);
      expect(totp.json()).toMatchObject({ code: 'HUJI_AUDIT_UNAVAILABLE' });
      expect(totp.headers['set-cookie']).toBeUndefined();
      expect(totp.body).not.toContain('csrfToken');
    } finally {
      await other.close();
    }
  });

  it('writes a burst in a few transactions, and two writers share a chain safely', async () => {
    let transactions = 0;
    const counting: DbExecutor = {
      select: database.db.select.bind(database.db),
      insert: database.db.insert.bind(database.db),
      update: database.db.update.bind(database.db),
      delete: database.db.delete.bind(database.db),
      execute: database.db.execute.bind(database.db),
      transaction: ((work: Parameters<DbExecutor['transaction']>[0]) => {
        transactions++;
        return database.db.transaction(work);
      }) as DbExecutor['transaction'],
    };
    const a = new AuditWriter(counting, { suite });
    const b = new AuditWriter(database.db, { suite });
    const record = (w: AuditWriter, i: number) =>
      w.record({
        actorKind: 'system',
        actorId: 'burst',
        action: 'test.burst',
        outcome: 'success',
        requestId: `b-${i}`,
      });
    await Promise.all(Array.from({ length: 300 }, (_, i) => record(i % 2 === 0 ? a : b, i)));
    await Promise.all([a.close(), b.close()]);
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThanOrEqual(5);
    const [{ n }] = rowsOf<{ n: string | number }>(
      await database.db.execute(
        sql`select count(*) as n from audit_entry where chain = 'system' and action = 'test.burst'`,
      ),
    ) as [{ n: string | number }];
    expect(Number(n)).toBe(300);
    expect((await verifyAuditLog(database.db, { chain: 'system' })).isIntact).toBe(true);
  });
});
