/**
 * Every date and time the web app shows is China time (Asia/Shanghai), whatever the browser's zone: the
 * register, the time limits and the notices all count days in China, and an officer working from a
 * laptop set to another zone must read the same day as the applicant. One format in both languages,
 * year first (2026-09-01 10:00), which neither reader can misread. Use these helpers; never
 * `toLocaleString` or `dayjs()` for a date from the API.
 */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const dateTimeParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: CHINA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function partsOf(value: string | Date): Record<string, string> | undefined {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  return Object.fromEntries(dateTimeParts.formatToParts(date).map((p) => [p.type, p.value]));
}

/**
 * An instant (ISO string from the API) as "YYYY-MM-DD HH:mm" in China time; unreadable input as given.
 *
 * @example formatChinaDateTime('2026-03-02T16:30:00Z') // '2026-03-03 00:30'
 */
export function formatChinaDateTime(value: string | Date): string {
  const p = partsOf(value);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` : String(value);
}

/**
 * The China calendar day of an instant; a plain date (YYYY-MM-DD, already a China day) is kept as is.
 *
 * @example formatChinaDate('2026-03-02T16:30:00Z') // '2026-03-03'
 */
export function formatChinaDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = partsOf(value);
  return p ? `${p.year}-${p.month}-${p.day}` : String(value);
}

/** Today in China (YYYY-MM-DD): for "not after today" checks of date pickers. */
export function chinaToday(now: Date = new Date()): string {
  return formatChinaDate(now);
}
