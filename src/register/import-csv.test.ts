import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { householdFromRows, legacyHukouTypeOf, type ImportRow } from './import-csv.js';
import { checkImportedHousehold } from './import-households.js';
import { describeRowProblem } from './import-problems.js';

const HEAD = composeCitizenId('330802', '1955-03-01', 913);
const WIFE = composeCitizenId('330802', '1957-06-02', 924);

const row = (line: number, values: ImportRow['values']): ImportRow => ({
  line,
  values: {
    household_number: '330802000900001',
    household_type: '家庭户',
    address: '衢州市柯城区新新街道 1 号',
    county_code: '330802',
    ...values,
  },
});

describe('legacyHukouTypeOf', () => {
  it('maps the bare nature 农业 / 非农业 to the family or collective code by the household type', () => {
    expect(legacyHukouTypeOf('农业', 'family')).toBe('2');
    expect(legacyHukouTypeOf('非农业', 'family')).toBe('1');
    expect(legacyHukouTypeOf('农业户口', 'collective')).toBe('4');
    expect(legacyHukouTypeOf('非农业户口', 'collective')).toBe('3');
    expect(legacyHukouTypeOf('农业家庭户口', 'collective')).toBe('2'); // a full label says it itself
    expect(legacyHukouTypeOf('3', 'family')).toBe('3');
    expect(legacyHukouTypeOf('城镇', 'family')).toBeUndefined();
  });
});

describe('householdFromRows', () => {
  it('accepts 农业 and keeps it as the legacy nature (history), not as a current status', () => {
    const { household, problems } = householdFromRows([
      row(2, {
        relationship: '户主',
        citizen_id: HEAD,
        name: '王建设',
        sex: '男',
        birth_date: '1955-03-01',
        legacy_hukou_type: '农业',
        legacy_from: '1955-03-01',
        legacy_to: '2017-06-30',
      }),
    ]);
    expect(problems).toEqual([]);
    expect(checkImportedHousehold(household)).toEqual([]);
    expect(household.members[0]?.person).toMatchObject({
      status: 'active',
      legacyHukouNature: [{ type: '2', from: '1955-03-01', to: '2017-06-30' }],
    });
  });

  it('refuses an unknown value with a sentence in either language that lists what is accepted', () => {
    const { problems } = householdFromRows([
      row(2, { relationship: '户主', citizen_id: HEAD, name: '王建设', sex: '男', birth_date: '1955-03-01' }),
      row(3, {
        relationship: '老伴',
        citizen_id: WIFE,
        name: '李秀兰',
        sex: 'F',
        birth_date: '1957-06-02',
        legacy_hukou_type: '城镇',
      }),
    ]);
    expect(problems.map((p) => [p.member, p.field, p.code])).toEqual([
      [1, 'sex', 'HUJI_IMPORT_VALUE_NOT_ACCEPTED'],
      [1, 'membership.relationship', 'HUJI_IMPORT_VALUE_NOT_ACCEPTED'],
      [1, 'legacyHukouNature', 'HUJI_IMPORT_VALUE_NOT_ACCEPTED'],
    ]);
    const legacy = problems[2];
    if (!legacy) throw new Error('no problem');
    expect(describeRowProblem(legacy, 'zh-CN')).toBe(
      '户口性质“城镇”无法识别；可填：1 非农业家庭户口、2 农业家庭户口、3 非农业集体户口、4 农业集体户口，或“农业”“非农业”（按户类型归入家庭户口或集体户口）。',
    );
    expect(describeRowProblem(legacy, 'en')).toContain(
      'legacy_hukou_type "城镇" is not recognised; accepted: 1 非农业家庭户口',
    );
  });

  it('says a wrong check character through the citizen-id message, not as raw params', () => {
    const wrong = `${HEAD.slice(0, 17)}${HEAD[17] === '0' ? '1' : '0'}`;
    const { household } = householdFromRows([
      row(2, { relationship: '02', citizen_id: wrong, name: '王建设', sex: '1', birth_date: '1955-03-01' }),
    ]);
    const [problem] = checkImportedHousehold(household);
    expect(problem?.code).toBe('HUJI_ID_CHECKSUM');
    if (!problem) throw new Error('no problem');
    expect(describeRowProblem(problem, 'zh-CN')).toMatch(
      /^校验码不符：按 GB 11643 的 MOD 11-2 计算应为 .，号码中为 .。$/,
    );
    expect(describeRowProblem(problem, 'en')).toContain('Check character mismatch');
  });
});

