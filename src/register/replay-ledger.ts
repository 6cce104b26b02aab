/**
 * Replays register events into the projections they imply: persons, households and membership
 * intervals derived from the ledger alone, without the `person`, `household` and `membership` tables.
 *
 * Every event's `after` holds the whole state of the persons and households it touched and all their
 * open memberships (decide.ts `snapshot`, the import paths likewise). So a membership of a touched
 * person or household that was open before the event and is missing after it was closed by the event:
 * on the date of death for a death cancellation (decide.ts closes it then), on the effective date
 * otherwise. Events must come in the order they were appended (per county: by seq).
 *
 * The state is mutated in place: a register of millions is replayed without copying it per event.
 */
import type { Household, Membership, Person } from './model.js';

export interface ReplayedMembership extends Membership {
  /** The event that opened the interval (the `membership.event_id` column). */
  readonly eventId: string;
}

export interface ReplayedRegister {
  readonly persons: Map<string, Person>;
  readonly households: Map<string, Household>;
  /** Every interval, open and closed, by `membershipKey`. */
  readonly memberships: Map<string, ReplayedMembership>;
  /** Keys of the open intervals of each person and each household. */
  readonly openByPerson: Map<string, Set<string>>;
  readonly openByHousehold: Map<string, Set<string>>;
}

/** The part of a ledger event that the projections follow from. */
export interface ReplayableEvent {
  readonly id: string;
  readonly countyCode: string;
  readonly seq: number;
  readonly type: string;
  readonly effectiveDate: string;
  /** `payload.dateOfDeath` of a death cancellation. */
  readonly dateOfDeath?: string | null;
  readonly personIds: readonly string[];
  readonly householdIds: readonly string[];
  readonly after: unknown;
}

interface Snapshot {
  readonly persons: readonly Person[];
  readonly households: readonly Household[];
  readonly memberships: readonly Membership[];
}

/** An event whose `after` is not a register snapshot: the ledger cannot be replayed past it. */
export class UnreplayableEvent extends Error {
  constructor(
    readonly event: Pick<ReplayableEvent, 'countyCode' | 'seq'>,
    readonly reason: string,
  ) {
    super(`event ${event.countyCode}/${event.seq}: ${reason}`);
  }
}

export const membershipKey = (m: Pick<Membership, 'householdId' | 'personId' | 'validFrom'>) =>
  `${m.householdId}|${m.personId}|${m.validFrom}`;

export function emptyReplayedRegister(): ReplayedRegister {
  return {
    persons: new Map(),
    households: new Map(),
    memberships: new Map(),
    openByPerson: new Map(),
    openByHousehold: new Map(),
  };
}

function snapshotOf(event: ReplayableEvent): Snapshot {
  const after = event.after as Partial<Snapshot> | null;
  if (
    !after ||
    !Array.isArray(after.persons) ||
    !Array.isArray(after.households) ||
    !Array.isArray(after.memberships)
  )
    throw new UnreplayableEvent(event, '`after` is not a snapshot of persons, households and memberships');
  return after as Snapshot;
}

/** The day on which the event closes the memberships it ends (see decide.ts `leave`). */
export function closingDateOf(event: ReplayableEvent): string {
  if (event.type === 'death-cancellation') {
    if (!event.dateOfDeath) throw new UnreplayableEvent(event, 'a death cancellation without dateOfDeath');
    return event.dateOfDeath;
  }
  return event.effectiveDate;
}

function addToIndex(index: Map<string, Set<string>>, id: string, key: string) {
  const keys = index.get(id);
  if (keys) keys.add(key);
  else index.set(id, new Set([key]));
}

function removeFromIndex(index: Map<string, Set<string>>, id: string, key: string) {
  const keys = index.get(id);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(id);
}

/** Applies one event to the replayed register. */
export function replayEvent(register: ReplayedRegister, event: ReplayableEvent): void {
  const after = snapshotOf(event);
  for (const p of after.persons) register.persons.set(p.id, p);
  for (const h of after.households) register.households.set(h.id, h);

  const stillOpen = new Map(after.memberships.map((m) => [membershipKey(m), m]));
  const openBefore = new Set<string>();
  for (const id of event.personIds) for (const k of register.openByPerson.get(id) ?? []) openBefore.add(k);
  for (const id of event.householdIds)
    for (const k of register.openByHousehold.get(id) ?? []) openBefore.add(k);

  for (const key of openBefore) {
    if (stillOpen.has(key)) continue;
    const m = register.memberships.get(key) as ReplayedMembership;
    register.memberships.set(key, { ...m, validTo: closingDateOf(event) });
    removeFromIndex(register.openByPerson, m.personId, key);
    removeFromIndex(register.openByHousehold, m.householdId, key);
  }
  for (const [key, m] of stillOpen) {
    const existing = register.memberships.get(key);
    if (existing && existing.validTo === null && existing.relationship === m.relationship) continue;
    register.memberships.set(key, {
      householdId: m.householdId,
      personId: m.personId,
      relationship: m.relationship,
      validFrom: m.validFrom,
      validTo: null,
      eventId: event.id,
    });
    addToIndex(register.openByPerson, m.personId, key);
    addToIndex(register.openByHousehold, m.householdId, key);
  }
}
