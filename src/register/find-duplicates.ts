/**
 * Finds duplicate registrations (一人多户): one person registered in two households, either under the
 * same citizen ID number or under a second number with the same birth date and sex and a name that is
 * the same, sounds the same or differs in one character. Pure; the caller reads the register.
 *
 * It scales by blocking: records are grouped by (birth date, sex) and only records of one group are
 * compared; inside a large group (dates like 01-01 that legacy data defaults to) only records sharing a
 * name key are compared (`nameMatchKeys`), which finds exactly the same pairs.
 *
 * A match on a common name says less than one on a rare name, and the more so the more people share a
 * birth date: the score is lowered by the number of such matches chance alone would give in the group.
 */
import { findDivision } from '../standards/divisions.js';
import { maskCitizenId } from '../standards/masking.js';
import {
  commonCharacters,
  compareNames,
  nameFeatures,
  nameMatchKeys,
  type NameFeatures,
  type NameMatchKind,
} from './name-similarity.js';

export interface DuplicateCandidate {
  readonly personId: string;
  readonly householdId: string;
  readonly citizenId: string;
  readonly name: string;
  /** GB/T 2261.1: '1' male, '2' female. */
  readonly sex: string;
  readonly birthDate: string;
  /** GB/T 2260 county code of the place of birth. */
  readonly birthplace: string;
}

export interface Evidence {
  readonly zh: string;
  readonly en: string;
}

export type DuplicatePairKind = 'same-citizen-id' | 'likely-same-person';

export interface DuplicatePair {
  /** Person ids; `a` is the record that came first in the input. */
  readonly a: string;
  readonly b: string;
  readonly kind: DuplicatePairKind;
  /** 1 for the same citizen ID; otherwise `scoreLikelySamePerson`. */
  readonly score: number;
  readonly evidence: readonly Evidence[];
}

export interface FindDuplicatesOptions {
  /** Pairs of different ID numbers scoring at least this are reported; default 0.75. */
  readonly threshold?: number;
  /**
   * Compare records of the same household too. Off by default: 一人多户 is by definition two households,
   * and twins in one household (same date, sex, surname, similar names) would otherwise be reported.
   */
  readonly includeSameHousehold?: boolean;
  /** Lower the score of matches on common names (`commonNamePenalty`); default true. */
  readonly adjustForCommonNames?: boolean;
  /** Groups up to this size are compared pair by pair, larger ones through name keys; default 32. */
  readonly allPairsBlockSize?: number;
}

export type BirthplaceMatchKind = 'same-county' | 'same-prefecture' | 'same-province' | 'elsewhere';

/**
 * Points out of 100 per kind of name match: an identical name is the strongest sign; a reading that
 * only accents merge (张三 / 张珊) the weakest, as many different names share one.
 */
export const NAME_POINTS: Readonly<Record<NameMatchKind, number>> = {
  identical: 60,
  'same-pinyin': 50,
  'one-character-different': 45,
  'similar-pinyin': 40,
};

/** Points out of 100 for how close the two places of birth are. */
export const BIRTHPLACE_POINTS: Readonly<Record<BirthplaceMatchKind, number>> = {
  'same-county': 30,
  'same-prefecture': 20,
  'same-province': 10,
  elsewhere: 0,
};

/** Points for the same birth date and sex, which every compared pair has (they are the blocking key). */
export const BIRTH_POINTS = 10;

/**
 * Points taken off by how many matches of this kind chance would give among the records of one birth
 * date and sex: [at least this many, points]. A rare name in a small group loses nothing.
 */
export const COMMON_NAME_PENALTIES: readonly (readonly [chanceMatches: number, points: number])[] = [
  [0.15, 20],
  [0.05, 15],
  [0.02, 10],
  [0.005, 5],
];

export const DEFAULT_THRESHOLD = 0.75;

