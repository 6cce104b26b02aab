/**
 * Finds duplicate registrations (一人多户): one person registered in two households, either under the
 * same citizen ID number or under a second number with the same birth date and sex and a name that is
 * the same, sounds the same or differs in one character. Pure; the caller reads the register.
 *
 * It scales by blocking: records are grouped by (birth date, sex) and only records of one group are
 * compared; inside a large group (dates like 01-01 that legacy data defaults to) only records sharing a
 * name key are compared (`nameMatchKeys`), which finds exactly the same pairs.
 *
 * Each pair is scored twice, and keeps the lower score. First on its own (`scoreLikelySamePerson`): how
 * alike the two records are. Then against the population searched (`weighAgainstPopulation`): how many
 * records would match this way by chance alone (the more people share a birth date and the more common
 * the name, the more), against how many second registrations of one person there are. In a county of
 * 50,000 a shared common name on one birth date is telling; in a city of a million it is not, unless
 * the birthplace, ethnicity, education, marital status and occupation agree as well.
 */
import { findDivision } from '../standards/divisions.js';
import { codeLabel, type CodeTableId } from '../standards/code-tables.js';
import { maskBirthDate, maskCitizenId } from '../standards/masking.js';
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
  /**
   * Facts compared when both records hold them (`ATTRIBUTE_AGREEMENT`): a person's ethnicity (GB/T 3304),
   * education (GB/T 4658), marital status (GB/T 2261.2) and occupation rarely differ between two
   * registrations of them, and agreeing on them by chance is as likely as the value is common.
   */
  readonly ethnicity?: string | undefined;
  readonly education?: string | undefined;
  readonly maritalStatus?: string | undefined;
  readonly occupation?: string | undefined;
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
  /**
   * Weigh each match against the population searched (`scoreFromOdds`): matches that chance alone would
   * make as often (a common name among many born the same day) score lower. Default true; off when two
   * records are compared on their own.
   */
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

export const DEFAULT_THRESHOLD = 0.75;

/**
 * How likely two records with different ID numbers, the same birth date and sex, and matching names
 * are one person, judged on the pair alone: (name points + birthplace points + 10) / 100. With the
 * default threshold of 0.75: an identical name is reported when born in the same province, a homophone or
 * a name one character apart when born in the same prefecture, names alike only in accents when born
 * in the same county; none of them when born in different provinces. `findDuplicates` also weighs the
 * pair against the population searched (`weighAgainstPopulation`) and keeps the lower score.
 *
 * @example scoreLikelySamePerson('identical', 'same-county') // 1
 * @example scoreLikelySamePerson('same-pinyin', 'same-prefecture') // 0.8
 */
export function scoreLikelySamePerson(name: NameMatchKind, birthplace: BirthplaceMatchKind): number {
  // Integer points, divided once, so that 45 + 20 + 10 is exactly 0.75.
  return (NAME_POINTS[name] + BIRTHPLACE_POINTS[birthplace] + BIRTH_POINTS) / 100;
}

export type AttributeField = 'ethnicity' | 'education' | 'maritalStatus' | 'occupation';

/**
 * Starting guesses of how often two registrations of one person agree on a fact; the register refines
 * them (`weighAgainstPopulation`). Ethnicity is changed only in rare, documented cases; education and
 * marital status may have been updated on one record and not the other; occupation is the least kept.
 */
export const ATTRIBUTE_AGREEMENT: Readonly<Record<AttributeField, number>> = {
  ethnicity: 0.999,
  education: 0.9,
  maritalStatus: 0.85,
  occupation: 0.7,
};

/**
 * Starting guesses of how often two registrations of one person record places of birth this close:
 * usually the same county, sometimes the prefecture seat or a neighbouring county (the hospital's
 * county, or one written from memory), rarely further.
 */
export const BIRTHPLACE_AGREEMENT: Readonly<Record<BirthplaceMatchKind, number>> = {
  'same-county': 0.7,
  'same-prefecture': 0.2,
  'same-province': 0.07,
  elsewhere: 0.03,
};

