/**
 * Revoking an issued document (作废) end to end, on PGlite and PostgreSQL: a proof issued through the API
 * verifies as genuine; an officer of the county revokes it with a reason; the public verify page then
 * says "genuine but revoked" with the date (never the reason or the officer); a retry with the same
 * Idempotency-Key gets the same answer and revokes nothing twice; a second revocation is 409; a short
 * reason, a missing key, an officer of another county and a role without `document.revoke` change
 * nothing; a revocation that starts while another is uncommitted waits for it (row lock) and is
 * refused. Then `huji documents revoke` as an operator runs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { auditEntry, issuedDocument, officerAccount } from '../../src/db/schema.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { HujiError } from '../../src/errors/huji-error.js';
import { checkDocumentToken, issueLegacyHukouNatureProof } from '../../src/register/issue-document.js';
import { revokeDocument } from '../../src/register/revoke-document.js';
import { buildApp } from '../../src/server/app.js';
import { todayInChina } from '../../src/standards/calendar.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { runHujiInProcess } from '../support/huji-cli.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const REGISTRAR: TestOfficer = { id: 'rev-kc', countyCode: '330802', roles: ['registrar'] };
const QUJIANG: TestOfficer = { id: 'rev-qj', countyCode: '330803', roles: ['registrar'] };
const REVIEWER: TestOfficer = { id: 'rev-reviewer', countyCode: '330802', roles: ['reviewer'] };
/** The application clock at the revocation: 2027-01-15 10:00 in China. */
const REVOKED_AT = new Date('2027-01-15T02:00:00.000Z');

/** A household of one in 柯城区 (330802), as the other register suites import it. */
function household(number: string, sequence: number) {
  const { household: imported, problems } = householdFromRows([
    {
      line: 2,
      values: {
        household_number: number,
        household_type: '家庭户',
        address: '衢州市柯城区荷花街道 21 号',
        county_code: '330802',
        relationship: '户主',
        citizen_id: composeCitizenId('330802', '1961-02-03', sequence),
        name: '作废',
        sex: '男',
        birth_date: '1961-02-03',
        legacy_hukou_type: '农业家庭户口',
        legacy_from: '1961-02-03',
        legacy_to: '2017-06-30',
      },
    },
  ]);
  expect(problems).toEqual([]);
  return imported;
}

