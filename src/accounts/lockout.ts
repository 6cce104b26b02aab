/**
 * Failed sign-ins (security.md): after 5 consecutive failures the account locks for 30 minutes, and
 * whatever those settings say, at most 100 failures per hour per account are accepted before it locks
 * until the hour is over. Pure: the state is a value, the clock a parameter.
 */

export interface LockoutPolicy {
  /** Consecutive failures that lock the account; null turns the consecutive rule off. */
  readonly maxConsecutiveFailures: number | null;
  readonly lockMinutes: number;
  /** The hard cap per account per hour, applied whatever the other settings are. */
  readonly maxFailuresPerHour: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  maxConsecutiveFailures: 5,
  lockMinutes: 30,
  maxFailuresPerHour: 100,
};

/** The hour cap may be lowered but never raised above this (security.md). */
export const HARD_HOURLY_CAP = 100;

export interface FailureState {
  readonly consecutiveFailures: number;
  readonly lockedUntil: Date | null;
  readonly windowStart: Date | null;
  readonly failuresInWindow: number;
}

export const NO_FAILURES: FailureState = {
  consecutiveFailures: 0,
  lockedUntil: null,
  windowStart: null,
  failuresInWindow: 0,
};

const HOUR = 3_600_000;

/** Whether the account is locked at `now`, and until when. */
export function lockStatus(state: FailureState, now: Date): { isLocked: boolean; until?: Date } {
  return state.lockedUntil && state.lockedUntil > now
    ? { isLocked: true, until: state.lockedUntil }
    : { isLocked: false };
}

/**
 * The state after one more failure. A lock resets the consecutive count, so the account is not locked
 * again by the first failure after the lock ends.
 *
 * @example recordFailure(NO_FAILURES, now).consecutiveFailures // 1
 */
export function recordFailure(
  state: FailureState,
  now: Date,
  policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
): FailureState {
  const isWindowOpen = state.windowStart !== null && now.getTime() - state.windowStart.getTime() < HOUR;
  const windowStart = isWindowOpen && state.windowStart ? state.windowStart : now;
  const failuresInWindow = isWindowOpen ? state.failuresInWindow + 1 : 1;
  const consecutive = state.consecutiveFailures + 1;
  let lockedUntil = state.lockedUntil && state.lockedUntil > now ? state.lockedUntil : null;
  let consecutiveFailures = consecutive;
  if (policy.maxConsecutiveFailures !== null && consecutive >= policy.maxConsecutiveFailures) {
    const until = new Date(now.getTime() + policy.lockMinutes * 60_000);
    lockedUntil = lockedUntil && lockedUntil > until ? lockedUntil : until;
    consecutiveFailures = 0;
  }
  if (failuresInWindow >= Math.min(policy.maxFailuresPerHour, HARD_HOURLY_CAP)) {
    const until = new Date(windowStart.getTime() + HOUR);
    lockedUntil = lockedUntil && lockedUntil > until ? lockedUntil : until;
  }
  return { consecutiveFailures, lockedUntil, windowStart, failuresInWindow };
}

/** A success clears the consecutive count; the hourly window keeps counting. */
export function recordSuccess(state: FailureState): FailureState {
  return { ...state, consecutiveFailures: 0, lockedUntil: null };
}

/** An administrator's unlock clears the lock and the counts. */
export function unlock(): FailureState {
  return NO_FAILURES;
}
