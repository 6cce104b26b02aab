/** The settings of officer sign-in, every number configurable (security.md), with its defaults. */
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from './lockout.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './session-policy.js';

export interface AccountsConfig {
  readonly password: PasswordPolicy;
  readonly lockout: LockoutPolicy;
  readonly session: SessionPolicy;
  /** Sign-in attempts (password or second factor) per minute per client address. */
  readonly signInRateLimit: number;
  /** Residents' one-time codes sent per client address per hour, whatever the numbers. */
  readonly residentCodesPerAddressPerHour: number;
}

export const DEFAULT_ACCOUNTS_CONFIG: AccountsConfig = {
  password: DEFAULT_PASSWORD_POLICY,
  lockout: DEFAULT_LOCKOUT_POLICY,
  session: DEFAULT_SESSION_POLICY,
  signInRateLimit: 30,
  residentCodesPerAddressPerHour: 30,
};

/** The clock every rule reads; tests move it to reach timeouts and lock expiries. */
export type Clock = () => Date;

/** Where sign-in events go (pino's logger fits). Never given secrets, tokens or full ID numbers. */
export interface EventLog {
  info(event: Record<string, unknown>, message: string): void;
  warn(event: Record<string, unknown>, message: string): void;
}

export interface AccountsContext {
  readonly config: AccountsConfig;
  readonly clock: Clock;
  readonly log: EventLog;
}
