/**
 * Imports whole households into the register (legacy data, generated populations): every row checked
 * (id checksum and consistency with birth date and sex, division codes, code tables, one head per family
 * household), one ledger event and one transaction per household, so no household is ever half-imported;
 * a household already imported with the same number is skipped, so an interrupted import can be re-run.
 */
import { sql } from 'drizzle-orm';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { rowsOf } from '../db/connection.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { findDivision } from '../standards/divisions.js';
import type { RegisterChange } from './decide.js';
import { Household, Membership, Person } from './model.js';
import { appendRegisterEvent, claimCitizenId, type Officer } from './repository.js';

export interface ImportedHousehold {
  readonly household: Household;
  readonly members: readonly { readonly person: Person; readonly membership: Membership }[];
}

export interface RowProblem {
  /** Which member (0-based) the problem is about, or undefined for the household. */
  readonly member?: number;
  readonly field: string;
  readonly message: string;
}

/** Everything wrong with a household, without touching the database. */
export function checkImportedHousehold(input: ImportedHousehold): RowProblem[] {
  const problems: RowProblem[] = [];
  const h = Household.safeParse(input.household);
  if (!h.success)
    for (const i of h.error.issues)
      problems.push({ field: `household.${i.path.join('.')}`, message: i.message });
  const county = input.household.address.countyCode;
  const division = findDivision(county);
  if (!division || division.level !== 'county')
    problems.push({
      field: 'household.address.countyCode',
      message: `${county} is not a county-level division code`,
    });
  if (!input.household.householdNumber.startsWith(county)) {
    problems.push({
      field: 'household.householdNumber',
      message: 'a household number starts with its county code',
    });
  }
  const seen = new Set<string>();
  input.members.forEach(({ person, membership }, member) => {
    const p = Person.safeParse(person);
    if (!p.success)
      for (const i of p.error.issues) problems.push({ member, field: i.path.join('.'), message: i.message });
    const m = Membership.safeParse(membership);
    if (!m.success)
      for (const i of m.error.issues)
        problems.push({ member, field: `membership.${i.path.join('.')}`, message: i.message });
    const check = checkCitizenId(person.citizenId);
    if (!check.isValid) {
      for (const x of check.problems)
        problems.push({ member, field: 'citizenId', message: `${x.code} ${JSON.stringify(x.params)}` });
    } else {
      if (check.parsed.birthDate !== person.birthDate)
        problems.push({
          member,
          field: 'birthDate',
          message: `the citizen id says ${check.parsed.birthDate}`,
        });
      if ((check.parsed.sex === 'male' ? '1' : '2') !== person.sex)
        problems.push({ member, field: 'sex', message: `the citizen id says ${check.parsed.sex}` });
    }
    if (seen.has(person.citizenId))
      problems.push({ member, field: 'citizenId', message: 'appears twice in the household' });
    seen.add(person.citizenId);
    if (membership.householdId !== input.household.id || membership.personId !== person.id) {
      problems.push({ member, field: 'membership', message: 'does not link this person to this household' });
    }
    if (person.countyCode !== county)
      problems.push({
        member,
        field: 'countyCode',
        message: `differs from the household's county ${county}`,
      });
    if (person.birthplace !== null && !findDivision(person.birthplace))
      problems.push({
        member,
        field: 'birthplace',
        message: `${person.birthplace} is not a division code of any period`,
      });
  });
  const heads = input.members.filter((m) => m.membership.relationship === '02');
  if (input.household.type === 'family' && heads.length !== 1) {
    problems.push({
      field: 'relationship',
      message: `a family household has exactly one head (02); this one has ${heads.length}`,
    });
  }
  if (input.members.length === 0)
    problems.push({ field: 'members', message: 'a household has at least one member' });
  return problems;
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
      problems.push({
        member,
        field: 'citizenId',
        message: holder
          ? `already registered in household ${holder.household_number ?? '—'}`
          : 'already allocated or registered',
      });
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
