/**
 * How alike two Chinese personal names are, for finding the same person registered twice: identical,
 * the same reading (同音字: 张叁 / 张三), a reading that regional accents merge (模糊音: 张珊 / 张三, where
 * sh / s are not told apart), or one character of the given name different (张子轩 / 张梓轩,
 * 张伟 / 张伟明). Pure.
 *
 * Readings are taken character by character (a surname reading for the family name: 单 shan, 曾 zeng),
 * so both names of a pair are always read the same way, whatever context-dependent reading a word
 * dictionary would pick.
 */
import { COMPOUND_SURNAMES } from '../standards/surnames.js';
import { pinyin } from 'pinyin-pro';

export type NameMatchKind = 'identical' | 'same-pinyin' | 'similar-pinyin' | 'one-character-different';

/** A name split into characters (code points: 𠮷 is one character) with its readings, computed once. */
export interface NameFeatures {
  readonly name: string;
  readonly characters: readonly string[];
  /** Toneless pinyin, syllables separated by spaces: 'zhang san'. */
  readonly pinyin: string;
  /** The pinyin with the distinctions many accents drop merged: zh/z, ch/c, sh/s, n/l, -ng/-n. */
  readonly fuzzyPinyin: string;
  /** The fuzzy reading of the first character: names that can match at all share it. */
  readonly fuzzyFirst: string;
  /** The name without each one of its given-name characters, for names of three or more characters. */
  readonly deletions: readonly string[];
}

/** Readings of rare name characters that pinyin-pro does not know (it returns the character itself). */
const RARE_READINGS: Readonly<Record<string, string>> = { '𠮷': 'ji', '𪚥': 'zhe', 㐂: 'xi' };

const givenNameReadings = new Map<string, string>();
const surnameReadings = new Map<string, string>();

/**
 * The toneless reading of one character, as a family name or as part of a given name. Cached: the
 * characters of names are a few thousand.
 *
 * @example characterPinyin('曾', true) // 'zeng'
 * @example characterPinyin('曾', false) // 'ceng'
 */
export function characterPinyin(character: string, isSurname: boolean): string {
  const cache = isSurname ? surnameReadings : givenNameReadings;
  let reading = cache.get(character);
  if (reading === undefined) {
    const raw = pinyin(character, { toneType: 'none', surname: isSurname ? 'head' : 'off' });
    // Characters without a reading come back unchanged; keep them as they are so they still compare.
    reading = RARE_READINGS[character] ?? (raw === '' ? character : raw);
    cache.set(character, reading);
  }
  return reading;
}

const fuzzySyllables = new Map<string, string>();

/** Merges the sounds that accents of Zhejiang, Gansu and much of the south and north-west do not separate. */
export function fuzzySyllable(syllable: string): string {
  let fuzzy = fuzzySyllables.get(syllable);
  if (fuzzy === undefined) {
    fuzzy = syllable
      .replace(/^([zcs])h/, '$1')
      .replace(/^n(?=[aeiouü])/, 'l')
      .replace(/([aei])ng$/, '$1n');
    fuzzySyllables.set(syllable, fuzzy);
  }
  return fuzzy;
}

/**
 * Splits a name into characters and reads it.
 *
 * @example nameFeatures('单田芳').pinyin // 'shan tian fang'
 * @example nameFeatures('张珊').fuzzyPinyin // 'zan san'
 */
export function nameFeatures(name: string): NameFeatures {
  const characters = Array.from(name.trim());
  const surnameLength =
    characters.length >= 3 && COMPOUND_SURNAMES.has(`${characters[0]}${characters[1]}`) ? 2 : 1;
  const syllables = characters.map((c, i) => characterPinyin(c, i < surnameLength));
  const fuzzy = syllables.map(fuzzySyllable);
  const joined = characters.join('');
  const deletions: string[] = [];
  if (characters.length >= 3) {
    // Slice the string at code-unit offsets: characters outside the BMP (𠮷) take two units.
    let start = (characters[0] as string).length;
    for (let i = 1; i < characters.length; i++) {
      const end = start + (characters[i] as string).length;
      deletions.push(joined.slice(0, start) + joined.slice(end));
      start = end;
    }
  }
  return {
    name: joined,
    characters,
    pinyin: syllables.join(' '),
    fuzzyPinyin: fuzzy.join(' '),
    fuzzyFirst: fuzzy[0] ?? '',
    deletions,
  };
}

/**
 * True when one substitution, insertion or deletion turns one name into the other and they still share
 * at least two characters. Two-character names that differ in one character (王伟 / 王强) share only
 * the family name, which says nothing, so they do not count.
 */
export function isOneCharacterApart(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (longer.length < 3 || longer.length - shorter.length > 1) return false;
  if (shorter.length === longer.length) {
    let differences = 0;
    for (let i = 0; i < shorter.length; i++) if (shorter[i] !== longer[i] && ++differences > 1) return false;
    return differences === 1;
  }
  let i = 0;
  while (i < shorter.length && shorter[i] === longer[i]) i++;
  for (let j = i; j < shorter.length; j++) if (shorter[j] !== longer[j + 1]) return false;
  return true;
}

/**
 * The strongest way two names match, or undefined when they are different names. "One character
 * different" keeps the family name: 陈梓晨 / 苏梓晨 are two families that chose a popular given name.
 *
 * @example compareNames(nameFeatures('张三'), nameFeatures('张叁')) // 'same-pinyin'
 * @example compareNames(nameFeatures('王伟'), nameFeatures('王强')) // undefined
 */
export function compareNames(a: NameFeatures, b: NameFeatures): NameMatchKind | undefined {
  if (a.name === b.name) return 'identical';
  if (a.characters.length === b.characters.length) {
    if (a.pinyin === b.pinyin) return 'same-pinyin';
    if (a.fuzzyPinyin === b.fuzzyPinyin) return 'similar-pinyin';
  }
  // A different family name means a different family, unless it only sounds different (caught above).
  if (a.characters[0] !== b.characters[0]) return undefined;
  return isOneCharacterApart(a.characters, b.characters) ? 'one-character-different' : undefined;
}

/**
 * Keys such that any two names for which `compareNames` finds a match share at least one: the name, the
 * name without each one of its given-name characters (names of three or more characters), and the fuzzy
 * reading. Lets a large group of records be searched without comparing every pair.
 *
 * @example nameMatchKeys(nameFeatures('张伟明')) // ['n:张伟明', 'p:zan wei min', 'n:张明', 'n:张伟']
 */
export function nameMatchKeys(features: NameFeatures): string[] {
  return [`n:${features.name}`, `p:${features.fuzzyPinyin}`, ...features.deletions.map((d) => `n:${d}`)];
}

/**
 * What two names one character apart have in common: the shorter name, or both without the character
 * that differs. How many names contain it tells how often such a match happens by chance.
 *
 * @example commonCharacters(nameFeatures('吴梓涵'), nameFeatures('吴梓铭')) // '吴梓'
 * @example commonCharacters(nameFeatures('王慧'), nameFeatures('王慧静')) // '王慧'
 */
export function commonCharacters(a: NameFeatures, b: NameFeatures): string {
  if (a.characters.length !== b.characters.length) {
    return a.characters.length < b.characters.length ? a.name : b.name;
  }
  const i = a.characters.findIndex((c, k) => c !== b.characters[k]);
  return i < 0 ? a.name : a.characters.slice(0, i).join('') + a.characters.slice(i + 1).join('');
}
