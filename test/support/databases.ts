/**
 * The databases an integration suite runs on: PGlite always, PostgreSQL too when DATABASE_URL is set.
 * Each `open()` gives the suite a database of its own, migrated and with reference data loaded.
 *
 *   describe.each(testDatabases())('register on $name', ({ open }) => { … })
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { PGLITE_SNAPSHOT, withDatabaseName } from './paths.js';

export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  readonly open: () => Promise<DatabaseHandle>;
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: 'pglite',
      open: () =>
        openDatabase({ kind: 'pglite-snapshot', snapshot: new Blob([readFileSync(PGLITE_SNAPSHOT)]) }),
    },
  ];
  const template = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (template && url) list.push({ name: 'postgres', open: () => clonePostgres(url, template) });
  return list;
}

async function clonePostgres(url: string, template: string): Promise<DatabaseHandle> {
  const name = `huji_t_${template.split('_').at(-1)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ kind: 'postgres', url: withDatabaseName(url, name), poolSize: 20 });
  return {
    ...handle,
    async close() {
      await handle.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
