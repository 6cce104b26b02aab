/**
 * Officer sign-in in two steps (password, then TOTP), server-side sessions, sign-out and password
 * change. Every decision is a pure rule (lockout, TOTP, session lifetimes, password rules); this file
 * only loads, decides and stores. Failures are logged with the account id, never with a secret.
 */
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import type { AccountsContext } from './config.js';
import { lockStatus, recordFailure, recordSuccess } from './lockout.js';
import { checkPasswordRules, isPasswordExpired, previousPasswordsToKeep } from './password-policy.js';
import {
  claimTotpStep,
  consumeChallenge,
  deviceFailed,
  endOtherSessionsOf,
  endSession,
  endSessionsOf,
  failureStateOf,
  findAccountById,
  findAccountByUsername,
  findDevice,
  findLiveChallenge,
  findSessionWithAccount,
  insertChallenge,
  insertSession,
  rememberDevice,
  saveFailureState,
  touchSession,
  updateAccount,
  type Account,
  type DeviceRow,
  type SessionRow,
} from './repository.js';
import { absoluteExpiryOf, idleTimeoutSecondsFor, sessionStateAt } from './session-policy.js';
import { hashPassword, newToken, spendPasswordCheck, tokenHash, verifyPassword } from './secrets.js';
import { verifyTotp } from './totp.js';

export interface PasswordStepResult {
  readonly challenge: string;
  readonly expiresAt: Date;
}

function refuseIfLocked(account: Account, now: Date, ctx: AccountsContext, step: string) {
  const lock = lockStatus(failureStateOf(account), now);
  if (lock.isLocked) {
    ctx.log.warn(
      { event: 'sign-in-refused', accountId: account.id, step, reason: 'locked' },
      'sign-in refused',
    );
    throw new HujiError('HUJI_ACCOUNT_LOCKED', { until: lock.until!.toISOString() });
  }
}

/** Said only after the password was right, so a stranger cannot learn which usernames are disabled. */
function refuseIfDisabled(account: Account, ctx: AccountsContext, step: string) {
  if (!account.isEnabled) {
    ctx.log.warn(
      { event: 'sign-in-refused', accountId: account.id, step, reason: 'disabled' },
      'sign-in refused',
    );
    throw new HujiError('HUJI_ACCOUNT_DISABLED');
  }
}

/** A known device's failures after which it is known no more (a stolen device cookie buys little). */
export const DEVICE_FAILURES_TO_FORGET = 3;
/** Known devices kept per account (the newest). */
export const DEVICES_PER_ACCOUNT = 5;

/** Counts a failure on the account (and on the known device it came from); answers the new state. */
async function countFailure(
  tx: DbExecutor,
  account: Account,
  device: DeviceRow | undefined,
  now: Date,
  ctx: AccountsContext,
  step: string,
) {
  const state = recordFailure(failureStateOf(account), now, ctx.config.lockout);
  await saveFailureState(tx, account.id, state);
  if (device) await deviceFailed(tx, device, DEVICE_FAILURES_TO_FORGET);
  const lock = lockStatus(state, now);
  ctx.log.warn(
    {
      event: 'sign-in-failed',
      accountId: account.id,
      step,
      failuresInHour: state.failuresInWindow,
      locked: lock.isLocked,
      knownDevice: device !== undefined,
    },
    'sign-in failed',
  );
  return lock;
}

/**
 * Step 1: username and password (ADR 0018). A correct password gives a single-use challenge for the
 * second factor (valid a few minutes). Every wrong password answers alike — an unknown username, a
 * locked account, a disabled one: the same status and body after the same argon2 work — and counts
 * towards the account's lock. Only a caller with the right password learns that the account is locked
 * (or disabled); the lock does not stop a browser the officer signed in from before (`deviceToken`).
 */
export async function verifyPasswordStep(
  db: HujiDatabase,
  input: { username: string; password: string; deviceToken?: string },
  ctx: AccountsContext,
): Promise<PasswordStepResult> {
  const now = ctx.clock();
  // The failure must be stored even though the step then refuses, so the refusal is thrown after commit.
  let refusal: HujiError | undefined;
  const result = await db.transaction(async (tx) => {
    const account = await findAccountByUsername(tx, input.username, { forUpdate: true });
    if (!account) {
      await spendPasswordCheck(input.password);
      ctx.log.warn(
        { event: 'sign-in-failed', step: 'password', reason: 'unknown-username' },
        'sign-in failed',
      );
      refusal = new HujiError('HUJI_SIGN_IN_FAILED');
      return undefined;
    }
    const device = input.deviceToken
      ? await findDevice(tx, account.id, tokenHash(input.deviceToken))
      : undefined;
    if (!(await verifyPassword(account.passwordHash, input.password))) {
      await countFailure(tx, account, device, now, ctx, 'password');
      refusal = new HujiError('HUJI_SIGN_IN_FAILED');
      return undefined;
    }
    if (!device) refuseIfLocked(account, now, ctx, 'password');
    refuseIfDisabled(account, ctx, 'password');
    const challenge = newToken();
    const expiresAt = new Date(now.getTime() + ctx.config.session.challengeMinutes * 60_000);
    await insertChallenge(tx, {
      tokenHash: tokenHash(challenge),
      accountId: account.id,
      createdAt: now,
      expiresAt,
    });
    ctx.log.info(
      { event: 'sign-in-password-ok', accountId: account.id, knownDevice: device !== undefined },
      'password accepted; second factor next',
    );
    return { challenge, expiresAt };
  });
  if (!result) throw refusal ?? new HujiError('HUJI_SIGN_IN_FAILED');
  return result;
}

