/**
 * Decides what a register command changes, from the state of the persons and households it touches:
 * the ledger event (with before / after) and the projection operations, or the refusal with its reason
 * (a deceased person cannot move; a household cannot lose its last member without being closed; the
 * head cannot leave without a successor). Pure: ids, dates and allocated numbers come in the context.
 */
import { HujiError } from '../errors/huji-error.js';
import { EARLIEST_DATE, isDateInRange, LATEST_DATE, parseIsoDate } from '../standards/calendar.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { codeLabel } from '../standards/code-tables.js';
import { findDivision } from '../standards/divisions.js';
import { findForbiddenNameCharacter, nameCharacterIssueParams } from '../standards/person-name.js';
import {
  COMMAND_LABELS,
  CORRECTABLE_FIELD_LABELS,
  type NewHousehold,
  type NewPerson,
  type RegisterCommand,
  type RegisterCommandType,
} from './commands.js';
import type { Household, Membership, Person } from './model.js';

export interface RegisterState {
  readonly persons: ReadonlyMap<string, Person>;
  readonly households: ReadonlyMap<string, Household>;
  /** Open memberships (validTo null) of the households and persons involved. */
  readonly memberships: readonly Membership[];
  /** A person already registered under a citizen id (for move-in / no-hukou duplicates). */
  readonly byCitizenId?: { readonly person: Person; readonly householdNumber: string };
}

export interface DecisionContext {
  readonly today: string;
  readonly newId: () => string;
  /** Citizen id allocated by the caller for births and persons without hukou. */
  readonly allocatedCitizenId?: string;
  /** Household numbers allocated by the caller for commands that create households. */
  readonly householdNumbers: readonly string[];
}

export type ProjectionOp =
  | { readonly op: 'put-person'; readonly person: Person }
  | { readonly op: 'put-household'; readonly household: Household }
  | { readonly op: 'open-membership'; readonly membership: Membership }
  | {
      readonly op: 'close-membership';
      readonly personId: string;
      readonly householdId: string;
      readonly date: string;
    };

export interface RegisterChange {
  readonly type: RegisterCommandType;
  readonly effectiveDate: string;
  readonly countyCode: string;
  readonly personIds: readonly string[];
  readonly householdIds: readonly string[];
  readonly payload: RegisterCommand;
  readonly before: unknown;
  readonly after: unknown;
  readonly ops: readonly ProjectionOp[];
}

export type RegisterDecision =
  { readonly ok: true; readonly change: RegisterChange } | { readonly ok: false; readonly error: HujiError };

/** How many new households a command creates (the caller allocates their numbers). */
export function householdsCreatedBy(command: RegisterCommand): number {
  switch (command.type) {
    case 'household-establishment':
    case 'household-split':
      return 1;
    case 'move-in':
    case 'no-hukou-registration':
      return command.newHousehold ? 1 : 0;
    case 'birth-registration':
    case 'death-cancellation':
    case 'move-out':
    case 'move-within-city':
    case 'head-change':
    case 'relationship-change':
    case 'correction':
    case 'booklet-issue':
    case 'duplicate-cancellation':
      return 0;
  }
}

// Words of refusal messages, in both languages (formatMessage picks the message's one).
const STATUS_TEXT: Record<Person['status'], { zh: string; en: string }> = {
  active: { zh: '正常', en: 'active' },
  'moved-out': { zh: '已迁出', en: 'moved out' },
  deceased: { zh: '已死亡注销', en: 'deceased' },
  cancelled: { zh: '已注销', en: 'cancelled' },
};

class Refusal extends Error {
  constructor(readonly error: HujiError) {
    super(error.message);
  }
}
const refuse = (...args: ConstructorParameters<typeof HujiError>): never => {
  throw new Refusal(new HujiError(...args));
};

/** Working state of one decision: reads from the loaded state, records the operations. */
class Draft {
  readonly ops: ProjectionOp[] = [];
  private readonly persons: Map<string, Person>;
  private readonly households: Map<string, Household>;
  private memberships: Membership[];
  private numbers: string[];

  constructor(
    readonly state: RegisterState,
    readonly context: DecisionContext,
    readonly action: { zh: string; en: string },
  ) {
    this.persons = new Map(state.persons);
    this.households = new Map(state.households);
    this.memberships = [...state.memberships];
    this.numbers = [...context.householdNumbers];
  }

