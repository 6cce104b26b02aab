/**
 * The bulk path of household imports (`huji import persons`, `huji seed`): the same checks and the same
 * ledger events as `importHousehold`, but a batch of whole households per transaction, written with COPY.
 *
 * Guarantees are those of the one-household path: a household is written whole or not at all (the batch
 * is one transaction, and a household the database would refuse is taken out before writing); a household
 * number already in the register is skipped, so an interrupted import re-runs without duplicates; each
 * household is one `household-import` event chained in its county's ledger. If the batch still fails on
 * a constraint (a concurrent writer took a citizen id between our check and our write), it is redone one
 * household at a time, so one bad household never costs the others.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { canonicalJson } from '../db/canonical-json.js';
import { copyText, type DatabaseHandle } from '../db/connection.js';
import {
  alreadyRegistered,
  checkImportedHousehold,
  importHousehold,
  type ImportedHousehold,
  type ImportOutcome,
  type RowProblem,
} from './import-households.js';
import type { Household } from './model.js';
import { GENESIS_HASH, namePinyin, type LedgerEventRecord, type Officer } from './repository.js';

export interface BatchItem {
  readonly household: ImportedHousehold;
  /** The officer the event records; by default one of the household's county. */
  readonly officer: Officer;
  readonly source: string;
}

const PERSON_COLUMNS = [
  'id',
  'citizen_id',
  'name',
  'name_pinyin',
  'former_names',
  'sex',
  'birth_date',
  'ethnicity',
  'birthplace',
  'education',
  'marital_status',
  'occupation',
  'service_place',
  'legacy_hukou_nature',
  'status',
  'county_code',
] as const;
const HOUSEHOLD_COLUMNS = [
  'id',
  'household_number',
  'type',
  'address',
  'county_code',
  'village_code',
  'head_person_id',
  'status',
] as const;
const MEMBERSHIP_COLUMNS = [
  'household_id',
  'person_id',
  'relationship',
  'valid_from',
  'valid_to',
  'event_id',
];
const REGISTRY_COLUMNS = ['citizen_id', 'origin'];
const EVENT_COLUMNS = [
  'county_code',
  'seq',
  'id',
  'type',
  'effective_date',
  'recorded_at',
  'officer_id',
  'officer_county',
  'source_application',
  'person_ids',
  'household_ids',
  'payload',
  'before',
  'after',
  'prev_hash',
  'hash',
];

const line = (fields: readonly (string | number | null | undefined)[]) =>
  `${fields.map(copyText).join('\t')}\n`;

/** Everything about a household that does not depend on the database, computed before the transaction. */
interface PreparedHousehold {
  readonly index: number;
  readonly item: BatchItem;
  readonly household: Household;
  readonly countyCode: string;
  readonly eventId: string;
  readonly effectiveDate: string;
  readonly payload: { type: 'household-import'; source: string; householdNumber: string };
  readonly after: string;
  readonly personRows: string;
  readonly membershipRows: string;
  readonly registryRows: string;
}

function prepare(item: BatchItem, index: number): PreparedHousehold {
  const input = item.household;
  const head = input.members.find((m) => m.membership.relationship === '02');
  const household: Household = {
    ...input.household,
    headPersonId: head?.person.id ?? input.household.headPersonId,
  };
  const eventId = crypto.randomUUID();
  let personRows = '';
  let membershipRows = '';
  let registryRows = '';
  let effectiveDate = '9999-12-31';
  for (const { person: p, membership: m } of input.members) {
    personRows += line([
      p.id,
      p.citizenId,
      p.name,
      namePinyin(p.name),
      JSON.stringify(p.formerNames),
      p.sex,
      p.birthDate,
      p.ethnicity,
      p.birthplace,
      p.education,
      p.maritalStatus,
      p.occupation,
      p.servicePlace,
      JSON.stringify(p.legacyHukouNature),
      p.status,
      p.countyCode,
    ]);
    membershipRows += line([m.householdId, m.personId, m.relationship, m.validFrom, null, eventId]);
    registryRows += line([p.citizenId, 'imported']);
    if (m.validFrom < effectiveDate) effectiveDate = m.validFrom;
  }
  return {
    index,
    item,
    household,
    countyCode: household.address.countyCode,
    eventId,
    effectiveDate,
    payload: { type: 'household-import', source: item.source, householdNumber: household.householdNumber },
    after: canonicalJson({
      households: [household],
      persons: input.members.map((m) => m.person),
      memberships: input.members.map((m) => m.membership),
    }),
    personRows,
    membershipRows,
    registryRows,
  };
}

/**
 * The canonical JSON of a ledger record, with `after` already canonical: the same string `eventHash`
 * hashes (keys in sorted order), without serialising the household a second time.
 */
