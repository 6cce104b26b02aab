/**
 * Duplicate-pair review (一人多户核查): an officer's verdict on a pair the detector reports, recorded per
 * unordered pair of persons. `not-duplicate` takes the pair off the list of open pairs; `duplicate`
 * keeps it listed as confirmed until a duplicate cancellation (a ledger event) resolves it. SQL of the
 * `duplicate_review` table and the use case; every function takes an explicit executor.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import { coversCounty } from '../accounts/roles.js';
import { HujiError } from '../errors/huji-error.js';
import {
  comparedBirthplace,
  findDuplicates,
  type DuplicatePairKind,
  type Evidence,
} from './find-duplicates.js';
import type { Person } from './model.js';
import { personFromRow, type Officer } from './repository.js';

export const DUPLICATE_VERDICTS = ['not-duplicate', 'duplicate'] as const;
export type DuplicateVerdict = (typeof DUPLICATE_VERDICTS)[number];

export interface DuplicateReview {
  /** The smaller person id of the pair. */
  readonly personA: string;
  readonly personB: string;
  readonly countyCode: string;
  readonly verdict: DuplicateVerdict;
  readonly officerId: string;
  readonly reviewedAt: string;
  readonly note: string | null;
  readonly kind: DuplicatePairKind | null;
  readonly score: number | null;
  readonly evidence: readonly Evidence[];
  readonly resolvedEventId: string | null;
  readonly resolvedAt: string | null;
}

/** A person with the household they belong to now (none once they left or were cancelled). */
export interface PairSide {
  readonly person: Person;
  readonly householdId: string | null;
  readonly householdNumber: string | null;
}

/**
 * The key of an unordered pair: the smaller id first.
 *
 * @example pairOf('b…', 'a…') // { personA: 'a…', personB: 'b…' }
 */
export function pairOf(x: string, y: string): { personA: string; personB: string } {
  return x < y ? { personA: x, personB: y } : { personA: y, personB: x };
}

export const pairKeyOf = (x: string, y: string) => {
  const { personA, personB } = pairOf(x, y);
  return `${personA}|${personB}`;
};

/**
 * What the detector reads in the two records alone: the same citizen ID, or a likely match of name,
 * birth date, sex and birthplace (no common-name adjustment: that needs the whole register). Undefined
 * when the two are no pair at all.
 */
export function readPair(
  a: PairSide,
  b: PairSide,
): { kind: DuplicatePairKind; score: number; evidence: readonly Evidence[] } | undefined {
  const candidate = (s: PairSide) => ({
    personId: s.person.id,
    // A record without a household still compares; it just never counts as "the same household".
    householdId: s.householdId ?? `none:${s.person.id}`,
    citizenId: s.person.citizenId,
    name: s.person.name,
    sex: s.person.sex,
    birthDate: s.person.birthDate,
    birthplace: comparedBirthplace(s.person.birthplace, s.person.citizenId),
  });
  const [found] = findDuplicates([candidate(a), candidate(b)], {
    threshold: 0,
    adjustForCommonNames: false,
    includeSameHousehold: true,
  });
  return found ? { kind: found.kind, score: found.score, evidence: found.evidence } : undefined;
}

interface ReviewRow {
  person_a: string;
  person_b: string;
  county_code: string;
  verdict: DuplicateVerdict;
  officer_id: string;
  reviewed_at: string | Date;
  note: string | null;
  kind: DuplicatePairKind | null;
  score: number | string | null;
  evidence: Evidence[];
  resolved_event_id: string | null;
  resolved_at: string | Date | null;
}

function reviewFromRow(r: ReviewRow): DuplicateReview {
  return {
    personA: r.person_a,
    personB: r.person_b,
    countyCode: r.county_code,
    verdict: r.verdict,
    officerId: r.officer_id,
    reviewedAt: new Date(r.reviewed_at).toISOString(),
    note: r.note,
    kind: r.kind,
    score: r.score === null ? null : Number(r.score),
    evidence: r.evidence,
    resolvedEventId: r.resolved_event_id,
    resolvedAt: r.resolved_at === null ? null : new Date(r.resolved_at).toISOString(),
  };
}

/** The review of a pair, row-locked when `lock` (the caller is about to change it). */
export async function findDuplicateReview(
  tx: DbExecutor,
  x: string,
  y: string,
  options: { lock?: boolean } = {},
): Promise<DuplicateReview | undefined> {
  const { personA, personB } = pairOf(x, y);
  const [row] = rowsOf<ReviewRow>(
    await tx.execute(
      options.lock
        ? sql`select * from duplicate_review where person_a = ${personA} and person_b = ${personB} for update`
        : sql`select * from duplicate_review where person_a = ${personA} and person_b = ${personB}`,
    ),
  );
  return row ? reviewFromRow(row) : undefined;
}

/** Every review of pairs whose two persons are registered within the jurisdiction, newest first. */
export async function listDuplicateReviews(tx: DbExecutor, countyPrefix: string): Promise<DuplicateReview[]> {
  return rowsOf<ReviewRow>(
    await tx.execute(sql`
      select r.* from duplicate_review r
      join person pa on pa.id = r.person_a join person pb on pb.id = r.person_b
      where pa.county_code like ${`${countyPrefix}%`} and pb.county_code like ${`${countyPrefix}%`}
      order by r.reviewed_at desc, r.person_a, r.person_b`),
  ).map(reviewFromRow);
}

