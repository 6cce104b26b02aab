/**
 * The attacker of the masking rule (docs/adr/0021-irreversible-id-masking.md), for tests: given everything
 * someone without the full-id permission has seen (answers, pages, files, log lines, concatenated) and the
 * person's true id, how many 18-character ids stay consistent with it? The attacker is generous to
 * itself: it merges every masked form of the id it finds (any 18 characters of digits, `*` and X whose
 * visible characters agree with the truth), takes the birth date at the finest precision the text shows
 * it in any usual format, knows the sex, and enumerates the rest under the check character (GB 11643).
 */
import { computeCheckCharacter } from '../citizen-id.js';

export interface Reconstruction {
  /** Ids consistent with what was seen (1: the id is rebuilt). */
  readonly candidates: number;
  /** What gave the most away, for the failure message. */
  readonly birthKnown: 'day' | 'month' | 'year' | 'none';
  readonly visiblePositions: readonly number[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The id's birth date at the precision `seen` reveals it. */
function birthPrecision(seen: string, y: string, m: number, d: number): Reconstruction['birthKnown'] {
  const has = (s: string, guard = '[0-9]') => new RegExp(`(?<!${guard})${s}(?!${guard})`).test(seen);
  const day = [
    `${y}-${pad(m)}-${pad(d)}`,
    `${y}/${pad(m)}/${pad(d)}`,
    `${y}\\.${pad(m)}\\.${pad(d)}`,
    `${y}${pad(m)}${pad(d)}`,
    `${y}年0?${m}月0?${d}日`,
    `${y}-${m}-${d}`,
    `${y}/${m}/${d}`,
  ];
  if (day.some((s) => has(s))) return 'day';
  const month = [`${y}-${pad(m)}`, `${y}/${pad(m)}`, `${y}年0?${m}月`, `${y}${pad(m)}`];
  if (month.some((s) => has(s))) return 'month';
  return has(y) ? 'year' : 'none';
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function reconstructCitizenId(seen: string, truth: string): Reconstruction {
  const id = truth.toUpperCase();
  if (seen.toUpperCase().includes(id)) return { candidates: 1, birthKnown: 'day', visiblePositions: [] };
  // Every masked form of this id in the text (its visible characters all agree with the truth).
  const visible = new Set<number>();
  for (const token of seen.toUpperCase().match(/(?<![0-9X*])[0-9*]{17}[0-9X*](?![0-9X*])/g) ?? []) {
    const shown = [...token].flatMap((c, i) => (c === '*' ? [] : [i]));
    if (shown.length > 0 && shown.every((i) => token[i] === id[i])) for (const i of shown) visible.add(i);
  }
  const y = id.slice(6, 10);
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birthKnown = birthPrecision(seen, y, m, d);
  // The dates still possible: from what the text gives, then the visible date digits of masked forms.
  const dates: string[] = [];
  const years = birthKnown === 'none' ? Array.from({ length: 100 }, (_, i) => 1926 + i) : [Number(y)];
  for (const year of years)
    for (let month = 1; month <= 12; month++) {
      if ((birthKnown === 'month' || birthKnown === 'day') && month !== m) continue;
      for (let day = 1; day <= daysIn(year, month); day++) {
        if (birthKnown === 'day' && day !== d) continue;
        const digits = `${year}${pad(month)}${pad(day)}`;
        if ([...digits].every((c, i) => !visible.has(6 + i) || id[6 + i] === c)) dates.push(digits);
      }
    }
  // The sequences: visible digits fixed, the sex (the 17th digit's parity) known.
  const sequences: string[] = [];
  for (let s = 0; s <= 999; s++) {
    const digits = String(s).padStart(3, '0');
    if (Number(digits[2]) % 2 !== Number(id[16]) % 2) continue;
    if ([...digits].every((c, i) => !visible.has(14 + i) || id[14 + i] === c)) sequences.push(digits);
  }
  const divisionUnknown = [0, 1, 2, 3, 4, 5].some((i) => !visible.has(i));
  // About 3,000 county-level codes exist; the attacker is granted the division when any digit of it shows.
  const divisions = divisionUnknown && visible.size === 0 ? 3000 : 1;
  const division = id.slice(0, 6);
  let candidates = 0;
  if (!visible.has(17)) candidates = dates.length * sequences.length;
  else
    for (const date of dates)
      for (const seq of sequences)
        if (computeCheckCharacter(`${division}${date}${seq}`) === id[17]) candidates++;
  return {
    candidates: candidates * divisions,
    birthKnown,
    visiblePositions: [...visible].sort((a, b) => a - b),
  };
}