/**
 * Starting guess of the share of records that have a second registration matching in each way, and
 * how many records' worth of weight that guess carries against what the register shows: it decides in a
 * small register and fades in a large one.
 */
export const PRIOR_DUPLICATE_SHARE = 0.001;
export const PRIOR_WEIGHT_RECORDS = 10_000;

/**
 * The odds (one person : two people) at which a pair is worth an officer's review, and scores 0.75: 1 : 4.
 * Reviewing a pair takes minutes; a missed 一人多户 stays in the register with two sets of entitlements.
 */
export const REVIEW_ODDS = 0.25;

/**
 * The score of a pair whose odds of being one person are `odds`: 0.75 at `REVIEW_ODDS`, 0.1 more for
 * every tenfold, at most 1 (rounded down to hundredths, so a pair never rounds up past a threshold).
 *
 * @example scoreFromOdds(0.25) // 0.75
 * @example scoreFromOdds(2.5) // 0.85
 * @example scoreFromOdds(Infinity) // 1
 */
export function scoreFromOdds(odds: number): number {
  if (!(odds > 0)) return 0;
  const score = 0.75 + 0.1 * Math.log10(odds / REVIEW_ODDS);
  return Math.min(1, Math.max(0, Math.floor(score * 100 + 1e-9) / 100));
}

/**
 * The place of birth duplicate detection compares: the recorded one, or for a declared unknown (不详) the
 * region the citizen id was issued in, which is where most people were born. Used for scoring only;
 * nothing of it is stored.
 */
export function comparedBirthplace(birthplace: string | null, citizenId: string): string {
  return birthplace ?? citizenId.slice(0, 6);
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

type KeyTable = 'n' | 'p' | 'f';

/** The key a found match rests on: the name, its reading, its accent reading, or the shared characters. */
function wantedKey(found: Found): [KeyTable, string] {
  const a = found.first.name;
  switch (found.name) {
    case 'identical':
      return ['n', a.name];
    case 'same-pinyin':
      return ['p', a.pinyin];
    case 'similar-pinyin':
      return ['f', a.fuzzyPinyin];
    case 'one-character-different':
      return ['n', commonCharacters(a, found.second.name)];
  }
}

const ATTRIBUTE_FIELDS: readonly AttributeField[] = ['ethnicity', 'education', 'maritalStatus', 'occupation'];

/** Names go in and out of fashion: how common one is, is read among those born within this many years. */
const NAME_YEARS = 2;

/** Pairs' worth of weight the starting guesses of agreement carry against what the register shows. */
const AGREEMENT_WEIGHT_PAIRS = 20;

/** Records of one sex born in one year. */
interface Cell {
  records: number;
  /** `${table}${key}` → records carrying it, for the keys found matches rest on only. */
  readonly keys: Map<string, number>;
  /** Per `ATTRIBUTE_FIELDS`: records holding the fact, and records per value. */
  readonly attributes: { held: number; readonly values: Map<string, number> }[];
}

interface Population {
  readonly records: number;
  /** By `cellKey`. */
  readonly cells: Map<number, Cell>;
  /** The share of pairs of records of the population whose places of birth are this close. */
  readonly birthplaceChance: Readonly<Record<BirthplaceMatchKind, number>>;
}

const cellKey = (slot: number, year: number) => slot * 10_000 + year;
const yearOf = (birthDate: string) => Number.parseInt(birthDate.slice(0, 4), 10) || 0;

/**
 * Reads what the population searched says about chance: per sex and birth year, how many records carry
 * each key the found matches rest on and each value of the compared facts; and how close two places
 * of birth are for two records taken at random.
 */
function describePopulation(blocks: Map<string, Entry[][]>, found: readonly Found[]): Population {
  const wanted = new Set<string>();
  for (const f of found) wanted.add(wantedKey(f).join(''));
  const cells = new Map<number, Cell>();
  const birthplaces = new Map<string, number>();
  let records = 0;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const [birthDate, bySex] of blocks) {
    const year = yearOf(birthDate);
    bySex.forEach((block, slot) => {
      if (block.length === 0) return;
      const key = cellKey(slot, year);
      let cell = cells.get(key);
      if (!cell) {
        cell = {
          records: 0,
          keys: new Map(),
          attributes: ATTRIBUTE_FIELDS.map(() => ({ held: 0, values: new Map() })),
        };
        cells.set(key, cell);
      }
      for (const entry of block) {
        if (entry.idOnly) continue;
        records++;
        cell.records++;
        count(birthplaces, entry.candidate.birthplace);
        const name = entry.name;
        // A name carrying a key twice (its reading equals … ) counts once: the set of its keys.
        const keys = new Set([`n${name.name}`, `p${name.pinyin}`, `f${name.fuzzyPinyin}`]);
        for (const d of name.deletions) keys.add(`n${d}`);
        for (const k of keys) if (wanted.has(k)) count(cell.keys, k);
        ATTRIBUTE_FIELDS.forEach((field, i) => {
          const value = entry.candidate[field];
          const attribute = cell.attributes[i];
          if (!value || !attribute) return;
          attribute.held++;
          count(attribute.values, value);
        });
      }
    });
  }
  return { records, cells, birthplaceChance: birthplaceChance(birthplaces, records) };
}

