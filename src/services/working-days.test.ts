import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHINA_HOLIDAYS } from './china-holidays.js';
import {
  addWorkingDays,
  buildCalendar,
  CHINA_CALENDAR,
  dateOfDayNumber,
  dayNumber,
  readClock,
  workingDaysBetween,
  type Clock,
  type ClockPause,
} from './working-days.js';

const weekdayOf = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

describe('holiday table', () => {
  it('has ordered periods whose make-up working days are weekends outside the periods', () => {
    for (const year of CHINA_HOLIDAYS) {
      let previous = -Infinity;
      for (const period of year.periods) {
        expect(period.from <= period.to).toBe(true);
        expect(dayNumber(period.from)).toBeGreaterThan(previous);
        previous = dayNumber(period.to);
        expect(period.from.startsWith(String(year.year))).toBe(true);
        for (const d of period.makeUpWorkdays) {
          expect([0, 6]).toContain(weekdayOf(d));
          expect(d < period.from || d > period.to).toBe(true);
        }
      }
    }
  });

  it('matches the notices on the days they name', () => {
    // 2025 notice: 1月1日（周三）; 春节 1月28日（周二）至2月4日（周二）; 1月26日（周日）、2月8日（周六）上班.
    expect(weekdayOf('2025-01-01')).toBe(3);
    expect(weekdayOf('2025-01-28')).toBe(2);
    expect(weekdayOf('2025-01-26')).toBe(0);
    expect(weekdayOf('2025-10-11')).toBe(6);
    // 2026 notice: 2月15日（周日）至23日（周一）; 2月14日、28日（周六）上班; 10月1日（周四）.
    expect(weekdayOf('2026-02-15')).toBe(0);
    expect(weekdayOf('2026-02-23')).toBe(1);
    expect(weekdayOf('2026-10-01')).toBe(4);
    expect(weekdayOf('2026-05-09')).toBe(6);
  });

  it('counts the days off as the notices say (共N天)', () => {
    const length = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;
    const lengths = CHINA_HOLIDAYS.map((y) => y.periods.map((p) => length(p.from, p.to)));
    expect(lengths).toEqual([
      [1, 8, 3, 5, 3, 8],
      [3, 9, 3, 5, 3, 3, 7],
    ]);
  });
});

describe('working days', () => {
  it('knows weekends, holidays and make-up days', () => {
    expect(CHINA_CALENDAR.isWorkingDay('2025-09-26')).toBe(true); // Friday
    expect(CHINA_CALENDAR.isWorkingDay('2025-09-27')).toBe(false); // Saturday
    expect(CHINA_CALENDAR.isWorkingDay('2025-09-28')).toBe(true); // Sunday, 调休上班
    expect(CHINA_CALENDAR.isWorkingDay('2025-10-08')).toBe(false); // Wednesday, holiday
    expect(CHINA_CALENDAR.isWorkingDay('2025-10-11')).toBe(true); // Saturday, 调休上班
    expect(CHINA_CALENDAR.isWorkingDay('2026-02-14')).toBe(true);
    expect(CHINA_CALENDAR.isWorkingDay('2026-02-16')).toBe(false); // 除夕, Monday
    expect(CHINA_CALENDAR.covers('2026-12-31')).toBe(true);
    expect(CHINA_CALENDAR.covers('2027-01-04')).toBe(false);
  });

  it('adds working days over the National Day week', () => {
    expect(addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    expect(addWorkingDays('2025-09-26', 4)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 15)).toBe('2025-10-23');
    expect(addWorkingDays('2025-09-27', 0)).toBe('2025-09-28');
    expect(workingDaysBetween('2025-09-26', '2025-10-23')).toBe(15);
  });

  it('adds working days over the 2026 Spring Festival', () => {
    // Fri 13 Feb + 1 → Sat 14 Feb (make-up); + 2 → Tue 24 Feb (15–23 off).
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
  });

  it('refuses nonsense', () => {
    expect(() => addWorkingDays('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-02-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-02-01', 1.5)).toThrow(RangeError);
  });

  it('a plain calendar is weekends only', () => {
    const plain = buildCalendar([]);
    expect(plain.isWorkingDay('2025-10-01')).toBe(true);
    expect(addWorkingDays('2025-09-26', 1, plain)).toBe('2025-09-29');
  });
});

const FIRST = dayNumber('2024-12-01');
const LAST = dayNumber('2026-12-31');
const date = (lo = FIRST, hi = LAST) => fc.integer({ min: lo, max: hi }).map(dateOfDayNumber);

/** A clock with ordered pauses (the last possibly open). */
const clockArb = fc
  .record({
    start: fc.integer({ min: FIRST, max: LAST - 200 }),
    workingDays: fc.integer({ min: 1, max: 40 }),
    gaps: fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 30 })), {
      maxLength: 4,
    }),
    lastOpen: fc.boolean(),
  })
  .map(({ start, workingDays, gaps, lastOpen }): Clock => {
    let at = start;
    const pauses: ClockPause[] = gaps.map(([before, length], i) => {
      const from = at + before;
      const to = from + length;
      at = to;
      const isOpen = lastOpen && i === gaps.length - 1;
      return { from: dateOfDayNumber(from), to: isOpen ? null : dateOfDayNumber(to) };
    });
    return { startedOn: dateOfDayNumber(start), workingDays, pauses };
  });