/**
 * Points off for a match that chance makes likely: `chanceMatches` is the expected number of other
 * records of the same birth date and sex matching this way: (group size − 1) × the share of the
 * records of that sex, the pair itself left out, that carry the shared name, reading or characters.
 *
 * @example commonNamePenalty(0.001) // 0
 * @example commonNamePenalty(0.03) // 10
 */
export function commonNamePenalty(chanceMatches: number): number {
  return COMMON_NAME_PENALTIES.find(([atLeast]) => chanceMatches >= atLeast)?.[1] ?? 0;
}

/**
 * How likely two records with different ID numbers, the same birth date and sex, and matching names
 * are one person: (name points + birthplace points + 10 − common-name penalty) / 100. With the default
 * threshold of 0.75 and a rare name: an identical name is reported when born in the same province, a
 * homophone or a name one character apart when born in the same prefecture, names alike only in accents
 * when born in the same county; none of them when born in different provinces.
 *
 * @example scoreLikelySamePerson('identical', 'same-county') // 1
 * @example scoreLikelySamePerson('same-pinyin', 'same-prefecture') // 0.8
 * @example scoreLikelySamePerson('one-character-different', 'same-county', 0.03) // 0.75
 */
export function scoreLikelySamePerson(
  name: NameMatchKind,
  birthplace: BirthplaceMatchKind,
  chanceMatches = 0,
): number {
  // Integer points, divided once, so that 45 + 20 + 10 is exactly 0.75.
  const points =
    NAME_POINTS[name] + BIRTHPLACE_POINTS[birthplace] + BIRTH_POINTS - commonNamePenalty(chanceMatches);
  return Math.max(0, points) / 100;
}

/**
 * How close two GB/T 2260 county codes are: the same code, prefecture (first 4 digits) or province (2).
 *
 * @example birthplaceMatch('330802', '330881') // 'same-prefecture'
 */
export function birthplaceMatch(a: string, b: string): BirthplaceMatchKind {
  if (a === b) return 'same-county';
  if (a.slice(0, 4) === b.slice(0, 4)) return 'same-prefecture';
  if (a.slice(0, 2) === b.slice(0, 2)) return 'same-province';
  return 'elsewhere';
}

/** What is known of one distinct name: its features, and how many records of each sex carry it. */
interface NameInfo {
  readonly features: NameFeatures;
  /** `features.fuzzyFirst` as a number: names that differ in it cannot match, and numbers compare fast. */
  readonly first: number;
  /** Records per sex slot (`slotOf`): male, female, any other code. */
  readonly bySex: [number, number, number];
}

interface Entry {
  readonly candidate: DuplicateCandidate;
  readonly name: NameFeatures;
  /** `NameInfo.first`; negative and unique on an ID-only copy, so that its name matches nothing. */
  readonly first: number;
  /** `idFingerprint` of the ID number: different fingerprints, different numbers. */
  readonly id: number;
  /** A copy placed in the block its ID number implies, to find the same number only (see `idBlock`). */
  readonly idOnly: boolean;
  /** Position in the input, so that `a` of a pair is always the earlier record. */
  readonly order: number;
}

/**
 * A number that differs for different ID numbers of one (birth date, sex) block: the address code and
 * sequence digits of an 18-character number, read without building strings; a string hash otherwise.
 * Lets the pair loop compare numbers and look at the strings only when these agree.
 */
function idFingerprint(id: string): number {
  let value = 0;
  if (id.length === 18) {
    for (let i = 0; i < 6; i++) value = value * 10 + (id.charCodeAt(i) - 48);
    for (let i = 14; i < 17; i++) value = value * 10 + (id.charCodeAt(i) - 48);
    return value;
  }
  for (let i = 0; i < id.length; i++) value = (Math.imul(value, 31) + id.charCodeAt(i)) | 0;
  return value;
}

/** A possible match found in a block, scored once the frequency of what it rests on is known. */
interface Found {
  readonly first: Entry;
  readonly second: Entry;
  readonly name: NameMatchKind;
  readonly birthplace: BirthplaceMatchKind;
  readonly blockSize: number;
}

