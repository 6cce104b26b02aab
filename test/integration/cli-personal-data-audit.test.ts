/**
 * Command-line reads and changes of personal data are audited like the API's (issue 14): `import
 * persons`, `register show` (masked and `--full-id`), `household show` and `export` (masked and
 * `--full-id`) each leave an entry in the same audit log with the operating-system user, the action and
 * the object, before anything is shown; when the entry cannot be written, nothing is shown. In process,
 * on an embedded database directory and on PostgreSQL.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEntries } from '../../src/audit/audit-log.js';
import type { AuditEntry } from '../../src/audit/chain.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { cliDatabases, runCli } from '../support/cli-databases.js';

const HEADER =
  '户号,户类型,住址,县级区划代码,与户主关系,公民身份号码,姓名,性别,出生日期,民族,户口性质,户口性质起始日期,户口性质终止日期';
const HOUSEHOLD = '330802000610001';
const head = composeCitizenId('330802', '1950-01-02', 611);
const wife = composeCitizenId('330802', '1952-03-04', 622);
const OPERATOR = `cli:${userInfo().username}`;

describe.each(cliDatabases())('CLI reads and changes of personal data are audited on $name', (target) => {
  let env: Record<string, string> = {};
  let scratch = '';
  const huji = (args: string[]) => runCli(args, env);

  /** The CLI entries of an action, oldest first (read straight from the table). */
  const entriesOf = async (action: string): Promise<AuditEntry[]> => {
    const handle = await target.open();
    try {
      const page = await listAuditEntries(handle.db, { action, chain: 'system', limit: 50 });
      return page.items.reverse();
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    const setUp = await target.setUp();
    env = { ...setUp.env, HUJI_CRYPTO_SUITE: 'gm', HUJI_DEMO_DATA: 'false' };
    scratch = setUp.scratch;
  }, 120_000);
  afterAll(() => target.tearDown(), 60_000);

  it('import persons: an entry when it starts and one with the counts when it ends', async () => {
    const file = join(scratch, 'people.csv');
    writeFileSync(
      file,
      [
        HEADER,
        `${HOUSEHOLD},家庭户,衢州市柯城区府山街道 11 号,330802,户主,${head},周福生,男,1950-01-02,汉族,农业,1950-01-02,2017-06-30`,
        `${HOUSEHOLD},家庭户,衢州市柯城区府山街道 11 号,330802,妻,${wife},吴桂英,女,1952-03-04,汉族,农业,1952-03-04,2017-06-30`,
        '',
      ].join('\n'),
    );
    const r = await huji(['import', 'persons', file, '--officer', 'imp-1']);
    expect(r.code).toBe(0);
    const entries = await entriesOf('register.import');
    expect(entries).toHaveLength(2);
    for (const e of entries)
      expect(e).toMatchObject({
        actorKind: 'system',
        actorId: OPERATOR,
        objectType: 'file',
        objectId: resolve(file),
        outcome: 'success',
      });
    expect(entries[0]!.details).toMatchObject({
      via: 'cli',
      command: 'import persons',
      phase: 'started',
      officer: 'imp-1',
    });
    expect(entries[1]!.details).toMatchObject({ phase: 'finished', rows: 2, imported: 1, rejectedRows: 0 });
  }, 120_000);

  it('register show: the person read, masked or in full, and an unknown id refused', async () => {
    expect((await huji(['register', 'show', head])).code).toBe(0);
    expect((await huji(['register', 'show', head, '--full-id'])).code).toBe(0);
    const unknown = composeCitizenId('330802', '1990-01-01', 699);
    expect((await huji(['register', 'show', unknown])).code).toBe(1);

    const reads = await entriesOf('register.read');
    expect(reads).toEqual([
      expect.objectContaining({
        actorKind: 'system',
        actorId: OPERATOR,
        objectType: 'citizen-id',
        objectId: head,
        outcome: 'success',
        details: expect.objectContaining({
          command: 'register show',
          fullId: false,
          personId: expect.any(String),
        }),
      }),
      expect.objectContaining({
        objectId: unknown,
        outcome: 'refused',
        details: expect.objectContaining({ code: 'HUJI_REGISTER_PERSON_UNKNOWN' }),
      }),
    ]);
    const full = await entriesOf('register.read-full-id');
    expect(full).toEqual([
      expect.objectContaining({
        actorId: OPERATOR,
        objectId: head,
        details: expect.objectContaining({ fullId: true }),
      }),
    ]);
  }, 120_000);

  it('household show: the household read', async () => {
    expect((await huji(['household', 'show', HOUSEHOLD])).code).toBe(0);
    const reads = (await entriesOf('register.read')).filter((e) => e.objectType === 'household-number');
    expect(reads).toEqual([
      expect.objectContaining({
        actorId: OPERATOR,
        objectId: HOUSEHOLD,
        outcome: 'success',
        details: expect.objectContaining({ command: 'household show', members: 2 }),
      }),
    ]);
  }, 120_000);

  it('export: with full ids a separate action, each with the rows and where they went', async () => {
    const out = join(scratch, 'export.csv');
    expect((await huji(['export', '--full-id', '--county', '330802', '--out', out])).code).toBe(0);
    expect((await huji(['export', '--out', out])).code).toBe(0);
    expect(await entriesOf('register.export-full-id')).toEqual([
      expect.objectContaining({
        actorId: OPERATOR,
        objectType: 'division',
        objectId: '330802',
        details: expect.objectContaining({ command: 'export', fullId: true, rows: 2, out: resolve(out) }),
      }),
    ]);
    expect(await entriesOf('register.export')).toEqual([
      expect.objectContaining({
        actorId: OPERATOR,
        details: expect.objectContaining({ fullId: false, rows: 2 }),
      }),
    ]);
  }, 120_000);

  it('shows nothing when the audit entry cannot be written', async () => {
    const handle = await target.open();
    try {
      // A constraint that refuses every new entry of the system chain (existing rows are not checked).
      await handle.db.execute(
        sql`alter table audit_entry add constraint refuse_system check (chain <> 'system') not valid`,
      );
    } finally {
      await handle.close();
    }
    try {
      const shown = await huji(['register', 'show', head, '--full-id']);
      expect(shown.code).toBe(1);
      expect(shown.stdout).not.toContain('周福生');
      expect(shown.stdout).not.toContain(head);
      const household = await huji(['household', 'show', HOUSEHOLD]);
      expect(household.code).toBe(1);
      expect(household.stdout).not.toContain('吴桂英');
      const out = join(scratch, 'refused.csv');
      const exported = await huji(['export', '--full-id', '--out', out]);
      expect(exported.code).toBe(1);
      expect(existsSync(out)).toBe(false);
    } finally {
      const again = await target.open();
      try {
        await again.db.execute(sql`alter table audit_entry drop constraint refuse_system`);
      } finally {
        await again.close();
      }
    }
  }, 120_000);
});
