/**
 * The register's tables rebuilt from its ledger, on the real database: after imports (bulk and one
 * household at a time) and every kind of register command, a replay of the ledger agrees with the
 * `person`, `household` and `membership` tables row for row; rows changed, removed or added behind the
 * ledger's back are each reported and repaired; a tampered ledger is not rebuilt from.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { isHujiError } from '../../src/errors/huji-error.js';
import { RegisterCommand } from '../../src/register/commands.js';
import { loadDemoDuplicates } from '../../src/register/demo-duplicates.js';
import { executeRegisterCommand } from '../../src/register/execute-register-command.js';
import { findDuplicates } from '../../src/register/find-duplicates.js';
import { rebuildProjections } from '../../src/register/rebuild-projections.js';
import { duplicateCandidates, isoDateOf, type Officer } from '../../src/register/repository.js';
import { seedRegister } from '../../src/register/seed-register.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';

const CITY: Officer = { id: 'rebuild-city-1', countyCode: '330800' };
const kecheng = { text: '衢州市柯城区府山街道蛟池街 18 号', countyCode: '330802', townCode: '330802006' };
const qujiang = { text: '衢州市衢江区樟潭街道樟潭路 9 号', countyCode: '330803' };

describe.each(testDatabases())('register rebuilt from its ledger on $name', ({ open }) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await open();
    await seedRegister(database, { city: 'quzhou', persons: 300, seed: 41 });
    await loadDemoDuplicates(database.db);
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  const run = async (body: Record<string, unknown>) =>
    database.db.transaction((tx) => executeRegisterCommand(tx, RegisterCommand.parse(body), CITY));
  const count = async (table: 'person' | 'household' | 'membership' | 'register_event') =>
    Number(
      rowsOf<{ n: string | number }>(
        await database.db.execute(sql`select count(*) as n from ${sql.raw(table)}`),
      )[0]?.n,
    );

  it('agrees with the tables after every kind of register command', async () => {
    const head = await run({
      type: 'move-in',
      person: {
        name: '周建国',
        sex: '1',
        birthDate: '1985-04-02',
        citizenId: composeCitizenId('360102', '1985-04-02', 11),
        birthplace: '360102',
        ethnicity: '01',
      },
      permitNumber: 'ZQ2025101',
      fromDivision: '360102',
      newHousehold: { address: kecheng },
      relationship: '02',
      effectiveDate: '2025-01-06',
    });
    const household = head.householdIds[0] as string;
    const zhou = head.personIds[0] as string;
    const spouse = await run({
      type: 'move-in',
      person: {
        name: '吴丽',
        sex: '2',
        birthDate: '1987-09-30',
        citizenId: composeCitizenId('330803', '1987-09-30', 22),
        birthplace: '330803',
        ethnicity: '01',
      },
      permitNumber: 'ZQ2025102',
      fromDivision: '330803',
      householdId: household,
      relationship: '10',
      effectiveDate: '2025-02-10',
    });
    const wu = spouse.personIds[0] as string;
    const baby = await run({
      type: 'birth-registration',
      householdId: household,
      relationship: '20',
      person: { name: '周小宇', sex: '1', birthDate: '2025-05-20', birthplace: '330802', ethnicity: '01' },
      birthCertificateNumber: 'N330802250520',
    });
    const child = baby.personIds[0] as string;
    const uncle = await run({
      type: 'no-hukou-registration',
      person: { name: '周建业', sex: '1', birthDate: '1979-11-11', birthplace: '330802', ethnicity: '01' },
      householdId: household,
      relationship: '99',
      basis: '未办理出生登记的无户口人员',
      effectiveDate: '2025-06-01',
    });
    const jianye = uncle.personIds[0] as string;
    await run({ type: 'booklet-issue', householdId: household, reason: 'first' });
    await run({
      type: 'correction',
      personId: child,
      field: 'name',
      value: '周晓宇',
      reason: '出生医学证明姓名录入错误',
      evidence: '出生医学证明 N330802250520',
    });
    await run({ type: 'relationship-change', householdId: household, personId: jianye, relationship: '97' });
    // The uncle founds his own household in 衢江区; the head changes; the former head splits off.
    const own = await run({
      type: 'household-establishment',
      headPersonId: jianye,
      household: { address: qujiang },
      effectiveDate: '2025-07-01',
    });
    await run({
      type: 'head-change',
      householdId: household,
      newHeadPersonId: wu,
      relationships: [{ personId: zhou, relationship: '10' }],
      effectiveDate: '2025-08-01',
    });
    await run({
      type: 'household-split',
      fromHouseholdId: household,
      headPersonId: zhou,
      members: [],
      household: { address: { ...kecheng, text: '衢州市柯城区府山街道蛟池街 20 号' } },
      effectiveDate: '2025-09-01',
    });
    // The child moves to the uncle's household in another county, then the mother dies: registered ten
    // days after the day of death, her household closes on the day of death.
    await run({
      type: 'move-within-city',
      personId: child,
      toHouseholdId: own.householdIds[0],
      relationship: '99',
      effectiveDate: '2025-10-01',
    });
    await run({
      type: 'death-cancellation',
      personId: wu,
      dateOfDeath: '2025-11-01',
      deathCertificateNumber: 'D330802251101',
      effectiveDate: '2025-11-11',
    });
    await run({ type: 'move-out', personId: zhou, toDivision: '110105', effectiveDate: '2025-12-01' });
    const [pair] = findDuplicates(await duplicateCandidates(database.db, '330802'));
    expect(pair).toBeDefined();
    await run({
      type: 'duplicate-cancellation',
      personId: pair?.b,
      keptPersonId: pair?.a,
      reason: '同一人重复登记，经核实保留先登记的户口',
    });

    const check = await rebuildProjections(database.db, { repair: false });
    expect(check.examples).toEqual([]);
    expect(check.differences).toBe(0);
    expect(check.events).toBe(await count('register_event'));
    expect(check.persons).toBe(await count('person'));
    expect(check.households).toBe(await count('household'));
    expect(check.memberships).toBe(await count('membership'));
    // The death closed the mother's membership on the day of death, not on the day it was registered.
    const [mother] = rowsOf<{ valid_to: string | Date }>(
      await database.db.execute(sql`select valid_to from membership where person_id = ${wu}
        order by valid_from desc limit 1`),
    );
    expect(isoDateOf(mother?.valid_to as string)).toBe('2025-11-01');
  }, 120_000);

  it('reports each row changed, removed or added behind the ledger, and repairs them', async () => {
    const [person] = rowsOf<{ id: string; name: string }>(
      await database.db.execute(sql`select id, name from person order by id limit 1`),
    );
    const [household] = rowsOf<{ id: string }>(
      await database.db.execute(sql`select id from household order by id desc limit 1`),
    );
    const [closed] = rowsOf<{ household_id: string; person_id: string; valid_from: string | Date }>(
      await database.db.execute(
        sql`select household_id, person_id, valid_from from membership where valid_to is not null limit 1`,
      ),
    );
    const before = await count('household');
    await database.db.execute(sql`update person set name = '篡改' where id = ${person?.id}`);
    await database.db.execute(sql`delete from household where id = ${household?.id}`);
    await database.db.execute(sql`update membership set valid_to = null
      where household_id = ${closed?.household_id} and person_id = ${closed?.person_id} and valid_from = ${closed?.valid_from}`);
    await database.db
      .execute(sql`insert into membership (household_id, person_id, relationship, valid_from, event_id)
      values (${household?.id}, ${person?.id}, '99', '2020-01-01', gen_random_uuid())`);

    const check = await rebuildProjections(database.db, { repair: false });
    expect(check.differences).toBe(4);
    expect(check.byTable).toEqual({ person: 1, household: 1, membership: 2 });
    expect(check.examples).toEqual(
      expect.arrayContaining([
        { table: 'person', key: person?.id, kind: 'differs', fields: ['name'] },
        { table: 'household', key: household?.id, kind: 'missing', fields: [] },
        expect.objectContaining({ table: 'membership', kind: 'differs', fields: ['validTo'] }),
        {
          table: 'membership',
          key: `${household?.id}|${person?.id}|2020-01-01`,
          kind: 'unexpected',
          fields: [],
        },
      ]),
    );
    // A check writes nothing.
    expect(await count('household')).toBe(before - 1);

    const repaired = await rebuildProjections(database.db, { repair: true });
    expect(repaired.repaired).toBe(4);
    expect((await rebuildProjections(database.db, { repair: false })).differences).toBe(0);
    expect(await count('household')).toBe(before);
    const [restored] = rowsOf<{ name: string }>(
      await database.db.execute(sql`select name from person where id = ${person?.id}`),
    );
    expect(restored?.name).toBe(person?.name);
  }, 120_000);

  it('refuses to rebuild from a ledger whose chain does not verify, naming the county and event', async () => {
    await database.db.execute(sql`alter table register_event disable trigger register_event_no_change`);
    await database.db
      .execute(sql`update register_event set after = jsonb_set(after, '{households,0,status}', '"closed"')
      where county_code = '330802' and seq = 3`);
    await database.db.execute(sql`alter table register_event enable trigger register_event_no_change`);
    for (const repair of [false, true]) {
      const error = await rebuildProjections(database.db, { repair }).catch((e: unknown) => e);
      expect(isHujiError(error) && error.code).toBe('HUJI_REGISTER_LEDGER_BROKEN');
      expect(isHujiError(error) && error.messageIn('zh-CN')).toContain('330802 的登记链在第 3 条事件处');
    }
  }, 60_000);
});