/** Σ share² at county, prefecture and province level: the chance two records are born that close. */
function birthplaceChance(counts: Map<string, number>, total: number): Record<BirthplaceMatchKind, number> {
  const sumOfSquares = (digits: number) => {
    const byPrefix = new Map<string, number>();
    for (const [code, n] of counts) {
      const prefix = code.slice(0, digits);
      byPrefix.set(prefix, (byPrefix.get(prefix) ?? 0) + n);
    }
    let sum = 0;
    for (const n of byPrefix.values()) sum += (n / Math.max(1, total)) ** 2;
    return sum;
  };
  const county = sumOfSquares(6);
  const prefecture = sumOfSquares(4);
  const province = sumOfSquares(2);
  // Never 0: a level no two records of the population share would otherwise weigh infinitely.
  const floor = (x: number) => Math.max(1e-4, x);
  return {
    'same-county': floor(county),
    'same-prefecture': floor(prefecture - county),
    'same-province': floor(province - prefecture),
    elsewhere: floor(1 - province),
  };
}

interface ComparedFact {
  readonly field: AttributeField;
  readonly a: string;
  readonly b: string;
  /**
   * The share of the other records of the sex and birth year holding the fact that hold `a`'s value,
   * kept off 0 and 1 (the weighing's estimate; the pair left out).
   */
  readonly share: number;
  /** Records of the sex and birth year (the pair included) holding `a`'s value, and holding the fact. */
  readonly holding: number;
  readonly held: number;
}

/** A found match with what chance would give. */
interface Weighed {
  readonly found: Found;
  /** Other records of the birth date and sex expected to match the name this way by chance. */
  readonly chanceMatches: number;
  /** `chanceMatches`, or when the register shows no coincidence at all, what one carrier would give. */
  readonly chanceBound: number;
  readonly facts: readonly ComparedFact[];
  /** Infinite when the register shows no coincidence: the score then rests on the name and birthplace. */
  odds: number;
  /** The finite odds the evidence states: `odds`, or at least the odds at `chanceBound`. */
  oddsAtLeast: number;
}

