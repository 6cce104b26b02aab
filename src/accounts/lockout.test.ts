import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCKOUT_POLICY,
  lockStatus,
  NO_FAILURES,
  recordFailure,
  recordSuccess,
  type FailureState,
} from './lockout.js';

const t0 = new Date('2026-11-22T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function fail(times: number, state: FailureState = NO_FAILURES, minute = 0, policy = DEFAULT_LOCKOUT_POLICY) {
  let s = state;
  for (let i = 0; i < times; i++) s = recordFailure(s, at(minute), policy);
  return s;
}

describe('lockout after failed sign-ins', () => {
  it('locks on the fifth consecutive failure for 30 minutes', () => {
    const four = fail(4);
    expect(lockStatus(four, at(0)).isLocked).toBe(false);
    const five = recordFailure(four, at(0));
    expect(lockStatus(five, at(29.9))).toEqual({ isLocked: true, until: at(30) });
    expect(lockStatus(five, at(30)).isLocked).toBe(false);
    // The count starts again after the lock: one more failure does not lock at once.
    expect(lockStatus(recordFailure(five, at(31)), at(31)).isLocked).toBe(false);
  });

  it('a success resets the consecutive count', () => {
    const s = recordSuccess(fail(4));
    expect(lockStatus(fail(4, s), at(0)).isLocked).toBe(false);
  });

  it('caps failures at 100 an hour whatever the consecutive setting', () => {
    const lax = { ...DEFAULT_LOCKOUT_POLICY, maxConsecutiveFailures: null, maxFailuresPerHour: 10_000 };
    const s99 = fail(99, NO_FAILURES, 0, lax);
    expect(lockStatus(s99, at(1)).isLocked).toBe(false);
    const s100 = recordFailure(s99, at(10), lax);
    expect(lockStatus(s100, at(59)).isLocked).toBe(true);
    expect(lockStatus(s100, at(60)).isLocked).toBe(false);
    // A new hour opens a new window.
    expect(recordFailure(s100, at(61), lax).failuresInWindow).toBe(1);
  });

  it('a failure during a lock never shortens it', () => {
    const locked = fail(5);
    const again = recordFailure(locked, at(1), { ...DEFAULT_LOCKOUT_POLICY, lockMinutes: 1 });
    expect(again.lockedUntil).toEqual(at(30));
  });
});
