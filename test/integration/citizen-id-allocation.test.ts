/**
 * Allocation of new citizen ID numbers for births, on the real database: the right parity and
 * sequence, no number twice even when many registrations run at the same moment.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { allocateCitizenId } from '../../src/register/allocate-citizen-id.js';
import { claimCitizenId } from '../../src/register/repository.js';
import { checkCitizenId, composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';

describe.each(testDatabases())('citizen ID allocation on $name', ({ open }) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  const allocate = (addressCode: string, birthDate: string, sex: 'male' | 'female') =>
    database.db.transaction((tx) => allocateCitizenId(tx, { addressCode, birthDate, sex }, '2026-11-22'));

  it('gives 001 to the first boy and 002 to the first girl, with a valid check character', async () => {
    const boy = await allocate('330802', '2026-01-05', 'male');
    const girl = await allocate('330802', '2026-01-05', 'female');
    expect(boy).toBe(composeCitizenId('330802', '2026-01-05', 1));
    expect(girl).toBe(composeCitizenId('330802', '2026-01-05', 2));
    expect(checkCitizenId(boy).isValid && checkCitizenId(girl).isValid).toBe(true);
    expect(await allocate('330802', '2026-01-05', 'male')).toBe(composeCitizenId('330802', '2026-01-05', 3));
  });

  it('skips a number the register already holds from an import', async () => {
    const imported = composeCitizenId('330803', '2026-02-01', 1);
    await database.db.transaction((tx) => claimCitizenId(tx, imported, 'imported'));
    expect(await allocate('330803', '2026-02-01', 'male')).toBe(composeCitizenId('330803', '2026-02-01', 3));
  });

  it('gives the number back when the registering transaction fails', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await allocateCitizenId(
          tx,
          { addressCode: '330822', birthDate: '2026-03-01', sex: 'female' },
          '2026-11-22',
        );
        throw new Error('birth registration failed after allocation');
      }),
    ).rejects.toThrow('birth registration failed');
    expect(await allocate('330822', '2026-03-01', 'female')).toBe(
      composeCitizenId('330822', '2026-03-01', 2),
    );
  });

  it('never hands out the same number to concurrent registrations', async () => {
    const n = 60;
    const ids = await Promise.all(
      Array.from({ length: n }, (_, i) => allocate('620102', '2026-04-01', i % 2 === 0 ? 'male' : 'female')),
    );
    expect(new Set(ids).size).toBe(n);
    const sequences = ids.map((id) => Number(id.slice(14, 17)));
    expect(sequences.filter((s) => s % 2 === 1).sort((a, b) => a - b)).toEqual(
      Array.from({ length: n / 2 }, (_, i) => 2 * i + 1),
    );
    const stored = rowsOf<{ n: string }>(
      await database.db.execute(
        sql`select count(*) as n from citizen_id_registry where citizen_id like '62010220260401%'`,
      ),
    );
    expect(Number(stored[0]?.n)).toBe(n);
  });

  it('refuses when the parity is used up, naming the address, date and sex', async () => {
    await database.db.execute(
      sql`insert into citizen_id_sequence (address_code, birth_date, sex, last_sequence) values ('330881', '2026-05-01', 'male', 999)`,
    );
    await expect(allocate('330881', '2026-05-01', 'male')).rejects.toMatchObject({
      code: 'HUJI_ID_SEQUENCE_EXHAUSTED',
      params: { addressCode: '330881', birthDate: '2026-05-01', sex: 'male' },
    });
  });

  it('refuses statistical units, abolished codes and future dates', async () => {
    await expect(allocate('620171', '2026-01-01', 'male')).rejects.toMatchObject({
      code: 'HUJI_ID_ALLOCATION_NOT_COUNTY',
    });
    await expect(allocate('330821', '2026-01-01', 'male')).rejects.toMatchObject({
      code: 'HUJI_ID_ALLOCATION_NOT_COUNTY',
    });
    await expect(allocate('330802', '2026-12-01', 'male')).rejects.toMatchObject({
      code: 'HUJI_ID_DATE_FUTURE',
    });
    await expect(allocate('330802', '2026-02-30', 'male')).rejects.toMatchObject({
      code: 'HUJI_ID_DATE_IMPOSSIBLE',
    });
  });
});