export interface NewSession {
  readonly token: string;
  /** The device cookie's token to set (new, or the known one again with a fresh lifetime). */
  readonly deviceToken: string;
  readonly session: SessionRow;
  readonly account: Account;
}

/**
 * Step 2: the TOTP code for a live challenge. Success uses the challenge, resets the failure count and
 * opens a session with a new token; a wrong code counts towards the lockout and leaves the challenge
 * open until it expires.
 */
export async function verifySecondFactorStep(
  db: HujiDatabase,
  input: { challenge: string; code: string; sourceAddress?: string; deviceToken?: string },
  ctx: AccountsContext,
): Promise<NewSession> {
  const now = ctx.clock();
  let refusal: HujiError | undefined;
  const result = await db.transaction(async (tx) => {
    const hash = tokenHash(input.challenge);
    const challenge = await findLiveChallenge(tx, hash, now);
    if (!challenge) throw new HujiError('HUJI_SIGN_IN_CHALLENGE_INVALID');
    const account = await findAccountById(tx, challenge.accountId, { forUpdate: true });
    if (!account) throw new HujiError('HUJI_SIGN_IN_CHALLENGE_INVALID');
    const device = input.deviceToken
      ? await findDevice(tx, account.id, tokenHash(input.deviceToken))
      : undefined;
    if (!device) refuseIfLocked(account, now, ctx, 'second-factor');
    refuseIfDisabled(account, ctx, 'second-factor');
    const check = verifyTotp(account.totpSecret, input.code, now, { lastUsedStep: account.totpLastStep });
    if (!check.isValid || !(await claimTotpStep(tx, account.id, check.step))) {
      // The caller knows the password: telling them the account is now locked reveals nothing new.
      const lock = await countFailure(tx, account, device, now, ctx, 'second-factor');
      refusal =
        lock.isLocked && !device
          ? new HujiError('HUJI_ACCOUNT_LOCKED', { until: lock.until!.toISOString() })
          : new HujiError('HUJI_SECOND_FACTOR_FAILED');
      return undefined;
    }
    if (!(await consumeChallenge(tx, hash, now))) throw new HujiError('HUJI_SIGN_IN_CHALLENGE_INVALID');
    // A lock that others' failures set outlives the officer's own sign-in from a known device: it keeps
    // protecting the account from everyone else (ADR 0018).
    if (!lockStatus(failureStateOf(account), now).isLocked)
      await saveFailureState(tx, account.id, recordSuccess(failureStateOf(account)));
    const token = newToken();
    const session: SessionRow = {
      tokenHash: tokenHash(token),
      accountId: account.id,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: absoluteExpiryOf(now, ctx.config.session),
      idleTimeoutSeconds: idleTimeoutSecondsFor(account.roles, ctx.config.session),
      endedAt: null,
      endReason: null,
      sourceAddress: input.sourceAddress ?? null,
    };
    await insertSession(tx, session);
    const deviceToken = device && input.deviceToken ? input.deviceToken : newToken();
    await rememberDevice(tx, account.id, tokenHash(deviceToken), now, DEVICES_PER_ACCOUNT);
    ctx.log.info({ event: 'sign-in', accountId: account.id, knownDevice: device !== undefined }, 'signed in');
    return { token, session, account, deviceToken };
  });
  if (!result) throw refusal ?? new HujiError('HUJI_SECOND_FACTOR_FAILED');
  return result;
}

export interface ActiveSession {
  readonly session: SessionRow;
  readonly account: Account;
  /** The officer must change the password before anything else (initial, reset or expired). */
  readonly mustChangePassword: boolean;
}

/** How stale the recorded last-seen time may be: small beside the idle timeout (minutes). */
export const TOUCH_EVERY_MS = 15_000;

/**
 * The session of a token, if it may still be used at the clock's time; it is then touched (idle timer
 * restarts). A timed-out session is ended in the database so it can never come back.
 */