/** Blocks and counts keep male ('1'), female ('2') and other sex codes apart in three slots. */
const slotOf = (sex: string) => (sex === '1' ? 0 : sex === '2' ? 1 : 2);

/**
 * The (birth date, sex) an ID number encodes, when the record's own fields say otherwise: such a record
 * also goes into that block, so that the same number is found by comparing within blocks only, without a
 * map of every number. Undefined when the fields agree (the usual case) or the number has no such parts.
 */
function idBlock(c: DuplicateCandidate): { birthDate: string; sex: string } | undefined {
  const id = c.citizenId;
  let date: string;
  let sequenceDigit: number;
  if (id.length === 18) {
    date = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
    sequenceDigit = id.charCodeAt(16) - 48;
  } else if (id.length === 15) {
    date = `19${id.slice(6, 8)}-${id.slice(8, 10)}-${id.slice(10, 12)}`;
    sequenceDigit = id.charCodeAt(14) - 48;
  } else return undefined;
  const sex = sequenceDigit % 2 === 1 ? '1' : '2';
  return date === c.birthDate && sex === c.sex ? undefined : { birthDate: date, sex };
}

/** Same as `idBlock(c) === undefined` for 18-character numbers, without building strings. */
function agreesWithId(c: DuplicateCandidate): boolean {
  const id = c.citizenId;
  const d = c.birthDate;
  if (id.length !== 18 || d.length !== 10) return false;
  for (let i = 0; i < 4; i++) if (id.charCodeAt(6 + i) !== d.charCodeAt(i)) return false;
  if (id.charCodeAt(10) !== d.charCodeAt(5) || id.charCodeAt(11) !== d.charCodeAt(6)) return false;
  if (id.charCodeAt(12) !== d.charCodeAt(8) || id.charCodeAt(13) !== d.charCodeAt(9)) return false;
  return ((id.charCodeAt(16) - 48) % 2 === 1 ? '1' : '2') === c.sex;
}

/** Records of one sex per name, name without a character, reading and fuzzy reading (only those asked). */
interface Frequencies {
  total: number;
  readonly names: Map<string, number>;
  readonly pinyin: Map<string, number>;
  readonly fuzzy: Map<string, number>;
}

function wantedKey(found: Found): [keyof Omit<Frequencies, 'total'>, string] {
  const a = found.first.name;
  switch (found.name) {
    case 'identical':
      return ['names', a.name];
    case 'same-pinyin':
      return ['pinyin', a.pinyin];
    case 'similar-pinyin':
      return ['fuzzy', a.fuzzyPinyin];
    case 'one-character-different':
      return ['names', commonCharacters(a, found.second.name)];
  }
}

/**
 * Counts, per sex, the records carrying each key the found matches rest on. Only those keys are
 * counted, which keeps this to one look-up per name and key instead of a map of every key.
 */
function countWanted(found: readonly Found[], names: Iterable<NameInfo>): Frequencies[] {
  const result = [0, 1, 2].map((): Frequencies => ({
    total: 0,
    names: new Map(),
    pinyin: new Map(),
    fuzzy: new Map(),
  }));
  const wanted = { names: new Set<string>(), pinyin: new Set<string>(), fuzzy: new Set<string>() };
  for (const f of found) {
    const [table, key] = wantedKey(f);
    wanted[table].add(key);
  }
  const add = (map: Map<string, number>, set: Set<string>, key: string, count: number) => {
    if (set.has(key)) map.set(key, (map.get(key) ?? 0) + count);
  };
  for (const { features, bySex } of names) {
    for (let slot = 0; slot < 3; slot++) {
      const count = bySex[slot] ?? 0;
      const f = result[slot];
      if (count === 0 || !f) continue;
      f.total += count;
      add(f.names, wanted.names, features.name, count);
      for (const d of features.deletions) add(f.names, wanted.names, d, count);
      add(f.pinyin, wanted.pinyin, features.pinyin, count);
      add(f.fuzzy, wanted.fuzzy, features.fuzzyPinyin, count);
    }
  }
  return result;
}

