/**
 * Checks the projections (`person`, `household`, `membership`) against the ledger, and repairs them
 * from it: `huji register rebuild [--repair]`. The ledger is the record; the tables are derived from it
 * (ADR 0007), so a row edited, deleted or added behind the ledger's back shows here as a difference.
 *
 * One pass: every county's chain is read in seq order and its hashes recomputed while it is replayed
 * (replay-ledger.ts), the chains merged by recorded time (a command takes its time after locking what
 * it touches, so of two events on the same person the later one has the later time). A broken chain
 * stops the rebuild: the register is not rebuilt from a ledger that was tampered with.
 *
 * A check runs in one repeatable-read snapshot; a repair first locks every chain head, so no command
 * appends while the tables are rewritten, and writes in the same transaction.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from '../db/connection.js';
import { canonicalJson } from '../db/canonical-json.js';
import { HujiError } from '../errors/huji-error.js';
import type { Household, Person } from './model.js';
import {
  emptyReplayedRegister,
  membershipKey,
  replayEvent,
  UnreplayableEvent,
  type ReplayedMembership,
  type ReplayedRegister,
} from './replay-ledger.js';
import {
  eventFromRow,
  eventHash,
  GENESIS_HASH,
  householdFromRow,
  isoDateOf,
  membershipFromRow,
  namePinyin,
  personFromRow,
  putHouseholdRow,
  putPersonRow,
  type EventRow,
  type HouseholdRow,
  type MembershipRow,
  type PersonRow,
} from './repository.js';

export type ProjectionTable = 'person' | 'household' | 'membership';

export interface ProjectionDifference {
  readonly table: ProjectionTable;
  /** Person or household id; `household|person|valid_from` for a membership interval. */
  readonly key: string;
  /** missing: the ledger has it and the table does not; unexpected: no event wrote the row. */
  readonly kind: 'missing' | 'unexpected' | 'differs';
  /** The fields that differ (for `differs`). */
  readonly fields: readonly string[];
}

export interface ProjectionCheck {
  readonly events: number;
  readonly counties: number;
  readonly persons: number;
  readonly households: number;
  readonly memberships: number;
  readonly differences: number;
  /** How many differences of each table. */
  readonly byTable: Record<ProjectionTable, number>;
  /** The first differences found (at most `examples`). */
  readonly examples: readonly ProjectionDifference[];
  /** Rows written or deleted by a repair (0 for a check). */
  readonly repaired: number;
  readonly milliseconds: number;
}

const PAGE = 2_000;

/** Every county's events, each chain in seq order, merged by recorded time; hashes checked on the way. */
async function* ledgerInOrder(tx: DbExecutor): AsyncGenerator<ReturnType<typeof eventFromRow>> {
  const counties = rowsOf<{ county_code: string }>(
    await tx.execute(sql`select county_code from ledger_head order by county_code`),
  ).map((r) => r.county_code);

  interface Chain {
    county: string;
    buffer: ReturnType<typeof eventFromRow>[];
    lastSeq: number;
    prevHash: string;
    done: boolean;
  }
  const chains: Chain[] = counties.map((county) => ({
    county,
    buffer: [],
    lastSeq: 0,
    prevHash: GENESIS_HASH,
    done: false,
  }));
  const refill = async (c: Chain) => {
    const rows = rowsOf<EventRow>(
      await tx.execute(sql`select * from register_event where county_code = ${c.county} and seq > ${c.lastSeq}
        order by seq limit ${PAGE}`),
    );
    c.buffer = rows.map(eventFromRow);
    if (rows.length < PAGE) c.done = true;
    const last = c.buffer.at(-1);
    if (last) c.lastSeq = last.seq;
  };
  for (const c of chains) await refill(c);
  for (;;) {
    let next: Chain | undefined;
    for (const c of chains) {
      const head = c.buffer[0];
      if (!head) continue;
      const best = next?.buffer[0];
      if (!best || head.recordedAt < best.recordedAt) next = c;
    }
    if (!next) return;
    const event = next.buffer.shift() as ReturnType<typeof eventFromRow>;
    const { hash, ...record } = event;
    if (record.prevHash !== next.prevHash || eventHash(record) !== hash)
      throw new HujiError('HUJI_REGISTER_LEDGER_BROKEN', { county: next.county, seq: event.seq });
    next.prevHash = hash;
    yield event;
    if (next.buffer.length === 0 && !next.done) await refill(next);
  }
}

