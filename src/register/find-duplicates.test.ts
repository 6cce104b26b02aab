import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import {
  birthplaceMatch,
  findDuplicates,
  scoreFromOdds,
  scoreLikelySamePerson,
  type DuplicateCandidate,
  type DuplicatePair,
  comparedBirthplace,
} from './find-duplicates.js';
import { duplicatePairsOf, syntheticRegister } from './synthetic-register.js';

let serial = 0;

/** A record of a man born 1990-05-17 in 柯城区 with a fresh ID number, household and person id. */
function person(overrides: Partial<DuplicateCandidate> = {}): DuplicateCandidate {
  serial++;
  const birthDate = overrides.birthDate ?? '1990-05-17';
  const sex = overrides.sex ?? '1';
  const birthplace = overrides.birthplace ?? '330802';
  return {
    personId: `p${String(serial).padStart(4, '0')}`,
    householdId: `h${String(serial).padStart(4, '0')}`,
    citizenId: composeCitizenId(birthplace, birthDate, 2 * (serial % 400) + (sex === '1' ? 1 : 2)),
    name: '张三',
    sex,
    birthDate,
    birthplace,
    ...overrides,
  };
}

const texts = (pair: DuplicatePair | undefined) => pair?.evidence.map((e) => e.zh).join(' | ') ?? '';

describe('scoreLikelySamePerson', () => {
  it('adds name, birthplace and birth points', () => {
    expect(scoreLikelySamePerson('identical', 'same-county')).toBe(1);
    expect(scoreLikelySamePerson('same-pinyin', 'same-prefecture')).toBe(0.8);
    expect(scoreLikelySamePerson('one-character-different', 'same-prefecture')).toBe(0.75);
    expect(scoreLikelySamePerson('identical', 'elsewhere')).toBe(0.7);
    expect(birthplaceMatch('330802', '330802')).toBe('same-county');
    expect(birthplaceMatch('330802', '330881')).toBe('same-prefecture');
    expect(birthplaceMatch('330802', '330102')).toBe('same-province');
    expect(birthplaceMatch('330802', '620102')).toBe('elsewhere');
  });

  it('turns the odds of one person into a score: 0.75 at 1 : 4, 0.1 more for every tenfold', () => {
    expect(scoreFromOdds(0.25)).toBe(0.75);
    expect(scoreFromOdds(2.5)).toBe(0.85);
    expect(scoreFromOdds(0.249)).toBe(0.74);
    expect(scoreFromOdds(Infinity)).toBe(1);
    expect(scoreFromOdds(0)).toBe(0);
  });
});

/**
 * A crowded birth date: 3,000 men born 1990-05-17 in the six counties of Quzhou, 120 of them named
 * 张伟, the others under names no one else carries, with an education from a few common ones.
 */
function crowdedDay(): DuplicateCandidate[] {
  const counties = ['330802', '330803', '330822', '330824', '330825', '330881'];
  const given = '一二三四五六七八九十百千万亿甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
  const surnames = '赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜';
  return Array.from({ length: 3000 }, (_, i) =>
    person({
      name:
        i < 120
          ? '张伟'
          : `${surnames[i % surnames.length] ?? ''}${given[Math.floor(i / 31) % given.length] ?? ''}${given[i % given.length] ?? ''}${given[Math.floor(i / 961)] ?? ''}`,
      birthplace: counties[i % counties.length],
      ethnicity: '01',
      education: ['21', '31', '41', '61'][i % 4],
      maritalStatus: '20',
      occupation: ['工人', '农民', '企业职员'][i % 3],
    }),
  );
}

