import { describe, expect, it } from 'vitest';
import { chinaToday, formatChinaDate, formatChinaDateTime } from './time';

describe('China time', () => {
  it('shows instants in Asia/Shanghai whatever the process zone (UTC+8, no daylight saving)', () => {
    expect(formatChinaDateTime('2026-03-02T16:30:00Z')).toBe('2026-03-03 00:30');
    expect(formatChinaDateTime('2026-07-01T02:05:00.000Z')).toBe('2026-07-01 10:05');
    expect(formatChinaDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(formatChinaDate('2026-09-01')).toBe('2026-09-01');
    expect(chinaToday(new Date('2026-09-01T15:59:59Z'))).toBe('2026-09-01');
    expect(chinaToday(new Date('2026-09-01T16:00:00Z'))).toBe('2026-09-02');
    expect(formatChinaDateTime('not a time')).toBe('not a time');
  });
});