const divisionNames = new Map<string, string>();

/** The name of a county, prefecture or province code for evidence lines; the code when unknown. */
function divisionName(code: string): string {
  let name = divisionNames.get(code);
  if (name === undefined) {
    const division = findDivision(code);
    // Municipalities list their prefecture as 市辖区 (110100): name the province instead.
    name =
      division && division.name !== '市辖区'
        ? division.name
        : (findDivision(`${code.slice(0, 2)}0000`)?.name ?? code);
    divisionNames.set(code, name);
  }
  return name;
}

function sexLabel(sex: string): Evidence {
  if (sex === '1') return { zh: '男', en: 'male' };
  if (sex === '2') return { zh: '女', en: 'female' };
  return { zh: `性别代码 ${sex}`, en: `sex code ${sex}` };
}

function nameEvidence(kind: NameMatchKind, a: NameFeatures, b: NameFeatures): Evidence {
  switch (kind) {
    case 'identical':
      return { zh: `姓名相同（${a.name}）`, en: `Same name (${a.name})` };
    case 'same-pinyin':
      return {
        zh: `姓名拼音相同（${a.pinyin}：${a.name} / ${b.name}）`,
        en: `Names read the same (${a.pinyin}: ${a.name} / ${b.name})`,
      };
    case 'similar-pinyin':
      return {
        zh: `姓名读音相近，方言中难以区分（${a.name} ${a.pinyin} / ${b.name} ${b.pinyin}）`,
        en: `Names sound alike in regional accents (${a.name} ${a.pinyin} / ${b.name} ${b.pinyin})`,
      };
    case 'one-character-different':
      return {
        zh: `姓名仅一字之差（${a.name} / ${b.name}）`,
        en: `Names differ in one character (${a.name} / ${b.name})`,
      };
  }
}

function birthplaceEvidence(kind: BirthplaceMatchKind, a: string, b: string): Evidence {
  switch (kind) {
    case 'same-county':
      return { zh: `出生地同为${divisionName(a)}`, en: `Born in the same county (${divisionName(a)}, ${a})` };
    case 'same-prefecture': {
      const prefecture = divisionName(`${a.slice(0, 4)}00`);
      return { zh: `出生地同属${prefecture}`, en: `Born in the same prefecture (${prefecture})` };
    }
    case 'same-province': {
      const province = divisionName(`${a.slice(0, 2)}0000`);
      return { zh: `出生地同属${province}`, en: `Born in the same province (${province})` };
    }
    case 'elsewhere':
      return {
        zh: `出生地不在同一省（${divisionName(a)} / ${divisionName(b)}）`,
        en: `Born in different provinces (${divisionName(a)} / ${divisionName(b)})`,
      };
  }
}

function sameIdPair(first: Entry, second: Entry): DuplicatePair {
  const a = first.candidate;
  const b = second.candidate;
  const evidence: Evidence[] = [
    {
      zh: `公民身份号码相同（${maskCitizenId(a.citizenId)}）`,
      en: `Same citizen ID number (${maskCitizenId(a.citizenId)})`,
    },
    a.householdId === b.householdId
      ? { zh: '在同一户中登记了两次', en: 'Registered twice in the same household' }
      : { zh: '分别登记在两个户中', en: 'Registered in two households' },
  ];
  if (a.name !== b.name) {
    evidence.push({
      zh: `登记姓名不同（${a.name} / ${b.name}）`,
      en: `Names differ (${a.name} / ${b.name})`,
    });
  }
  return { a: a.personId, b: b.personId, kind: 'same-citizen-id', score: 1, evidence };
}

interface Match {
  readonly name: NameMatchKind;
  readonly birthplace: BirthplaceMatchKind;
  readonly chanceMatches: number;
  /** Records of the sex sharing the key the match rests on. */
  readonly sharing: number;
  readonly penalty: number;
  readonly score: number;
}

