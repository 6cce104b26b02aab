/**
 * Carries out a register command in the caller's transaction: checks the officer's jurisdiction, loads
 * and locks what the command touches, allocates citizen ids and household numbers where it creates
 * them, asks the pure decision, and appends the event with its projection. A refusal is thrown as a
 * HujiError so that the transaction (and every allocation in it) rolls back.
 */
import { randomUUID } from 'node:crypto';
import type { DbExecutor } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { todayInChina } from '../standards/calendar.js';
import { allocateCitizenId } from './allocate-citizen-id.js';
import type { RegisterCommand } from './commands.js';
import { decideRegisterChange, householdsCreatedBy, type RegisterState } from './decide.js';
import {
  checkNotReviewedDistinct,
  findDuplicateReview,
  resolveDuplicateReview,
  type PairSide,
} from './duplicate-reviews.js';
import {
  appendRegisterEvent,
  claimCitizenId,
  loadRegisterState,
  takeHouseholdNumber,
  type Officer,
} from './repository.js';

/** True when an officer of `officerCounty` (a county, a city xxxx00 or a province xx0000) may act on `code`. */
export function coversJurisdiction(officerCounty: string, code: string): boolean {
  if (officerCounty.endsWith('0000')) return code.startsWith(officerCounty.slice(0, 2));
  if (officerCounty.endsWith('00')) return code.startsWith(officerCounty.slice(0, 4));
  return code.startsWith(officerCounty);
}

function referencesOf(command: RegisterCommand): {
  personIds: string[];
  householdIds: string[];
  citizenId?: string;
} {
  switch (command.type) {
    case 'birth-registration':
      return { personIds: [], householdIds: [command.householdId] };
    case 'no-hukou-registration':
      return { personIds: [], householdIds: command.householdId ? [command.householdId] : [] };
    case 'death-cancellation':
    case 'move-out':
      return { personIds: [command.personId], householdIds: [] };
    case 'move-in':
      return {
        personIds: [],
        householdIds: command.householdId ? [command.householdId] : [],
        citizenId: command.person.citizenId.toUpperCase(),
      };
    case 'move-within-city':
      return { personIds: [command.personId], householdIds: [command.toHouseholdId] };
    case 'household-establishment':
      return { personIds: [command.headPersonId], householdIds: [] };
    case 'household-split':
      return {
        personIds: [command.headPersonId, ...command.members.map((m) => m.personId)],
        householdIds: [command.fromHouseholdId],
      };
    case 'head-change':
      return {
        personIds: [command.newHeadPersonId, ...command.relationships.map((r) => r.personId)],
        householdIds: [command.householdId],
      };
    case 'relationship-change':
      return { personIds: [command.personId], householdIds: [command.householdId] };
    case 'correction':
      return { personIds: [command.personId], householdIds: [] };
    case 'duplicate-cancellation':
      return { personIds: [command.personId, command.keptPersonId], householdIds: [] };
    case 'booklet-issue':
      return { personIds: [], householdIds: [command.householdId] };
  }
}

/** Records outside the officer's jurisdiction answer as if they did not exist (security.md). */
function checkJurisdiction(
  state: RegisterState,
  refs: { personIds: string[]; householdIds: string[] },
  officer: Officer,
) {
  for (const id of refs.personIds) {
    const p = state.persons.get(id);
    if (p && !coversJurisdiction(officer.countyCode, p.countyCode))
      throw new HujiError('HUJI_REGISTER_PERSON_UNKNOWN', { ref: id });
  }
  for (const id of refs.householdIds) {
    const h = state.households.get(id);
    if (h && !coversJurisdiction(officer.countyCode, h.address.countyCode))
      throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: id });
  }
}

function newHouseholdCounty(command: RegisterCommand): string | undefined {
  if ('newHousehold' in command && command.newHousehold) return command.newHousehold.address.countyCode;
  if ('household' in command) return command.household.address.countyCode;
  return undefined;
}

