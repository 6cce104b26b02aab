/**
 * Prepares the databases every integration suite starts from, once per test run:
 * - a PGlite snapshot (migrated, reference data loaded) that each suite loads in under a second;
 * - with DATABASE_URL, a PostgreSQL template database that each suite clones with CREATE DATABASE … TEMPLATE.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase, type HujiDatabase } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadReferenceData } from '../src/db/reference-data.js';
import * as schema from '../src/db/schema.js';
import { PGLITE_SNAPSHOT, withDatabaseName } from './support/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const client = await PGlite.create();
  const db = drizzle({ client, schema }) as unknown as HujiDatabase;
  await migrateDatabase(db);
  await loadReferenceData(db);
  const dump = await client.dumpDataDir('gzip');
  await client.close();
  mkdirSync(new URL('.', PGLITE_SNAPSHOT), { recursive: true });
  writeFileSync(PGLITE_SNAPSHOT, Buffer.from(await dump.arrayBuffer()));

  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('postgresTemplate', null);
    return;
  }
  const template = `huji_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const handle = await openDatabase({ kind: 'postgres', url: withDatabaseName(url, template), poolSize: 1 });
  await migrateDatabase(handle.db);
  await loadReferenceData(handle.db);
  await handle.close();
  project.provide('postgresTemplate', template);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`huji_t_${process.pid}_%`],
    );
    for (const { datname } of leftovers.rows)
      await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}
