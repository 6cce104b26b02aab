/**
 * Account administration (ADR 0008, 0014): the security administrator creates accounts and grants
 * roles; the system administrator resets passwords, unlocks, disables and enables. Each acts only within
 * their jurisdiction (another county's account answers 404). Online, no administrator ever receives
 * another person's secret: a new account's first secret and a reset's new one go to the holder's own
 * mobile number (`CredentialChannel`), and an account made online starts disabled until the system
 * administrator, a second person, enables it. Administrator accounts are made, reset, granted and
 * disabled only on the server host (`huji accounts …`, audited), where the secret is shown once to the
 * person who runs the command. No account holds an administrator duty together with any other role.
 */
import { randomUUID } from 'node:crypto';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { findDivision } from '../standards/divisions.js';
import type { AccountsContext } from './config.js';
import { unlock } from './lockout.js';
import { previousPasswordsToKeep } from './password-policy.js';
import {
  endSessionsOf,
  findAccountById,
  findAccountByUsername,
  forgetDevicesOf,
  insertAccount,
  saveFailureState,
  updateAccount,
  type Account,
} from './repository.js';
import { maskPhone } from '../standards/masking.js';
import type { CredentialChannel } from './credential-channel.js';
import { MOBILE_NUMBER } from './resident-identity.js';
import { adminDutiesOf, coversCounty, isAdministrator, type Role } from './roles.js';
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
  /** The holder's mobile number (their channel for secrets); required online. */
  readonly mobile?: string;
  /** Online creation leaves the account disabled until a second administrator enables it. */
  readonly isEnabled?: boolean;
}

export interface IssuedCredentials {
  readonly account: Account;
  readonly initialPassword: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/**
 * The separation of duties, checked before the database's own constraints say the same: at most one
 * administrator duty, and an administrator duty alone (no business role beside it).
 */
export function assertSeparatedDuties(roles: readonly Role[]) {
  const duties = adminDutiesOf(roles);
  if (duties.length > 1) throw new HujiError('HUJI_ADMIN_DUTIES_COMBINED', { duties: duties.join(', ') });
  if (duties.length === 1 && roles.length > 1)
    throw new HujiError('HUJI_ADMIN_ROLE_ALONE', { roles: roles.join(', ') });
}

/** Administrator accounts and administrator duties are handled on the server host only. */
function assertNotAdministration(roles: readonly Role[]) {
  if (isAdministrator(roles)) throw new HujiError('HUJI_ADMIN_ACCOUNT_HOST_ONLY');
}

function assertMobile(mobile: string | undefined): asserts mobile is string {
  if (mobile === undefined || !MOBILE_NUMBER.test(mobile)) throw new HujiError('HUJI_RESIDENT_PHONE_INVALID');
}

function assertJurisdiction(code: string) {
  const division = findDivision(code);
  if (!/^\d{6}$/.test(code) || !division?.isCurrent) throw new HujiError('HUJI_DIVISION_UNKNOWN', { code });
}

export async function createOfficerAccount(
  db: DbExecutor,
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
    mobile: input.mobile ?? null,
    isEnabled: input.isEnabled ?? true,
  };
  if (!(await insertAccount(db, row))) throw new HujiError('HUJI_ACCOUNT_USERNAME_TAKEN', { username });
  ctx.log.info(
    { event: 'account-created', accountId: row.id, roles, countyCode: row.countyCode, by: row.createdBy },
    'officer account created',
  );
  const account = (await findAccountById(db, row.id))!;
  return { account, initialPassword: password, totpSecret, otpauthUri: otpauthUri(totpSecret, username) };
}

/**
 * An account made online by the security administrator: business roles only, for a holder with a
 * mobile number. The initial password and the authenticator enrolment go to that number, not to the
 * creator; the account starts disabled until the system administrator enables it (two people, each of
 * whom sees the holder's masked number and who created the account).
 */