function likelyPair(first: Entry, second: Entry, match: Match): DuplicatePair {
  const a = first.candidate;
  const b = second.candidate;
  const sex = sexLabel(a.sex);
  const evidence: Evidence[] = [
    nameEvidence(match.name, first.name, second.name),
    {
      zh: `出生日期和性别相同（${a.birthDate}，${sex.zh}）`,
      en: `Same birth date and sex (${a.birthDate}, ${sex.en})`,
    },
    birthplaceEvidence(match.birthplace, a.birthplace, b.birthplace),
  ];
  if (match.penalty > 0) {
    const expected = match.chanceMatches.toFixed(2);
    evidence.push({
      zh: `此类姓名较常见（同性别者中 ${match.sharing} 人），同日出生者中预计偶然出现 ${expected} 例，减 ${match.penalty} 分`,
      en: `A common name pattern (${match.sharing} records of this sex): ${expected} chance matches expected among those born that day, −${match.penalty} points`,
    });
  }
  evidence.push({
    zh: `公民身份号码不同（${maskCitizenId(a.citizenId)} / ${maskCitizenId(b.citizenId)}）`,
    en: `Different citizen ID numbers (${maskCitizenId(a.citizenId)} / ${maskCitizenId(b.citizenId)})`,
  });
  return { a: a.personId, b: b.personId, kind: 'likely-same-person', score: match.score, evidence };
}

/** Pairs (i < j) of a large block that share a name key or the ID number; no other pair can match. */
function keyedPairs(block: readonly Entry[]): number[] {
  const byKey = new Map<string, number[]>();
  const put = (key: string, i: number) => {
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  };
  block.forEach((entry, i) => {
    put(`i:${entry.candidate.citizenId}`, i);
    if (!entry.idOnly) for (const key of nameMatchKeys(entry.name)) put(key, i);
  });
  const seen = new Set<number>();
  for (const list of byKey.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        seen.add((list[x] as number) * block.length + (list[y] as number));
      }
    }
  }
  return [...seen];
}

/**
 * Finds pairs of records that are likely one person registered twice, best first: the same citizen ID
 * number (score 1), then records with the same birth date and sex whose names match and whose score
 * (`scoreLikelySamePerson`) reaches the threshold. Each pair carries its evidence in Chinese and English.
 *
 * @example
 * findDuplicates([
 *   { personId: 'p1', householdId: 'h1', citizenId: '330802199001011234', name: '张三', sex: '1', birthDate: '1990-01-01', birthplace: '330802' },
 *   { personId: 'p2', householdId: 'h2', citizenId: '330881199001015679', name: '张叁', sex: '1', birthDate: '1990-01-01', birthplace: '330881' },
 * ]) // [{ a: 'p1', b: 'p2', kind: 'likely-same-person', score: 0.8, evidence: [姓名拼音相同…, …] }]
 */
