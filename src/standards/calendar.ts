/**
 * Calendar dates as ISO strings (YYYY-MM-DD). The register works in China Standard Time: a birth
 * registered at 00:30 in Quzhou is that day's birth, whatever the server's time zone.
 */
export type IsoDate = string;

const chinaDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in China Standard Time. */
export function todayInChina(now?: Date): IsoDate {
  if (now) return chinaDate.format(now);
  // Formatting costs microseconds and bulk checks ask millions of times: reuse the answer for a second.
  const ms = Date.now();
  if (ms - lastToday.at >= 1000 || ms < lastToday.at) lastToday = { at: ms, date: chinaDate.format(ms) };
  return lastToday.date;
}

let lastToday = { at: -Infinity, date: '' };

/** True when year/month/day name a day of the proleptic Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** Parses a strict YYYY-MM-DD string; undefined when it is not a real date. */
export function parseIsoDate(value: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

/**
 * The dates the register accepts anywhere (birth dates, effective dates, "as of" days, query ranges):
 * 1800-01-01 to 2199-12-31. The lower bound is the citizen id's (GB 11643 codes birth years from 1800;
 * the oldest pre-reform records and the 1958 hukou regulations are well after it); the upper bound leaves
 * two centuries for validity terms and deadlines. Both stay far inside what PostgreSQL's `date` and
 * `timestamptz` and JavaScript's `Date` hold, so day arithmetic on an accepted date never overflows
 * (`0000-01-01` and `9999-12-31` used to reach the database and answer 500).
 */
export const EARLIEST_DATE: IsoDate = '1800-01-01';
export const LATEST_DATE: IsoDate = '2199-12-31';

/** True when a YYYY-MM-DD date lies within EARLIEST_DATE … LATEST_DATE (ISO dates sort as strings). */
export function isDateInRange(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}
