/**
 * The databases an in-process CLI suite runs on, as the `huji` command finds them through the
 * environment: an embedded database directory (HUJI_DATA_DIR) always, and a PostgreSQL database cloned
 * from the migrated template (DATABASE_URL) when DATABASE_URL is set. The suite opens the same database
 * itself (`open`) to prepare or tamper with it; an embedded directory must be closed again before the
 * command runs (one process at a time holds it).
 *
 *   describe.each(cliDatabases())('… on $name', (target) => { … })
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import type { Locale } from '../../src/errors/codes.js';
import { withDatabaseName } from './paths.js';

export interface CliDatabase {
  readonly name: 'pglite' | 'postgres';
  /** Creates the database (migrated) and a scratch directory; returns the environment the CLI needs. */
  setUp(): Promise<{ readonly env: Record<string, string>; readonly scratch: string }>;
  open(): Promise<DatabaseHandle>;
  tearDown(): Promise<void>;
}

export function cliDatabases(): CliDatabase[] {
  const list: CliDatabase[] = [pgliteDirectory()];
  const template = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (template && url) list.push(postgresClone(url, template));
  return list;
}

function pgliteDirectory(): CliDatabase {
  let scratch = '';
  const dataDir = () => join(scratch, 'data');
  return {
    name: 'pglite',
    async setUp() {
      scratch = mkdtempSync(join(tmpdir(), 'huji-cli-db-'));
      const handle = await openDatabase({ kind: 'pglite', dataDir: dataDir() });
      try {
        await migrateDatabase(handle.db);
      } finally {
        await handle.close();
      }
      return { env: { DATABASE_URL: '', HUJI_DATA_DIR: dataDir() }, scratch };
    },
    open: () => openDatabase({ kind: 'pglite', dataDir: dataDir() }),
    async tearDown() {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function postgresClone(url: string, template: string): CliDatabase {
  // The global teardown drops what is left of huji_t_<pid>_… if a suite does not get to it.
  const name = `huji_t_${template.split('_').at(-1)}_${randomBytes(4).toString('hex')}`;
  const cloneUrl = withDatabaseName(url, name);
  let scratch = '';
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async setUp() {
      scratch = mkdtempSync(join(tmpdir(), 'huji-cli-pg-'));
      await admin(`create database ${name} template ${template}`);
      return { env: { DATABASE_URL: cloneUrl, HUJI_DATA_DIR: join(scratch, 'data') }, scratch };
    },
    open: () => openDatabase({ kind: 'postgres', url: cloneUrl, poolSize: 2 }),
    async tearDown() {
      await admin(`drop database if exists ${name} with (force)`);
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Runs `huji` in process (main with a captured terminal) with the environment given. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  locale: Locale = 'zh-CN',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { HUJI_LANG: '' }, env);
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), locale };
  try {
    const code = await main(args, io);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.env = saved;
  }
}
