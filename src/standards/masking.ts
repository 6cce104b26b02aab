/**
 * Display masking of personal information (PIPL; GB/T 35273-2020), one rule for every answer, page, file
 * and log line shown without the full-id permission (docs/adr/0021-irreversible-id-masking.md):
 *
 * - a citizen id keeps its 6-digit address code only (`330881************`): the hidden 12 characters are
 *   the birth date (8), the sequence (3, its parity the sex) and the check character (GB 11643);
 * - a birth date shown next to it keeps the year and month (`1984-04`), never the day.
 *
 * Together at least 28 × 5 × 100 = 14,000 ids stay possible for anyone who also knows the sex. Keeping the
 * last four (the old `330881********0656`) is not safe with any birth information: with the full date the
 * id is known, with the year and month the check character leaves about three candidates. Phone numbers
 * keep the first 3 and last 4, names the family name. The full value is a separate, audited read.
 */
import { familyNameLength } from './surnames.js';

/** How many leading characters of a citizen id a masked id shows: the address code. */
export const MASKED_ID_VISIBLE = 6;

/** @example maskCitizenId('11010519491231002X') // '110105************' */
export function maskCitizenId(id: string): string {
  if (id.length <= MASKED_ID_VISIBLE + 4) return '*'.repeat(id.length);
  return `${id.slice(0, MASKED_ID_VISIBLE)}${'*'.repeat(id.length - MASKED_ID_VISIBLE)}`;
}

/**
 * A birth date as shown where the citizen id is masked: year and month only. Idempotent; anything that is
 * not an ISO date (already masked, null-ish text) is returned as it is.
 * @example maskBirthDate('1984-04-26') // '1984-04'
 */
export function maskBirthDate(date: string): string {
  const m = /^(\d{4}-\d{2})-\d{2}$/.exec(date);
  return m ? m[1]! : date;
}

/**
 * Another date of a person's record that falls on their birth date (a birth registration's effective date,
 * membership since birth) is their birth date, and is shown as one.
 * @example maskIfBirthDate('1984-04-26', '1984-04-26') // '1984-04'
 */
export function maskIfBirthDate(date: string, birthDate: string): string {
  return date === birthDate ? maskBirthDate(date) : date;
}

/** Keys whose string values are citizen ids (`citizenId`, `applicantCitizenId`, `citizen_id`). */
const CITIZEN_ID_KEY = /citizen_?id$/i;
/** Keys whose string values are birth dates (`birthDate`, `birth_date`). */
const BIRTH_DATE_KEY = /birth_?date$/i;

/**
 * The rule applied to a whole answer, deep: every citizen-id field masked, every birth-date field cut to
 * the year and month, and any other date of the answer equal to one of its birth dates cut the same way
 * (a legacy hukou nature or a membership from birth, a birth's effective date); in free text, 18-character
 * ids masked and, next to a masked id, dates cut. Returns a new value; idempotent. `Date`s and binary
 * values pass through untouched.
 */
export function maskPersonalFields<T>(value: T): T {
  const births = new Set<string>();
  collectBirthDates(value, births);
  return maskDeep(value, births) as T;
}

const isPlainValue = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  !(v instanceof Date) &&
  !(typeof Buffer !== 'undefined' && Buffer.isBuffer(v)) &&
  !ArrayBuffer.isView(v);

function collectBirthDates(value: unknown, into: Set<string>) {
  if (Array.isArray(value)) for (const v of value) collectBirthDates(v, into);
  else if (isPlainValue(value))
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && BIRTH_DATE_KEY.test(k) && ISO_DATE.test(v)) into.add(v);
      else collectBirthDates(v, into);
    }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function maskDeep(value: unknown, births: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, births));
  if (!isPlainValue(value))
    return typeof value === 'string' && births.has(value) ? maskBirthDate(value) : value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && CITIZEN_ID_KEY.test(k)) out[k] = maskCitizenId(v);
    else if (typeof v === 'string' && (BIRTH_DATE_KEY.test(k) || births.has(v))) out[k] = maskBirthDate(v);
    else if (typeof v === 'string') out[k] = maskBirthDatesNextToIds(v);
    else out[k] = maskDeep(v, births);
  }
  return out;
}

const CITIZEN_ID_IN_TEXT = /(?<![0-9])(\d{6})(\d{5,8})(\d{3}[\dXx]|\d{4})(?![0-9Xx])/g;
/** 18-character ids only: a 15-digit number in an answer is far more often a household number. */
const CITIZEN_ID_18_IN_TEXT = /(?<![0-9])(\d{6})\d{11}[\dXx](?![0-9Xx])/g;
const MASKED_ID_IN_TEXT = /\d{6}\*{9,12}/;

/**
 * A free text (evidence, a reason) that names a citizen id, full or masked: 18-character ids masked and
 * ISO dates cut to the year and month, as the date next to a masked id may be a birth date.
 */
export function maskBirthDatesNextToIds(text: string): string {
  const masked = text.replace(CITIZEN_ID_18_IN_TEXT, (_m, head: string) => `${head}${'*'.repeat(12)}`);
  if (!MASKED_ID_IN_TEXT.test(masked)) return masked;
  return maskDatesInText(masked);
}

/** Every ISO date in a text cut to the year and month (texts that describe a person next to a masked id). */
export function maskDatesInText(text: string): string {
  return text.replace(/(?<![0-9])(\d{4}-\d{2})-\d{2}(?![0-9])/g, '$1');
}

/** @example maskPhone('13812345678') // '138****5678' */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Keeps the family name: 张三 → 张*, 欧阳修 → 欧阳* for the common two-character surnames. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const familyLength = familyNameLength(name);
  return chars.slice(0, familyLength).join('') + '*'.repeat(chars.length - familyLength);
}

/** Masks every 15- or 18-character ID number inside free text (URLs, log lines): the address code stays. */
export function maskCitizenIdsInText(text: string): string {
  return text.replace(CITIZEN_ID_IN_TEXT, (_m, head: string, mid: string, tail: string) =>
    mid.length === 8 || mid.length === 5 ? `${head}${'*'.repeat(mid.length + tail.length)}` : _m,
  );
}