export async function createAccountForHolder(
  db: HujiDatabase,
  input: Omit<NewAccountInput, 'password' | 'totpSecret' | 'mustChangePassword' | 'isEnabled'> & {
    readonly mobile: string;
  },
  by: { readonly id: string; readonly countyCode: string },
  channel: CredentialChannel,
  ctx: AccountsContext,
): Promise<{ account: Account; deliveredTo: string }> {
  assertSeparatedDuties([...new Set(input.roles)]);
  assertNotAdministration(input.roles);
  assertMobile(input.mobile);
  return db.transaction(async (tx) => {
    const issued = await createOfficerAccount(tx, { ...input, isEnabled: false }, by, ctx);
    // Inside the transaction: when the channel cannot take the message, no account is left behind.
    await channel.deliver(
      input.mobile,
      { username: issued.account.username, password: issued.initialPassword, otpauthUri: issued.otpauthUri },
      ctx,
    );
    ctx.log.info(
      { event: 'account-credentials-sent', accountId: issued.account.id, channel: channel.id, by: by.id },
      'first secret sent to the holder',
    );
    return { account: issued.account, deliveredTo: maskPhone(input.mobile) };
  });
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
 * A new initial password (and, when asked, a new TOTP secret for a lost authenticator) stored for the
 * account: every session of the account ends, the lock is lifted, and the officer must choose a password
 * at the next sign-in. `deliver` runs inside the transaction, so a secret that cannot be handed over
 * changes nothing.
 */
async function storeNewSecrets(
  db: HujiDatabase,
  account: Account,
  options: { readonly newSecondFactor: boolean },
  ctx: AccountsContext,
  deliver: (secrets: { initialPassword: string; totpSecret?: string; otpauthUri?: string }) => Promise<void>,
) {
  const now = ctx.clock();
  const initialPassword = generateInitialPassword();
  const totpSecret = options.newSecondFactor ? generateTotpSecret() : undefined;
  const hash = await hashPassword(initialPassword);
  await db.transaction(async (tx) => {
    await updateAccount(tx, account.id, {
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
    await saveFailureState(tx, account.id, unlock());
    await endSessionsOf(tx, account.id, now, 'password-reset');
    // A reset follows a lost or exposed secret: the browsers signed in before are trusted no longer.
    await forgetDevicesOf(tx, account.id);
    await deliver(
      totpSecret
        ? { initialPassword, totpSecret, otpauthUri: otpauthUri(totpSecret, account.username) }
        : { initialPassword },
    );
  });
}

/**
 * The system administrator's reset of a business account, online: the new secret goes to the holder's
 * mobile number, never to the administrator (who hears only where it went). Administrator accounts are
 * reset on the server host only; an account without a number too.
 */
export async function resetOfficerAccount(
  db: HujiDatabase,
  id: string,
  options: { readonly newSecondFactor: boolean },
  by: { readonly id: string; readonly countyCode: string },
  channel: CredentialChannel,
  ctx: AccountsContext,
): Promise<{ deliveredTo: string; newSecondFactor: boolean }> {
  const account = await getManagedAccount(db, id, by);
  assertNotAdministration(account.roles);
  const mobile = account.mobile;
  if (mobile === null) throw new HujiError('HUJI_ACCOUNT_NO_CHANNEL');
  await storeNewSecrets(db, account, options, ctx, (secrets) =>
    channel.deliver(
      mobile,
      { username: account.username, password: secrets.initialPassword, otpauthUri: secrets.otpauthUri },
      ctx,
    ),
  );
  ctx.log.info(
    {
      event: 'account-reset',
      accountId: id,
      newSecondFactor: options.newSecondFactor,
      channel: channel.id,
      by: by.id,
    },
    'officer account reset; the new secret went to the holder',
  );
  return { deliveredTo: maskPhone(mobile), newSecondFactor: options.newSecondFactor };
}

/**
 * The reset on the server host (`huji accounts reset`), the one path for administrator accounts: the
 * secret is answered to the caller, who shows it only to the person running the command; the caller
 * records the audit entry. Any account may be reset this way (the operator of the host is trusted with
 * the database anyway).
 */
export async function resetAccountOnHost(
  db: HujiDatabase,
  username: string,
  options: { readonly newSecondFactor: boolean },
  ctx: AccountsContext,
): Promise<{ account: Account; initialPassword: string; totpSecret?: string; otpauthUri?: string }> {
  const account = await findAccountByUsername(db, username);
  if (!account) throw new HujiError('HUJI_ACCOUNT_UNKNOWN', { ref: username });
  let issued: { initialPassword: string; totpSecret?: string; otpauthUri?: string } | undefined;
  await storeNewSecrets(db, account, options, ctx, async (secrets) => {
    issued = secrets;
  });
  ctx.log.info(
    { event: 'account-reset', accountId: account.id, newSecondFactor: options.newSecondFactor, by: 'host' },
    'officer account reset on the server host',
  );
  return { account, ...issued! };
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

/**
 * Replaces a business account's roles (least privilege: an empty list is allowed). Administrator duties
 * are granted and taken away on the server host only.
 */
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
  const account = await getManagedAccount(db, id, by);
  // Granting or taking away an administrator duty, or any change to an administrator, is the host's.
  assertNotAdministration(account.roles);
  assertNotAdministration(unique);
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
  // One administrator may not switch another off (or on): administrator accounts change on the host.
  assertNotAdministration((await getManagedAccount(db, id, by)).roles);
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

/**
 * On the server host (`huji accounts roles`, `huji accounts disable|enable`): any account, administrators
 * included, under the same separation rules; the caller records the audit entry.
 */
export async function changeAccountOnHost(
  db: HujiDatabase,
  username: string,
  change: { readonly roles?: readonly Role[]; readonly isEnabled?: boolean },
  ctx: AccountsContext,
): Promise<Account> {
  const account = await findAccountByUsername(db, username);
  if (!account) throw new HujiError('HUJI_ACCOUNT_UNKNOWN', { ref: username });
  const roles = change.roles ? [...new Set(change.roles)] : undefined;
  if (roles) assertSeparatedDuties(roles);
  await db.transaction(async (tx) => {
    await updateAccount(tx, account.id, {
      ...(roles ? { roles } : {}),
      ...(change.isEnabled === undefined ? {} : { isEnabled: change.isEnabled }),
    });
    if (change.isEnabled === false) await endSessionsOf(tx, account.id, ctx.clock(), 'disabled');
  });
  ctx.log.info(
    { event: 'account-changed', accountId: account.id, roles, isEnabled: change.isEnabled, by: 'host' },
    'officer account changed on the server host',
  );
  return (await findAccountById(db, account.id))!;
}
