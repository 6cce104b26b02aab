import { describe, expect, it } from 'vitest';
import { chinaTime } from './time';

describe('times on the officer’s page are China time', () => {
  it('reads an instant in Asia/Shanghai whatever the zone it was written in', () => {
    expect(chinaTime('2025-03-01T01:30:00.000Z')).toBe('2025-03-01 09:30:00');
    expect(chinaTime('2025-03-01T09:30:00+08:00')).toBe('2025-03-01 09:30:00');
  });

  it('moves to the next day in China after 16:00 UTC', () => {
    expect(chinaTime('2025-12-31T16:00:05.000Z')).toBe('2026-01-01 00:00:05');
  });
});