export async function resolveSession(
  db: HujiDatabase,
  token: string,
  ctx: AccountsContext,
): Promise<ActiveSession> {
  const now = ctx.clock();
  const hash = tokenHash(token);
  const found = await findSessionWithAccount(db, hash);
  if (!found) throw new HujiError('HUJI_OFFICER_REQUIRED');
  const state = sessionStateAt(found.session, now);
  switch (state) {
    case 'active':
      break;
    case 'ended':
      throw new HujiError('HUJI_OFFICER_REQUIRED');
    case 'idle-timeout':
    case 'absolute-timeout':
      await endSession(db, hash, now, state);
      ctx.log.info(
        { event: 'session-timeout', accountId: found.account.id, reason: state },
        'session timed out',
      );
      throw new HujiError('HUJI_SESSION_EXPIRED', { reason: state });
  }
  if (!found.account.isEnabled) {
    await endSession(db, hash, now, 'disabled');
    throw new HujiError('HUJI_ACCOUNT_DISABLED');
  }
  // The idle timer counts in minutes: a write per request would serialise every request of a session on
  // its row (and cost a commit each), so the last-seen time is moved at most every TOUCH_EVERY_MS.
  const lastSeen = found.session.lastSeenAt.getTime();
  const touch = now.getTime() - lastSeen >= TOUCH_EVERY_MS || now.getTime() < lastSeen;
  if (touch) await touchSession(db, hash, now);
  return {
    session: { ...found.session, lastSeenAt: touch ? now : found.session.lastSeenAt },
    account: found.account,
    mustChangePassword:
      found.account.mustChangePassword ||
      isPasswordExpired(found.account.passwordChangedAt, now, ctx.config.password),
  };
}

export async function signOut(db: HujiDatabase, token: string, ctx: AccountsContext, accountId: string) {
  await endSession(db, tokenHash(token), ctx.clock(), 'sign-out');
  ctx.log.info({ event: 'sign-out', accountId }, 'signed out');
}

/**
 * Checks a new password against the rules and the history, without storing it. Throws the first
 * broken rule as a typed error.
 */
export async function checkNewPassword(
  account: Pick<Account, 'username' | 'passwordHistory' | 'passwordHash'>,
  password: string,
  ctx: AccountsContext,
) {
  const policy = ctx.config.password;
  if (checkPasswordRules(password, { username: account.username }, policy).length > 0)
    throw new HujiError('HUJI_PASSWORD_WEAK', { minLength: policy.minLength, minClasses: policy.minClasses });
  const history = [account.passwordHash, ...account.passwordHistory].slice(0, policy.historySize);
  for (const old of history) {
    if (await verifyPassword(old, password))
      throw new HujiError('HUJI_PASSWORD_REUSED', { count: policy.historySize });
  }
}

/**
 * The officer's own password change: the current password, then the rules and the last 5. A wrong
 * current password counts as a failed sign-in of the account; when it locks the account every session
 * of the account ends (whoever holds this one is guessing). A change ends the account's other sessions.
 */
export async function changeOwnPassword(
  db: HujiDatabase,
  accountId: string,
  input: { currentPassword: string; newPassword: string },
  ctx: AccountsContext,
  sessionToken: string,
) {
  const now = ctx.clock();
  let refusal: HujiError | undefined;
  await db.transaction(async (tx) => {
    const account = await findAccountById(tx, accountId, { forUpdate: true });
    if (!account) throw new HujiError('HUJI_OFFICER_REQUIRED');
    if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
      const state = recordFailure(failureStateOf(account), now, ctx.config.lockout);
      await saveFailureState(tx, accountId, state);
      const isLocked = lockStatus(state, now).isLocked;
      if (isLocked) await endSessionsOf(tx, accountId, now, 'password-guesses');
      ctx.log.warn(
        { event: 'password-change-refused', accountId, reason: 'current-wrong', sessionsEnded: isLocked },
        'password change refused',
      );
      refusal = new HujiError(isLocked ? 'HUJI_PASSWORD_GUESSES' : 'HUJI_PASSWORD_CURRENT_WRONG');
      return;
    }
    await checkNewPassword(account, input.newPassword, ctx);
    const hash = await hashPassword(input.newPassword);
    await updateAccount(tx, accountId, {
      passwordHash: hash,
      passwordHistory: previousPasswordsToKeep(
        account.passwordHash,
        account.passwordHistory,
        ctx.config.password,
      ),
      passwordChangedAt: now,
      mustChangePassword: false,
    });
    await saveFailureState(tx, accountId, recordSuccess(failureStateOf(account)));
    await endOtherSessionsOf(tx, accountId, tokenHash(sessionToken), now, 'password-changed');
  });
  if (refusal) throw refusal;
  ctx.log.info({ event: 'password-changed', accountId }, 'password changed; other sessions ended');
}
