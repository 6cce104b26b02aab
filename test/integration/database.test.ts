/**
 * Migrations, reference data and demo data on the real database.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { loadDemoData } from '../../src/db/demo-data.js';
import { knownMigrations, migrateDatabase } from '../../src/db/migrate.js';
import { loadReferenceData } from '../../src/db/reference-data.js';
import { testDatabases } from '../support/databases.js';

describe.each(testDatabases())('database on $name', ({ open }) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  const one = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(query))[0];

  it('migrating an up-to-date database applies nothing', async () => {
    const report = await migrateDatabase(database.db);
    expect(report).toMatchObject({ applied: 0, total: knownMigrations().length });
  });

  it('refuses a database whose schema is newer than this code knows', async () => {
    const future = Date.now() + 365 * 24 * 3600 * 1000;
    await database.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', ${future})`,
    );
    await expect(migrateDatabase(database.db)).rejects.toMatchObject({ code: 'HUJI_SCHEMA_TOO_NEW' });
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'from-the-future'`);
  });

  it('holds the divisions: every county of the country, and villages of Quzhou and Lanzhou', async () => {
    const counts = await one<{ counties: string; quzhou: string; lanzhou: string; old: string }>(sql`
      select count(*) filter (where level = 'county' and is_current) as counties,
             count(*) filter (where level = 'village' and code like '3308%') as quzhou,
             count(*) filter (where level = 'village' and code like '6201%') as lanzhou,
             count(*) filter (where level = 'county' and not is_current) as old
      from division`);
    expect(Number(counts?.counties)).toBeGreaterThan(2900);
    expect(Number(counts?.quzhou)).toBeGreaterThan(1000);
    expect(Number(counts?.lanzhou)).toBeGreaterThan(1000);
    expect(Number(counts?.old)).toBeGreaterThan(1000);
    const quxian = await one<{ name: string; is_current: boolean; parent_code: string }>(
      sql`select name, is_current, parent_code from division where code = '330821'`,
    );
    expect(quxian).toEqual({ name: '衢县', is_current: false, parent_code: '330800' });
    const xinqu = await one<{ county_kind: string; is_statistical_unit: boolean }>(
      sql`select county_kind, is_statistical_unit from division where code = '620171'`,
    );
    expect(xinqu).toEqual({ county_kind: 'statistical-unit', is_statistical_unit: true });
  });

  it('reloads reference data only when its vintage changes', async () => {
    expect((await loadReferenceData(database.db)).loaded).toBe(false);
  });

  it('loads demo urban-rural classes once, marked as demo-inferred', async () => {
    const first = await loadDemoData(database.db);
    expect(first.loaded).toBe(true);
    expect((await loadDemoData(database.db)).loaded).toBe(false);
    const byClass = rowsOf<{ class_code: string; n: string }>(
      await database.db.execute(
        sql`select class_code, count(*) as n from division_urban_rural where source = 'demo-inferred' group by class_code order by class_code`,
      ),
    );
    expect(byClass.map((r) => r.class_code)).toEqual(expect.arrayContaining(['111', '121', '220']));
    const orphans = await one<{ n: string }>(
      sql`select count(*) as n from division_urban_rural u left join division d on d.code = u.code where d.code is null or d.level <> 'village'`,
    );
    expect(Number(orphans?.n)).toBe(0);
  });

  it('rejects an urban-rural class outside the NBS table', async () => {
    await expect(
      database.db.execute(
        sql`insert into division_urban_rural (code, year, class_code, source) values ('330802005002', 2030, '999', 'officer')`,
      ),
    ).rejects.toThrow();
  });
});
