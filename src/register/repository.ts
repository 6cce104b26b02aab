/** SQL of the register capability. Every function takes an explicit executor (a transaction or the db). */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pinyin } from 'pinyin-pro';
import { canonicalJson } from '../db/canonical-json.js';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import type { Sex } from '../standards/citizen-id.js';
import type { ProjectionOp, RegisterChange, RegisterState } from './decide.js';
import { comparedBirthplace } from './find-duplicates.js';
import type { Household, Membership, Person } from './model.js';

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

// ——— Register state, ledger and queries ———

/** Toneless lower-case pinyin with spaces between syllables: 张三 → "zhang san". */
export function namePinyin(name: string): string {
  return pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join(' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export interface PersonRow {
  id: string;
  citizen_id: string;
  name: string;
  former_names: string[];
  sex: string;
  birth_date: string | Date;
  ethnicity: string | null;
  birthplace: string | null;
  education: string | null;
  marital_status: string | null;
  occupation: string | null;
  service_place: string | null;
  legacy_hukou_nature: Person['legacyHukouNature'];
  status: Person['status'];
  county_code: string;
}

export interface HouseholdRow {
  id: string;
  household_number: string;
  type: Household['type'];
  address: Household['address'];
  head_person_id: string | null;
  status: Household['status'];
}

export interface MembershipRow {
  household_id: string;
  person_id: string;
  relationship: string;
  valid_from: string | Date;
  valid_to: string | Date | null;
}

/** PGlite returns DATE as a Date at UTC midnight, node-postgres as a Date in local time: normalise. */
export function isoDateOf(value: string | Date): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const y = value.getFullYear();
  const local = `${y}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
  const utc = value.toISOString().slice(0, 10);
  // A DATE has no time: whichever reading gives midnight is the one the driver meant.
  return value.getUTCHours() === 0 && value.getUTCMinutes() === 0 ? utc : local;
}

export function personFromRow(r: PersonRow): Person {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    name: r.name,
    formerNames: r.former_names,
    sex: r.sex as Person['sex'],
    birthDate: isoDateOf(r.birth_date),
    ethnicity: r.ethnicity,
    birthplace: r.birthplace,
    ...(r.education ? { education: r.education } : {}),
    ...(r.marital_status ? { maritalStatus: r.marital_status } : {}),
    ...(r.occupation ? { occupation: r.occupation } : {}),
    ...(r.service_place ? { servicePlace: r.service_place } : {}),
    legacyHukouNature: r.legacy_hukou_nature,
    status: r.status,
    countyCode: r.county_code,
  };
}

export function householdFromRow(r: HouseholdRow): Household {
  return {
    id: r.id,
    householdNumber: r.household_number,
    type: r.type,
    address: r.address,
    headPersonId: r.head_person_id,
    status: r.status,
  };
}

export function membershipFromRow(r: MembershipRow): Membership {
  return {
    householdId: r.household_id,
    personId: r.person_id,
    relationship: r.relationship,
    validFrom: isoDateOf(r.valid_from),
    validTo: r.valid_to === null ? null : isoDateOf(r.valid_to),
  };
}

const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * Loads, with row locks, everything a command may touch: the named persons and households, the
 * households the persons belong to, and all open memberships of those households.
 */
export async function loadRegisterState(
  tx: DbExecutor,
  refs: { personIds: readonly string[]; householdIds: readonly string[]; citizenId?: string },
): Promise<RegisterState> {
  const persons = new Map<string, Person>();
  const households = new Map<string, Household>();
  if (refs.personIds.length > 0) {
    for (const r of rowsOf<PersonRow>(
      await tx.execute(sql`select * from person where id = any(${uuidArray(refs.personIds)}) for update`),
    )) {
      persons.set(r.id, personFromRow(r));
    }
  }
  const memberHouseholds =
    refs.personIds.length === 0
      ? []
      : rowsOf<{ household_id: string }>(
          await tx.execute(
            sql`select household_id from membership where person_id = any(${uuidArray(refs.personIds)}) and valid_to is null`,
          ),
        ).map((r) => r.household_id);
  const householdIds = [...new Set([...refs.householdIds, ...memberHouseholds])];
  if (householdIds.length > 0) {
    for (const r of rowsOf<HouseholdRow>(
      await tx.execute(
        sql`select * from household where id = any(${uuidArray(householdIds)}) order by id for update`,
      ),
    )) {
      households.set(r.id, householdFromRow(r));
    }
  }
  const memberships =
    householdIds.length === 0
      ? []
      : rowsOf<MembershipRow>(
          await tx.execute(
            sql`select * from membership where household_id = any(${uuidArray(householdIds)}) and valid_to is null`,
          ),
        ).map(membershipFromRow);
  // Members of the loaded households are part of the state too (a successor head, for instance).
  const missing = memberships.map((m) => m.personId).filter((id) => !persons.has(id));
  if (missing.length > 0) {
    for (const r of rowsOf<PersonRow>(
      await tx.execute(sql`select * from person where id = any(${uuidArray(missing)})`),
    )) {
      persons.set(r.id, personFromRow(r));
    }
  }
  let byCitizenId: RegisterState['byCitizenId'];
  if (refs.citizenId) {
    const [row] = rowsOf<PersonRow & { household_number: string | null }>(
      await tx.execute(sql`
        select p.*, h.household_number from person p
        left join membership m on m.person_id = p.id and m.valid_to is null
        left join household h on h.id = m.household_id
        where p.citizen_id = ${refs.citizenId} for update of p`),
    );
    if (row) byCitizenId = { person: personFromRow(row), householdNumber: row.household_number ?? '—' };
  }
  return { persons, households, memberships, ...(byCitizenId ? { byCitizenId } : {}) };
}

/**
 * Takes the next household number of a county: county code + 9-digit serial. Imported households bring
 * their own numbers without moving the sequence, so the serial also goes past the county's highest
 * number in use (one probe of the unique index).
 */
export async function takeHouseholdNumber(tx: DbExecutor, countyCode: string): Promise<string> {
  const [row] = rowsOf<{ last_serial: string | number }>(
    await tx.execute(sql`
      with highest as (
        select coalesce(max(substr(household_number, 7)::bigint), 0) as serial from household
        where household_number between ${`${countyCode}000000000`} and ${`${countyCode}999999999`})
      insert into household_number_sequence (county_code, last_serial)
        values (${countyCode}, (select serial from highest) + 1)
      on conflict (county_code) do update
        set last_serial = greatest(household_number_sequence.last_serial, (select serial from highest)) + 1
      returning last_serial`),
  );
  return `${countyCode}${String(row?.last_serial ?? 1).padStart(9, '0')}`;
}

/** Writes a person's projection row (insert, or replace and bump its version). */
export async function putPersonRow(tx: DbExecutor, p: Person) {
  await tx.execute(sql`
    insert into person (id, citizen_id, name, name_pinyin, former_names, sex, birth_date, ethnicity, birthplace, education,
      marital_status, occupation, service_place, legacy_hukou_nature, status, county_code)
    values (${p.id}, ${p.citizenId}, ${p.name}, ${namePinyin(p.name)}, ${JSON.stringify(p.formerNames)}::jsonb, ${p.sex}, ${p.birthDate},
      ${p.ethnicity}, ${p.birthplace}, ${p.education ?? null}, ${p.maritalStatus ?? null}, ${p.occupation ?? null},
      ${p.servicePlace ?? null}, ${JSON.stringify(p.legacyHukouNature)}::jsonb, ${p.status}, ${p.countyCode})
    on conflict (id) do update set citizen_id = excluded.citizen_id, name = excluded.name, name_pinyin = excluded.name_pinyin,
      former_names = excluded.former_names, sex = excluded.sex, birth_date = excluded.birth_date, ethnicity = excluded.ethnicity,
      birthplace = excluded.birthplace, education = excluded.education, marital_status = excluded.marital_status,
      occupation = excluded.occupation, service_place = excluded.service_place,
      legacy_hukou_nature = excluded.legacy_hukou_nature, status = excluded.status, county_code = excluded.county_code,
      version = person.version + 1`);
}

/** Writes a household's projection row (insert or replace). */
export async function putHouseholdRow(tx: DbExecutor, h: Household) {
  await tx.execute(sql`
    insert into household (id, household_number, type, address, county_code, village_code, head_person_id, status)
    values (${h.id}, ${h.householdNumber}, ${h.type}, ${JSON.stringify(h.address)}::jsonb, ${h.address.countyCode},
      ${h.address.villageCode ?? null}, ${h.headPersonId}, ${h.status})
    on conflict (id) do update set household_number = excluded.household_number, type = excluded.type,
      address = excluded.address, county_code = excluded.county_code, village_code = excluded.village_code,
      head_person_id = excluded.head_person_id, status = excluded.status`);
}

async function applyOp(tx: DbExecutor, op: ProjectionOp, eventId: string) {
  switch (op.op) {
    case 'put-person':
      return putPersonRow(tx, op.person);
    case 'put-household':
      return putHouseholdRow(tx, op.household);
    case 'open-membership': {
      const m = op.membership;
      await tx.execute(sql`
        insert into membership (household_id, person_id, relationship, valid_from, valid_to, event_id)
        values (${m.householdId}, ${m.personId}, ${m.relationship}, ${m.validFrom}, null, ${eventId})
        on conflict (household_id, person_id, valid_from) do update set relationship = excluded.relationship, valid_to = null,
          event_id = excluded.event_id`);
      return;
    }
    case 'close-membership':
      await tx.execute(sql`
        update membership set valid_to = ${op.date}
        where household_id = ${op.householdId} and person_id = ${op.personId} and valid_to is null`);
      return;
  }
}

export interface LedgerEventRecord {
  readonly countyCode: string;
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly effectiveDate: string;
  readonly recordedAt: string;
  readonly officerId: string;
  readonly officerCounty: string;
  readonly sourceApplication: string | null;
  readonly personIds: readonly string[];
  readonly householdIds: readonly string[];
  readonly payload: unknown;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of the event's canonical form, chained to the previous event's hash (suite `international`). */
export function eventHash(e: LedgerEventRecord): string {
  return createHash('sha256').update(canonicalJson(e)).digest('hex');
}

export interface Officer {
  readonly id: string;
  readonly countyCode: string;
}

/**
 * Appends the change to its county's chain and applies it to the projections, in the caller's
 * transaction. The chain head's row lock orders appends within a county.
 */
export async function appendRegisterEvent(
  tx: DbExecutor,
  change: RegisterChange,
  meta: { id: string; officer: Officer; recordedAt: string },
): Promise<{ seq: number; hash: string }> {
  await tx.execute(
    sql`insert into ledger_head (county_code, seq, hash) values (${change.countyCode}, 0, ${GENESIS_HASH}) on conflict do nothing`,
  );
  const [head] = rowsOf<{ seq: string | number; hash: string }>(
    await tx.execute(
      sql`select seq, hash from ledger_head where county_code = ${change.countyCode} for update`,
    ),
  );
  const record: LedgerEventRecord = {
    countyCode: change.countyCode,
    seq: Number(head?.seq ?? 0) + 1,
    id: meta.id,
    type: change.type,
    effectiveDate: change.effectiveDate,
    recordedAt: meta.recordedAt,
    officerId: meta.officer.id,
    officerCounty: meta.officer.countyCode,
    sourceApplication: change.payload.sourceApplication ?? null,
    personIds: change.personIds,
    householdIds: change.householdIds,
    payload: change.payload,
    before: change.before ?? null,
    after: change.after ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = eventHash(record);
  await tx.execute(sql`
    insert into register_event (county_code, seq, id, type, effective_date, recorded_at, officer_id, officer_county,
      source_application, person_ids, household_ids, payload, before, after, prev_hash, hash)
    values (${record.countyCode}, ${record.seq}, ${record.id}, ${record.type}, ${record.effectiveDate}, ${record.recordedAt},
      ${record.officerId}, ${record.officerCounty}, ${record.sourceApplication}, ${uuidArray(record.personIds)},
      ${uuidArray(record.householdIds)}, ${canonicalJson(record.payload)}::jsonb, ${canonicalJson(record.before)}::jsonb,
      ${canonicalJson(record.after)}::jsonb, ${record.prevHash}, ${hash})`);
  await tx.execute(
    sql`update ledger_head set seq = ${record.seq}, hash = ${hash} where county_code = ${change.countyCode}`,
  );
  for (const op of change.ops) await applyOp(tx, op, meta.id);
  return { seq: record.seq, hash };
}

export interface EventRow {
  county_code: string;
  seq: string | number;
  id: string;
  type: string;
  effective_date: string | Date;
  recorded_at: string | Date;
  officer_id: string;
  officer_county: string;
  source_application: string | null;
  person_ids: string[];
  household_ids: string[];
  payload: unknown;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export function eventFromRow(r: EventRow): LedgerEventRecord & { hash: string } {
  return {
    countyCode: r.county_code,
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    effectiveDate: isoDateOf(r.effective_date),
    recordedAt: new Date(r.recorded_at).toISOString(),
    officerId: r.officer_id,
    officerCounty: r.officer_county,
    sourceApplication: r.source_application,
    personIds: r.person_ids,
    householdIds: r.household_ids,
    payload: r.payload,
    before: r.before,
    after: r.after,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Every event of a county in chain order. */
export async function countyEvents(
  tx: DbExecutor,
  countyCode: string,
): Promise<(LedgerEventRecord & { hash: string })[]> {
  return rowsOf<EventRow>(
    await tx.execute(sql`select * from register_event where county_code = ${countyCode} order by seq`),
  ).map(eventFromRow);
}

/** Events that touched a person or a household, oldest first. */
export async function eventsOf(
  tx: DbExecutor,
  ref: { personId?: string; householdId?: string },
): Promise<(LedgerEventRecord & { hash: string })[]> {
  const rows = ref.personId
    ? await tx.execute(
        sql`select * from register_event where person_ids @> ${uuidArray([ref.personId])} order by effective_date, recorded_at, seq`,
      )
    : await tx.execute(
        sql`select * from register_event where household_ids @> ${uuidArray([ref.householdId ?? ''])} order by effective_date, recorded_at, seq`,
      );
  return rowsOf<EventRow>(rows).map(eventFromRow);
}

export async function findPersonById(tx: DbExecutor, id: string): Promise<Person | undefined> {
  const [row] = rowsOf<PersonRow>(await tx.execute(sql`select * from person where id = ${id}`));
  return row ? personFromRow(row) : undefined;
}

export async function findPersonByCitizenId(tx: DbExecutor, citizenId: string): Promise<Person | undefined> {
  const [row] = rowsOf<PersonRow>(
    await tx.execute(sql`select * from person where citizen_id = ${citizenId.toUpperCase()}`),
  );
  return row ? personFromRow(row) : undefined;
}

export async function findHousehold(
  tx: DbExecutor,
  ref: { id?: string; householdNumber?: string },
): Promise<Household | undefined> {
  const rows = ref.id
    ? await tx.execute(sql`select * from household where id = ${ref.id}`)
    : await tx.execute(sql`select * from household where household_number = ${ref.householdNumber ?? ''}`);
  const [row] = rowsOf<HouseholdRow>(rows);
  return row ? householdFromRow(row) : undefined;
}

/** Memberships of a household that were in force on a date. */
export async function membershipsAt(
  tx: DbExecutor,
  householdId: string,
  date: string,
): Promise<Membership[]> {
  return rowsOf<MembershipRow>(
    await tx.execute(sql`
      select * from membership where household_id = ${householdId}
        and valid_from <= ${date} and (valid_to is null or valid_to > ${date})
      order by relationship, valid_from`),
  ).map(membershipFromRow);
}

/** The membership of a person in force on a date. */
export async function membershipOfPersonAt(
  tx: DbExecutor,
  personId: string,
  date: string,
): Promise<Membership | undefined> {
  const [row] = rowsOf<MembershipRow>(
    await tx.execute(sql`
      select * from membership where person_id = ${personId}
        and valid_from <= ${date} and (valid_to is null or valid_to > ${date})
      order by valid_from desc limit 1`),
  );
  return row ? membershipFromRow(row) : undefined;
}

export async function personsByIds(tx: DbExecutor, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  return rowsOf<PersonRow>(await tx.execute(sql`select * from person where id = any(${uuidArray(ids)})`)).map(
    personFromRow,
  );
}

export interface PersonSearch {
  readonly citizenId?: string;
  readonly name?: string;
  readonly birthDate?: string;
  readonly householdNumber?: string;
  readonly countyPrefix?: string;
  readonly limit: number;
}

/** Finds persons by id, name (汉字 or pinyin), birth date or household number, within a jurisdiction. */
export async function searchPersons(
  tx: DbExecutor,
  q: PersonSearch,
): Promise<(Person & { householdNumber: string | null })[]> {
  const conditions = [sql`true`];
  if (q.citizenId) conditions.push(sql`p.citizen_id = ${q.citizenId.toUpperCase()}`);
  if (q.birthDate) conditions.push(sql`p.birth_date = ${q.birthDate}`);
  if (q.householdNumber) conditions.push(sql`h.household_number = ${q.householdNumber}`);
  if (q.countyPrefix) conditions.push(sql`p.county_code like ${`${q.countyPrefix}%`}`);
  if (q.name) {
    const n = q.name.trim();
    if (/[\u3400-\u9fff\u{20000}-\u{2ffff}]/u.test(n))
      conditions.push(sql`(p.name = ${n} or ${n} = any(select jsonb_array_elements_text(p.former_names)))`);
    else {
      const spaced = n.toLowerCase().replace(/\s+/g, ' ');
      const joined = spaced.replaceAll(' ', '');
      conditions.push(sql`(p.name_pinyin = ${spaced} or replace(p.name_pinyin, ' ', '') = ${joined})`);
    }
  }
  const where = sql.join(conditions, sql` and `);
  const rows = rowsOf<PersonRow & { household_number: string | null }>(
    await tx.execute(sql`
      select p.*, h.household_number from person p
      left join membership m on m.person_id = p.id and m.valid_to is null
      left join household h on h.id = m.household_id
      where ${where}
      order by p.name, p.birth_date limit ${q.limit}`),
  );
  return rows.map((r) => ({ ...personFromRow(r), householdNumber: r.household_number }));
}

/** Registered persons and households of a county on a date, from the membership intervals. */
export async function countyCountsAt(tx: DbExecutor, countyCode: string, date: string) {
  const [row] = rowsOf<{
    persons: string | number;
    households: string | number;
    male: string | number;
    female: string | number;
  }>(
    await tx.execute(sql`
      select count(distinct m.person_id) as persons, count(distinct m.household_id) as households,
        count(distinct m.person_id) filter (where p.sex = '1') as male,
        count(distinct m.person_id) filter (where p.sex = '2') as female
      from membership m join household h on h.id = m.household_id join person p on p.id = m.person_id
      where h.county_code = ${countyCode} and m.valid_from <= ${date} and (m.valid_to is null or m.valid_to > ${date})`),
  );
  return {
    persons: Number(row?.persons ?? 0),
    households: Number(row?.households ?? 0),
    male: Number(row?.male ?? 0),
    female: Number(row?.female ?? 0),
  };
}

/** Active persons with their open household, as candidates for duplicate detection, within a jurisdiction. */
export async function duplicateCandidates(tx: DbExecutor, countyPrefix: string) {
  return rowsOf<{
    person_id: string;
    household_id: string;
    citizen_id: string;
    name: string;
    sex: string;
    birth_date: string | Date;
    birthplace: string | null;
    ethnicity: string | null;
    education: string | null;
    marital_status: string | null;
    occupation: string | null;
  }>(
    await tx.execute(sql`
      select p.id as person_id, m.household_id, p.citizen_id, p.name, p.sex, p.birth_date, p.birthplace,
        p.ethnicity, p.education, p.marital_status, p.occupation
      from person p join membership m on m.person_id = p.id and m.valid_to is null
      where p.status = 'active' and p.county_code like ${`${countyPrefix}%`}`),
  ).map((r) => ({
    personId: r.person_id,
    householdId: r.household_id,
    citizenId: r.citizen_id,
    name: r.name,
    sex: r.sex,
    birthDate: isoDateOf(r.birth_date),
    birthplace: comparedBirthplace(r.birthplace, r.citizen_id),
    // Compared when both records hold them (find-duplicates ATTRIBUTE_AGREEMENT).
    ethnicity: r.ethnicity ?? undefined,
    education: r.education ?? undefined,
    maritalStatus: r.marital_status ?? undefined,
    occupation: r.occupation ?? undefined,
  }));
}

/** The current members of every active household within a jurisdiction, household by household (export). */
export async function exportRows(tx: DbExecutor, countyPrefix: string) {
  return rowsOf<
    PersonRow & {
      household_number: string;
      type: string;
      address: Record<string, string>;
      relationship: string;
      valid_from: string | Date;
    }
  >(
    await tx.execute(sql`
      select p.*, h.household_number, h.type, h.address, m.relationship, m.valid_from
      from household h join membership m on m.household_id = h.id and m.valid_to is null join person p on p.id = m.person_id
      where h.status = 'active' and h.county_code like ${`${countyPrefix}%`}
      order by h.household_number, m.relationship, p.birth_date`),
  );
}
