/**
 * Account administration: the security administrator creates accounts and grants roles; the system
 * administrator resets passwords and unlocks. Each acts only within their jurisdiction (another
 * county's account answers 404). Secrets made here (initial password, TOTP secret) are returned once
 * to the caller and never logged or stored in the clear (the TOTP secret is stored: the server needs it).
 */
import { randomUUID } from 'node:crypto';
import type { HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { findDivision } from '../standards/divisions.js';
import type { AccountsContext } from './config.js';
import { unlock } from './lockout.js';
import { previousPasswordsToKeep } from './password-policy.js';
import {
  endSessionsOf,
  findAccountById,
  insertAccount,
  saveFailureState,
  updateAccount,
  type Account,
} from './repository.js';
import { adminDutiesOf, coversCounty, type Role } from './roles.js';
import { generateInitialPassword, hashPassword } from './secrets.js';
import { checkNewPassword } from './sign-in.js';
import { generateTotpSecret, otpauthUri } from './totp.js';

export interface NewAccountInput {
  readonly username: string;
  readonly displayName: string;
  readonly countyCode: string;
  readonly roles: readonly Role[];
  /** Given by tests and bootstrap tools; generated (and must be changed at first sign-in) otherwise. */
  readonly password?: string;
  readonly totpSecret?: string;
  readonly mustChangePassword?: boolean;
}

export interface IssuedCredentials {
  readonly account: Account;
  readonly initialPassword: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/** The separation of duties, checked before the database's own constraint says the same. */
export function assertSeparatedDuties(roles: readonly Role[]) {
  const duties = adminDutiesOf(roles);
  if (duties.length > 1) throw new HujiError('HUJI_ADMIN_DUTIES_COMBINED', { duties: duties.join(', ') });
}

function assertJurisdiction(code: string) {
  const division = findDivision(code);
  if (!/^\d{6}$/.test(code) || !division?.isCurrent) throw new HujiError('HUJI_DIVISION_UNKNOWN', { code });
}

export async function createOfficerAccount(
  db: HujiDatabase,
  input: NewAccountInput,
  by: { readonly id: string; readonly countyCode: string } | 'system',
  ctx: AccountsContext,
): Promise<IssuedCredentials> {
  const roles = [...new Set(input.roles)];
  assertSeparatedDuties(roles);
  assertJurisdiction(input.countyCode);
  if (by !== 'system' && !coversCounty(by.countyCode, input.countyCode))
    throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: input.countyCode });
  const username = input.username.toLowerCase();
  const password = input.password ?? generateInitialPassword();
  if (input.password !== undefined)
    await checkNewPassword({ username, passwordHash: '', passwordHistory: [] }, password, ctx);
  const totpSecret = input.totpSecret ?? generateTotpSecret();
  const now = ctx.clock();
  const row = {
    id: randomUUID(),
    username,
    displayName: input.displayName,
    countyCode: input.countyCode,
    roles,
    passwordHash: await hashPassword(password),
    passwordHistory: [],
    passwordChangedAt: now,
    mustChangePassword: input.mustChangePassword ?? input.password === undefined,
    totpSecret,
    createdAt: now,
    createdBy: by === 'system' ? 'system' : by.id,
  };
  if (!(await insertAccount(db, row))) throw new HujiError('HUJI_ACCOUNT_USERNAME_TAKEN', { username });
  ctx.log.info(
    { event: 'account-created', accountId: row.id, roles, countyCode: row.countyCode, by: row.createdBy },
    'officer account created',
  );
  const account = (await findAccountById(db, row.id))!;
  return { account, initialPassword: password, totpSecret, otpauthUri: otpauthUri(totpSecret, username) };
}

/** The account, if the acting administrator's jurisdiction covers it; 404 otherwise. */
export async function getManagedAccount(
  db: HujiDatabase,
  id: string,
  by: { countyCode: string },
): Promise<Account> {
  const account = await findAccountById(db, id);
  if (!account || !coversCounty(by.countyCode, account.countyCode))
    throw new HujiError('HUJI_ACCOUNT_UNKNOWN', { ref: id });
  return account;
}