function weigh(found: Found, population: Population): Weighed {
  const a = found.first.candidate;
  const b = found.second.candidate;
  const slot = slotOf(a.sex);
  const year = yearOf(a.birthDate);
  const key = wantedKey(found).join('');
  let carrying = 0;
  let total = 0;
  for (let y = year - NAME_YEARS; y <= year + NAME_YEARS; y++) {
    const cell = population.cells.get(cellKey(slot, y));
    if (!cell) continue;
    total += cell.records;
    carrying += cell.keys.get(key) ?? 0;
  }
  // Leave the pair out: in a small register every name it carries would look common.
  const others = Math.max(1, total - 2);
  const chanceMatches = ((found.blockSize - 1) * Math.max(0, carrying - 2)) / others;
  const facts: ComparedFact[] = [];
  const cell = population.cells.get(cellKey(slot, year));
  ATTRIBUTE_FIELDS.forEach((field, i) => {
    const va = a[field];
    const vb = b[field];
    const attribute = cell?.attributes[i];
    if (!va || !vb || !attribute) return;
    const holding = attribute.values.get(va) ?? 0;
    const same = holding - (va === vb ? 2 : 1);
    const share = Math.min(0.999, Math.max(0.001, same / Math.max(1, attribute.held - 2)));
    facts.push({ field, a: va, b: vb, share, holding, held: attribute.held });
  });
  // No other record carries the name: chance gives fewer coincidences than one carrier would.
  const chanceBound = chanceMatches === 0 ? (found.blockSize - 1) / others : chanceMatches;
  return { found, chanceMatches, chanceBound, facts, odds: 0, oddsAtLeast: 0 };
}

interface Model {
  /** Per kind of name match: the share of records with a second registration matching that way. */
  readonly duplicateShare: Record<NameMatchKind, number>;
  readonly birthplace: Record<BirthplaceMatchKind, number>;
  readonly attributes: Record<AttributeField, number>;
}

/** Odds that a weighed match is one person: expected second registrations over expected coincidences. */
function oddsOf(
  w: Pick<Weighed, 'found' | 'chanceMatches' | 'facts'>,
  model: Model,
  population: Population,
): number {
  if (w.chanceMatches === 0) return Infinity;
  const bp = w.found.birthplace;
  let odds =
    (model.duplicateShare[w.found.name] * model.birthplace[bp]) /
    (w.chanceMatches * population.birthplaceChance[bp]);
  for (const f of w.facts) {
    const m = model.attributes[f.field];
    odds *= f.a === f.b ? m / f.share : (1 - m) / (1 - f.share);
  }
  return odds;
}

/**
 * Weighs every found match against the population searched (Fellegi–Sunter record linkage): the odds
 * that it is one person are the expected number of second registrations matching this way over the
 * expected number of coincidences. Coincidences are counted, not guessed: (records of the birth date and
 * sex − 1) × the share of records of that sex born within two years carrying the key the names share,
 * × the share of random pairs born this close, × for each fact both hold the share of records of that
 * sex and year with the same value. How many second registrations there are, and how often a person's
 * two records agree on each point, start from the stated guesses and are re-estimated from the register
 * itself (expectation–maximisation: the matches beyond what chance explains are the duplicates).
 */
