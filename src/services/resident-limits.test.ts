import { describe, expect, it } from 'vitest';
import { DEFAULT_RESIDENT_LIMITS, fullSubmissionWindow } from './resident-limits.js';

const limits = { ...DEFAULT_RESIDENT_LIMITS, submissionsPerHour: 3, submissionsPerDay: 5 };
const NOW = Date.UTC(2026, 8, 1, 2);
const minutesAgo = (m: number) => NOW - m * 60_000;

describe('resident submission limits', () => {
  it('allows up to the hourly limit, then names the hour and when to come back', () => {
    expect(fullSubmissionWindow(limits, [minutesAgo(10), minutesAgo(5)], NOW)).toBeUndefined();
    expect(fullSubmissionWindow(limits, [minutesAgo(50), minutesAgo(10), minutesAgo(5)], NOW)).toEqual({
      limit: 3,
      label: { zh: '小时', en: 'hour' },
      retryAfter: 600,
    });
  });

  it('forgets submissions older than the window', () => {
    expect(
      fullSubmissionWindow(limits, [minutesAgo(61), minutesAgo(70), minutesAgo(5)], NOW),
    ).toBeUndefined();
  });

  it('applies the daily limit across hours', () => {
    const day = [minutesAgo(600), minutesAgo(500), minutesAgo(400), minutesAgo(300), minutesAgo(200)];
    expect(fullSubmissionWindow(limits, day, NOW)).toMatchObject({ limit: 5, label: { en: '24 hours' } });
    expect(fullSubmissionWindow(limits, day, NOW)?.retryAfter).toBe(24 * 3600 - 600 * 60);
  });
});