/** Replays the whole ledger. */
async function replayLedger(
  tx: DbExecutor,
): Promise<{ register: ReplayedRegister; events: number; counties: number }> {
  const register = emptyReplayedRegister();
  const counties = new Set<string>();
  let events = 0;
  for await (const e of ledgerInOrder(tx)) {
    const payload = e.payload as { dateOfDeath?: string } | null;
    try {
      replayEvent(register, { ...e, dateOfDeath: payload?.dateOfDeath ?? null });
    } catch (error) {
      if (error instanceof UnreplayableEvent)
        throw new HujiError('HUJI_REGISTER_LEDGER_BROKEN', { county: e.countyCode, seq: e.seq });
      throw error;
    }
    counties.add(e.countyCode);
    events++;
  }
  return { register, events, counties: counties.size };
}

/** The names of the fields in which two records differ (an absent field and null are the same). */
function differingFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key] ?? null;
    const y = b[key] ?? null;
    if (canonicalJson(x) !== canonicalJson(y)) out.push(key);
  }
  return out;
}

type StoredPerson = Person & { namePinyin: string };
type StoredHousehold = Household & { countyCode: string; villageCode: string | null };

/**
 * Compares one table with the replayed register, a page at a time (keyset order), and returns its
 * differences; what the table lacks is what was not seen.
 */
async function compareTable<Row, Rebuilt>(options: {
  table: ProjectionTable;
  page: (after: Row | undefined) => Promise<Row[]>;
  keyOf: (row: Row) => string;
  rebuilt: ReadonlyMap<string, Rebuilt>;
  stored: (row: Row) => Record<string, unknown>;
  expected: (rebuilt: Rebuilt) => Record<string, unknown>;
}): Promise<ProjectionDifference[]> {
  const differences: ProjectionDifference[] = [];
  const seen = new Set<string>();
  let last: Row | undefined;
  for (;;) {
    const rows = await options.page(last);
    for (const row of rows) {
      const key = options.keyOf(row);
      seen.add(key);
      const rebuilt = options.rebuilt.get(key);
      if (rebuilt === undefined) {
        differences.push({ table: options.table, key, kind: 'unexpected', fields: [] });
        continue;
      }
      const fields = differingFields(options.stored(row), options.expected(rebuilt));
      if (fields.length > 0) differences.push({ table: options.table, key, kind: 'differs', fields });
    }
    if (rows.length < PAGE) break;
    last = rows.at(-1);
  }
  for (const key of options.rebuilt.keys())
    if (!seen.has(key)) differences.push({ table: options.table, key, kind: 'missing', fields: [] });
  return differences;
}

