/**
 * Signed anchors of the audit chains (ADR 0015) through `huji audit anchor` and `huji audit verify`, in
 * process, on an embedded database directory (SM2 anchors) and on PostgreSQL (Ed25519 anchors): an
 * untouched trail passes; a tail cut as a superuser would make it (trigger bypassed, the last entries
 * deleted, the head moved back: a chain that verifies on its own) fails naming the chain, the anchor and
 * the missing entries; a forged anchor fails as a signature problem; a truncated anchors file fails too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startAuditAnchoring, verifyAuditAnchors, writeAuditAnchor } from '../../src/audit/anchors.js';
import { buildApp } from '../../src/server/app.js';
import { AuditWriter } from '../../src/audit/audit-log.js';
import type { AuditSuite } from '../../src/audit/chain.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { cliDatabases, runCli } from '../support/cli-databases.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, provisionTestOfficers, type TestOfficer } from '../support/officer.js';

describe.each(cliDatabases())('audit anchors on $name', (target) => {
  const suite: AuditSuite = target.name === 'pglite' ? 'gm' : 'international';
  let env: Record<string, string> = {};
  let anchorsFile = '';

  const withDb = async <T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> => {
    const handle = await target.open();
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  };
  const appendEntries = (count: number) =>
    withDb(async ({ db }) => {
      const writer = new AuditWriter(db, { suite });
      for (let i = 0; i < count; i++)
        await writer.record({
          actorKind: 'officer',
          actorId: 'officer-1',
          countyCode: '330802',
          roles: ['registrar'],
          action: 'register.read',
          objectType: 'person',
          objectId: `p-${i}`,
          outcome: 'success',
          status: 200,
        });
      await writer.close();
    });
  const huji = (args: string[], locale: 'zh-CN' | 'en' = 'zh-CN') => runCli(args, env, locale);

  beforeAll(async () => {
    const setUp = await target.setUp();
    env = {
      ...setUp.env,
      HUJI_CRYPTO_SUITE: suite,
      HUJI_AUDIT_ANCHOR_DIR: join(setUp.scratch, 'anchors'),
    };
    anchorsFile = join(setUp.scratch, 'anchors', 'anchors.jsonl');
    await appendEntries(6);
  }, 120_000);
  afterAll(() => target.tearDown(), 60_000);

  it('anchors the heads with a signature and passes an untouched trail', async () => {
    const before = await huji(['audit', 'verify']);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('还没有锚点');

    const anchored = await huji(['audit', 'anchor']);
    expect(anchored.stderr).toBe('');
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toContain(`锚点 #1：2 条链的链头，${suite === 'gm' ? 'SM2' : 'Ed25519'} 签名`);
    const [line] = readFileSync(anchorsFile, 'utf8').trim().split('\n');
    const anchor = JSON.parse(line!) as { n: number; suite: string; heads: { chain: string; seq: number }[] };
    expect(anchor).toMatchObject({ n: 1, suite });
    expect(anchor.heads).toContainEqual(expect.objectContaining({ chain: '330802', seq: 6 }));

    const verified = await huji(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/锚点：1 个（最近 #1 .*），覆盖 2 条链：记录与锚点相符/);
    // Entries appended after the anchor are fine: the anchor fixes what it saw.
    await appendEntries(2);
    expect((await huji(['audit', 'verify'])).code).toBe(0);
  }, 120_000);

  it('fails naming the cut when the last entries are deleted with the trigger bypassed and the head moved back', async () => {
    await withDb(async ({ db }) => {
      await db.transaction(async (tx) => {
        // How a superuser gets past the append-only trigger.
        if (target.name === 'pglite') await tx.execute(sql`set local session_replication_role = replica`);
        else await tx.execute(sql`alter table audit_entry disable trigger audit_entry_no_change`);
        await tx.execute(sql`delete from audit_entry where chain = '330802' and seq > 4`);
        await tx.execute(sql`update audit_chain_head set seq = 4,
            hash = (select hash from audit_entry where chain = '330802' and seq = 4) where chain = '330802'`);
        if (target.name === 'postgres')
          await tx.execute(sql`alter table audit_entry enable trigger audit_entry_no_change`);
      });
    });
    const r = await huji(['audit', 'verify']);
    expect(r.code).toBe(1);
    // The chain alone verifies: only the anchor shows the cut.
    expect(r.stdout).toContain('审计链 330802：4 条，完好');
    expect(r.stdout).toMatch(
      /审计链 330802 末尾被截去：锚点 #1 .*记录链头为第 6 条，现只到第 4 条（第 5–6 条缺失）\[tail-cut\]/,
    );
    const en = await huji(['audit', 'verify', '--lang', 'en'], 'en');
    expect(en.code).toBe(1);
    expect(en.stdout).toMatch(
      /chain 330802: tail cut after anchor #1 .*: the anchor fixed the head at seq 6, the chain now ends at seq 4 \(seq 5–6 missing\) \[tail-cut\]/,
    );
    const json = await huji(['audit', 'verify', '--json', '--chain', '330802']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      isIntact: false,
      anchors: {
        isIntact: false,
        problems: [{ kind: 'tail-cut', anchor: 1, chain: '330802', anchoredSeq: 6, lastSeq: 4 }],
      },
    });
    // The system chain is untouched and passes alone.
    expect((await huji(['audit', 'verify', '--chain', 'system'])).code).toBe(0);
  }, 120_000);

  it('refuses an anchor edited to hide the cut (signature invalid), and a truncated anchors file', async () => {
    const original = readFileSync(anchorsFile, 'utf8');
    // The anchor made to say the chain ended at seq 4, as the cut left it.
    const forged = original.replace(
      /"chain":"330802","seq":6,"hash":"[0-9a-f]{64}"/,
      `"chain":"330802","seq":4,"hash":"${'0'.repeat(64)}"`,
    );
    expect(forged).not.toBe(original);
    writeFileSync(anchorsFile, forged);
    const r = await huji(['audit', 'verify', '--lang', 'en'], 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /anchor #1 .*\(line 1\): signature invalid: the signature does not match the content \[anchor-signature-invalid\]/,
    );

    // Removing the anchors altogether: the database remembers anchor #1 and its hash.
    writeFileSync(anchorsFile, '');
    const emptied = await huji(['audit', 'verify']);
    expect(emptied.code).toBe(1);
    expect(emptied.stdout).toContain('数据库记录已写到锚点 #1，锚点文件中没有该锚点');
    expect(emptied.stdout).toContain('[anchors-missing]');
    writeFileSync(anchorsFile, original);
  }, 120_000);
});

describe.each(testDatabases())('the server’s anchoring on $name', ({ open }) => {
  let handle: DatabaseHandle;
  const dir = mkdtempSync(join(tmpdir(), 'huji-anchoring-'));
  beforeAll(async () => {
    handle = await open();
  }, 120_000);
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('anchors every interval and once more on stop; a run with no moved head writes nothing', async () => {
    const logged: object[] = [];
    const log = { info: (o: object) => logged.push(o), error: (o: object) => logged.push(o) };
    const writer = new AuditWriter(handle.db, { suite: 'international' });
    const record = () =>
      writer.record({
        actorKind: 'resident',
        actorId: 'phone:1380000',
        action: 'GET /x',
        outcome: 'success',
      });
    await record();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const anchoring = startAuditAnchoring(handle.db, {
        dir,
        suite: 'international',
        intervalMinutes: 5,
        log,
      });
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await vi.waitFor(() => expect(logged).toHaveLength(1), { timeout: 30_000 });
      // Nothing moved: the next tick writes no anchor.
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await record();
      await anchoring.stop();
      await writer.close();
    } finally {
      vi.useRealTimers();
    }
    const lines = readFileSync(join(dir, 'anchors.jsonl'), 'utf8').trim().split('\n');
    expect(
      lines.map((l) => (JSON.parse(l) as { n: number; heads: { seq: number }[] }).heads[0]?.seq),
    ).toEqual([1, 2]);
    expect(logged).toEqual([
      expect.objectContaining({ event: 'audit-anchor', n: 1 }),
      expect.objectContaining({ event: 'audit-anchor', n: 2 }),
    ]);
    const report = await verifyAuditAnchors(handle.db, { dir });
    expect(report).toMatchObject({ isIntact: true, anchors: 2, chains: 1 });
  }, 120_000);
});

describe.each(testDatabases())('the audit administrator’s verify checks the anchors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'huji-anchors-api-'));
  const AUDITOR: TestOfficer = { id: 'an-auditor', countyCode: '330800', roles: ['audit-admin'] };
  beforeAll(async () => {
    handle = await open();
    app = await buildApp({ database: handle, logger: false, auditAnchorDir: dir });
    await provisionTestOfficers(handle.db, [AUDITOR]);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers isIntact false naming the cut tail', async () => {
    const writer = new AuditWriter(handle.db, { suite: 'international' });
    for (let i = 0; i < 3; i++)
      await writer.record({
        actorKind: 'officer',
        actorId: 'o',
        countyCode: '110101',
        action: 'x',
        outcome: 'success',
      });
    await writer.close();
    await writeAuditAnchor(handle.db, { dir, suite: 'international' });
    const headers = await officerHeaders(app, AUDITOR);
    const verify = () => app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers, payload: {} });
    const intact = await verify();
    expect(intact.statusCode).toBe(200);
    expect(intact.json()).toMatchObject({ isIntact: true, anchors: { anchors: 1, isIntact: true } });
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`delete from audit_entry where chain = '110101' and seq = 3`);
      await tx.execute(sql`update audit_chain_head set seq = 2,
          hash = (select hash from audit_entry where chain = '110101' and seq = 2) where chain = '110101'`);
    });
    const cut = await verify();
    expect(cut.statusCode).toBe(200);
    expect(cut.json()).toMatchObject({
      isIntact: false,
      problemCount: 0,
      anchors: {
        isIntact: false,
        problems: [{ kind: 'tail-cut', chain: '110101', anchoredSeq: 3, lastSeq: 2 }],
      },
    });
  }, 120_000);
});
