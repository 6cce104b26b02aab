import { describe, expect, it } from 'vitest';
import { absoluteExpiryOf, idleTimeoutSecondsFor, sessionStateAt } from './session-policy.js';

const t0 = new Date('2026-11-22T08:00:00Z');
const min = (m: number) => new Date(t0.getTime() + m * 60_000);

describe('session lifetimes', () => {
  it('times out after 30 idle minutes, 10 for administrators', () => {
    expect(idleTimeoutSecondsFor(['registrar'])).toBe(1800);
    expect(idleTimeoutSecondsFor(['audit-admin'])).toBe(600);
    const s = {
      lastSeenAt: t0,
      absoluteExpiresAt: absoluteExpiryOf(t0),
      idleTimeoutSeconds: 1800,
      endedAt: null,
    };
    expect(sessionStateAt(s, min(29))).toBe('active');
    expect(sessionStateAt(s, min(30))).toBe('idle-timeout');
  });

  it('ends after 12 hours however active, and when signed out', () => {
    const s = {
      lastSeenAt: min(719),
      absoluteExpiresAt: absoluteExpiryOf(t0),
      idleTimeoutSeconds: 1800,
      endedAt: null,
    };
    expect(sessionStateAt(s, min(719.5))).toBe('active');
    expect(sessionStateAt(s, min(720))).toBe('absolute-timeout');
    expect(sessionStateAt({ ...s, endedAt: min(1) }, min(2))).toBe('ended');
  });
});