function recordJson(record: Omit<LedgerEventRecord, 'after'>, after: string): string {
  const { countyCode, seq, id, type, effectiveDate, recordedAt, officerId, officerCounty } = record;
  return (
    `{"after":${after},"before":${canonicalJson(record.before)},"countyCode":${JSON.stringify(countyCode)},` +
    `"effectiveDate":${JSON.stringify(effectiveDate)},"householdIds":${canonicalJson(record.householdIds)},` +
    `"id":${JSON.stringify(id)},"officerCounty":${JSON.stringify(officerCounty)},"officerId":${JSON.stringify(officerId)},` +
    `"payload":${canonicalJson(record.payload)},"personIds":${canonicalJson(record.personIds)},` +
    `"prevHash":${JSON.stringify(record.prevHash)},"recordedAt":${JSON.stringify(recordedAt)},"seq":${seq},` +
    `"sourceApplication":${canonicalJson(record.sourceApplication)},"type":${JSON.stringify(type)}}`
  );
}

/** Persons imported by one pipeline after which table statistics are refreshed. */
const ANALYZE_AFTER_PERSONS = 10_000;

const pgArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

class ConstraintRace extends Error {}

/**
 * Imports a batch of households; returns one outcome per item, in order. Households that fail the
 * checks are rejected with their problems and nothing of them is written.
 */
export async function importHouseholdBatch(
  database: DatabaseHandle,
  items: readonly BatchItem[],
): Promise<ImportOutcome[]> {
  return writePreparedBatch(database, prepareBatch(items));
}

/** A batch checked and serialised, ready to write: the CPU half of an import, done without the database. */
export interface PreparedBatch {
  readonly outcomes: (ImportOutcome | undefined)[];
  readonly candidates: readonly PreparedHousehold[];
}

/** Checks every household and serialises those that pass (synchronous: no database). */
export function prepareBatch(items: readonly BatchItem[]): PreparedBatch {
  const outcomes: (ImportOutcome | undefined)[] = items.map(() => undefined);
  const candidates: PreparedHousehold[] = [];
  const inBatch = new Map<string, string>();
  for (const [index, item] of items.entries()) {
    const problems: RowProblem[] = checkImportedHousehold(item.household);
    const number = item.household.household.householdNumber;
    item.household.members.forEach(({ person }, member) => {
      const earlier = inBatch.get(person.citizenId);
      if (earlier !== undefined && earlier !== number) problems.push(alreadyRegistered(member, earlier));
    });
    if (problems.length > 0) {
      outcomes[index] = { status: 'rejected', problems };
      continue;
    }
    for (const { person } of item.household.members) inBatch.set(person.citizenId, number);
    candidates.push(prepare(item, index));
  }
  return { outcomes, candidates };
}

