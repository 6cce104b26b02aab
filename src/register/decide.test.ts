/** The rule of the duplicate cancellation (注销重复户口), on register states built in memory. */
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../errors/codes.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import type { RegisterCommand } from './commands.js';
import { decideRegisterChange, type RegisterState } from './decide.js';
import type { Household, Membership, Person } from './model.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KEPT = id(1);
const DUPLICATE = id(2);
const SPOUSE = id(3);
const HOME = id(10);
const OTHER = id(11);

const person = (pid: string, overrides: Partial<Person> = {}): Person => ({
  id: pid,
  citizenId: composeCitizenId('330802', '1985-09-23', Number(pid.slice(-2)) * 2),
  name: '徐丽萍',
  formerNames: [],
  sex: '2',
  birthDate: '1985-09-23',
  ethnicity: '01',
  birthplace: '330802',
  legacyHukouNature: [],
  status: 'active',
  countyCode: '330802',
  ...overrides,
});
const household = (hid: string, head: string | null, n: number): Household => ({
  id: hid,
  householdNumber: `330802000800${String(n).padStart(3, '0')}`,
  type: 'family',
  address: { text: '衢州市柯城区测试路 1 号', countyCode: '330802' },
  headPersonId: head,
  status: 'active',
});
const member = (personId: string, householdId: string, relationship: string): Membership => ({
  personId,
  householdId,
  relationship,
  validFrom: '2010-01-01',
  validTo: null,
});

function state(
  options: { duplicateHeadsWithSpouse?: boolean; persons?: Partial<Record<string, Partial<Person>>> } = {},
) {
  const persons = [
    person(KEPT, options.persons?.[KEPT]),
    person(DUPLICATE, { name: '徐丽平', ...options.persons?.[DUPLICATE] }),
    person(SPOUSE, { name: '周明', sex: '1' }),
  ];
  const headed = options.duplicateHeadsWithSpouse ?? false;
  return {
    persons: new Map(persons.map((p) => [p.id, p])),
    households: new Map([
      [HOME, household(HOME, KEPT, 1)],
      [OTHER, household(OTHER, headed ? DUPLICATE : SPOUSE, 2)],
    ]),
    memberships: [
      member(KEPT, HOME, '02'),
      member(DUPLICATE, OTHER, headed ? '02' : '10'),
      member(SPOUSE, OTHER, headed ? '10' : '02'),
    ],
  } satisfies RegisterState;
}

const context = { today: '2026-12-02', newId: () => id(99), householdNumbers: [] };
const cancel = (extra: Partial<Extract<RegisterCommand, { type: 'duplicate-cancellation' }>> = {}) =>
  ({
    type: 'duplicate-cancellation',
    personId: DUPLICATE,
    keptPersonId: KEPT,
    reason: '两处登记为同一人，核对身份证与出生医学证明',
    ...extra,
  }) as const;