/** The persons with their current household, by id (any status). */
export async function pairSides(tx: DbExecutor, ids: readonly string[]): Promise<Map<string, PairSide>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<
    Parameters<typeof personFromRow>[0] & { household_id: string | null; household_number: string | null }
  >(
    await tx.execute(sql`
      select p.*, m.household_id, h.household_number from person p
      left join membership m on m.person_id = p.id and m.valid_to is null
      left join household h on h.id = m.household_id
      where p.id = any(${`{${[...new Set(ids)].join(',')}}`}::uuid[])`),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { person: personFromRow(r), householdId: r.household_id, householdNumber: r.household_number },
    ]),
  );
}

async function writeReview(tx: DbExecutor, review: DuplicateReview) {
  await tx.execute(sql`
    insert into duplicate_review (person_a, person_b, county_code, verdict, officer_id, reviewed_at, note, kind, score,
      evidence, resolved_event_id, resolved_at)
    values (${review.personA}, ${review.personB}, ${review.countyCode}, ${review.verdict}, ${review.officerId},
      ${review.reviewedAt}, ${review.note}, ${review.kind}, ${review.score}, ${JSON.stringify(review.evidence)}::jsonb,
      ${review.resolvedEventId}, ${review.resolvedAt})
    on conflict (person_a, person_b) do update set county_code = excluded.county_code, verdict = excluded.verdict,
      officer_id = excluded.officer_id, reviewed_at = excluded.reviewed_at, note = excluded.note, kind = excluded.kind,
      score = excluded.score, evidence = excluded.evidence, resolved_event_id = excluded.resolved_event_id,
      resolved_at = excluded.resolved_at`);
}

export interface ReviewInput {
  readonly a: string;
  readonly b: string;
  readonly verdict: DuplicateVerdict;
  readonly note: string;
}

/**
 * Records the officer's verdict on a pair, replacing an earlier verdict unless a cancellation already
 * resolved the pair. Persons outside the officer's jurisdiction answer as unknown (404); two records
 * the detector would never pair are refused.
 */
export async function reviewDuplicatePair(
  tx: DbExecutor,
  input: ReviewInput,
  officer: Officer,
  now: Date,
): Promise<DuplicateReview> {
  const sides = await pairSides(tx, [input.a, input.b]);
  const sideOf = (id: string) => {
    const side = sides.get(id);
    if (!side || !coversCounty(officer.countyCode, side.person.countyCode))
      throw new HujiError('HUJI_REGISTER_PERSON_UNKNOWN', { ref: id });
    return side;
  };
  const { personA, personB } = pairOf(input.a, input.b);
  // Records outside the jurisdiction answer 404 before anything is said about them.
  const a = sideOf(personA);
  const b = sideOf(personB);
  if (input.a === input.b) throw new HujiError('HUJI_DUPLICATE_SAME_RECORD');
  const existing = await findDuplicateReview(tx, personA, personB, { lock: true });
  if (existing?.resolvedEventId)
    throw new HujiError('HUJI_DUPLICATE_REVIEW_RESOLVED', {
      resolvedAt: (existing.resolvedAt ?? '').slice(0, 10),
    });
  const reading = readPair(a, b);
  if (!reading) throw new HujiError('HUJI_DUPLICATE_NOT_A_PAIR', { a: a.person.name, b: b.person.name });
  const review: DuplicateReview = {
    personA,
    personB,
    countyCode: a.person.countyCode,
    verdict: input.verdict,
    officerId: officer.id,
    reviewedAt: now.toISOString(),
    note: input.note,
    kind: reading.kind,
    score: reading.score,
    evidence: reading.evidence,
    resolvedEventId: null,
    resolvedAt: null,
  };
  await writeReview(tx, review);
  return review;
}

/** A cancellation may not contradict a recorded verdict that the two are different persons. */
export function checkNotReviewedDistinct(
  review: DuplicateReview | undefined,
  names: { readonly a: string; readonly b: string },
) {
  if (review?.verdict === 'not-duplicate') {
    throw new HujiError('HUJI_DUPLICATE_REVIEWED_DISTINCT', {
      ...names,
      reviewedAt: review.reviewedAt.slice(0, 10),
    });
  }
}

/**
 * Marks the pair resolved by the cancellation event. Without an earlier review, the cancellation is the
 * verdict: recorded as `duplicate` by the same officer, with the reason as the note.
 */
export async function resolveDuplicateReview(
  tx: DbExecutor,
  pair: { readonly cancelled: PairSide; readonly kept: PairSide; readonly reason: string },
  existing: DuplicateReview | undefined,
  event: { readonly id: string; readonly officer: Officer; readonly at: Date },
) {
  const at = event.at.toISOString();
  if (existing) {
    await writeReview(tx, { ...existing, verdict: 'duplicate', resolvedEventId: event.id, resolvedAt: at });
    return;
  }
  const { personA, personB } = pairOf(pair.cancelled.person.id, pair.kept.person.id);
  const [a, b] = personA === pair.kept.person.id ? [pair.kept, pair.cancelled] : [pair.cancelled, pair.kept];
  const reading = readPair(a, b);
  await writeReview(tx, {
    personA,
    personB,
    countyCode: a.person.countyCode,
    verdict: 'duplicate',
    officerId: event.officer.id,
    reviewedAt: at,
    note: pair.reason,
    kind: reading?.kind ?? null,
    score: reading?.score ?? null,
    evidence: reading?.evidence ?? [],
    resolvedEventId: event.id,
    resolvedAt: at,
  });
}
