/**
 * The bulk import path (batched households, COPY) against the real databases: it writes what the
 * one-household path writes, keeps each county's hash chain intact when mixed with ordinary appends,
 * never half-imports a household, rejects a household whose citizen id is taken while importing the
 * rest of its batch, re-runs without duplicating, and recovers from a batch the database refuses.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { importHouseholdBatch, type BatchItem } from '../../src/register/bulk-import.js';
import { importHousehold, type ImportedHousehold } from '../../src/register/import-households.js';
import { verifyCountyLedger } from '../../src/register/routes.js';
import { seedRegister } from '../../src/register/seed-register.js';
import { syntheticRegister } from '../../src/register/synthetic-register.js';
import { testDatabases } from '../support/databases.js';

const count = async (database: DatabaseHandle, query: ReturnType<typeof sql>) =>
  Number(rowsOf<{ n: string | number }>(await database.db.execute(query))[0]?.n);

/**
 * Generated households renumbered into a series of their own (serials from 9xxxxxxxx), so that tests
 * of one suite never meet each other's household numbers.
 */
function households(city: 'quzhou' | 'lanzhou', persons: number, seed: number): ImportedHousehold[] {
  return [...syntheticRegister({ city, persons, seed })].map(({ household, members }, i) => {
    const id = crypto.randomUUID();
    const county = household.address.countyCode;
    return {
      household: {
        ...household,
        id,
        householdNumber: `${county}9${String(seed * 1000 + i).padStart(8, '0')}`,
      },
      members: members.map(({ person, membership }) => ({
        person,
        membership: { ...membership, householdId: id },
      })),
    };
  });
}

const itemOf = (household: ImportedHousehold): BatchItem => ({
  household,
  officer: { id: 'import', countyCode: household.household.address.countyCode },
  source: 'test',
});

describe.each(testDatabases())('bulk import on $name', ({ open }) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  it('seeds whole households with one chained import event each, and a re-run adds nothing', async () => {
    const report = await seedRegister(database, {
      city: 'quzhou',
      persons: 3000,
      seed: 11,
      duplicateRate: 0.01,
    });
    expect(report.imported + report.rejected).toBe(report.households);
    // Seeded same-id duplicates are refused: the register holds each citizen id once.
    expect(report.rejected).toBeGreaterThan(0);
    const persons = await count(database, sql`select count(*) as n from person`);
    expect(persons).toBe(report.persons - report.rejectedPersons);
    expect(
      await count(database, sql`select count(*) as n from register_event where type = 'household-import'`),
    ).toBe(report.imported);
    // Every household has exactly the members its event lists, and one head if it is a family.
    expect(
      await count(
        database,
        sql`select count(*) as n from register_event e join household h on h.id = e.household_ids[1]
            where e.type = 'household-import'
              and cardinality(e.person_ids) <> (select count(*) from membership m where m.household_id = h.id)`,
      ),
    ).toBe(0);
    const counties = rowsOf<{ county_code: string }>(
      await database.db.execute(sql`select county_code from ledger_head`),
    );
    expect(counties.length).toBeGreaterThan(1);
    for (const { county_code } of counties) {
      expect(await verifyCountyLedger(database.db, county_code)).toMatchObject({ isIntact: true });
    }
    const again = await seedRegister(database, {
      city: 'quzhou',
      persons: 3000,
      seed: 11,
      duplicateRate: 0.01,
    });
    expect(again.imported).toBe(0);
    expect(again.alreadyImported).toBe(report.imported);
    expect(await count(database, sql`select count(*) as n from person`)).toBe(persons);
  });

  it('rejects the household whose citizen id is taken and imports the rest of the batch', async () => {
    const [first, second, third] = households('lanzhou', 40, 5);
    if (!first || !second || !third) throw new Error('generator gave too few households');
    // The first household's head is already registered through the one-household path.
    expect(
      (await importHousehold(database.db, first, { id: 'import', countyCode: '620102' }, 'test')).status,
    ).toBe('imported');
    const taken = first.members[0]?.person;
    const clash: ImportedHousehold = {
      ...second,
      members: second.members.map((m, i) =>
        i === 0 && taken
          ? {
              ...m,
              person: { ...m.person, citizenId: taken.citizenId, birthDate: taken.birthDate, sex: taken.sex },
            }
          : m,
      ),
    };
    const outcomes = await importHouseholdBatch(database, [clash, third].map(itemOf));
    expect(outcomes[0]).toMatchObject({ status: 'rejected' });
    expect(outcomes[0]).toMatchObject({
      problems: [
        {
          field: 'citizenId',
          code: 'HUJI_IMPORT_ALREADY_REGISTERED',
          params: { householdNumber: first.household.householdNumber },
        },
      ],
    });
    expect(outcomes[1]).toMatchObject({ status: 'imported' });
    // Nothing of the rejected household was written; all of the other one was.
    expect(
      await count(database, sql`select count(*) as n from household where id = ${second.household.id}`),
    ).toBe(0);
    for (const m of second.members.slice(1))
      expect(await count(database, sql`select count(*) as n from person where id = ${m.person.id}`)).toBe(0);
    expect(
      await count(
        database,
        sql`select count(*) as n from membership where household_id = ${third.household.id}`,
      ),
    ).toBe(third.members.length);
    const county = third.household.address.countyCode;
    expect(await verifyCountyLedger(database.db, county)).toMatchObject({ isIntact: true });
  });

  it('rejects a household that fails the checks with the field and the rule, without touching the database', async () => {
    const [household] = households('quzhou', 10, 21);
    if (!household) throw new Error('generator gave no household');
    const broken: ImportedHousehold = {
      ...household,
      members: household.members.map((m, i) =>
        i === 0 ? { ...m, person: { ...m.person, birthDate: '1900-01-01' } } : m,
      ),
    };
    const [outcome] = await importHouseholdBatch(database, [itemOf(broken)]);
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(JSON.stringify(outcome)).toContain('"field":"birthDate"');
    expect(
      await count(database, sql`select count(*) as n from household where id = ${household.household.id}`),
    ).toBe(0);
  });

  it('redoes a batch the database refuses one household at a time, importing each household once', async () => {
    const [a, b] = households('quzhou', 12, 31);
    if (!a || !b) throw new Error('generator gave too few households');
    // The same household twice in one batch passes the pre-write checks but breaks a unique index in COPY.
    const outcomes = await importHouseholdBatch(database, [itemOf(a), itemOf(a), itemOf(b)]);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'already-imported', 'imported']);
    expect(await count(database, sql`select count(*) as n from household where id = ${a.household.id}`)).toBe(
      1,
    );
    expect(
      await count(
        database,
        sql`select count(*) as n from register_event where household_ids @> ARRAY[${a.household.id}]::uuid[]`,
      ),
    ).toBe(1);
    expect(await verifyCountyLedger(database.db, a.household.address.countyCode)).toMatchObject({
      isIntact: true,
    });
  });
});
