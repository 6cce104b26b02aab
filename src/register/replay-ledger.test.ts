/**
 * Replaying events' `after` snapshots gives the same persons, households and membership intervals as
 * applying the decisions' projection operations (what the repository writes), for a sequence of
 * commands decided in memory.
 */
import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import type { RegisterCommand } from './commands.js';
import {
  decideRegisterChange,
  type ProjectionOp,
  type RegisterChange,
  type RegisterState,
} from './decide.js';
import type { Household, Membership, Person } from './model.js';
import {
  emptyReplayedRegister,
  membershipKey,
  replayEvent,
  UnreplayableEvent,
  type ReplayedRegister,
} from './replay-ledger.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [FATHER, MOTHER, SON, HOME] = [id(1), id(2), id(3), id(10)];

const person = (pid: string, name: string, sex: '1' | '2', birthDate: string): Person => ({
  id: pid,
  citizenId: composeCitizenId('330802', birthDate, Number(pid.slice(-2)) * 2 + (sex === '1' ? 1 : 0)),
  name,
  formerNames: [],
  sex,
  birthDate,
  ethnicity: '01',
  birthplace: '330802',
  legacyHukouNature: [],
  status: 'active',
  countyCode: '330802',
});
const home: Household = {
  id: HOME,
  householdNumber: '330802000900001',
  type: 'family',
  address: { text: '衢州市柯城区测试路 2 号', countyCode: '330802' },
  headPersonId: FATHER,
  status: 'active',
};
const joined = (personId: string, relationship: string): Membership => ({
  personId,
  householdId: HOME,
  relationship,
  validFrom: '2010-01-01',
  validTo: null,
});

/** What the repository does with the operations: upsert rows, close open intervals. */
function applyOps(model: ReplayedRegister, ops: readonly ProjectionOp[], eventId: string) {
  for (const op of ops) {
    if (op.op === 'put-person') model.persons.set(op.person.id, op.person);
    else if (op.op === 'put-household') model.households.set(op.household.id, op.household);
    else if (op.op === 'open-membership')
      model.memberships.set(membershipKey(op.membership), { ...op.membership, validTo: null, eventId });
    else
      for (const [key, m] of model.memberships)
        if (m.personId === op.personId && m.householdId === op.householdId && m.validTo === null)
          model.memberships.set(key, { ...m, validTo: op.date });
  }
}

/** The state a decision reads, taken from the model (all of it: the test register is small). */
const stateOf = (model: ReplayedRegister): RegisterState => ({
  persons: model.persons,
  households: model.households,
  memberships: [...model.memberships.values()].filter((m) => m.validTo === null),
});

const asEvent = (change: RegisterChange, n: number) => ({
  id: id(100 + n),
  countyCode: change.countyCode,
  seq: n,
  type: change.type,
  effectiveDate: change.effectiveDate,
  dateOfDeath: change.payload.type === 'death-cancellation' ? change.payload.dateOfDeath : null,
  personIds: change.personIds,
  householdIds: change.householdIds,
  // Through JSON, as the ledger stores it.
  after: JSON.parse(JSON.stringify(change.after)) as unknown,
});

describe('replayEvent', () => {
  it('rebuilds what the operations wrote, closing a death on the day of death', () => {
    const founding = {
      type: 'household-import',
      householdIds: [HOME],
      personIds: [FATHER, MOTHER, SON],
      after: {
        households: [home],
        persons: [
          person(FATHER, '钱志强', '1', '1960-02-03'),
          person(MOTHER, '孙慧', '2', '1962-07-08'),
          person(SON, '钱磊', '1', '1990-10-11'),
        ],
        memberships: [joined(FATHER, '02'), joined(MOTHER, '10'), joined(SON, '20')],
      },
    };
    const byOps = emptyReplayedRegister();
    const byReplay = emptyReplayedRegister();
    const first = { id: id(100), countyCode: '330802', seq: 1, effectiveDate: '2010-01-01', ...founding };
    replayEvent(byOps, first);
    replayEvent(byReplay, first);

    const commands: RegisterCommand[] = [
      {
        type: 'death-cancellation',
        personId: FATHER,
        dateOfDeath: '2025-03-01',
        deathCertificateNumber: 'D1',
        newHeadPersonId: MOTHER,
        effectiveDate: '2025-03-10',
      },
      {
        type: 'relationship-change',
        householdId: HOME,
        personId: SON,
        relationship: '21',
        effectiveDate: '2025-04-01',
      },
      { type: 'move-out', personId: SON, toDivision: '110105', effectiveDate: '2025-05-01' },
    ];
    commands.forEach((command, i) => {
      const decision = decideRegisterChange(stateOf(byOps), command, {
        today: '2026-12-02',
        newId: () => id(200 + i),
        householdNumbers: [],
      });
      if (!decision.ok) throw decision.error;
      const event = asEvent(decision.change, i + 2);
      applyOps(byOps, decision.change.ops, event.id);
      replayEvent(byReplay, event);
    });

    expect([...byReplay.persons.values()]).toEqual([...byOps.persons.values()]);
    expect([...byReplay.households.values()]).toEqual([...byOps.households.values()]);
    expect(Object.fromEntries(byReplay.memberships)).toEqual(Object.fromEntries(byOps.memberships));
    // The father's interval ends on the day of death; the mother heads the household from that day.
    expect(byReplay.memberships.get(membershipKey(joined(FATHER, '02')))?.validTo).toBe('2025-03-01');
    expect(byReplay.memberships.get(`${HOME}|${MOTHER}|2025-03-01`)).toMatchObject({
      relationship: '02',
      validTo: null,
    });
    expect(byReplay.openByHousehold.get(HOME)?.size).toBe(1);
  });

  it('refuses an event whose `after` is not a snapshot of the register', () => {
    const register = emptyReplayedRegister();
    const event = {
      id: id(1),
      countyCode: '330802',
      seq: 7,
      type: 'move-out',
      effectiveDate: '2025-01-01',
      personIds: [],
      householdIds: [],
      after: { persons: [] },
    };
    expect(() => replayEvent(register, event)).toThrow(UnreplayableEvent);
    expect(() => replayEvent(register, event)).toThrow('event 330802/7');
  });
});