describe('duplicate-cancellation', () => {
  it('cancels the duplicate registration and closes its membership, naming both records', () => {
    const decision = decideRegisterChange(state(), cancel(), context);
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    const { change } = decision;
    expect(change.type).toBe('duplicate-cancellation');
    expect(change.effectiveDate).toBe('2026-12-02');
    expect(change.countyCode).toBe('330802');
    expect(change.personIds).toEqual([DUPLICATE, KEPT]);
    expect(change.householdIds).toEqual([OTHER]);
    expect(change.ops).toEqual([
      { op: 'close-membership', personId: DUPLICATE, householdId: OTHER, date: '2026-12-02' },
      { op: 'put-person', person: { ...person(DUPLICATE, { name: '徐丽平' }), status: 'cancelled' } },
    ]);
    // The kept record is untouched.
    expect(change.ops.some((op) => op.op === 'put-person' && op.person.id === KEPT)).toBe(false);
  });

  it('closes the household when the duplicate was its only member', () => {
    const s = state();
    const alone: RegisterState = {
      ...s,
      households: new Map([...s.households, [OTHER, household(OTHER, DUPLICATE, 2)]]),
      memberships: [member(KEPT, HOME, '02'), member(DUPLICATE, OTHER, '02')],
    };
    const decision = decideRegisterChange(alone, cancel(), context);
    expect(decision.ok && decision.change.ops).toContainEqual({
      op: 'put-household',
      household: { ...household(OTHER, DUPLICATE, 2), headPersonId: null, status: 'closed' },
    });
  });

  it('requires a new head when the duplicate heads a household with other members, and makes them head', () => {
    const refused = decideRegisterChange(state({ duplicateHeadsWithSpouse: true }), cancel(), context);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.code).toBe('HUJI_REGISTER_HEAD_REQUIRED');
    const decision = decideRegisterChange(
      state({ duplicateHeadsWithSpouse: true }),
      cancel({ newHeadPersonId: SPOUSE }),
      context,
    );
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.change.personIds).toEqual([DUPLICATE, KEPT, SPOUSE]);
    expect(decision.change.ops).toContainEqual({
      op: 'put-household',
      household: { ...household(OTHER, DUPLICATE, 2), headPersonId: SPOUSE },
    });
  });

  it.each([
    ['deceased', '已死亡注销'],
    ['cancelled', '已注销'],
  ] as const)('refuses to cancel a %s person', (status, text) => {
    const decision = decideRegisterChange(state({ persons: { [DUPLICATE]: { status } } }), cancel(), context);
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.code).toBe('HUJI_REGISTER_NOT_ACTIVE');
    expect(decision.error.params).toMatchObject({ status: { zh: text }, action: { zh: '注销重复户口' } });
  });

  it('cancels a moved-out duplicate record (it has no household to leave)', () => {
    const s = state({ persons: { [DUPLICATE]: { status: 'moved-out' } } });
    const decision = decideRegisterChange(
      { ...s, memberships: s.memberships.filter((m) => m.personId !== DUPLICATE) },
      cancel(),
      context,
    );
    expect(decision.ok && decision.change.householdIds).toEqual([]);
  });

  it.each(['moved-out', 'deceased', 'cancelled'] as const)('refuses when the kept person is %s', (status) => {
    const decision = decideRegisterChange(state({ persons: { [KEPT]: { status } } }), cancel(), context);
    expect(!decision.ok && decision.error.code).toBe('HUJI_REGISTER_KEPT_NOT_ACTIVE');
  });

  it('refuses a pair of one record, and unknown persons', () => {
    const same = decideRegisterChange(state(), cancel({ keptPersonId: DUPLICATE }), context);
    expect(!same.ok && same.error.code).toBe('HUJI_DUPLICATE_SAME_RECORD');
    const unknown = decideRegisterChange(state(), cancel({ keptPersonId: id(77) }), context);
    expect(!unknown.ok && unknown.error.code).toBe('HUJI_REGISTER_PERSON_UNKNOWN');
  });

  it('refuses an effective date in the future', () => {
    const decision = decideRegisterChange(state(), cancel({ effectiveDate: '2027-01-01' }), context);
    expect(!decision.ok && decision.error.code).toBe('HUJI_ID_DATE_FUTURE');
  });
});

describe('head change', () => {
  it('refuses, in both languages, a change that would leave the former head as a second head', () => {
    const decision = decideRegisterChange(
      state({ duplicateHeadsWithSpouse: true }),
      { type: 'head-change', householdId: OTHER, newHeadPersonId: SPOUSE, relationships: [] },
      context,
    );
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.code).toBe('HUJI_VALIDATION');
    expect(formatMessage('HUJI_VALIDATION', 'zh-CN', decision.error.params)).toBe(
      '请求内容有误：relationships：请填写原户主与新户主的关系',
    );
    expect(formatMessage('HUJI_VALIDATION', 'en', decision.error.params)).toContain(
      "the former head's relationship to the new head",
    );
  });
});

describe('correction', () => {
  it('names the field by its label when the value is already the recorded one', () => {
    const decision = decideRegisterChange(
      state(),
      {
        type: 'correction',
        personId: KEPT,
        field: 'birthDate',
        value: '1985-09-23',
        reason: '核对出生医学证明',
        evidence: '出生医学证明',
      },
      context,
    );
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.code).toBe('HUJI_REGISTER_SAME_VALUE');
    expect(formatMessage('HUJI_REGISTER_SAME_VALUE', 'zh-CN', decision.error.params)).toContain('出生日期');
    expect(formatMessage('HUJI_REGISTER_SAME_VALUE', 'en', decision.error.params)).toContain('date of birth');
  });
});