/** Writes a prepared batch in one transaction (or, if the database refuses it, household by household). */
export async function writePreparedBatch(
  database: DatabaseHandle,
  { outcomes, candidates }: PreparedBatch,
): Promise<ImportOutcome[]> {
  if (candidates.length > 0) {
    try {
      await writeBatch(database, candidates, outcomes);
    } catch (error) {
      if (!(error instanceof ConstraintRace) && !isUniqueViolation(error)) throw error;
      for (const c of candidates) {
        outcomes[c.index] = await importHousehold(
          database.db,
          c.item.household,
          c.item.officer,
          c.item.source,
        );
      }
    }
  }
  return outcomes.map((o) => o ?? { status: 'already-imported' });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

async function writeBatch(
  database: DatabaseHandle,
  candidates: readonly PreparedHousehold[],
  outcomes: (ImportOutcome | undefined)[],
): Promise<void> {
  await database.bulkTransaction(async (session) => {
    // Lock the chain heads of the batch's counties first (in code order, so two imports never deadlock):
    // from here on no other writer can append to these counties, or import the same households.
    const counties = [...new Set(candidates.map((c) => c.countyCode))].sort();
    await session.query(
      `insert into ledger_head (county_code, seq, hash) select unnest($1::text[]), 0, $2 on conflict do nothing`,
      [counties, GENESIS_HASH],
    );
    const heads = new Map(
      (
        await session.query<{ county_code: string; seq: string | number; hash: string }>(
          `select county_code, seq, hash from ledger_head where county_code = any($1::text[]) order by county_code for update`,
          [counties],
        )
      ).map((h) => [h.county_code, { seq: Number(h.seq), hash: h.hash }]),
    );
    const existing = new Set(
      (
        await session.query<{ household_number: string }>(
          `select household_number from household where household_number = any($1::bpchar[])`,
          [candidates.map((c) => c.household.householdNumber)],
        )
      ).map((r) => r.household_number),
    );
    const allIds = candidates.flatMap((c) => c.item.household.members.map((m) => m.person.citizenId));
    // Which ids are taken: an index-only probe of the registry. The joins that name the holder's household
    // run only for the few ids found (one query joining all four tables planned badly as they grew).
    const taken = (
      await session.query<{ citizen_id: string }>(
        `select citizen_id from citizen_id_registry where citizen_id = any($1::bpchar[])`,
        [allIds],
      )
    ).map((r) => r.citizen_id.trim());
    const holders = new Map<string, string | null>(taken.map((id) => [id, null]));
    if (taken.length > 0) {
      for (const r of await session.query<{ citizen_id: string; household_number: string | null }>(
        `select p.citizen_id, h.household_number from person p
           left join membership m on m.person_id = p.id and m.valid_to is null
           left join household h on h.id = m.household_id
         where p.citizen_id = any($1::bpchar[])`,
        [taken],
      ))
        holders.set(r.citizen_id.trim(), r.household_number);
    }
    let persons = '';
    let households = '';
    let memberships = '';
    let registry = '';
    let events = '';
    const recordedAt = new Date().toISOString();
    for (const c of candidates) {
      if (existing.has(c.household.householdNumber)) {
        outcomes[c.index] = { status: 'already-imported' };
        continue;
      }
      const problems: RowProblem[] = [];
      c.item.household.members.forEach(({ person }, member) => {
        if (!holders.has(person.citizenId)) return;
        const holder = holders.get(person.citizenId);
        problems.push(alreadyRegistered(member, holder));
      });
      if (problems.length > 0) {
        outcomes[c.index] = { status: 'rejected', problems };
        continue;
      }
      const head = heads.get(c.countyCode);
      if (!head) throw new ConstraintRace('ledger head missing');
      const record = {
        countyCode: c.countyCode,
        seq: head.seq + 1,
        id: c.eventId,
        type: 'household-import',
        effectiveDate: c.effectiveDate,
        recordedAt,
        officerId: c.item.officer.id,
        officerCounty: c.item.officer.countyCode,
        sourceApplication: null,
        personIds: c.item.household.members.map((m) => m.person.id),
        householdIds: [c.household.id],
        payload: c.payload,
        before: null,
        prevHash: head.hash,
      };
      const hash = createHash('sha256').update(recordJson(record, c.after)).digest('hex');
      heads.set(c.countyCode, { seq: record.seq, hash });
      const h = c.household;
      households += line([
        h.id,
        h.householdNumber,
        h.type,
        JSON.stringify(h.address),
        h.address.countyCode,
        h.address.villageCode,
        h.headPersonId,
        h.status,
      ]);
      persons += c.personRows;
      memberships += c.membershipRows;
      registry += c.registryRows;
      events += line([
        record.countyCode,
        record.seq,
        record.id,
        record.type,
        record.effectiveDate,
        record.recordedAt,
        record.officerId,
        record.officerCounty,
        null,
        pgArray(record.personIds),
        pgArray(record.householdIds),
        canonicalJson(record.payload),
        'null',
        c.after,
        record.prevHash,
        hash,
      ]);
      outcomes[c.index] = { status: 'imported', seq: record.seq };
    }
    if (events === '') return;
    await session.copyIn('citizen_id_registry', REGISTRY_COLUMNS, registry);
    await session.copyIn('household', HOUSEHOLD_COLUMNS, households);
    await session.copyIn('person', PERSON_COLUMNS, persons);
    await session.copyIn('membership', MEMBERSHIP_COLUMNS, memberships);
    await session.copyIn('register_event', EVENT_COLUMNS, events);
    for (const [county, head] of heads) {
      await session.query(`update ledger_head set seq = $2, hash = $3 where county_code = $1`, [
        county,
        head.seq,
        head.hash,
      ]);
    }
  });
}

/**
 * Feeds households to `importHouseholdBatch` in batches, with one batch in the database while the next
 * is read and checked: on a two-core machine the reader and PostgreSQL then work at the same time.
 * Outcomes are reported batch by batch, in input order.
 */
export class ImportPipeline {
  private batch: BatchItem[] = [];
  private inFlight: Promise<void> | undefined;
  private persons = 0;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly onOutcomes: (items: readonly BatchItem[], outcomes: readonly ImportOutcome[]) => void,
    private readonly batchHouseholds = 2000,
  ) {}

  async push(item: BatchItem): Promise<void> {
    this.batch.push(item);
    if (this.batch.length >= this.batchHouseholds) await this.flush();
  }

  /** Writes what is pending and waits for every batch to be committed. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
    this.inFlight = undefined;
    // After a large load the planner's statistics are stale until autovacuum gets round to it (minutes
    // on a busy server): lookups by citizen id then plan badly. Refresh them now, as pg_restore advises.
    if (this.persons >= ANALYZE_AFTER_PERSONS) {
      await this.database.db.execute(
        sql`analyze person, membership, household, citizen_id_registry, register_event`,
      );
    }
  }

  private async flush(): Promise<void> {
    const items = this.batch;
    this.batch = [];
    // Check and serialise this batch while the previous one is still being written.
    const prepared = items.length === 0 ? undefined : prepareBatch(items);
    await this.inFlight;
    if (!prepared) return;
    this.inFlight = writePreparedBatch(this.database, prepared).then((outcomes) => {
      outcomes.forEach((o, i) => {
        if (o.status === 'imported') this.persons += items[i]?.household.members.length ?? 0;
      });
      this.onOutcomes(items, outcomes);
    });
  }
}
