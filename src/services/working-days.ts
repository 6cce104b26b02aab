/**
 * The working-day clock of the statutory time limits (办理时限). A working day is a Monday to Friday that
 * is not a public holiday, or a Saturday or Sunday the State Council made a working day in exchange (调休
 * 上班); the holidays come from `china-holidays.ts`. Pure: dates are ISO strings in China time.
 *
 * Counting. The day the clock starts is not counted; the period begins the next day (民法典 art. 201: 按照
 * 年、月、日计算期间的，开始的当日不计入，自下一日开始计算). Time limits of administrative procedures are
 * counted in working days, excluding statutory holidays (行政许可法 art. 82). So the deadline of N working
 * days is the N-th working day after the start, always a working day.
 *
 * Returned for materials. While an application is back with the applicant the clock pauses: the office
 * cannot act on it, and the one-visit rule (一次性告知, 行政许可法 art. 32(4); 《居住证暂行条例》 likewise)
 * puts the whole list of what is missing in the applicant's hands at once, so the time the applicant takes
 * is not the office's. `onReturn: 'pause'` (the default) stops counting on the day after the return and
 * resumes the day after the resubmission; `onReturn: 'restart'` gives the full time limit again from the
 * resubmission (the reading where an incomplete application is not yet accepted, art. 32(4)). Either way
 * a return never shortens a deadline (property test).
 */
import type { IsoDate } from '../standards/calendar.js';
import { CHINA_HOLIDAYS, type HolidayYear } from './china-holidays.js';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a strict YYYY-MM-DD date. */
export function dayNumber(date: IsoDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d)
    throw new RangeError(`not a real date: ${date}`);
  return ms / DAY_MS;
}

