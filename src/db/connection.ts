/**
 * Opens the database: embedded PGlite in an on-disk directory by default, a PostgreSQL server when
 * DATABASE_URL is set. Both are driven through the same drizzle PostgreSQL dialect, so every query and
 * migration runs on both (ADR 0001).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { HujiError } from '../errors/huji-error.js';
import * as schema from './schema.js';

export type HujiDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction or the database itself: repositories take either. */
export type DbExecutor = Pick<
  HujiDatabase,
  'select' | 'insert' | 'update' | 'delete' | 'execute' | 'transaction'
>;

export interface DatabaseHandle {
  readonly db: HujiDatabase;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, without credentials: a directory or host:port/database. */
  readonly location: string;
  /** Checks the connection answers; used by /healthz. */
  ping(): Promise<void>;
  /**
   * Runs `work` in one transaction on one connection that can also stream COPY data: the bulk path of
   * imports. Commits when `work` resolves, rolls back when it throws.
   */
  bulkTransaction<T>(work: (session: BulkSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Raw SQL plus COPY FROM, inside a transaction (see `bulkTransaction`). */
export interface BulkSession {
  query<R>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Loads rows in PostgreSQL's COPY text format (tab-separated, `\N` for null; see `copyText`). */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>;
}

/** A value as a field of COPY text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const s = String(value);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number }
  | { readonly kind: 'pglite'; readonly dataDir: string }
  /** In-memory PGlite loaded from a `dumpDataDir()` tarball: test suites start from a migrated snapshot. */
  | { readonly kind: 'pglite-snapshot'; readonly snapshot: Blob };

/** Describes a PostgreSQL URL without its password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  switch (config.kind) {
    case 'postgres':
      return openPostgres(config.url, config.poolSize ?? 10);
    case 'pglite':
      return openPgliteDirectory(resolve(config.dataDir));
    case 'pglite-snapshot': {
      const client = await PGlite.create({ loadDataDir: config.snapshot });
      return pgliteHandle(client, 'memory (snapshot)', () => undefined);
    }
  }
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const target = describePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  });
  // Idle clients can fail when the server restarts; the pool drops them and the next query reconnects.
  pool.on('error', () => undefined);
  // A client checked out of the pool (a transaction, a COPY) has no listener of the pool's while it is in
  // use: when the server dies under it, node-postgres emits 'error' on the client, and an 'error' event
  // without a listener ends the process (issue 14). The query in flight is rejected with the same error
  // (and answered 503 HUJI_DB_UNAVAILABLE, see db/unavailable.ts); the pool drops the broken client when
  // it is released, and later queries reconnect.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    await pool.query('select 1');
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new HujiError('HUJI_DB_UNREACHABLE', { target, detail: errorText(cause) }, { cause });
  }
  const db = drizzlePostgres({ client: pool, schema }) as unknown as HujiDatabase;
  return {
    db,
    kind: 'postgres',
    location: target,
    async ping() {
      await pool.query('select 1');
    },
    async bulkTransaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({
          query: async <R>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, params as unknown[])).rows as R[],
          copyIn: (table, columns, data) =>
            new Promise<void>((resolve, reject) => {
              const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
              stream.on('finish', resolve);
              stream.on('error', reject);
              stream.end(data, 'utf8');
            }),
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it, so a
 * lock file with the owner's pid guards it (a stale lock of a dead process is taken over).
 */
async function openPgliteDirectory(dataDir: string): Promise<DatabaseHandle> {
  const lockFile = join(dataDir, '.huji.lock');
  try {
    mkdirSync(dataDir, { recursive: true });
    const holder = readLockHolder(lockFile);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new HujiError('HUJI_DATA_DIR_LOCKED', { dataDir, pid: holder });
    }
    writeFileSync(lockFile, String(process.pid));
  } catch (cause) {
    if (cause instanceof HujiError) throw cause;
    throw new HujiError('HUJI_DATA_DIR_UNUSABLE', { dataDir, detail: errorText(cause) }, { cause });
  }
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
  } catch (cause) {
    rmSync(lockFile, { force: true });
    throw new HujiError('HUJI_DATA_DIR_UNUSABLE', { dataDir, detail: errorText(cause) }, { cause });
  }
  return pgliteHandle(client, dataDir, () => rmSync(lockFile, { force: true }));
}

function pgliteHandle(client: PGlite, location: string, release: () => void): DatabaseHandle {
  const db = drizzlePglite({ client, schema }) as unknown as HujiDatabase;
  return {
    db,
    kind: 'pglite',
    location,
    async ping() {
      await client.query('select 1');
    },
    bulkTransaction: (work) =>
      client.transaction((tx) =>
        work({
          query: async <R>(text: string, params: readonly unknown[] = []) =>
            (await tx.query<R>(text, params as unknown[])).rows,
          copyIn: async (table, columns, data) => {
            // PGlite reads COPY data from a virtual file that the query's blob option provides.
            await tx.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], {
              blob: new Blob([data]),
            });
          },
        }),
      ),
    async close() {
      await client.close();
      release();
    },
  };
}

function readLockHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/** The rows of a raw `db.execute(sql…)` result, on either driver. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
