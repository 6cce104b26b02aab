/**
 * Imports whole households into the register (legacy data, generated populations): every row checked
 * (id checksum and consistency with birth date and sex, division codes, code tables, one head per family
 * household), one ledger event and one transaction per household, so no household is ever half-imported;
 * a household already imported with the same number is skipped, so an interrupted import can be re-run.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { rowsOf } from '../db/connection.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { findDivision } from '../standards/divisions.js';
import type { RegisterChange } from './decide.js';
import { Household, Membership, Person } from './model.js';
import { columnLabel, columnOfField, columnParams, type RowProblem } from './import-problems.js';
import { appendRegisterEvent, claimCitizenId, type Officer } from './repository.js';

export interface ImportedHousehold {
  readonly household: Household;
  readonly members: readonly { readonly person: Person; readonly membership: Membership }[];
}

export type { RowProblem } from './import-problems.js';

/** The value at a zod issue's path, for the message. */
function valueAt(input: unknown, path: readonly PropertyKey[]): string {
  let v: unknown = input;
  for (const key of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A schema issue as a reason naming the column, the value and what it accepts. */
function schemaProblem(field: string, value: string, member?: number): RowProblem {
  const column = columnOfField(field);
  const params = column
    ? columnParams(column, value)
    : {
        column: { zh: field, en: field },
        value,
        accepted: { zh: '见导入列说明', en: 'see the import columns' },
      };
  return {
    ...(member === undefined ? {} : { member }),
    field,
    code: value === '' ? 'HUJI_IMPORT_REQUIRED' : 'HUJI_IMPORT_FIELD_INVALID',
    params,
  };
}

/**
 * A schema issue as a row problem: a domain rule's own code and message when the issue carries one (a
 * name with a control, bidi or zero-width character: HUJI_NAME_CHARACTER, saying which character and
 * where, plus the column), else the column's generic reason.
 */
function issueProblem(issue: z.core.$ZodIssue, field: string, value: string, member?: number): RowProblem {
  const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
  if (params?.hujiCode === 'HUJI_NAME_CHARACTER') {
    const { hujiCode: _code, ...rest } = params;
    const column = columnOfField(field);
    return {
      ...(member === undefined ? {} : { member }),
      field,
      code: 'HUJI_NAME_CHARACTER',
      params: { ...rest, ...(column ? { column: columnLabel(column) } : {}) },
    };
  }
  return schemaProblem(field, value, member);
}

/** Everything wrong with a household, without touching the database. */
export function checkImportedHousehold(input: ImportedHousehold): RowProblem[] {
  const problems: RowProblem[] = [];
  const h = Household.safeParse(input.household);
  if (!h.success)
    for (const i of h.error.issues)
      problems.push(schemaProblem(`household.${i.path.join('.')}`, valueAt(input.household, i.path)));
  const county = input.household.address.countyCode;
  const division = findDivision(county);
  if (!division || division.level !== 'county')
    problems.push({
      field: 'household.address.countyCode',
      code: 'HUJI_IMPORT_VALUE_NOT_ACCEPTED',
      params: columnParams('county_code', county),
    });
  if (!input.household.householdNumber.startsWith(county)) {
    problems.push({
      field: 'household.householdNumber',
      code: 'HUJI_IMPORT_FIELD_INVALID',
      params: columnParams('household_number', input.household.householdNumber),
    });
  }
  const seen = new Set<string>();
  input.members.forEach(({ person, membership }, member) => {
    const p = Person.safeParse(person);
    if (!p.success)
      for (const i of p.error.issues)
        problems.push(issueProblem(i, i.path.join('.'), valueAt(person, i.path), member));
    const m = Membership.safeParse(membership);
    if (!m.success)
      for (const i of m.error.issues)
        problems.push(schemaProblem(`membership.${i.path.join('.')}`, valueAt(membership, i.path), member));
    const check = checkCitizenId(person.citizenId);
    if (!check.isValid) {
      // The citizen-id checker's own codes say what is wrong and what the number should be.
      for (const x of check.problems)
        problems.push({ member, field: 'citizenId', code: x.code, params: x.params });
    } else {
      if (check.parsed.birthDate !== person.birthDate)
        problems.push({
          member,
          field: 'birthDate',
          code: 'HUJI_IMPORT_ID_DISAGREES',
          params: {
            column: columnLabel('birth_date'),
            value: person.birthDate,
            expected: check.parsed.birthDate,
          },
        });
      const sex = check.parsed.sex === 'male' ? '1' : '2';
      if (sex !== person.sex)
        problems.push({
          member,
          field: 'sex',
          code: 'HUJI_IMPORT_ID_DISAGREES',
          params: {
            column: columnLabel('sex'),
            value: person.sex,
            expected: sex === '1' ? { zh: '1 男', en: '1 (male)' } : { zh: '2 女', en: '2 (female)' },
          },
        });
    }
    if (seen.has(person.citizenId))
      problems.push({
        member,
        field: 'citizenId',
        code: 'HUJI_IMPORT_ID_TWICE',
        params: { citizenId: person.citizenId },
      });
    seen.add(person.citizenId);
    if (membership.householdId !== input.household.id || membership.personId !== person.id) {
      // Only a caller building the household by hand can get this wrong; the CSV mapping cannot.
      problems.push({
        member,
        field: 'membership',
        code: 'HUJI_VALIDATION',
        params: { detail: 'membership does not link this person to this household' },
      });
    }
    if (person.countyCode !== county)
      problems.push({
        member,
        field: 'countyCode',
        code: 'HUJI_IMPORT_DIFFERS_IN_HOUSEHOLD',
        params: { column: columnLabel('county_code'), value: person.countyCode, first: county },
      });
    if (person.birthplace !== null && !findDivision(person.birthplace))
      problems.push({
        member,
        field: 'birthplace',
        code: 'HUJI_IMPORT_VALUE_NOT_ACCEPTED',
        params: columnParams('birthplace', person.birthplace),
      });
  });
  const heads = input.members.filter((m) => m.membership.relationship === '02');
  if (input.household.type === 'family' && heads.length !== 1) {
    problems.push({ field: 'relationship', code: 'HUJI_IMPORT_HEADS', params: { count: heads.length } });
  }
  if (input.members.length === 0)
    problems.push({ field: 'members', code: 'HUJI_IMPORT_HEADS', params: { count: 0 } });
  return problems;
}

/** The reason a person cannot be imported because the register already holds them. */
export function alreadyRegistered(member: number, householdNumber: string | null | undefined): RowProblem {
  return {
    member,
    field: 'citizenId',
    code: 'HUJI_IMPORT_ALREADY_REGISTERED',
    params: { householdNumber: householdNumber ?? '—' },
  };
}

export type ImportOutcome =
  | { readonly status: 'imported'; readonly seq: number }
  | { readonly status: 'already-imported' }
  | { readonly status: 'rejected'; readonly problems: readonly RowProblem[] };

async function importInTransaction(
  tx: DbExecutor,
  input: ImportedHousehold,
  officer: Officer,
  source: string,
): Promise<ImportOutcome> {
  const [existing] = rowsOf<{ id: string }>(
    await tx.execute(
      sql`select id from household where household_number = ${input.household.householdNumber}`,
    ),
  );
  if (existing) return { status: 'already-imported' };
  const problems: RowProblem[] = [];
  for (const [member, { person }] of input.members.entries()) {
    if (!(await claimCitizenId(tx, person.citizenId, 'imported'))) {
      const [holder] = rowsOf<{ household_number: string | null }>(
        await tx.execute(sql`
          select h.household_number from person p left join membership m on m.person_id = p.id and m.valid_to is null
          left join household h on h.id = m.household_id where p.citizen_id = ${person.citizenId}`),
      );
      problems.push(alreadyRegistered(member, holder?.household_number));
    }
  }
  if (problems.length > 0) return { status: 'rejected', problems };
  const head = input.members.find((m) => m.membership.relationship === '02');
  const household: Household = {
    ...input.household,
    headPersonId: head?.person.id ?? input.household.headPersonId,
  };
  const change: RegisterChange = {
    type: 'household-import' as RegisterChange['type'],
    effectiveDate: input.members.reduce(
      (min, m) => (m.membership.validFrom < min ? m.membership.validFrom : min),
      '9999-12-31',
    ),
    countyCode: household.address.countyCode,
    personIds: input.members.map((m) => m.person.id),
    householdIds: [household.id],
    payload: {
      type: 'household-import',
      source,
      householdNumber: household.householdNumber,
    } as unknown as RegisterChange['payload'],
    before: null,
    after: {
      households: [household],
      persons: input.members.map((m) => m.person),
      memberships: input.members.map((m) => m.membership),
    },
    ops: [
      { op: 'put-household', household },
      ...input.members.map((m) => ({ op: 'put-person' as const, person: m.person })),
      ...input.members.map((m) => ({ op: 'open-membership' as const, membership: m.membership })),
    ],
  };
  const appended = await appendRegisterEvent(tx, change, {
    id: crypto.randomUUID(),
    officer,
    recordedAt: new Date().toISOString(),
  });
  return { status: 'imported', seq: appended.seq };
}

/** Checks, then writes the household in its own transaction. */
export async function importHousehold(
  db: HujiDatabase,
  input: ImportedHousehold,
  officer: Officer,
  source: string,
): Promise<ImportOutcome> {
  const problems = checkImportedHousehold(input);
  if (problems.length > 0) return { status: 'rejected', problems };
  try {
    return await db.transaction(async (tx) => {
      const outcome = await importInTransaction(tx, input, officer, source);
      // A rejection found in the database rolls the household back whole.
      if (outcome.status === 'rejected') throw new RejectedHousehold(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RejectedHousehold) return error.outcome;
    throw error;
  }
}

class RejectedHousehold extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('rejected');
  }
}