describe('findDuplicates weighs each match against the population searched', () => {
  it('does not report a very common name on a crowded birth date at the confidence of a rare one', () => {
    const crowd = crowdedDay();
    const rare = [person({ name: '欧阳修远' }), person({ name: '欧阳修远' })];
    const pairs = findDuplicates([...crowd, ...rare]);
    const rarePair = pairs.find((p) => p.a === rare[0]?.personId && p.b === rare[1]?.personId);
    expect(rarePair?.score).toBe(1);
    // Two 张伟 born the same day in the same county: 1 in the 114 other 张伟 of that day would be one.
    expect(pairs.filter((p) => texts(p).includes('姓名相同（张伟）'))).toEqual([]);
    const zhangs = findDuplicates(crowd, { threshold: 0 }).filter(
      (p) => texts(p).includes('姓名相同（张伟）') && texts(p).includes('出生地同为'),
    );
    expect(zhangs.length).toBeGreaterThan(0);
    expect(Math.max(...zhangs.map((p) => p.score))).toBeLessThan(0.75);
    expect(texts(zhangs[0])).toContain('同日出生的同性别者另有 2999 人');
    // The same two records alone: nothing says the name is common, and they are reported as before.
    const [first, second] = crowd;
    expect(findDuplicates([first as DuplicateCandidate, second as DuplicateCandidate])[0]?.score).toBe(0.9);
  });

  it('counts a shared birthplace for as much as it is rare in the population searched', () => {
    const pairs = findDuplicates(crowdedDay(), { threshold: 0 }).filter((p) =>
      texts(p).includes('姓名相同（张伟）'),
    );
    const best = (place: string) =>
      Math.max(...pairs.filter((p) => texts(p).includes(place)).map((p) => p.score));
    // One county of six is telling; one prefecture, which everybody shares, is not.
    expect(best('出生地同为')).toBeGreaterThan(best('出生地同属衢州市'));
  });

  it('raises a match whose records agree on other facts and lowers one whose records differ', () => {
    const crowd = crowdedDay();
    const fact = { ethnicity: '01', maritalStatus: '20', occupation: '工人' };
    const agreeing = [
      person({ name: '张伟', ...fact, education: '11' }),
      person({ name: '张伟', ...fact, education: '11' }),
    ];
    const differing = [
      person({ name: '张伟', ...fact, education: '11' }),
      person({ name: '张伟', ...fact, education: '61', occupation: '农民' }),
    ];
    const pairs = findDuplicates([...crowd, ...agreeing, ...differing], { threshold: 0 });
    const scoreOf = ([a, b]: DuplicateCandidate[]) =>
      pairs.find((p) => p.a === a?.personId && p.b === b?.personId);
    const agreed = scoreOf(agreeing);
    expect(texts(agreed)).toContain('文化程度相同（博士研究生毕业；');
    expect(texts(scoreOf(differing))).toContain('文化程度不同（博士研究生毕业 / ');
    expect(agreed?.score).toBeGreaterThan(scoreOf(differing)?.score ?? 1);
  });
});

describe('the evidence of a weighed pair reads right', () => {
  const weighing = (pair: DuplicatePair | undefined) => pair?.evidence.find((e) => e.zh.startsWith('在所查'));

  it('gives finite odds for two different names and ID numbers, even where no one else has the name', () => {
    const [pair] = findDuplicates([person(), person({ name: '张叁', birthplace: '330881' })], {
      threshold: 0,
    });
    const line = weighing(pair);
    // No one else has the name: a lower bound, the odds one coincidence would give.
    expect(line?.zh).toMatch(/为同一人的几率大于 [\d,.]+:[\d,.]+（>[\d.]+%）$/);
    expect(line?.en).toMatch(/the odds of one person are more than [\d,.]+:[\d,.]+ \(>[\d.]+ %\)$/);
    expect(line?.zh).not.toContain('∞');
    expect(line?.en).not.toContain('∞');
    expect(line?.zh).not.toContain('（100%）');
  });

  it('says "1 other" and "2 others" in English, and no English in Chinese', () => {
    const one = weighing(findDuplicates([person(), person({ name: '张叁' })], { threshold: 0 })[0]);
    expect(one?.en).toContain('1 other shares the birth date');
    const two = weighing(
      findDuplicates([person(), person({ name: '张叁' }), person({ name: '李四' })], { threshold: 0 })[0],
    );
    expect(two?.en).toContain('2 others share the birth date');
    for (const line of [one, two]) expect(line?.zh).not.toMatch(/[A-Za-z]/);
  });

  it('states the same share for the same fact in every pair, counted with the pair', () => {
    // Born 1990: 4 men, all 汉族 (01): 100 % in both pairs, never "0.1 %" for the same fact.
    const han = { ethnicity: '01' };
    const pairs = findDuplicates(
      [
        person({ ...han }),
        person({ ...han, name: '张叁' }),
        person({ ...han, name: '王五', birthDate: '1990-08-01' }),
        person({ ...han, name: '王伍', birthDate: '1990-08-01' }),
      ],
      { threshold: 0 },
    );
    expect(pairs).toHaveLength(2);
    for (const pair of pairs)
      expect(texts(pair)).toContain('民族相同（汉族；同年出生的同性别者 4 人中有 4 人，占 100%）');
  });
});

