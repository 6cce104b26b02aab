/**
 * The register as it was on a past date, from the ledger: a person's record (undoing later changes with
 * the `before` snapshots the events carry), a household's members (from the membership intervals) and
 * a county's counts.
 */
import type { DbExecutor } from '../db/connection.js';
import type { Household, Membership, Person } from './model.js';
import {
  eventsOf,
  findHousehold,
  findPersonById,
  membershipsAt,
  membershipOfPersonAt,
  personsByIds,
} from './repository.js';

/** A person as recorded on `date`, or undefined when the register did not hold them yet. */
export async function personAt(tx: DbExecutor, personId: string, date: string): Promise<Person | undefined> {
  const current = await findPersonById(tx, personId);
  if (!current) return undefined;
  const later = (await eventsOf(tx, { personId })).filter((e) => e.effectiveDate > date);
  for (const e of later) {
    const before = (e.before as { persons?: Person[] } | null)?.persons?.find((p) => p.id === personId);
    if (before) return before;
    // The first later event created the person: they were not registered on that date.
    const created =
      (e.type === 'birth-registration' || e.type === 'move-in' || e.type === 'no-hukou-registration') &&
      e.before === null;
    if (created) return undefined;
  }
  return current;
}

export interface HouseholdView {
  readonly household: Household;
  readonly asOf: string;
  readonly members: readonly { readonly person: Person; readonly membership: Membership }[];
}

/** A household and its members on a date. */
export async function householdAt(
  tx: DbExecutor,
  ref: { id?: string; householdNumber?: string },
  date: string,
): Promise<HouseholdView | undefined> {
  const household = await findHousehold(tx, ref);
  if (!household) return undefined;
  const memberships = await membershipsAt(tx, household.id, date);
  const persons = new Map(
    (
      await personsByIds(
        tx,
        memberships.map((m) => m.personId),
      )
    ).map((p) => [p.id, p]),
  );
  const members: { person: Person; membership: Membership }[] = [];
  for (const membership of memberships) {
    const person = (await personAt(tx, membership.personId, date)) ?? persons.get(membership.personId);
    if (person) members.push({ person, membership });
  }
  const head = members.find((m) => m.membership.relationship === '02');
  members.sort((a, b) =>
    a === head ? -1 : b === head ? 1 : a.person.birthDate.localeCompare(b.person.birthDate),
  );
  // The head on that date is the member who held relationship 02 then.
  const status = members.length > 0 ? 'active' : household.status;
  return { household: { ...household, headPersonId: head?.person.id ?? null, status }, asOf: date, members };
}

export { membershipOfPersonAt };