function weighAgainstPopulation(found: readonly Found[], population: Population): Weighed[] {
  const weighed = found.map((f) => weigh(f, population));
  const kinds: NameMatchKind[] = ['identical', 'same-pinyin', 'similar-pinyin', 'one-character-different'];
  const places: BirthplaceMatchKind[] = ['same-county', 'same-prefecture', 'same-province', 'elsewhere'];
  const model: Model = {
    duplicateShare: Object.fromEntries(
      kinds.map((k) => [k, PRIOR_DUPLICATE_SHARE]),
    ) as Model['duplicateShare'],
    birthplace: { ...BIRTHPLACE_AGREEMENT },
    attributes: { ...ATTRIBUTE_AGREEMENT },
  };
  for (let round = 0; round < 50; round++) {
    const duplicates = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<NameMatchKind, number>;
    const byPlace = Object.fromEntries(places.map((k) => [k, 0])) as Record<BirthplaceMatchKind, number>;
    const agreeing = Object.fromEntries(ATTRIBUTE_FIELDS.map((k) => [k, 0])) as Record<
      AttributeField,
      number
    >;
    const compared = { ...agreeing };
    let all = 0;
    for (const w of weighed) {
      w.odds = oddsOf(w, model, population);
      const p = w.odds === Infinity ? 1 : w.odds / (1 + w.odds);
      all += p;
      duplicates[w.found.name] += p;
      byPlace[w.found.birthplace] += p;
      for (const f of w.facts) {
        compared[f.field] += p;
        if (f.a === f.b) agreeing[f.field] += p;
      }
    }
    let change = 0;
    for (const k of kinds) {
      const share =
        (duplicates[k] + PRIOR_WEIGHT_RECORDS * PRIOR_DUPLICATE_SHARE) /
        (population.records + PRIOR_WEIGHT_RECORDS);
      change = Math.max(change, Math.abs(share / model.duplicateShare[k] - 1));
      model.duplicateShare[k] = share;
    }
    for (const k of places) {
      model.birthplace[k] =
        (byPlace[k] + AGREEMENT_WEIGHT_PAIRS * BIRTHPLACE_AGREEMENT[k]) / (all + AGREEMENT_WEIGHT_PAIRS);
    }
    for (const k of ATTRIBUTE_FIELDS) {
      const m =
        (agreeing[k] + AGREEMENT_WEIGHT_PAIRS * ATTRIBUTE_AGREEMENT[k]) /
        (compared[k] + AGREEMENT_WEIGHT_PAIRS);
      model.attributes[k] = Math.min(0.999, Math.max(0.001, m));
    }
    if (change < 1e-4) break;
  }
  for (const w of weighed) {
    w.odds = oddsOf(w, model, population);
    w.oddsAtLeast = oddsOf({ ...w, chanceMatches: w.chanceBound }, model, population);
  }
  return weighed;
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

const FACT_LABELS: Readonly<Record<AttributeField, Evidence>> = {
  ethnicity: { zh: '民族', en: 'ethnicity' },
  education: { zh: '文化程度', en: 'education' },
  maritalStatus: { zh: '婚姻状况', en: 'marital status' },
  occupation: { zh: '职业', en: 'occupation' },
};

const FACT_TABLES: Readonly<Partial<Record<AttributeField, CodeTableId>>> = {
  ethnicity: 'ethnicity',
  education: 'education',
  maritalStatus: 'marital-status',
};

function factValue(field: AttributeField, value: string): Evidence {
  const table = FACT_TABLES[field];
  return table
    ? { zh: codeLabel(table, value, 'zh-CN'), en: codeLabel(table, value, 'en') }
    : { zh: value, en: value };
}

function factEvidence(fact: ComparedFact): Evidence {
  const label = FACT_LABELS[fact.field];
  const a = factValue(fact.field, fact.a);
  if (fact.a === fact.b) {
    // What the officer can check: how many of those records hold this value, the pair included.
    const share = percentText(fact.holding / Math.max(1, fact.held));
    return {
      zh: `${label.zh}相同（${a.zh}；同年出生的同性别者 ${fact.held} 人中有 ${fact.holding} 人，占 ${share}%）`,
      en: `Same ${label.en} (${a.en}; ${fact.holding} of the ${fact.held} of this sex born that year, ${share} %)`,
    };
  }
  const b = factValue(fact.field, fact.b);
  return { zh: `${label.zh}不同（${a.zh} / ${b.zh}）`, en: `Different ${label.en} (${a.en} / ${b.en})` };
}

/** A share as a percentage that says 100 or 0 only when it is: 0.9996 is ">99.9", 0.0004 "<0.1". */
function percentText(share: number): string {
  if (share >= 1) return '100';
  if (share <= 0) return '0';
  const p = share * 100;
  if (p >= 99.95) return '>99.9';
  if (p < 0.05) return '<0.1';
  return p < 10 || p >= 99.5 ? p.toFixed(1) : p.toFixed(0);
}

/** Odds as an officer reads them: 40:1, 1:3 (always finite: see `weigh`). */
function oddsText(odds: number): string {
  const round = (x: number) => (x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
  return odds >= 1 ? `${round(odds)}:1` : `1:${round(1 / odds)}`;
}

function weighingEvidence(w: Weighed, population: Population): Evidence {
  const isFew = w.chanceMatches < 0.01;
  const expected = w.chanceMatches.toFixed(2);
  const others = w.found.blockSize - 1;
  const records = population.records.toLocaleString('en-US');
  // Never ∞ nor 100 %: two records with different ID numbers may always be two people. Where the
  // register shows no coincidence, the odds are more than those one coincidence would give.
  const isBound = w.odds === Infinity;
  const probability = w.oddsAtLeast / (1 + w.oddsAtLeast);
  const tiny = (probability * 100).toPrecision(1);
  const percent =
    probability >= 0.9995
      ? '>99.9'
      : isBound
        ? `>${probability < 0.0005 ? tiny : percentText(probability)}`
        : percentText(probability);
  const withFacts = w.facts.length > 0;
  const chanceZh = isBound
    ? '同期出生者中再无他人的姓名与之如此相近'
    : `按同期出生者中此类姓名的频率，预计其中偶然与之姓名如此相近者${isFew ? '不到 0.01' : ` ${expected}`} 人`;
  const chanceEn = isBound
    ? 'no one else born within two years has a name this close'
    : `from how common such names are among those born within two years, ${isFew ? 'fewer than 0.01' : expected} of them would match the name this way by chance`;
  return {
    zh:
      `在所查 ${records} 人中：同日出生的同性别者另有 ${others} 人，${chanceZh}；` +
      `计入出生地${withFacts ? '及以上各项' : ''}，` +
      `为同一人的几率${isBound ? '大于' : '约'} ${oddsText(w.oddsAtLeast)}（${percent}%）`,
    en:
      `Among the ${records} records searched: ${others} ${others === 1 ? 'other shares' : 'others share'} ` +
      `the birth date and sex; ${chanceEn}; with the birthplace${withFacts ? ' and the facts above' : ''}, ` +
      `the odds of one person are ${isBound ? 'more than' : 'about'} ${oddsText(w.oddsAtLeast)} (${percent} %)`,
  };
}

function likelyPair(w: Weighed | Found, score: number, population?: Population): DuplicatePair {
  const found = 'found' in w ? w.found : w;
  const { first, second } = found;
  const a = first.candidate;
  const b = second.candidate;
  const sex = sexLabel(a.sex);
  const evidence: Evidence[] = [
    nameEvidence(found.name, first.name, second.name),
    {
      // Year and month only: the evidence is shown next to masked ids (src/standards/masking.ts).
      zh: `出生日期和性别相同（${maskBirthDate(a.birthDate)}，${sex.zh}）`,
      en: `Same birth date and sex (${maskBirthDate(a.birthDate)}, ${sex.en})`,
    },
    birthplaceEvidence(found.birthplace, a.birthplace, b.birthplace),
  ];
  if ('found' in w && population) {
    for (const fact of w.facts) evidence.push(factEvidence(fact));
    evidence.push(weighingEvidence(w, population));
  }
  evidence.push({
    zh: `公民身份号码不同（${maskCitizenId(a.citizenId)} / ${maskCitizenId(b.citizenId)}）`,
    en: `Different citizen ID numbers (${maskCitizenId(a.citizenId)} / ${maskCitizenId(b.citizenId)})`,
  });
  return { a: a.personId, b: b.personId, kind: 'likely-same-person', score, evidence };
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
    // Every match, whatever its score: together they show how many duplicates the register holds.
    found.push({ first, second, name, birthplace: birthplaceMatch(a.birthplace, b.birthplace), blockSize });
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

  const pairs: DuplicatePair[] = sameIds;
  const population = adjust && found.length > 0 ? describePopulation(blocks, found) : undefined;
  if (population) {
    for (const w of weighAgainstPopulation(found, population)) {
      const score = Math.min(scoreLikelySamePerson(w.found.name, w.found.birthplace), scoreFromOdds(w.odds));
      if (score >= threshold) pairs.push(likelyPair(w, score, population));
    }
  } else {
    for (const f of found) {
      const score = scoreLikelySamePerson(f.name, f.birthplace);
      if (score >= threshold) pairs.push(likelyPair(f, score));
    }
  }

  return pairs.sort(
    (x, y) =>
      y.score - x.score ||
      Number(y.kind === 'same-citizen-id') - Number(x.kind === 'same-citizen-id') ||
      (x.a < y.a ? -1 : x.a > y.a ? 1 : 0) ||
      (x.b < y.b ? -1 : x.b > y.b ? 1 : 0),
  );
}