describe('findDuplicates', () => {
  it('pairs homophones (张三 / 张叁) with the reading as evidence, in Chinese and English', () => {
    const [pair, ...rest] = findDuplicates([person(), person({ name: '张叁', birthplace: '330881' })]);
    expect(rest).toEqual([]);
    expect(pair?.kind).toBe('likely-same-person');
    expect(pair?.score).toBe(0.8);
    expect(texts(pair)).toContain('姓名拼音相同（zhang san');
    expect(texts(pair)).toContain('出生日期和性别相同（1990-05，男）');
    expect(texts(pair)).toContain('出生地同属衢州市');
    expect(pair?.evidence.every((e) => e.zh.length > 0 && /^[A-Z]/.test(e.en))).toBe(true);
  });

  it('pairs names alike in accents (张三 / 张珊) when born in the same county', () => {
    const [pair] = findDuplicates([person(), person({ name: '张珊' })]);
    expect(pair?.score).toBe(0.8);
    expect(texts(pair)).toContain('姓名读音相近');
    expect(texts(pair)).toContain('出生地同为柯城区');
    expect(findDuplicates([person(), person({ name: '张珊', birthplace: '330881' })])).toEqual([]);
  });

  it('pairs names one character apart', () => {
    const [pair] = findDuplicates([
      person({ name: '王建国' }),
      person({ name: '王建军', birthplace: '330803' }),
    ]);
    expect(pair?.score).toBe(0.75);
    expect(texts(pair)).toContain('姓名仅一字之差（王建国 / 王建军）');
    const [longer] = findDuplicates([person({ name: '张伟' }), person({ name: '张伟明' })]);
    expect(longer?.score).toBe(0.85);
  });

  it('reports the same ID number in two households with score 1, even under another name', () => {
    const first = person();
    const second = person({ citizenId: first.citizenId, name: '李四', birthplace: '620102' });
    const [pair, ...rest] = findDuplicates([first, second]);
    expect(rest).toEqual([]);
    expect(pair).toMatchObject({ a: first.personId, b: second.personId, kind: 'same-citizen-id', score: 1 });
    expect(texts(pair)).toContain('公民身份号码相同（330802********');
    expect(texts(pair)).toContain('分别登记在两个户中');
    expect(texts(pair)).toContain('登记姓名不同（张三 / 李四）');
  });

  it('finds the same ID number when one record has a wrong birth date or sex', () => {
    const first = person();
    const wrongDate = person({ citizenId: first.citizenId, birthDate: '1990-07-15' });
    const wrongSex = person({ citizenId: first.citizenId, sex: '2' });
    const pairs = findDuplicates([first, wrongDate, wrongSex]);
    expect(pairs.map((p) => [p.a, p.b, p.kind])).toEqual([
      [first.personId, wrongDate.personId, 'same-citizen-id'],
      [first.personId, wrongSex.personId, 'same-citizen-id'],
      [wrongDate.personId, wrongSex.personId, 'same-citizen-id'],
    ]);
  });

  it('never pairs different birth dates or sexes, whatever the names', () => {
    expect(findDuplicates([person(), person({ birthDate: '1990-05-18' })])).toEqual([]);
    expect(findDuplicates([person(), person({ birthDate: '1991-05-17' })])).toEqual([]);
    expect(findDuplicates([person(), person({ sex: '2' })])).toEqual([]);
  });

  it('does not pair different names, nor people born in other provinces by default', () => {
    expect(findDuplicates([person({ name: '王伟' }), person({ name: '王强' })])).toEqual([]);
    expect(findDuplicates([person({ name: '陈梓晨' }), person({ name: '苏梓晨' })])).toEqual([]);
    const far = [person(), person({ birthplace: '620102' })];
    expect(findDuplicates(far)).toEqual([]);
    expect(findDuplicates(far, { threshold: 0.7 })[0]?.score).toBe(0.7);
  });

  it('leaves twins in one household alone unless asked', () => {
    const twin = person({ name: '王子涵' });
    const other = person({ name: '王子轩', householdId: twin.householdId });
    expect(findDuplicates([twin, other])).toEqual([]);
    expect(findDuplicates([twin, other], { includeSameHousehold: true })).toHaveLength(1);
  });

  it('scores a common name lower as more people share the birth date', () => {
    // 40 men born the same day: 10 named 王伟, so another 王伟 that day is no surprise.
    const others = '赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何吕施孔曹严华金魏陶姜';
    const crowd = Array.from({ length: 40 }, (_, i) =>
      person({
        name: i < 10 ? '王伟' : `${others[i - 10] ?? '谢'}${'一二三四五六七八九十'[i % 10] ?? ''}明`,
      }),
    );
    const pairs = findDuplicates(crowd, { threshold: 0 });
    const wangs = pairs.filter((p) => texts(p).includes('姓名相同（王伟）'));
    expect(wangs).toHaveLength(45);
    // Ten of forty share the name: 8.2 more 王伟 expected by chance, so the pair is not worth a review.
    expect(wangs[0]?.score).toBeLessThan(0.75);
    expect(texts(wangs[0])).toContain('预计其中偶然与之姓名如此相近者 8.21 人');
    expect(findDuplicates(crowd, { threshold: 0, adjustForCommonNames: false })[0]?.score).toBe(1);
  });

  it('finds the same pairs in a large group through name keys as by comparing every pair', () => {
    const records = [...syntheticRegister({ city: 'quzhou', persons: 3000, seed: 9, duplicateRate: 0.05 })]
      .flatMap((h) => h.members.map((m) => ({ ...m, householdId: h.household.id })))
      // Everybody born on one day: the case of legacy data defaulting to 01-01.
      .map(({ person: p, householdId }): DuplicateCandidate => ({
        personId: p.id,
        householdId,
        citizenId: p.citizenId,
        name: p.name,
        sex: p.sex,
        birthDate: '1980-01-01',
        birthplace: comparedBirthplace(p.birthplace, p.citizenId),
      }));
    const keyed = findDuplicates(records, { threshold: 0.6 });
    const everyPair = findDuplicates(records, { threshold: 0.6, allPairsBlockSize: Infinity });
    expect(keyed.length).toBeGreaterThan(100);
    expect(keyed).toEqual(everyPair);
  });

  it('finds ≥ 95 % of the duplicate registrations of a generated register at ≥ 90 % precision', () => {
    const households = [
      ...syntheticRegister({ city: 'quzhou', persons: 50_000, seed: 2026, duplicateRate: 0.01 }),
    ];
    const records: DuplicateCandidate[] = households.flatMap(({ household, members }) =>
      members.map(({ person: p }) => ({
        personId: p.id,
        householdId: household.id,
        citizenId: p.citizenId,
        name: p.name,
        sex: p.sex,
        birthDate: p.birthDate,
        birthplace: comparedBirthplace(p.birthplace, p.citizenId),
      })),
    );
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
    const truth = new Set(duplicatePairsOf(households).map((t) => key(t.original, t.duplicate)));
    const started = performance.now();
    const pairs = findDuplicates(records);
    const elapsed = performance.now() - started;
    const correct = pairs.filter((p) => truth.has(key(p.a, p.b))).length;
    const recall = correct / truth.size;
    const precision = correct / pairs.length;
    console.log(
      `findDuplicates on ${records.length} records (${truth.size} true pairs): ${pairs.length} reported, ` +
        `recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, ${elapsed.toFixed(0)} ms`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });
});
