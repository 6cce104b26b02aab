/**
 * Allocates the citizen ID number for a birth (GB 11643-1999): the registering county's address code,
 * the birth date and the next free sequence of the child's sex, with its check character. Unique under
 * concurrent allocation: the counter is an atomic upsert and the number is claimed in the registry in
 * the same transaction, skipping numbers the register already holds.
 */
import type { DbExecutor } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { parseIsoDate, todayInChina, type IsoDate } from '../standards/calendar.js';
import { composeCitizenId, type CitizenId, type Sex } from '../standards/citizen-id.js';
import { findDivision } from '../standards/divisions.js';
import { claimCitizenId, takeNextSequence } from './repository.js';

export interface AllocationRequest {
  /** GB/T 2260 code of the county where the birth is registered (not a statistical unit). */
  readonly addressCode: string;
  readonly birthDate: IsoDate;
  readonly sex: Sex;
}

/**
 * Run it inside the transaction that registers the birth, so a failed registration gives the number
 * back (the counter update rolls back with it).
 */
export async function allocateCitizenId(
  tx: DbExecutor,
  request: AllocationRequest,
  today: IsoDate = todayInChina(),
): Promise<CitizenId> {
  const county = findDivision(request.addressCode);
  if (!county || county.level !== 'county' || !county.isCurrent || county.isStatisticalUnit) {
    throw new HujiError('HUJI_ID_ALLOCATION_NOT_COUNTY', { addressCode: request.addressCode });
  }
  const date = parseIsoDate(request.birthDate);
  if (!date || date.year < 1800) {
    throw new HujiError('HUJI_ID_DATE_IMPOSSIBLE', { dateCode: request.birthDate });
  }
  if (request.birthDate > today) throw new HujiError('HUJI_ID_DATE_FUTURE', { birthDate: request.birthDate });

  for (;;) {
    const sequence = await takeNextSequence(tx, county.code, request.birthDate, request.sex);
    if (sequence === undefined) {
      throw new HujiError('HUJI_ID_SEQUENCE_EXHAUSTED', {
        addressCode: county.code,
        birthDate: request.birthDate,
        sex: request.sex,
        sexZh: request.sex === 'male' ? '男' : '女',
      });
    }
    const citizenId = composeCitizenId(county.code, request.birthDate, sequence);
    if (await claimCitizenId(tx, citizenId, 'allocated', sequence)) return citizenId;
  }
}
