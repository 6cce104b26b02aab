/**
 * SQL of officer accounts, sign-in challenges and sessions. Every function takes the database or a
 * transaction; times come from the caller's clock.
 */
import { and, asc, desc, eq, gt, isNull, like, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import { officerAccount, officerDevice, officerSession, signInChallenge } from '../db/schema.js';
import type { FailureState } from './lockout.js';
import type { Role } from './roles.js';

export type AccountRow = typeof officerAccount.$inferSelect;
export type SessionRow = typeof officerSession.$inferSelect;

export interface Account extends Omit<AccountRow, 'roles'> {
  readonly roles: Role[];
}

const asAccount = (row: AccountRow): Account => ({ ...row, roles: row.roles as Role[] });

export function failureStateOf(a: Account): FailureState {
  return {
    consecutiveFailures: a.consecutiveFailures,
    lockedUntil: a.lockedUntil,
    windowStart: a.failureWindowStart,
    failuresInWindow: a.failuresInWindow,
  };
}

export async function findAccountByUsername(
  db: DbExecutor,
  username: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | undefined> {
  const query = db.select().from(officerAccount).where(eq(officerAccount.username, username.toLowerCase()));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ? asAccount(row) : undefined;
}

export async function findAccountById(
  db: DbExecutor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Account | undefined> {
  const query = db.select().from(officerAccount).where(eq(officerAccount.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ? asAccount(row) : undefined;
}

/** Accounts whose jurisdiction starts with the prefix (a county, city or province), by username. */
export async function listAccounts(db: DbExecutor, countyPrefix: string): Promise<Account[]> {
  const rows = await db
    .select()
    .from(officerAccount)
    .where(like(officerAccount.countyCode, `${countyPrefix}%`))
    .orderBy(asc(officerAccount.username));
  return rows.map(asAccount);
}

/** Inserts an account; false when the username is taken. */
export async function insertAccount(
  db: DbExecutor,
  row: typeof officerAccount.$inferInsert,
): Promise<boolean> {
  const inserted = await db
    .insert(officerAccount)
    .values(row)
    .onConflictDoNothing({ target: officerAccount.username })
    .returning({ id: officerAccount.id });
  return inserted.length === 1;
}

export async function saveFailureState(db: DbExecutor, accountId: string, state: FailureState) {
  await db
    .update(officerAccount)
    .set({
      consecutiveFailures: state.consecutiveFailures,
      lockedUntil: state.lockedUntil,
      failureWindowStart: state.windowStart,
      failuresInWindow: state.failuresInWindow,
    })
    .where(eq(officerAccount.id, accountId));
}

/**
 * Stores the accepted TOTP step if it is later than the stored one; false when another request used
 * this step (or a later one) first, so a code works once even under concurrent requests.
 */
export async function claimTotpStep(db: DbExecutor, accountId: string, step: number): Promise<boolean> {
  const updated = await db
    .update(officerAccount)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(officerAccount.id, accountId),
        or(isNull(officerAccount.totpLastStep), lt(officerAccount.totpLastStep, step)),
      ),
    )
    .returning({ id: officerAccount.id });
  return updated.length === 1;
}

export async function updateAccount(
  db: DbExecutor,
  accountId: string,
  changes: Partial<Omit<typeof officerAccount.$inferInsert, 'id' | 'username'>>,
) {
  await db.update(officerAccount).set(changes).where(eq(officerAccount.id, accountId));
}

/** Inserts a challenge, dropping the account's expired ones so the table stays small. */
export async function insertChallenge(db: DbExecutor, row: typeof signInChallenge.$inferInsert) {
  await db
    .delete(signInChallenge)
    .where(and(eq(signInChallenge.accountId, row.accountId), lt(signInChallenge.expiresAt, row.createdAt)));
  await db.insert(signInChallenge).values(row);
}

export async function findLiveChallenge(db: DbExecutor, hash: string, now: Date) {
  const [row] = await db
    .select()
    .from(signInChallenge)
    .where(
      and(
        eq(signInChallenge.tokenHash, hash),
        isNull(signInChallenge.usedAt),
        gt(signInChallenge.expiresAt, now),
      ),
    );
  return row;
}

/** Marks a challenge used; false when it was used meanwhile. */
export async function consumeChallenge(db: DbExecutor, hash: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(signInChallenge)
    .set({ usedAt: now })
    .where(and(eq(signInChallenge.tokenHash, hash), isNull(signInChallenge.usedAt)))
    .returning({ hash: signInChallenge.tokenHash });
  return updated.length === 1;
}

export async function insertSession(db: DbExecutor, row: typeof officerSession.$inferInsert) {
  await db.insert(officerSession).values(row);
}

export async function findSessionWithAccount(
  db: DbExecutor,
  hash: string,
): Promise<{ session: SessionRow; account: Account } | undefined> {
  const [row] = await db
    .select({ session: officerSession, account: officerAccount })
    .from(officerSession)
    .innerJoin(officerAccount, eq(officerAccount.id, officerSession.accountId))
    .where(eq(officerSession.tokenHash, hash));
  return row ? { session: row.session, account: asAccount(row.account) } : undefined;
}

export async function touchSession(db: DbExecutor, hash: string, now: Date) {
  await db.update(officerSession).set({ lastSeenAt: now }).where(eq(officerSession.tokenHash, hash));
}

export async function endSession(
  db: DbExecutor,
  hash: string,
  now: Date,
  reason: NonNullable<SessionRow['endReason']>,
) {
  await db
    .update(officerSession)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(officerSession.tokenHash, hash), isNull(officerSession.endedAt)));
}

/** Ends every open session of an account (password reset, disabling). */
export async function endSessionsOf(
  db: DbExecutor,
  accountId: string,
  now: Date,
  reason: NonNullable<SessionRow['endReason']>,
) {
  await db
    .update(officerSession)
    .set({ endedAt: now, endReason: reason })
    .where(and(eq(officerSession.accountId, accountId), isNull(officerSession.endedAt)));
}

/** Whether any account exists (the first security administrator is made by the CLI or the demo). */
export async function hasAccounts(db: DbExecutor): Promise<boolean> {
  return rowsOf(await db.execute(sql`select 1 from officer_account limit 1`)).length > 0;
}

/** Ends every open session of an account but one (the officer's own, after a password change). */
export async function endOtherSessionsOf(
  db: DbExecutor,
  accountId: string,
  keepHash: string,
  now: Date,
  reason: NonNullable<SessionRow['endReason']>,
) {
  await db
    .update(officerSession)
    .set({ endedAt: now, endReason: reason })
    .where(
      and(
        eq(officerSession.accountId, accountId),
        isNull(officerSession.endedAt),
        ne(officerSession.tokenHash, keepHash),
      ),
    );
}

export type DeviceRow = typeof officerDevice.$inferSelect;

/** The account's known device of a device token (undefined when the token is unknown or another's). */
export async function findDevice(
  db: DbExecutor,
  accountId: string,
  hash: string,
): Promise<DeviceRow | undefined> {
  const [row] = await db
    .select()
    .from(officerDevice)
    .where(and(eq(officerDevice.tokenHash, hash), eq(officerDevice.accountId, accountId)));
  return row;
}

/** Records a device after a sign-in with both factors, keeping the account's `keep` newest. */
export async function rememberDevice(
  db: DbExecutor,
  accountId: string,
  hash: string,
  now: Date,
  keep: number,
) {
  await db
    .insert(officerDevice)
    .values({ tokenHash: hash, accountId, createdAt: now, lastUsedAt: now, failures: 0 })
    .onConflictDoUpdate({ target: officerDevice.tokenHash, set: { lastUsedAt: now, failures: 0 } });
  const newest = await db
    .select({ hash: officerDevice.tokenHash })
    .from(officerDevice)
    .where(eq(officerDevice.accountId, accountId))
    .orderBy(desc(officerDevice.lastUsedAt))
    .limit(keep);
  await db.delete(officerDevice).where(
    and(
      eq(officerDevice.accountId, accountId),
      notInArray(
        officerDevice.tokenHash,
        newest.map((d) => d.hash),
      ),
    ),
  );
}

/** Counts a failure from a known device; at `forgetAfter` failures the device is known no more. */
export async function deviceFailed(db: DbExecutor, device: DeviceRow, forgetAfter: number) {
  if (device.failures + 1 >= forgetAfter)
    await db.delete(officerDevice).where(eq(officerDevice.tokenHash, device.tokenHash));
  else
    await db
      .update(officerDevice)
      .set({ failures: device.failures + 1 })
      .where(eq(officerDevice.tokenHash, device.tokenHash));
}

export async function forgetDevicesOf(db: DbExecutor, accountId: string) {
  await db.delete(officerDevice).where(eq(officerDevice.accountId, accountId));
}
