/** SQL of the register capability. Every function takes an explicit executor (a transaction or the db). */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import type { Sex } from '../standards/citizen-id.js';

/**
 * Atomically takes the next sequence of the sex's parity for (address code, birth date): an upsert that
 * row-locks the counter, so concurrent transactions queue and each sees the previous one's value.
 * Returns undefined when the parity's last sequence (999 or 998) is used.
 */
export async function takeNextSequence(
  tx: DbExecutor,
  addressCode: string,
  birthDate: string,
  sex: Sex,
): Promise<number | undefined> {
  const first = sex === 'male' ? 1 : 2;
  const rows = rowsOf<{ last_sequence: number }>(
    await tx.execute(sql`
      insert into citizen_id_sequence (address_code, birth_date, sex, last_sequence)
      values (${addressCode}, ${birthDate}, ${sex}, ${first})
      on conflict (address_code, birth_date, sex) do update
        set last_sequence = citizen_id_sequence.last_sequence + 2
        where citizen_id_sequence.last_sequence + 2 <= 999
      returning last_sequence`),
  );
  const value = rows[0]?.last_sequence;
  return value === undefined ? undefined : Number(value);
}

/** Records a number as taken; false when the register already holds it (e.g. from an import). */
export async function claimCitizenId(
  tx: DbExecutor,
  citizenId: string,
  origin: 'allocated' | 'imported' | 'registered',
  sequence?: number,
): Promise<boolean> {
  const rows = rowsOf<{ citizen_id: string }>(
    await tx.execute(sql`
      insert into citizen_id_registry (citizen_id, origin, sequence)
      values (${citizenId}, ${origin}, ${sequence ?? null})
      on conflict (citizen_id) do nothing
      returning citizen_id`),
  );
  return rows.length === 1;
}
