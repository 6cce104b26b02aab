import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../standards/calendar.js';
import { CHINA_HOLIDAYS, checkHolidayNotices, parseHolidayFile } from './china-holidays.js';

const d = (s: string): IsoDate => s;

describe('the holiday data file', () => {
  it('quotes each period from its notice', () => {
    for (const year of CHINA_HOLIDAYS)
      for (const period of year.periods) {
        expect(period.text).toContain(period.name.zh.split('、')[0]!);
        expect(period.from.slice(0, 4)).toBe(String(year.year));
      }
  });

  it('refuses a malformed file naming the entry and the rule', () => {
    const bad = {
      years: [{ ...CHINA_HOLIDAYS[0], periods: [{ ...CHINA_HOLIDAYS[0]!.periods[0], from: '2025-1-1' }] }],
    };
    expect(() => parseHolidayFile(bad)).toThrow(/years\.0\.periods\.0\.from: a date as YYYY-MM-DD/);
  });
});

describe('whether the coming year’s notice is there', () => {
  const years = CHINA_HOLIDAYS.filter((y) => y.year === 2025 || y.year === 2026);

  it('is complete in November with this year’s notice only', () => {
    expect(checkHolidayNotices(d('2026-11-30'), years)).toEqual({
      isComplete: true,
      coveredYears: [2025, 2026],
    });
  });

  it('says from 1 December that the next year is missing, in both languages', () => {
    const check = checkHolidayNotices(d('2026-12-01'), years);
    expect(check.isComplete).toBe(false);
    if (check.isComplete) return;
    expect(check.missingYear).toBe(2027);
    expect(check.message.zh).toContain('2027年部分节假日安排的通知');
    expect(check.message.en).toContain('weekends only');
  });

  it('is complete in December when the next notice is in', () => {
    expect(checkHolidayNotices(d('2025-12-15'), years).isComplete).toBe(true);
  });

  it('says so when even this year is missing', () => {
    const check = checkHolidayNotices(d('2028-03-01'), years);
    expect(check.isComplete ? undefined : check.missingYear).toBe(2028);
  });
});