export function findDuplicates(
  persons: Iterable<DuplicateCandidate>,
  options: FindDuplicatesOptions = {},
): DuplicatePair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const includeSameHousehold = options.includeSameHousehold ?? false;
  const adjust = options.adjustForCommonNames ?? true;
  const allPairsBlockSize = options.allPairsBlockSize ?? 32;

  // Blocks by birth date, then sex: [male, female, any other code]. Keyed by the input strings.
  const blocks = new Map<string, Entry[][]>();
  const names = new Map<string, NameInfo>();
  const firstSyllables = new Map<string, number>();
  let idOnlyCopies = 0;
  let order = 0;
  const place = (birthDate: string, slot: number, entry: Entry) => {
    let bySex = blocks.get(birthDate);
    if (!bySex) blocks.set(birthDate, (bySex = [[], [], []]));
    (bySex[slot] as Entry[]).push(entry);
  };

  for (const candidate of persons) {
    let info = names.get(candidate.name);
    if (!info) {
      const features = nameFeatures(candidate.name);
      let first = firstSyllables.get(features.fuzzyFirst);
      if (first === undefined) firstSyllables.set(features.fuzzyFirst, (first = firstSyllables.size));
      info = { features, first, bySex: [0, 0, 0] };
      names.set(candidate.name, info);
    }
    const slot = slotOf(candidate.sex);
    info.bySex[slot]++;
    const id = idFingerprint(candidate.citizenId);
    const entry: Entry = { candidate, name: info.features, first: info.first, id, idOnly: false, order };
    order++;
    place(candidate.birthDate, slot, entry);
    const other = agreesWithId(candidate) ? undefined : idBlock(candidate);
    if (other)
      place(other.birthDate, slotOf(other.sex), { ...entry, first: -1 - idOnlyCopies++, idOnly: true });
  }

  const sameIds: DuplicatePair[] = [];
  const sameIdSeen = new Set<string>();
  const found: Found[] = [];
  const consider = (first: Entry, second: Entry, blockSize: number) => {
    const a = first.candidate;
    const b = second.candidate;
    if (first.id === second.id && a.citizenId === b.citizenId) {
      // A record whose fields disagree with its number sits in two blocks: report its pair once.
      const key = a.personId < b.personId ? `${a.personId}|${b.personId}` : `${b.personId}|${a.personId}`;
      if (a.personId !== b.personId && !sameIdSeen.has(key)) {
        sameIdSeen.add(key);
        sameIds.push(first.order < second.order ? sameIdPair(first, second) : sameIdPair(second, first));
      }
      return;
    }
    if (first.first !== second.first || a.sex !== b.sex) return;
    // One household is not 一人多户 (twins live together).
    if (!includeSameHousehold && a.householdId === b.householdId) return;
    const name = compareNames(first.name, second.name);
    if (!name) return;
    const birthplace = birthplaceMatch(a.birthplace, b.birthplace);
    // The common-name penalty only lowers a score: drop what cannot reach the threshold already.
    if (scoreLikelySamePerson(name, birthplace) >= threshold) {
      found.push({ first, second, name, birthplace, blockSize });
    }
  };

  for (const bySex of blocks.values()) {
    for (const block of bySex) {
      const size = block.length;
      if (size < 2) continue;
      if (size <= allPairsBlockSize) {
        for (let i = 0; i < size; i++) {
          const first = block[i] as Entry;
          for (let j = i + 1; j < size; j++) {
            // Most pairs differ in both: skip them with two number comparisons.
            const second = block[j] as Entry;
            if (second.first === first.first || second.id === first.id) consider(first, second, size);
          }
        }
      } else {
        for (const pair of keyedPairs(block)) {
          consider(block[Math.floor(pair / size)] as Entry, block[pair % size] as Entry, size);
        }
      }
    }
  }

  const frequencies = adjust ? countWanted(found, names.values()) : undefined;
  const pairs: DuplicatePair[] = sameIds;
  for (const f of found) {
    const counts = frequencies?.[slotOf(f.first.candidate.sex)];
    let shared = 0;
    let chanceMatches = 0;
    if (counts) {
      const [table, key] = wantedKey(f);
      shared = counts[table].get(key) ?? 0;
      // Leave the pair out: in a small register every name it carries would look common.
      chanceMatches = ((f.blockSize - 1) * Math.max(0, shared - 2)) / Math.max(1, counts.total - 2);
    }
    const score = scoreLikelySamePerson(f.name, f.birthplace, chanceMatches);
    if (score < threshold) continue;
    const penalty = commonNamePenalty(chanceMatches);
    pairs.push(
      likelyPair(f.first, f.second, {
        name: f.name,
        birthplace: f.birthplace,
        chanceMatches,
        sharing: shared,
        penalty,
        score,
      }),
    );
  }

  return pairs.sort(
    (x, y) =>
      y.score - x.score ||
      Number(y.kind === 'same-citizen-id') - Number(x.kind === 'same-citizen-id') ||
      (x.a < y.a ? -1 : x.a > y.a ? 1 : 0) ||
      (x.b < y.b ? -1 : x.b > y.b ? 1 : 0),
  );
}
