/**
 * Session lifetimes (security.md): idle timeout 30 minutes (10 for administrators), absolute 12 hours,
 * all configurable. Pure: the use case passes the clock.
 */
import { isAdministrator, type Role } from './roles.js';

export interface SessionPolicy {
  readonly idleMinutes: number;
  readonly adminIdleMinutes: number;
  readonly absoluteHours: number;
  /** How long the step between password and second factor may take. */
  readonly challengeMinutes: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMinutes: 30,
  adminIdleMinutes: 10,
  absoluteHours: 12,
  challengeMinutes: 5,
};

export function idleTimeoutSecondsFor(
  roles: readonly Role[],
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
) {
  return (isAdministrator(roles) ? policy.adminIdleMinutes : policy.idleMinutes) * 60;
}

export function absoluteExpiryOf(createdAt: Date, policy: SessionPolicy = DEFAULT_SESSION_POLICY): Date {
  return new Date(createdAt.getTime() + policy.absoluteHours * 3_600_000);
}

export type SessionState = 'active' | 'idle-timeout' | 'absolute-timeout' | 'ended';

/**
 * Whether a session may still be used at `now`. The absolute limit wins over activity.
 *
 * @example sessionStateAt({ lastSeenAt, absoluteExpiresAt, idleTimeoutSeconds: 1800, endedAt: null }, now) // 'active'
 */
export function sessionStateAt(
  session: {
    readonly lastSeenAt: Date;
    readonly absoluteExpiresAt: Date;
    readonly idleTimeoutSeconds: number;
    readonly endedAt: Date | null;
  },
  now: Date,
): SessionState {
  if (session.endedAt) return 'ended';
  if (now >= session.absoluteExpiresAt) return 'absolute-timeout';
  if (now.getTime() - session.lastSeenAt.getTime() >= session.idleTimeoutSeconds * 1000)
    return 'idle-timeout';
  return 'active';
}
