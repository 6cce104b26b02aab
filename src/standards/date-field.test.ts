import { describe, expect, it } from 'vitest';
import { EARLIEST_DATE, isDateInRange, LATEST_DATE } from './calendar.js';
import { isoDateField, isoDateOrTimeField } from './date-field.js';

const hujiCodeOf = (result: { success: boolean; error?: { issues: unknown[] } }) =>
  (result.error?.issues[0] as { params?: { hujiCode?: string } } | undefined)?.params?.hujiCode;

describe('the register’s date range', () => {
  it('runs from 1800-01-01 to 2199-12-31, bounds included', () => {
    expect([EARLIEST_DATE, LATEST_DATE]).toEqual(['1800-01-01', '2199-12-31']);
    for (const d of ['1800-01-01', '1958-01-09', '2199-12-31']) expect(isDateInRange(d)).toBe(true);
    for (const d of ['0000-01-01', '1799-12-31', '2200-01-01', '9999-12-31'])
      expect(isDateInRange(d)).toBe(false);
  });

  it.each(['0000-01-01', '0001-01-01', '1799-12-31', '2200-01-01', '9999-12-31'])(
    'refuses %s with HUJI_DATE_OUT_OF_RANGE',
    (day) => {
      expect(hujiCodeOf(isoDateField().safeParse(day))).toBe('HUJI_DATE_OUT_OF_RANGE');
      expect(hujiCodeOf(isoDateOrTimeField().safeParse(day))).toBe('HUJI_DATE_OUT_OF_RANGE');
      expect(hujiCodeOf(isoDateOrTimeField().safeParse(`${day}T08:00:00+08:00`))).toBe(
        'HUJI_DATE_OUT_OF_RANGE',
      );
    },
  );

  it('keeps the format rule for malformed days', () => {
    const result = isoDateField().safeParse('2025-02-30');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('invalid_format');
    expect(isoDateField().safeParse('2025-03-01').success).toBe(true);
    expect(isoDateOrTimeField().safeParse('2025-03-01T08:00:00+08:00').success).toBe(true);
  });
});