export function dateOfDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday. */
function weekday(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

export interface WorkingCalendar {
  isWorkingDay(date: IsoDate): boolean;
  /** Whether the holiday table covers the date's year (outside it only weekends are known). */
  covers(date: IsoDate): boolean;
  /** Day-number variants, for loops. */
  isWorkingDayNumber(n: number): boolean;
  coversDayNumber(n: number): boolean;
}

/** A calendar from holiday years (the State Council notices by default). */
export function buildCalendar(years: readonly HolidayYear[] = CHINA_HOLIDAYS): WorkingCalendar {
  const off = new Set<number>();
  const on = new Set<number>();
  const covered = new Set<number>(years.map((y) => y.year));
  for (const year of years) {
    for (const period of year.periods) {
      for (let n = dayNumber(period.from); n <= dayNumber(period.to); n++) off.add(n);
      for (const d of period.makeUpWorkdays) on.add(dayNumber(d));
    }
  }
  const isWorkingDayNumber = (n: number) => {
    if (on.has(n)) return true;
    if (off.has(n)) return false;
    const w = weekday(n);
    return w !== 0 && w !== 6;
  };
  const coversDayNumber = (n: number) => covered.has(new Date(n * DAY_MS).getUTCFullYear());
  return {
    isWorkingDay: (date) => isWorkingDayNumber(dayNumber(date)),
    covers: (date) => coversDayNumber(dayNumber(date)),
    isWorkingDayNumber,
    coversDayNumber,
  };
}

export const CHINA_CALENDAR: WorkingCalendar = buildCalendar();

/**
 * An open application is "due soon" when its deadline is at most this many working days away: the queue
 * highlights it and the dashboard counts it (one threshold for both).
 */
export const DUE_SOON_WORKING_DAYS = 3;

/**
 * The N-th working day after `start` (N ≥ 1); for N = 0 the first working day on or after `start`.
 *
 * @example addWorkingDays('2025-09-26', 4) // '2025-10-09': Sun 28 Sep is a make-up day, 1–8 Oct are off
 */
export function addWorkingDays(
  start: IsoDate,
  workingDays: number,
  calendar: WorkingCalendar = CHINA_CALENDAR,
): IsoDate {
  checkCount(workingDays);
  let n = dayNumber(start);
  if (workingDays === 0) {
    while (!calendar.isWorkingDayNumber(n)) n++;
    return dateOfDayNumber(n);
  }
  let counted = 0;
  while (counted < workingDays) {
    n++;
    if (calendar.isWorkingDayNumber(n)) counted++;
  }
  return dateOfDayNumber(n);
}

/** Working days d with from < d ≤ to (0 when to ≤ from). */
export function workingDaysBetween(
  from: IsoDate,
  to: IsoDate,
  calendar: WorkingCalendar = CHINA_CALENDAR,
): number {
  let count = 0;
  for (let n = dayNumber(from) + 1; n <= dayNumber(to); n++) if (calendar.isWorkingDayNumber(n)) count++;
  return count;
}

function checkCount(workingDays: number) {
  if (!Number.isInteger(workingDays) || workingDays < 0)
    throw new RangeError(`a time limit is a whole number of working days ≥ 0, got ${workingDays}`);
}

/** A pause of the clock: returned on `from`, resubmitted on `to` (null while still with the applicant). */
export interface ClockPause {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
}

export interface Clock {
  /** The day the clock started: the submission. */
  readonly startedOn: IsoDate;
  /** The time limit in working days (≥ 1). */
  readonly workingDays: number;
  /** In order, not overlapping, only the last may be open. */
  readonly pauses: readonly ClockPause[];
  /** The day the application ends (done, refused, withdrawn: `FINAL_STATES`): the clock stops counting. */
  readonly stoppedOn?: IsoDate | null;
}

export type ReturnClockRule = 'pause' | 'restart';

export interface ClockOptions {
  readonly onReturn?: ReturnClockRule;
  readonly calendar?: WorkingCalendar;
}

export interface ClockReading {
  readonly state: 'running' | 'paused' | 'stopped';
  /** The last working day within the time limit; null while paused (it moves with the pause). */
  readonly deadline: IsoDate | null;
  /** The deadline had the applicant resubmitted the day they were returned (for "overdue when returned"). */
  readonly deadlineIfResumed: IsoDate;
  readonly usedWorkingDays: number;
  /** Negative: working days past the limit. */
  readonly remainingWorkingDays: number;
  readonly isOverdue: boolean;
  /** Some day counted or to be counted lies in a year the holiday table does not cover. */
  readonly beyondCalendar: boolean;
}

/** Counting segments: working days d with from < d ≤ to (to null = open-ended). */
interface Segment {
  readonly from: number;
  readonly to: number | null;
}

function segmentsOf(clock: Clock, rule: ReturnClockRule): Segment[] {
  // A time limit of 0 days would make the start day both the deadline and not yet counted; even
  // on-the-spot business gets 1 working day.
  if (!Number.isInteger(clock.workingDays) || clock.workingDays < 1)
    throw new RangeError(`a time limit is a whole number of working days ≥ 1, got ${clock.workingDays}`);
  const start = dayNumber(clock.startedOn);
  let previous = start;
  for (const pause of clock.pauses) {
    const from = dayNumber(pause.from);
    if (from < previous) throw new RangeError('clock pauses out of order');
    if (pause.to === null) {
      if (pause !== clock.pauses[clock.pauses.length - 1])
        throw new RangeError('only the last pause may be open');
      previous = from;
    } else {
      const to = dayNumber(pause.to);
      if (to < from) throw new RangeError('a pause ends before it starts');
      previous = to;
    }
  }
  if (rule === 'restart') {
    const lastClosed = [...clock.pauses].reverse().find((p) => p.to !== null);
    const open = clock.pauses.find((p) => p.to === null);
    const from = lastClosed?.to ? dayNumber(lastClosed.to) : start;
    return [{ from, to: open ? dayNumber(open.from) : null }];
  }
  const segments: Segment[] = [];
  let from = start;
  for (const pause of clock.pauses) {
    segments.push({ from, to: dayNumber(pause.from) });
    if (pause.to === null) return segments;
    from = dayNumber(pause.to);
  }
  segments.push({ from, to: null });
  return segments;
}

/** The day the count reaches `limit` walking the segments (the last treated as open-ended if asked). */
function reach(
  segments: readonly Segment[],
  limit: number,
  calendar: WorkingCalendar,
  openLast: boolean,
): number | null {
  let counted = 0;
  for (const [i, s] of segments.entries()) {
    const end = s.to === null || (openLast && i === segments.length - 1) ? Infinity : s.to;
    for (let n = s.from + 1; n <= end; n++) {
      if (calendar.isWorkingDayNumber(n) && ++counted === limit) return n;
    }
  }
  return null;
}

/**
 * Reads a clock on `today`: deadline, working days used and left, overdue.
 *
 * @example readClock({ startedOn: '2025-09-26', workingDays: 15, pauses: [] }, '2025-10-09').deadline // '2025-10-23'
 */
export function readClock(clock: Clock, today: IsoDate, options: ClockOptions = {}): ClockReading {
  const calendar = options.calendar ?? CHINA_CALENDAR;
  const segments = segmentsOf(clock, options.onReturn ?? 'pause');
  const last = clock.pauses[clock.pauses.length - 1];
  const isPaused = last !== undefined && last.to === null;
  const todayN = dayNumber(today);
  const stopN = clock.stoppedOn ? dayNumber(clock.stoppedOn) : Infinity;
  const countUntil = Math.min(todayN, stopN);

  let used = 0;
  for (const s of segments) {
    const end = Math.min(s.to ?? Infinity, countUntil);
    for (let n = s.from + 1; n <= end; n++) if (calendar.isWorkingDayNumber(n)) used++;
  }
  const deadlineN = isPaused ? null : reach(segments, clock.workingDays, calendar, false);
  const resumedN = reach(segments, clock.workingDays, calendar, true) as number;
  const effectiveEnd = Math.min(countUntil, isPaused ? dayNumber(last.from) : Infinity);
  const firstN = segments[0]?.from ?? dayNumber(clock.startedOn);
  let beyondCalendar = false;
  for (let n = firstN; n <= Math.max(resumedN, effectiveEnd); n++) {
    if (!calendar.coversDayNumber(n)) {
      beyondCalendar = true;
      break;
    }
  }
  return {
    state: stopN <= todayN ? 'stopped' : isPaused ? 'paused' : 'running',
    deadline: deadlineN === null ? null : dateOfDayNumber(deadlineN),
    deadlineIfResumed: dateOfDayNumber(resumedN),
    usedWorkingDays: used,
    remainingWorkingDays: clock.workingDays - used,
    isOverdue: effectiveEnd > resumedN,
    beyondCalendar,
  };
}
