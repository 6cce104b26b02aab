/**
 * Password rules (security.md; ASVS 2.1, MLPS 2.0 level 3): at least 12 characters from at least 3
 * classes, not containing the username, none of the last 5 again (checked against their hashes by the
 * use case), changed every 90 days. All numbers are configurable.
 */

export interface PasswordPolicy {
  readonly minLength: number;
  /** Of lower-case, upper-case, digits, and everything else (punctuation, Chinese characters, …). */
  readonly minClasses: number;
  /** How many previous passwords may not be used again. */
  readonly historySize: number;
  /** Days after which a password must be changed; 0 turns rotation off. */
  readonly maxAgeDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  minClasses: 3,
  historySize: 5,
  maxAgeDays: 90,
};

/** Longer passwords are allowed (ASVS: at least 64); the cap keeps argon2 input bounded. */
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = 'too-short' | 'too-long' | 'too-few-classes' | 'contains-username';

/** The character classes a password uses (counted by code point, so 户籍 counts as "other"). */
export function characterClassesOf(password: string): number {
  const classes = new Set<string>();
  for (const ch of password) {
    if (/\p{Ll}/u.test(ch)) classes.add('lower');
    else if (/\p{Lu}/u.test(ch)) classes.add('upper');
    else if (/\p{Nd}/u.test(ch)) classes.add('digit');
    else classes.add('other');
  }
  return classes.size;
}

/**
 * Everything wrong with a proposed password at once (one visit: the user fixes all of it together).
 *
 * @example checkPasswordRules('short', { username: 'kc' }) // ['too-short', 'too-few-classes']
 */
export function checkPasswordRules(
  password: string,
  context: { readonly username: string },
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < policy.minLength) problems.push('too-short');
  if (length > MAX_PASSWORD_LENGTH) problems.push('too-long');
  if (characterClassesOf(password) < policy.minClasses) problems.push('too-few-classes');
  if (context.username.length >= 3 && password.toLowerCase().includes(context.username.toLowerCase()))
    problems.push('contains-username');
  return problems;
}

/** Whether a password set at `changedAt` must be changed before the officer may work. */
export function isPasswordExpired(
  changedAt: Date,
  now: Date,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
) {
  if (policy.maxAgeDays <= 0) return false;
  return now.getTime() - changedAt.getTime() >= policy.maxAgeDays * 86_400_000;
}

/**
 * The previous hashes to keep after a change: with the current one they make the last `historySize`
 * passwords, none of which may be chosen again.
 */
export function previousPasswordsToKeep(
  currentHash: string,
  history: readonly string[],
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): string[] {
  return [currentHash, ...history].slice(0, Math.max(0, policy.historySize - 1));
}