/**
 * A new initial password (and, when asked, a new TOTP secret for a lost authenticator): every session of
 * the account ends, the lock is lifted, and the officer must choose a password at the next sign-in.
 */
export async function resetOfficerAccount(
  db: HujiDatabase,
  id: string,
  options: { readonly newSecondFactor: boolean },
  by: { readonly id: string; readonly countyCode: string },
  ctx: AccountsContext,
): Promise<{ initialPassword: string; totpSecret?: string; otpauthUri?: string }> {
  const account = await getManagedAccount(db, id, by);
  const now = ctx.clock();
  const initialPassword = generateInitialPassword();
  const totpSecret = options.newSecondFactor ? generateTotpSecret() : undefined;
  const hash = await hashPassword(initialPassword);
  await db.transaction(async (tx) => {
    await updateAccount(tx, id, {
      passwordHash: hash,
      passwordHistory: previousPasswordsToKeep(
        account.passwordHash,
        account.passwordHistory,
        ctx.config.password,
      ),
      passwordChangedAt: now,
      mustChangePassword: true,
      ...(totpSecret ? { totpSecret, totpLastStep: null } : {}),
    });
    await saveFailureState(tx, id, unlock());
    await endSessionsOf(tx, id, now, 'password-reset');
  });
  ctx.log.info(
    { event: 'account-reset', accountId: id, newSecondFactor: options.newSecondFactor, by: by.id },
    'officer account reset',
  );
  return totpSecret
    ? { initialPassword, totpSecret, otpauthUri: otpauthUri(totpSecret, account.username) }
    : { initialPassword };
}

export async function unlockOfficerAccount(
  db: HujiDatabase,
  id: string,
  by: { readonly id: string; readonly countyCode: string },
  ctx: AccountsContext,
) {
  await getManagedAccount(db, id, by);
  await saveFailureState(db, id, unlock());
  ctx.log.info({ event: 'account-unlocked', accountId: id, by: by.id }, 'officer account unlocked');
}

/** Replaces an account's roles (least privilege: an empty list is allowed). */
export async function grantRoles(
  db: HujiDatabase,
  id: string,
  roles: readonly Role[],
  by: { readonly id: string; readonly countyCode: string },
  ctx: AccountsContext,
): Promise<Account> {
  const unique = [...new Set(roles)];
  assertSeparatedDuties(unique);
  // An administrator may not widen their own powers.
  if (id === by.id) throw new HujiError('HUJI_FORBIDDEN', { action: 'account.grant (own account)' });
  await getManagedAccount(db, id, by);
  await updateAccount(db, id, { roles: unique });
  ctx.log.info({ event: 'roles-granted', accountId: id, roles: unique, by: by.id }, 'roles granted');
  return (await findAccountById(db, id))!;
}

/**
 * Disables or re-enables an account (a person leaves or changes post; no account is shared). Disabling
 * ends its sessions at once; an administrator cannot disable their own account.
 */
export async function setAccountEnabled(
  db: HujiDatabase,
  id: string,
  isEnabled: boolean,
  by: { readonly id: string; readonly countyCode: string },
  ctx: AccountsContext,
): Promise<Account> {
  if (id === by.id) throw new HujiError('HUJI_FORBIDDEN', { action: 'account.disable (own account)' });
  await getManagedAccount(db, id, by);
  await db.transaction(async (tx) => {
    await updateAccount(tx, id, { isEnabled });
    if (!isEnabled) await endSessionsOf(tx, id, ctx.clock(), 'disabled');
  });
  ctx.log.info(
    { event: isEnabled ? 'account-enabled' : 'account-disabled', accountId: id, by: by.id },
    'account state changed',
  );
  return (await findAccountById(db, id))!;
}