describe('clock properties', () => {
  it('a deadline is never on a non-working day', () => {
    fc.assert(
      fc.property(date(), fc.integer({ min: 0, max: 60 }), (start, n) => {
        expect(CHINA_CALENDAR.isWorkingDay(addWorkingDays(start, n))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(clockArb, date(), fc.constantFrom('pause', 'restart' as const), (clock, today, rule) => {
        const r = readClock(clock, today, { onReturn: rule });
        if (r.deadline) expect(CHINA_CALENDAR.isWorkingDay(r.deadline)).toBe(true);
        expect(CHINA_CALENDAR.isWorkingDay(r.deadlineIfResumed)).toBe(true);
      }),
    );
  });

  it('exactly N working days lie between the start and the deadline', () => {
    fc.assert(
      fc.property(date(), fc.integer({ min: 1, max: 60 }), (start, n) => {
        expect(workingDaysBetween(start, addWorkingDays(start, n))).toBe(n);
        expect(workingDaysBetween(start, dateOfDayNumber(dayNumber(addWorkingDays(start, n)) - 1))).toBe(
          n - 1,
        );
      }),
    );
  });

  it('pausing never shortens a deadline, under either rule', () => {
    fc.assert(
      fc.property(clockArb, date(), fc.constantFrom('pause', 'restart' as const), (clock, today, rule) => {
        const unpaused = readClock({ ...clock, pauses: [] }, today, { onReturn: rule });
        const paused = readClock(clock, today, { onReturn: rule });
        expect(paused.deadlineIfResumed >= (unpaused.deadline as string)).toBe(true);
        if (paused.deadline) expect(paused.deadline >= (unpaused.deadline as string)).toBe(true);
        expect(paused.usedWorkingDays).toBeLessThanOrEqual(unpaused.usedWorkingDays);
      }),
    );
  });

  it('used + remaining is the limit; overdue means today is past the deadline', () => {
    fc.assert(
      fc.property(clockArb, date(), (clock, today) => {
        const r = readClock(clock, today);
        expect(r.usedWorkingDays + r.remainingWorkingDays).toBe(clock.workingDays);
        if (r.state === 'running') expect(r.isOverdue).toBe(today > (r.deadline as string));
        if (r.remainingWorkingDays < 0) expect(r.isOverdue).toBe(true);
      }),
    );
  });
});

describe('clock', () => {
  const base: Clock = { startedOn: '2025-09-26', workingDays: 15, pauses: [] };

  it('reads a running clock', () => {
    const r = readClock(base, '2025-10-09');
    expect(r).toMatchObject({
      state: 'running',
      deadline: '2025-10-23',
      usedWorkingDays: 4,
      remainingWorkingDays: 11,
      isOverdue: false,
      beyondCalendar: false,
    });
    expect(readClock(base, '2025-10-23').isOverdue).toBe(false);
    expect(readClock(base, '2025-10-24')).toMatchObject({ isOverdue: true, remainingWorkingDays: -1 });
  });

  it('pauses while returned for materials and moves the deadline by the working days paused', () => {
    // Returned Mon 13 Oct, resubmitted Fri 17 Oct: 14, 15, 16, 17 Oct are not counted.
    const clock: Clock = { ...base, pauses: [{ from: '2025-10-13', to: '2025-10-17' }] };
    expect(readClock(clock, '2025-10-20').deadline).toBe('2025-10-29');
    const open: Clock = { ...base, pauses: [{ from: '2025-10-13', to: null }] };
    const r = readClock(open, '2025-11-30');
    expect(r).toMatchObject({ state: 'paused', deadline: null, usedWorkingDays: 7, isOverdue: false });
    expect(r.deadlineIfResumed).toBe('2025-10-23');
  });

  it('restarts the full limit on resubmission when configured', () => {
    const clock: Clock = { ...base, pauses: [{ from: '2025-10-13', to: '2025-10-17' }] };
    const r = readClock(clock, '2025-10-20', { onReturn: 'restart' });
    expect(r.deadline).toBe(addWorkingDays('2025-10-17', 15));
    expect(r.usedWorkingDays).toBe(1);
  });

  it('stops on the decision day', () => {
    const r = readClock({ ...base, stoppedOn: '2025-10-10' }, '2025-12-01');
    expect(r).toMatchObject({ state: 'stopped', usedWorkingDays: 5, isOverdue: false });
    const late = readClock({ ...base, stoppedOn: '2025-10-27' }, '2025-12-01');
    expect(late.isOverdue).toBe(true);
  });

  it('refuses a time limit under one working day', () => {
    expect(() => readClock({ ...base, workingDays: 0 }, '2025-10-01')).toThrow(RangeError);
  });

  it('says when the holiday table does not cover the days counted', () => {
    expect(readClock({ ...base, startedOn: '2026-12-20' }, '2026-12-21').beyondCalendar).toBe(true);
  });
});