export interface RegisterCommandResult {
  readonly eventId: string;
  readonly countyCode: string;
  readonly seq: number;
  readonly hash: string;
  readonly type: RegisterCommand['type'];
  readonly effectiveDate: string;
  readonly personIds: readonly string[];
  readonly householdIds: readonly string[];
  readonly citizenId?: string;
  readonly householdNumbers: readonly string[];
}

export async function executeRegisterCommand(
  tx: DbExecutor,
  command: RegisterCommand,
  officer: Officer,
  options: { today?: string; now?: Date } = {},
): Promise<RegisterCommandResult> {
  const today = options.today ?? todayInChina();
  const refs = referencesOf(command);
  const state = await loadRegisterState(tx, refs);
  checkJurisdiction(state, refs, officer);
  const creates = newHouseholdCounty(command);
  if (creates && !coversJurisdiction(officer.countyCode, creates)) {
    throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: creates });
  }

  let allocatedCitizenId: string | undefined;
  if (command.type === 'birth-registration' || command.type === 'no-hukou-registration') {
    const target =
      command.type === 'birth-registration' || command.householdId
        ? state.households.get((command as { householdId: string }).householdId)
        : undefined;
    const county = target?.address.countyCode ?? creates;
    if (county) {
      allocatedCitizenId = await allocateCitizenId(
        tx,
        {
          addressCode: county,
          birthDate: command.person.birthDate,
          sex: command.person.sex === '1' ? 'male' : 'female',
        },
        today,
      );
    }
  }
  const householdNumbers: string[] = [];
  for (let i = 0; i < householdsCreatedBy(command); i++)
    householdNumbers.push(await takeHouseholdNumber(tx, creates ?? officer.countyCode));

  // A cancelled duplicate resolves the review of its pair, which must not say the two are different.
  const duplicateReview =
    command.type === 'duplicate-cancellation'
      ? await findDuplicateReview(tx, command.personId, command.keptPersonId, { lock: true })
      : undefined;
  const sideOf = (personId: string): PairSide | undefined => {
    const person = state.persons.get(personId);
    if (!person) return undefined;
    const m = state.memberships.find((x) => x.personId === personId && x.validTo === null);
    const household = m ? state.households.get(m.householdId) : undefined;
    return {
      person,
      householdId: m?.householdId ?? null,
      householdNumber: household?.householdNumber ?? null,
    };
  };
  if (command.type === 'duplicate-cancellation') {
    checkNotReviewedDistinct(duplicateReview, {
      a: state.persons.get(command.personId)?.name ?? command.personId,
      b: state.persons.get(command.keptPersonId)?.name ?? command.keptPersonId,
    });
  }
  const sides =
    command.type === 'duplicate-cancellation'
      ? { cancelled: sideOf(command.personId), kept: sideOf(command.keptPersonId) }
      : undefined;

  const decision = decideRegisterChange(state, command, {
    today,
    newId: randomUUID,
    ...(allocatedCitizenId ? { allocatedCitizenId } : {}),
    householdNumbers,
  });
  if (!decision.ok) throw decision.error;
  const { change } = decision;
  if (command.type === 'move-in')
    await claimCitizenId(tx, command.person.citizenId.toUpperCase(), 'registered');
  const eventId = randomUUID();
  const now = options.now ?? new Date();
  const appended = await appendRegisterEvent(tx, change, {
    id: eventId,
    officer,
    recordedAt: now.toISOString(),
  });
  if (command.type === 'duplicate-cancellation' && sides?.cancelled && sides.kept) {
    await resolveDuplicateReview(
      tx,
      { cancelled: sides.cancelled, kept: sides.kept, reason: command.reason },
      duplicateReview,
      { id: eventId, officer, at: now },
    );
  }
  return {
    eventId,
    countyCode: change.countyCode,
    seq: appended.seq,
    hash: appended.hash,
    type: change.type,
    effectiveDate: change.effectiveDate,
    personIds: change.personIds,
    householdIds: change.householdIds,
    ...(allocatedCitizenId ? { citizenId: allocatedCitizenId } : {}),
    householdNumbers,
  };
}
