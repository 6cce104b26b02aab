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