describe('names with control, bidi or zero-width characters', () => {
  it.each([
    ['王\u202E建设', 2, 'U+202E', '文字方向控制字符'],
    ['王建\u200B设', 3, 'U+200B', '不可见字符'],
    ['王\u0007建设', 2, 'U+0007', '控制字符'],
  ])(
    'refuses %j with the name rule’s own message, not the generic field one',
    (name, position, codePoint, kind) => {
      const { household, problems } = householdFromRows([
        row(7, { relationship: '户主', citizen_id: HEAD, name, sex: '男', birth_date: '1955-03-01' }),
      ]);
      expect(problems).toEqual([]);
      const found = checkImportedHousehold(household);
      expect(found.map((p) => [p.member, p.field, p.code])).toEqual([[0, 'name', 'HUJI_NAME_CHARACTER']]);
      const [problem] = found;
      if (!problem) throw new Error('no problem');
      expect(describeRowProblem(problem, 'zh-CN')).toBe(
        `姓名第 ${position} 个字符 ${codePoint} 是${kind}，不能用于姓名；请删除后重新填写。`,
      );
      expect(describeRowProblem(problem, 'en')).toContain(`Character ${position} of the name, ${codePoint}`);
      expect(problem.params).toMatchObject({ column: { zh: '姓名', en: 'name' } });
    },
  );

  it('says the same of a former name, naming its column', () => {
    const { household } = householdFromRows([
      row(2, {
        relationship: '户主',
        citizen_id: HEAD,
        name: '王建设',
        former_names: '王\u2066建国',
        sex: '男',
        birth_date: '1955-03-01',
      }),
    ]);
    const [problem] = checkImportedHousehold(household);
    expect(problem).toMatchObject({
      field: 'formerNames.0',
      code: 'HUJI_NAME_CHARACTER',
      params: { position: 2, codePoint: 'U+2066', column: { zh: '曾用名', en: 'former_names' } },
    });
  });
});

describe('imported ids', () => {
  /** The id shapes an unkeyed hash of the citizen id (or of the household number) would take. */
  const hashIds = (key: string) =>
    ['sha256', 'sha1', 'md5', 'sha512', 'sm3']
      .filter((a) => {
        try {
          createHash(a);
          return true;
        } catch {
          return false;
        }
      })
      .flatMap((a) =>
        [key, `huji:person:${key}`, `huji:household:${key}`].map((input) =>
          createHash(a).update(input).digest('hex').slice(0, 32),
        ),
      );
  const hex = (uuid: string) => uuid.replaceAll('-', '');

  it('are random: the same rows give new ids each time, never a hash of the citizen id', () => {
    const rows = [
      row(2, { relationship: '户主', citizen_id: HEAD, name: '王建设', sex: '男', birth_date: '1955-03-01' }),
    ];
    const first = householdFromRows(rows).household;
    const second = householdFromRows(rows).household;
    const ids = [first, second].flatMap((h) => [h.household.id, ...h.members.map((m) => m.person.id)]);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const derived = [...hashIds(HEAD), ...hashIds('330802000900001')];
    // A UUID keeps 122 of the 128 bits: compare outside the version and variant nibbles.
    const comparable = (h: string) => h.slice(0, 12) + h.slice(13, 16) + h.slice(17, 32);
    for (const id of ids) for (const d of derived) expect(comparable(hex(id))).not.toBe(comparable(d));
    // The membership still links the person and the household it was built with.
    expect(first.members[0]?.membership).toMatchObject({
      personId: first.members[0]?.person.id,
      householdId: first.household.id,
    });
  });
});