  person(id: string): Person {
    return this.persons.get(id) ?? refuse('HUJI_REGISTER_PERSON_UNKNOWN', { ref: id });
  }

  activePerson(id: string): Person {
    const p = this.person(id);
    if (p.status !== 'active')
      refuse('HUJI_REGISTER_NOT_ACTIVE', {
        name: p.name,
        status: STATUS_TEXT[p.status],
        action: this.action,
      });
    return p;
  }

  household(id: string): Household {
    return this.households.get(id) ?? refuse('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: id });
  }

  activeHousehold(id: string): Household {
    const h = this.household(id);
    if (h.status !== 'active')
      refuse('HUJI_REGISTER_HOUSEHOLD_CLOSED', { householdNumber: h.householdNumber, action: this.action });
    return h;
  }

  membershipOf(personId: string): Membership | undefined {
    return this.memberships.find((m) => m.personId === personId && m.validTo === null);
  }

  members(householdId: string): Membership[] {
    return this.memberships.filter((m) => m.householdId === householdId && m.validTo === null);
  }

  putPerson(p: Person) {
    this.persons.set(p.id, p);
    this.ops.push({ op: 'put-person', person: p });
  }

  putHousehold(h: Household) {
    this.households.set(h.id, h);
    this.ops.push({ op: 'put-household', household: h });
  }

  open(personId: string, householdId: string, relationship: string, date: string) {
    const m: Membership = { personId, householdId, relationship, validFrom: date, validTo: null };
    this.memberships.push(m);
    this.ops.push({ op: 'open-membership', membership: m });
  }

  close(personId: string, householdId: string, date: string) {
    this.memberships = this.memberships.map((m) =>
      m.personId === personId && m.householdId === householdId && m.validTo === null
        ? { ...m, validTo: date }
        : m,
    );
    this.ops.push({ op: 'close-membership', personId, householdId, date });
  }

  newHousehold(spec: NewHousehold, headPersonId: string | null): Household {
    const householdNumber =
      this.numbers.shift() ?? refuse('HUJI_INTERNAL', { requestId: 'household number not allocated' });
    const h: Household = {
      id: this.context.newId(),
      householdNumber,
      type: spec.type,
      address: spec.address,
      headPersonId,
      status: 'active',
    };
    this.putHousehold(h);
    return h;
  }

  /**
   * The person leaves their current household on `date`. A head leaving a household with other members
   * must name the successor; a household losing its last member is closed in the same event.
   */
  leave(personId: string, date: string, newHeadPersonId: string | undefined) {
    const membership = this.membershipOf(personId);
    if (!membership) return;
    const h = this.household(membership.householdId);
    const others = this.members(h.id).filter((m) => m.personId !== personId);
    this.close(personId, h.id, date);
    if (h.headPersonId !== personId) return;
    if (others.length === 0) {
      this.putHousehold({ ...h, headPersonId: null, status: 'closed' });
      return;
    }
    if (!newHeadPersonId) refuse('HUJI_REGISTER_HEAD_REQUIRED', { name: this.person(personId).name });
    const successor = others.find((m) => m.personId === newHeadPersonId);
    if (!successor) {
      refuse('HUJI_REGISTER_NOT_MEMBER', {
        name: this.person(newHeadPersonId as string).name,
        householdNumber: h.householdNumber,
      });
    }
    this.makeHead(h, successor as Membership, date);
  }

  makeHead(h: Household, successor: Membership, date: string) {
    this.close(successor.personId, h.id, date);
    this.open(successor.personId, h.id, '02', date);
    this.putHousehold({ ...this.household(h.id), headPersonId: successor.personId });
  }

  snapshot(personIds: readonly string[], householdIds: readonly string[]) {
    return {
      persons: personIds.flatMap((id) => this.persons.get(id) ?? []),
      households: householdIds.flatMap((id) => this.households.get(id) ?? []),
      memberships: this.memberships.filter(
        (m) => m.validTo === null && (personIds.includes(m.personId) || householdIds.includes(m.householdId)),
      ),
    };
  }
}

function newPerson(spec: NewPerson, citizenId: string, countyCode: string, id: string): Person {
  return {
    id,
    citizenId,
    name: spec.name,
    formerNames: [],
    sex: spec.sex,
    birthDate: spec.birthDate,
    // As declared: null is a declared unknown (不详), never replaced by a default or by this county.
    ethnicity: spec.ethnicity,
    birthplace: spec.birthplace,
    ...(spec.education ? { education: spec.education } : {}),
    ...(spec.maritalStatus ? { maritalStatus: spec.maritalStatus } : {}),
    ...(spec.occupation ? { occupation: spec.occupation } : {}),
    ...(spec.servicePlace ? { servicePlace: spec.servicePlace } : {}),
    legacyHukouNature: [],
    status: 'active',
    countyCode,
  };
}

/** 迁出地 with its full name as of the move (江西省南昌市东湖区), kept in the ledger event. */
function withOriginName(command: Extract<RegisterCommand, { type: 'move-in' }>): RegisterCommand {
  const { fromDivisionName: _given, ...rest } = command;
  const division = findDivision(command.fromDivision);
  return division
    ? { ...rest, fromDivisionName: [...division.path.map((p) => p.name), division.name].join('') }
    : rest;
}

/** The citizen id must agree with the birth date and sex on record (GB 11643). */
function checkIdConsistency(p: Pick<Person, 'citizenId' | 'birthDate' | 'sex'>) {
  const check = checkCitizenId(p.citizenId);
  if (!check.isValid) {
    const first = check.problems[0];
    return refuse(first?.code ?? 'HUJI_ID_CHECKSUM', first?.params ?? {});
  }
  if (check.parsed.birthDate !== p.birthDate) {
    refuse('HUJI_REGISTER_ID_INCONSISTENT', {
      field: { zh: '出生日期', en: 'birth date' },
      inId: check.parsed.birthDate,
      value: p.birthDate,
    });
  }
  const sex = check.parsed.sex === 'male' ? '1' : '2';
  if (sex !== p.sex)
    refuse('HUJI_REGISTER_ID_INCONSISTENT', { field: { zh: '性别', en: 'sex' }, inId: sex, value: p.sex });
}

// Refusal words in both languages: a Chinese answer never carries English (the message picks one).
const BIRTH = { zh: '出生日期', en: 'the birth' };

function notBefore(date: string, earlier: string, what: { zh: string; en: string }) {
  if (date < earlier) refuse('HUJI_REGISTER_DATE_ORDER', { date, what, earlier });
}

/**
 * @example decideRegisterChange(state, { type: 'death-cancellation', personId, dateOfDeath, … }, context)
 */
export function decideRegisterChange(
  state: RegisterState,
  command: RegisterCommand,
  context: DecisionContext,
): RegisterDecision {
  const action = COMMAND_LABELS[command.type];
  const d = new Draft(state, context, action);
  // A birth takes effect on the day of birth: the child was a member of the household from then on.
  const date =
    command.effectiveDate ??
    (command.type === 'birth-registration' ? command.person.birthDate : context.today);
  try {
    if (date > context.today) refuse('HUJI_ID_DATE_FUTURE', { birthDate: date });
    let personIds: string[] = [];
    let householdIds: string[] = [];
    let county = '';
    let before: unknown = null;
    switch (command.type) {
      case 'birth-registration':
      case 'no-hukou-registration': {
        const isBirth = command.type === 'birth-registration';
        let h: Household;
        if (command.type === 'no-hukou-registration' && command.newHousehold)
          h = d.newHousehold(command.newHousehold, null);
        else
          h = d.activeHousehold(
            (command as { householdId?: string }).householdId ??
              refuse('HUJI_VALIDATION', {
                detail: {
                  zh: '请指定入户的户（householdId）或新立户（newHousehold）',
                  en: 'householdId or newHousehold',
                },
              }),
          );
        const citizenId =
          context.allocatedCitizenId ?? refuse('HUJI_INTERNAL', { requestId: 'citizen id not allocated' });
        const p = newPerson(command.person, citizenId, h.address.countyCode, context.newId());
        if (isBirth) notBefore(date, p.birthDate, BIRTH);
        d.putPerson(p);
        const isFirst = d.members(h.id).length === 0;
        d.open(p.id, h.id, isFirst ? '02' : command.relationship, isBirth ? p.birthDate : date);
        if (isFirst) d.putHousehold({ ...d.household(h.id), headPersonId: p.id });
        personIds = [p.id];
        householdIds = [h.id];
        county = h.address.countyCode;
        break;
      }
      case 'death-cancellation': {
        const p = d.activePerson(command.personId);
        notBefore(command.dateOfDeath, p.birthDate, BIRTH);
        const m = d.membershipOf(p.id);
        before = d.snapshot([p.id], m ? [m.householdId] : []);
        d.leave(p.id, command.dateOfDeath, command.newHeadPersonId);
        d.putPerson({ ...p, status: 'deceased' });
        personIds = [p.id, ...(command.newHeadPersonId ? [command.newHeadPersonId] : [])];
        householdIds = m ? [m.householdId] : [];
        county = p.countyCode;
        break;
      }
      case 'move-in': {
        const citizenId = command.person.citizenId.toUpperCase();
        const taken = state.byCitizenId;
        if (taken && taken.person.status === 'active') {
          // The household number only where the registration lies in the county moved into (the
          // officer's own): another county's household numbers are that county's data (issue 14).
          const intoCounty = command.newHousehold
            ? command.newHousehold.address.countyCode
            : command.householdId === undefined
              ? undefined
              : d.household(command.householdId).address.countyCode;
          if (taken.person.countyCode === intoCounty)
            refuse('HUJI_REGISTER_CITIZEN_ID_TAKEN', { citizenId, householdNumber: taken.householdNumber });
          refuse('HUJI_REGISTER_CITIZEN_ID_TAKEN_ELSEWHERE', { citizenId });
        }
        const h = command.newHousehold
          ? d.newHousehold(command.newHousehold, null)
          : d.activeHousehold(
              command.householdId ??
                refuse('HUJI_VALIDATION', {
                  detail: {
                    zh: '请指定入户的户（householdId）或新立户（newHousehold）',
                    en: 'householdId or newHousehold',
                  },
                }),
            );
        checkIdConsistency({ citizenId, birthDate: command.person.birthDate, sex: command.person.sex });
        // A person who moved out earlier comes back under the same record.
        const previous = state.byCitizenId?.person;
        const p: Person = previous
          ? { ...previous, status: 'active', countyCode: h.address.countyCode }
          : newPerson(command.person, citizenId, h.address.countyCode, context.newId());
        before = previous ? d.snapshot([previous.id], []) : null;
        d.putPerson(p);
        const isFirst = d.members(h.id).length === 0;
        d.open(p.id, h.id, isFirst ? '02' : command.relationship, date);
        if (isFirst) d.putHousehold({ ...d.household(h.id), headPersonId: p.id });
        personIds = [p.id];
        householdIds = [h.id];
        county = h.address.countyCode;
        break;
      }
      case 'move-out': {
        const p = d.activePerson(command.personId);
        const m = d.membershipOf(p.id);
        before = d.snapshot([p.id], m ? [m.householdId] : []);
        d.leave(p.id, date, command.newHeadPersonId);
        d.putPerson({ ...p, status: 'moved-out' });
        personIds = [p.id];
        householdIds = m ? [m.householdId] : [];
        county = p.countyCode;
        break;
      }
      case 'move-within-city': {
        const p = d.activePerson(command.personId);
        const target = d.activeHousehold(command.toHouseholdId);
        const m = d.membershipOf(p.id);
        if (m?.householdId === target.id)
          refuse('HUJI_REGISTER_SAME_VALUE', {
            field: { zh: '户', en: 'the household' },
            value: target.householdNumber,
          });
        before = d.snapshot([p.id], [target.id, ...(m ? [m.householdId] : [])]);
        d.leave(p.id, date, command.newHeadPersonId);
        d.open(p.id, target.id, d.members(target.id).length === 0 ? '02' : command.relationship, date);
        d.putPerson({ ...p, countyCode: target.address.countyCode });
        personIds = [p.id];
        householdIds = [target.id, ...(m ? [m.householdId] : [])];
        county = target.address.countyCode;
        break;
      }
      case 'household-establishment': {
        const p = d.activePerson(command.headPersonId);
        const m = d.membershipOf(p.id);
        before = d.snapshot([p.id], m ? [m.householdId] : []);
        d.leave(p.id, date, command.newHeadPersonId);
        const h = d.newHousehold(command.household, p.id);
        d.open(p.id, h.id, '02', date);
        d.putPerson({ ...p, countyCode: h.address.countyCode });
        personIds = [p.id];
        householdIds = [h.id, ...(m ? [m.householdId] : [])];
        county = h.address.countyCode;
        break;
      }
      case 'household-split': {
        const from = d.activeHousehold(command.fromHouseholdId);
        const moving = [
          { personId: command.headPersonId, relationship: '02' },
          ...command.members.filter((x) => x.personId !== command.headPersonId),
        ];
        for (const x of moving) {
          const p = d.activePerson(x.personId);
          if (d.membershipOf(p.id)?.householdId !== from.id)
            refuse('HUJI_REGISTER_NOT_MEMBER', { name: p.name, householdNumber: from.householdNumber });
        }
        before = d.snapshot(
          moving.map((x) => x.personId),
          [from.id],
        );
        // Members leave before the old head does, so a head taking everyone along closes the old household.
        const leavingOrder = [...moving].sort(
          (a, b) => Number(a.personId === from.headPersonId) - Number(b.personId === from.headPersonId),
        );
        const h = d.newHousehold(command.household, command.headPersonId);
        for (const x of leavingOrder) {
          d.leave(x.personId, date, from.headPersonId === x.personId ? command.newHeadPersonId : undefined);
          d.open(x.personId, h.id, x.relationship, date);
          d.putPerson({ ...d.person(x.personId), countyCode: h.address.countyCode });
        }
        personIds = moving.map((x) => x.personId);
        householdIds = [h.id, from.id];
        county = h.address.countyCode;
        break;
      }
      case 'head-change': {
        const h = d.activeHousehold(command.householdId);
        const successor = d.members(h.id).find((m) => m.personId === command.newHeadPersonId);
        const p = d.activePerson(command.newHeadPersonId);
        if (!successor)
          refuse('HUJI_REGISTER_NOT_MEMBER', { name: p.name, householdNumber: h.householdNumber });
        if (h.headPersonId === p.id)
          refuse('HUJI_REGISTER_SAME_VALUE', { field: { zh: '户主', en: 'the head' }, value: p.name });
        const oldHead = h.headPersonId;
        // The former head stays a member: without a new relationship they would be a second 02.
        const restated = command.relationships.find((r) => r.personId === oldHead);
        if (oldHead && d.membershipOf(oldHead)?.householdId === h.id && !restated)
          refuse('HUJI_VALIDATION', {
            detail: {
              zh: 'relationships：请填写原户主与新户主的关系',
              en: "relationships: the former head's relationship to the new head",
            },
          });
        if (command.relationships.some((r) => r.relationship === '02' && r.personId !== p.id))
          refuse('HUJI_VALIDATION', {
            detail: {
              zh: 'relationships：只有新户主是“户主”（02）',
              en: 'relationships: only the new head is 02',
            },
          });
        before = d.snapshot([], [h.id]);
        d.makeHead(h, successor as Membership, date);
        for (const r of command.relationships) {
          if (r.personId === p.id) continue;
          const m = d.members(h.id).find((x) => x.personId === r.personId);
          if (!m)
            refuse('HUJI_REGISTER_NOT_MEMBER', {
              name: d.person(r.personId).name,
              householdNumber: h.householdNumber,
            });
          d.close(r.personId, h.id, date);
          d.open(r.personId, h.id, r.relationship, date);
        }
        personIds = [p.id, ...(oldHead ? [oldHead] : []), ...command.relationships.map((r) => r.personId)];
        householdIds = [h.id];
        county = h.address.countyCode;
        break;
      }
      case 'relationship-change': {
        const h = d.activeHousehold(command.householdId);
        const p = d.activePerson(command.personId);
        const m = d.members(h.id).find((x) => x.personId === p.id);
        if (!m)
          return refuse('HUJI_REGISTER_NOT_MEMBER', { name: p.name, householdNumber: h.householdNumber });
        if (m.relationship === command.relationship)
          refuse('HUJI_REGISTER_SAME_VALUE', {
            field: { zh: '与户主关系', en: 'the relationship to the head' },
            value: {
              zh: codeLabel('relationship', command.relationship, 'zh-CN'),
              en: codeLabel('relationship', command.relationship, 'en'),
            },
          });
        if (h.headPersonId === p.id || command.relationship === '02') {
          refuse('HUJI_VALIDATION', {
            detail: {
              zh: 'relationship：变更户主请用“户主变更”（02）',
              en: 'relationship: use head-change to change the head (02)',
            },
          });
        }
        before = d.snapshot([p.id], [h.id]);
        d.close(p.id, h.id, date);
        d.open(p.id, h.id, command.relationship, date);
        personIds = [p.id];
        householdIds = [h.id];
        county = h.address.countyCode;
        break;
      }
      case 'correction': {
        const p = d.person(command.personId);
        if (p.status === 'cancelled')
          refuse('HUJI_REGISTER_NOT_ACTIVE', { name: p.name, status: STATUS_TEXT[p.status], action });
        const current = (p as unknown as Record<string, unknown>)[command.field];
        const value = command.field === 'citizenId' ? command.value.toUpperCase() : command.value;
        if (current === value)
          refuse('HUJI_REGISTER_SAME_VALUE', { field: CORRECTABLE_FIELD_LABELS[command.field], value });
        // The corrected value meets the rule of its field (the schema checks only its length).
        const forbidden = command.field === 'name' ? findForbiddenNameCharacter(value) : undefined;
        if (forbidden) {
          const { hujiCode, ...params } = nameCharacterIssueParams(forbidden);
          refuse(hujiCode, params);
        }
        if (command.field === 'birthDate' && (!parseIsoDate(value) || !isDateInRange(value)))
          refuse('HUJI_DATE_OUT_OF_RANGE', { value, from: EARLIEST_DATE, to: LATEST_DATE });
        const corrected: Person = {
          ...p,
          [command.field]: value,
          // A corrected name is kept as a former name: history is never overwritten.
          ...(command.field === 'name' ? { formerNames: [...p.formerNames, p.name] } : {}),
        };
        if (['citizenId', 'birthDate', 'sex'].includes(command.field)) checkIdConsistency(corrected);
        before = { persons: [p] };
        d.putPerson(corrected);
        personIds = [p.id];
        county = p.countyCode;
        break;
      }
      case 'duplicate-cancellation': {
        if (command.personId === command.keptPersonId) refuse('HUJI_DUPLICATE_SAME_RECORD');
        const p = d.person(command.personId);
        // A moved-out record may still be a duplicate; a dead or cancelled one is closed for good.
        if (p.status === 'deceased' || p.status === 'cancelled')
          refuse('HUJI_REGISTER_NOT_ACTIVE', { name: p.name, status: STATUS_TEXT[p.status], action });
        const kept = d.person(command.keptPersonId);
        if (kept.status !== 'active')
          refuse('HUJI_REGISTER_KEPT_NOT_ACTIVE', { name: kept.name, status: STATUS_TEXT[kept.status] });
        const m = d.membershipOf(p.id);
        before = d.snapshot([p.id, kept.id], m ? [m.householdId] : []);
        d.leave(p.id, date, command.newHeadPersonId);
        d.putPerson({ ...p, status: 'cancelled' });
        // The kept record is named too, so the event shows in both persons' histories.
        personIds = [p.id, kept.id, ...(command.newHeadPersonId ? [command.newHeadPersonId] : [])];
        householdIds = m ? [m.householdId] : [];
        county = p.countyCode;
        break;
      }
      case 'booklet-issue': {
        const h = d.activeHousehold(command.householdId);
        householdIds = [h.id];
        county = h.address.countyCode;
        break;
      }
    }
    const uniquePersons = [...new Set(personIds)];
    const uniqueHouseholds = [...new Set(householdIds)];
    return {
      ok: true,
      change: {
        type: command.type,
        effectiveDate: date,
        countyCode: county,
        personIds: uniquePersons,
        householdIds: uniqueHouseholds,
        payload: command.type === 'move-in' ? withOriginName(command) : command,
        before,
        after: d.snapshot(uniquePersons, uniqueHouseholds),
        ops: d.ops,
      },
    };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error };
    throw error;
  }
}