async function compareProjections(
  tx: DbExecutor,
  register: ReplayedRegister,
): Promise<ProjectionDifference[]> {
  const persons = await compareTable<PersonRow & { name_pinyin: string }, Person>({
    table: 'person',
    page: async (after) =>
      rowsOf(
        await tx.execute(
          after
            ? sql`select * from person where id > ${after.id} order by id limit ${PAGE}`
            : sql`select * from person order by id limit ${PAGE}`,
        ),
      ),
    keyOf: (r) => r.id,
    rebuilt: register.persons,
    stored: (r): StoredPerson => ({ ...personFromRow(r), namePinyin: r.name_pinyin }),
    expected: (p): StoredPerson => ({ ...p, namePinyin: namePinyin(p.name) }),
  });
  const households = await compareTable<
    HouseholdRow & { county_code: string; village_code: string | null },
    Household
  >({
    table: 'household',
    page: async (after) =>
      rowsOf(
        await tx.execute(
          after
            ? sql`select * from household where id > ${after.id} order by id limit ${PAGE}`
            : sql`select * from household order by id limit ${PAGE}`,
        ),
      ),
    keyOf: (r) => r.id,
    rebuilt: register.households,
    stored: (r): StoredHousehold => ({
      ...householdFromRow(r),
      countyCode: r.county_code,
      villageCode: r.village_code,
    }),
    expected: (h): StoredHousehold => ({
      ...h,
      countyCode: h.address.countyCode,
      villageCode: h.address.villageCode ?? null,
    }),
  });
  const memberships = await compareTable<MembershipRow & { event_id: string }, ReplayedMembership>({
    table: 'membership',
    page: async (after) =>
      rowsOf(
        await tx.execute(
          after
            ? sql`select * from membership where (household_id, person_id, valid_from) >
                (${after.household_id}, ${after.person_id}, ${isoDateOf(after.valid_from)})
                order by household_id, person_id, valid_from limit ${PAGE}`
            : sql`select * from membership order by household_id, person_id, valid_from limit ${PAGE}`,
        ),
      ),
    keyOf: (r) => membershipKey(membershipFromRow(r)),
    rebuilt: register.memberships,
    stored: (r) => ({ ...membershipFromRow(r), eventId: r.event_id }),
    expected: (m) => ({ ...m }),
  });
  return [...persons, ...households, ...memberships];
}

async function repair(
  tx: DbExecutor,
  register: ReplayedRegister,
  differences: readonly ProjectionDifference[],
) {
  // Deletions first, so a row that moved to another key (a corrected unique value) does not collide.
  const ordered = [...differences].sort(
    (a, b) => Number(a.kind !== 'unexpected') - Number(b.kind !== 'unexpected'),
  );
  for (const d of ordered) {
    if (d.table === 'person') {
      if (d.kind === 'unexpected') await tx.execute(sql`delete from person where id = ${d.key}`);
      else await putPersonRow(tx, register.persons.get(d.key) as Person);
    } else if (d.table === 'household') {
      if (d.kind === 'unexpected') await tx.execute(sql`delete from household where id = ${d.key}`);
      else await putHouseholdRow(tx, register.households.get(d.key) as Household);
    } else {
      const [householdId, personId, validFrom] = d.key.split('|');
      if (d.kind === 'unexpected') {
        await tx.execute(sql`delete from membership
          where household_id = ${householdId} and person_id = ${personId} and valid_from = ${validFrom}`);
      } else {
        const m = register.memberships.get(d.key) as ReplayedMembership;
        await tx.execute(sql`
          insert into membership (household_id, person_id, relationship, valid_from, valid_to, event_id)
          values (${m.householdId}, ${m.personId}, ${m.relationship}, ${m.validFrom}, ${m.validTo}, ${m.eventId})
          on conflict (household_id, person_id, valid_from) do update set relationship = excluded.relationship,
            valid_to = excluded.valid_to, event_id = excluded.event_id`);
      }
    }
  }
}

/**
 * Replays the ledger and compares the projections with it; with `repair`, rewrites the rows that
 * differ (and deletes rows no event wrote) in the same transaction.
 *
 * @example await rebuildProjections(db, { repair: false }) // → { differences: 0, … }
 */
export async function rebuildProjections(
  db: HujiDatabase,
  options: { repair: boolean; examples?: number },
): Promise<ProjectionCheck> {
  const started = performance.now();
  return db.transaction(async (tx) => {
    if (options.repair)
      await tx.execute(sql`select county_code from ledger_head order by county_code for update`);
    else await tx.execute(sql`set transaction isolation level repeatable read`);
    const { register, events, counties } = await replayLedger(tx);
    const differences = await compareProjections(tx, register);
    if (options.repair) await repair(tx, register, differences);
    const byTable = { person: 0, household: 0, membership: 0 };
    for (const d of differences) byTable[d.table]++;
    return {
      events,
      counties,
      persons: register.persons.size,
      households: register.households.size,
      memberships: register.memberships.size,
      differences: differences.length,
      byTable,
      examples: differences.slice(0, options.examples ?? 20),
      repaired: options.repair ? differences.length : 0,
      milliseconds: Math.round(performance.now() - started),
    };
  });
}