describe('a new person holds what was declared (issue 13)', () => {
  const mover = composeCitizenId('360102', '1988-03-15', 13);
  const moveIn = (person: Partial<Extract<RegisterCommand, { type: 'move-in' }>['person']> = {}) =>
    ({
      type: 'move-in',
      person: {
        name: '熊思远',
        sex: '1',
        birthDate: '1988-03-15',
        citizenId: mover,
        birthplace: '360102',
        ethnicity: '01',
        ...person,
      },
      permitNumber: 'SQ20261202000001',
      fromDivision: '360102',
      fromDivisionName: 'made up by the caller',
      householdId: HOME,
      relationship: '10',
      sourceApplication: 'SQ20261202000001',
      basis: {
        article: 'qz-final/1',
        quote: '在城区、建制镇合法稳定居住的，本人及其共同居住生活的配偶、子女、父母可以申请登记常住户口。',
      },
    }) as const;
  const personOf = (command: RegisterCommand) => {
    const decision = decideRegisterChange(state(), command, context);
    if (!decision.ok) throw decision.error;
    const put = decision.change.ops.find((o) => o.op === 'put-person');
    return { person: put?.op === 'put-person' ? put.person : undefined, change: decision.change };
  };

  it('keeps the declared birthplace (not the registering county), and education etc. only when declared', () => {
    const { person: p } = personOf(
      moveIn({ education: '61', maritalStatus: '20', occupation: '软件工程师' }),
    );
    expect(p).toMatchObject({
      birthplace: '360102',
      ethnicity: '01',
      education: '61',
      maritalStatus: '20',
      occupation: '软件工程师',
      countyCode: '330802',
    });
    const { person: bare } = personOf(moveIn());
    expect(bare).not.toHaveProperty('education');
    expect(bare).not.toHaveProperty('maritalStatus');
    expect(bare).not.toHaveProperty('occupation');
  });

  it('records a declared unknown birthplace and ethnicity as null, never 330802 nor 汉族', () => {
    const { person: p } = personOf(moveIn({ birthplace: null, ethnicity: null }));
    expect(p?.birthplace).toBeNull();
    expect(p?.ethnicity).toBeNull();
  });

  it("keeps 迁出地 with its name from the division tables (not the caller's), the application and the article in the event", () => {
    const { change } = personOf(moveIn());
    expect(change.payload).toMatchObject({
      fromDivision: '360102',
      fromDivisionName: '江西省南昌市东湖区',
      sourceApplication: 'SQ20261202000001',
      basis: { article: 'qz-final/1' },
    });
  });

  it('refuses in words of one language: a Chinese refusal carries no English (and the reverse)', () => {
    const decision = decideRegisterChange(state(), moveIn({ sex: '2' }), context);
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.error.messageIn('zh-CN')).toBe('公民身份号码与性别不一致：号码中为 1，登记为 2。');
    expect(decision.error.messageIn('en')).toContain('does not match the sex');
  });
});

describe('a move-in of a citizen id registered elsewhere (issue 14)', () => {
  const moveInOf = (citizenId: string) =>
    ({
      type: 'move-in',
      person: {
        name: '熊思远',
        sex: '2',
        birthDate: '1985-09-23',
        citizenId,
        birthplace: null,
        ethnicity: null,
      },
      permitNumber: 'ZQ2026000001',
      fromDivision: '330881',
      householdId: HOME,
      relationship: '10',
    }) as const;
  const refusalOf = (registered: Person, householdNumber: string) => {
    const decision = decideRegisterChange(
      { ...state(), byCitizenId: { person: registered, householdNumber } },
      moveInOf(registered.citizenId),
      context,
    );
    if (decision.ok) throw new Error('the move-in was not refused');
    return decision.error;
  };

  it("names the household number when the registration is in the officer's own county", () => {
    const error = refusalOf(person(KEPT), '330802000800001');
    expect(error.code).toBe('HUJI_REGISTER_CITIZEN_ID_TAKEN');
    expect(error.messageIn('zh-CN')).toContain('330802000800001');
  });

  it("never names another county's household number (nor its county)", () => {
    const elsewhere = person(id(7), {
      citizenId: composeCitizenId('620102', '1985-09-23', 14),
      countyCode: '620102',
    });
    const error = refusalOf(elsewhere, '620102000300017');
    expect(error.code).toBe('HUJI_REGISTER_CITIZEN_ID_TAKEN_ELSEWHERE');
    expect(error.status).toBe(409);
    for (const locale of ['zh-CN', 'en'] as const) {
      expect(error.messageIn(locale)).not.toContain('620102000300017');
      expect(error.messageIn(locale)).not.toMatch(/城关|Chengguan|Lanzhou|兰州/);
    }
    expect(JSON.stringify(error.params)).not.toContain('620102000300017');
  });
});
