/**
 * Applies the committed drizzle migrations (src/db/migrations) on PGlite or PostgreSQL, in one
 * transaction under an advisory lock so two starting servers never migrate at once, and refuses a
 * database whose schema is newer than this code knows.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import { HujiError } from '../errors/huji-error.js';
import { rowsOf, type HujiDatabase } from './connection.js';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary constant shared by every Huji process: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 4_848_421_017;

export interface MigrationReport {
  readonly applied: number;
  readonly total: number;
  /** The `folderMillis` of the newest migration now in the database. */
  readonly schemaVersion: number;
}

export function knownMigrations(): MigrationMeta[] {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
}

/** Migrates the database to the newest known schema; throws HUJI_SCHEMA_TOO_NEW on a newer database. */
export async function migrateDatabase(db: HujiDatabase): Promise<MigrationReport> {
  const migrations = knownMigrations();
  const newestKnown = Math.max(0, ...migrations.map((m) => m.folderMillis));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const applied = rowsOf<{ hash: string; created_at: string }>(
      await tx.execute(sql`select hash, created_at from drizzle.__drizzle_migrations`),
    );
    const newestApplied = Math.max(0, ...applied.map((r) => Number(r.created_at)));
    if (newestApplied > newestKnown) {
      throw new HujiError('HUJI_SCHEMA_TOO_NEW', { database: newestApplied, known: newestKnown });
    }
    const done = new Set(applied.map((r) => r.hash));
    let count = 0;
    for (const migration of migrations) {
      if (done.has(migration.hash) || migration.folderMillis <= newestApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`,
      );
      count++;
    }
    return { applied: count, total: migrations.length, schemaVersion: Math.max(newestApplied, newestKnown) };
  });
}
