/**
 * `huji audit verify` and `huji audit list` as an operator runs them: in process, as `bin/huji.js` runs
 * it, on an embedded database directory, exit code 0 for an intact trail and 1 once an entry has been tampered with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditWriter } from '../../src/audit/audit-log.js';
import { openDatabase } from '../../src/db/connection.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { runHujiInProcess } from '../support/huji-cli.js';

// In process, as bin/huji.js runs it: the real process's exit codes are tested in cli.test.ts.
const huji = runHujiInProcess;

describe('huji audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-audit-cli-'));
  const env = { HUJI_DATA_DIR: dir, HUJI_CRYPTO_SUITE: 'gm' };

  beforeAll(async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await migrateDatabase(handle.db);
      const writer = new AuditWriter(handle.db, { suite: 'gm' });
      for (let i = 1; i <= 4; i++)
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
          requestId: `cli-${i}`,
          details: { username: 'li.lei' },
        });
      await writer.close();
    } finally {
      await handle.close();
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verify: an intact trail exits 0, with counts per chain', async () => {
    const r = await huji(['audit', 'verify'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('审计链 330802：4 条，完好');
    const en = await huji(['audit', 'verify', '--lang', 'en', '--chain', '330802'], env);
    expect(en.code).toBe(0);
    expect(en.stdout).toContain('chain 330802: 4 entries, intact');
  }, 120_000);

  it('list: newest first, filtered by actor, and the reading is recorded', async () => {
    const r = await huji(['audit', 'list', '--actor', 'li.lei', '--limit', '2', '--json'], env);
    expect(r.code).toBe(0);
    const page = JSON.parse(r.stdout) as { items: { requestId: string }[]; nextCursor: string | null };
    expect(page.items.map((e) => e.requestId)).toEqual(['cli-4', 'cli-3']);
    expect(page.nextCursor).not.toBeNull();
    const next = await huji(
      ['audit', 'list', '--actor', 'li.lei', '--limit', '2', '--json', '--cursor', page.nextCursor!],
      env,
    );
    expect((JSON.parse(next.stdout) as typeof page).items.map((e) => e.requestId)).toEqual([
      'cli-2',
      'cli-1',
    ]);
    const text = await huji(['audit', 'list', '--chain', 'system', '--lang', 'en'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/system#\d+ {2}system cli(:\S+)? {2}audit\.(read|verify)/);
    expect((await huji(['audit', 'list', '--limit', '0'], env)).code).toBe(2);
    expect((await huji(['audit', 'list', '--since', 'yesterday'], env)).code).toBe(2);
  }, 120_000);

  it('verify: an edited entry exits 1 and names chain, seq and kind', async () => {
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update audit_entry set object_id = 'p-9' where chain = '330802' and seq = 2`);
      });
    } finally {
      await handle.close();
    }
    const r = await huji(['audit', 'verify'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('审计链 330802：4 条，发现 1 个问题');
    expect(r.stdout).toContain('330802 第 2 条：被修改');
    const en = await huji(['audit', 'verify', '--lang', 'en', '--json'], env);
    expect(en.code).toBe(1);
    expect(JSON.parse(en.stdout)).toMatchObject({
      isIntact: false,
      chains: expect.arrayContaining([
        expect.objectContaining({ chain: '330802', problems: [{ chain: '330802', seq: 2, kind: 'edited' }] }),
      ]),
    });
    // Other chains are still intact.
    expect((await huji(['audit', 'verify', '--chain', 'system'], env)).code).toBe(0);
  }, 180_000);
});