describe.each(testDatabases())('document revocation on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let now = new Date();
  let personId = '';

  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      publicUrl: 'https://huji.example.gov.cn',
      clock: () => now,
    });
    const imported = household('330802000700001', 13);
    await importHousehold(database.db, imported, { id: 'import', countyCode: '330802' }, 'test');
    personId = imported.members[0]!.person.id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  let issued = 0;
  /** Issues a proof of pre-reform hukou nature through the API: its id and its verify token. */
  const issue = async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, REGISTRAR)), 'idempotency-key': `rev-issue-${++issued}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json<{ documentId: string; verifyUrl: string }>();
    return { id: doc.documentId, token: doc.verifyUrl.split('/verify/')[1]! };
  };

  const revoke = async (
    id: string,
    officer: TestOfficer,
    options: { key?: string; reason?: string; language?: string } = {},
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/documents/${id}/revoke`,
      headers: {
        ...(await officerHeaders(app, officer)),
        ...(options.key === undefined ? {} : { 'idempotency-key': options.key }),
        ...(options.language === undefined ? {} : { 'accept-language': options.language }),
      },
      payload: { reason: options.reason ?? '户主姓名登记有误，已重新开具' },
    });

  const verify = (token: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/verify/${token}`, headers });
  const statusOf = async (token: string) =>
    (await verify(token, { accept: 'application/json' })).json<{ status: string }>().status;

  const rowOf = async (id: string) =>
    (await database.db.select().from(issuedDocument).where(eq(issuedDocument.id, id)))[0]!;
  const accountIdOf = async (officer: TestOfficer) =>
    (
      await database.db
        .select({ id: officerAccount.id })
        .from(officerAccount)
        .where(eq(officerAccount.username, officer.id))
    )[0]!.id;

  it('revokes a genuine document once; the verify page then says revoked, with the date only', async () => {
    const doc = await issue();
    expect(await statusOf(doc.token)).toBe('genuine');
    const before = await verify(doc.token);
    expect(before.body).toContain('真实有效');
    expect(before.body).not.toContain('作废日期');

    now = REVOKED_AT;
    const res = await revoke(doc.id, REGISTRAR, { key: 'rev-1', reason: '  户主姓名登记有误，已重新开具  ' });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    expect(answer).toEqual({
      id: doc.id,
      kind: 'legacy-hukou-nature-proof',
      revokedAt: REVOKED_AT.toISOString(),
      reason: '户主姓名登记有误，已重新开具',
    });
    const row = await rowOf(doc.id);
    expect(row.revokedAt?.toISOString()).toBe(REVOKED_AT.toISOString());
    expect(row.revokedBy).toBe(await accountIdOf(REGISTRAR));
    expect(row.revocationReason).toBe('户主姓名登记有误，已重新开具');
    const audited = await database.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'document.revoke'), eq(auditEntry.objectId, doc.id)));
    expect(audited).toMatchObject([{ objectType: 'document', outcome: 'success', status: 200 }]);

    const json = (await verify(doc.token, { accept: 'application/json' })).json();
    expect(json).toMatchObject({
      status: 'revoked',
      documentId: doc.id,
      revokedAt: REVOKED_AT.toISOString(),
    });
    expect(JSON.stringify(json)).not.toContain('重新开具');
    const zh = await verify(doc.token);
    expect(zh.body).toContain('data-status="revoked"');
    expect(zh.body).toContain('真实，但已作废');
    expect(zh.body).toMatch(/作废日期<\/th><td>2027年1月15日</);
    const en = await verify(doc.token, { 'accept-language': 'en' });
    expect(en.body).toMatch(/Revoked on<\/th><td>2027-01-15</);
    for (const page of [zh.body, en.body]) {
      expect(page).not.toContain('重新开具');
      expect(page).not.toContain(REGISTRAR.id);
      expect(page).not.toContain(row.revokedBy!);
    }

    // The same key again, later: the first answer, and the revocation is not written again.
    now = new Date(REVOKED_AT.getTime() + 3_600_000);
    const replay = await revoke(doc.id, REGISTRAR, {
      key: 'rev-1',
      reason: '  户主姓名登记有误，已重新开具  ',
    });
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(answer);
    expect((await rowOf(doc.id)).revokedAt?.toISOString()).toBe(REVOKED_AT.toISOString());

    // A new key: the document is already revoked, in Chinese first and in English on request.
    const again = await revoke(doc.id, REGISTRAR, { key: 'rev-2' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({
      code: 'HUJI_DOCUMENT_ALREADY_REVOKED',
      detail: `文书 ${doc.id} 已于 2027-01-15 作废，不能再次作废。`,
    });
    const againEn = await revoke(doc.id, REGISTRAR, { key: 'rev-3', language: 'en' });
    expect(againEn.json().detail).toBe(
      `Document ${doc.id} was already revoked on 2027-01-15; it cannot be revoked again.`,
    );
    const final = await rowOf(doc.id);
    expect(final.revokedAt?.toISOString()).toBe(REVOKED_AT.toISOString());
    expect(final.revocationReason).toBe('户主姓名登记有误，已重新开具');
  });

  it('refuses a short reason, a missing key, another county and a role without document.revoke', async () => {
    const doc = await issue();
    const short = await revoke(doc.id, REGISTRAR, { key: 'rev-short', reason: ' 错 ' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'HUJI_VALIDATION', errors: [{ path: 'body.reason' }] });
    const long = await revoke(doc.id, REGISTRAR, { key: 'rev-long', reason: '错'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].path).toBe('body.reason');

    const keyless = await revoke(doc.id, REGISTRAR);
    expect(keyless.statusCode).toBe(400);
    expect(keyless.json().code).toBe('HUJI_IDEMPOTENCY_KEY_REQUIRED');

    // Another county's officer hears nothing of the document, as for an id that was never issued.
    const foreign = await revoke(doc.id, QUJIANG, { key: 'rev-qj' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('HUJI_REGISTER_OUT_OF_JURISDICTION');
    const unknown = await revoke('00000000-0000-4000-8000-000000000000', REGISTRAR, { key: 'rev-none' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe(foreign.json().code);

    const reviewer = await revoke(doc.id, REVIEWER, { key: 'rev-reviewer' });
    expect(reviewer.statusCode).toBe(403);
    expect(reviewer.json().code).toBe('HUJI_FORBIDDEN');

    const row = await rowOf(doc.id);
    expect([row.revokedAt, row.revokedBy, row.revocationReason]).toEqual([null, null, null]);
    expect(await statusOf(doc.token)).toBe('genuine');
  });

  it('writes once when a second revocation starts while the first is not yet committed', async () => {
    const doc = await issue();
    const officer = { id: await accountIdOf(REGISTRAR), countyCode: '330802' };
    // The first revocation has written its row and holds its transaction open; the second starts then.
    // With the row lock it waits, and reads the committed revocation (409); without it, it would read
    // the row as not revoked and overwrite the first (on PGlite the transactions run one after the other).
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let hasWritten = () => {};
    const written = new Promise<void>((resolve) => (hasWritten = resolve));
    const first = database.db.transaction(async (tx) => {
      const revoked = await revokeDocument(tx, {
        documentId: doc.id,
        officer,
        reason: '第一位经办人作废',
        now,
      });
      hasWritten();
      await held;
      return revoked;
    });
    await written;
    const second = database.db
      .transaction((tx) =>
        revokeDocument(tx, { documentId: doc.id, officer, reason: '第二位经办人作废', now }),
      )
      .then(
        () => 'revoked',
        (error: unknown) => (error instanceof HujiError ? error.code : String(error)),
      );
    // PostgreSQL: the second is seen waiting on the row lock at its read (SELECT … FOR UPDATE), not at
    // its write, before the first commits: that is the lock, proven. PGlite has one connection, so the
    // second transaction starts only after the first ends; there is nothing to wait for.
    if (database.kind === 'postgres')
      expect(await lockWaiterQuery(database)).toMatch(/^select[\s\S]*for update$/i);
    release();
    expect((await first).reason).toBe('第一位经办人作废');
    expect(await second).toBe('HUJI_DOCUMENT_ALREADY_REVOKED');
    expect((await rowOf(doc.id)).revocationReason).toBe('第一位经办人作废');
    expect(await statusOf(doc.token)).toBe('revoked');
  });
});

/**
 * The statement of the one session of this database waiting on a lock, polled until there is one (a
 * condition, not a fixed sleep: a loaded machine may take long to get there).
 */
async function lockWaiterQuery(database: DatabaseHandle): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const waiting = rowsOf<{ query: string }>(
      await database.db.execute(
        sql`select query from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      ),
    );
    if (waiting.length === 1) return waiting[0]!.query.trim();
    if (waiting.length > 1 || Date.now() > deadline)
      throw new Error(`expected one session waiting on a lock, found ${JSON.stringify(waiting)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('huji documents revoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-revoke-'));
  const env = { HUJI_DATA_DIR: dir };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('revokes as a named officer, refuses a second time and a role without the permission', async () => {
    expect((await runHujiInProcess(['db', 'migrate'], env)).code).toBe(0);
    for (const [username, role] of [
      ['kc-cli', 'registrar'],
      ['rv-cli', 'reviewer'],
    ] as const) {
      const created = await runHujiInProcess(
        ['accounts', 'create', username, '--name', '测试', '--county', '330802', '--role', role],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
    }
    let handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    const imported = household('330802000700002', 23);
    await importHousehold(handle.db, imported, { id: 'import', countyCode: '330802' }, 'test');
    const doc = await handle.db.transaction((tx) =>
      issueLegacyHukouNatureProof(tx, {
        personId: imported.members[0]!.person.id,
        officer: { id: 'kc-issuer', countyCode: '330802' },
        baseUrl: 'https://huji.example.gov.cn',
        today: todayInChina(),
      }),
    );
    await handle.close();

    const short = await runHujiInProcess(
      ['documents', 'revoke', doc.documentId, '--reason', '错', '--officer', 'kc-cli'],
      env,
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('HUJI_VALIDATION');

    const forbidden = await runHujiInProcess(
      ['documents', 'revoke', doc.documentId, '--reason', '出具有误', '--officer', 'rv-cli'],
      env,
    );
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toContain('HUJI_FORBIDDEN');

    const revoked = await runHujiInProcess(
      [
        'documents',
        'revoke',
        doc.documentId,
        '--reason',
        '出具有误，已重新开具',
        '--officer',
        'kc-cli',
        '--json',
      ],
      env,
    );
    expect(revoked.code, revoked.stderr).toBe(0);
    const answer = JSON.parse(revoked.stdout) as { revokedAt: string };
    expect(answer).toMatchObject({
      id: doc.documentId,
      kind: 'legacy-hukou-nature-proof',
      reason: '出具有误，已重新开具',
    });

    const again = await runHujiInProcess(
      ['documents', 'revoke', doc.documentId, '--reason', '再次作废', '--officer', 'kc-cli', '--lang', 'en'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Document ${doc.documentId} was already revoked on`);
    expect(again.stderr).toContain('[HUJI_DOCUMENT_ALREADY_REVOKED]');

    handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const [row] = await handle.db
        .select()
        .from(issuedDocument)
        .where(eq(issuedDocument.id, doc.documentId));
      const [account] = await handle.db
        .select({ id: officerAccount.id })
        .from(officerAccount)
        .where(eq(officerAccount.username, 'kc-cli'));
      expect(row).toMatchObject({ revokedBy: account!.id, revocationReason: '出具有误，已重新开具' });
      expect(row!.revokedAt?.toISOString()).toBe(answer.revokedAt);
      const check = await checkDocumentToken(handle.db, doc.verifyUrl.split('/verify/')[1]!);
      expect(check).toMatchObject({ status: 'revoked', revokedAt: answer.revokedAt });
      const outcomes = rowsOf<{ outcome: string; n: number }>(
        await handle.db.execute(
          sql`select outcome, count(*)::int as n from audit_entry where action = 'document.revoke' and object_id = ${doc.documentId} group by outcome order by outcome`,
        ),
      );
      expect(outcomes).toEqual([
        { outcome: 'refused', n: 2 },
        { outcome: 'success', n: 1 },
      ]);
    } finally {
      await handle.close();
    }
  }, 120_000);
});
