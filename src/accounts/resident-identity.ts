/**
 * Residents sign in through a pluggable identity provider (issue 5): a provider begins a sign-in (sends
 * a one-time code, or later redirects to a government identity service) and completes it into a
 * verified identity. Huji then opens a resident session like an officer's (server-side, `__Host-`
 * cookie, CSRF token, the same timeouts). The demo provider takes a mainland mobile number and "sends"
 * a 6-digit code by printing it to the server log: for demos and tests only.
 */
import { createHash, randomInt } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from '../db/connection.js';
import { residentSession, residentSignInChallenge } from '../db/schema.js';
import { HujiError } from '../errors/huji-error.js';
import { maskPhone } from '../standards/masking.js';
import type { AccountsContext } from './config.js';
import { absoluteExpiryOf, sessionStateAt } from './session-policy.js';
import { newToken, tokenHash } from './secrets.js';

export interface ResidentIdentity {
  readonly provider: string;
  /** The provider's stable identifier of the person (the demo provider: the phone number). */
  readonly subject: string;
}

/** What every identity provider does; `test/support/identity-provider-cases.ts` checks any of them. */
export interface ResidentIdentityProvider {
  readonly id: string;
  begin(
    db: HujiDatabase,
    input: { phone: string; sourceAddress?: string },
    ctx: AccountsContext,
  ): Promise<{ challenge: string; expiresAt: Date }>;
  complete(
    db: HujiDatabase,
    input: { challenge: string; code: string },
    ctx: AccountsContext,
  ): Promise<ResidentIdentity>;
}

export const MOBILE_NUMBER = /^1[3-9]\d{9}$/;
const CODE_MINUTES = 5;
const MAX_ATTEMPTS = 5;
/** Codes per number per hour: a bound on what a stranger can make the provider send to someone. */
export const MAX_CODES_PER_HOUR = 5;
/**
 * Wrong codes per number per hour across all its challenges: asking for a new code does not buy new
 * guesses (5 codes × 5 attempts would otherwise be 25 guesses an hour at a 6-digit code).
 */
export const MAX_WRONG_CODES_PER_HOUR = 10;

/**
 * Serialises the work on one key (a number, an address) across processes: a transaction-scoped
 * advisory lock, so the count and the insert that follows it are one step (count-then-insert without
 * it let 28 concurrent requests for one number send 28 codes).
 */
async function lockKey(tx: DbExecutor, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

async function countSince(tx: DbExecutor, where: ReturnType<typeof sql>): Promise<number> {
  const [row] = rowsOf<{ n: number | string | null }>(
    await tx.execute(sql`select count(*) as n from resident_sign_in_challenge where ${where}`),
  );
  return Number(row?.n ?? 0);
}

async function wrongCodesSince(tx: DbExecutor, provider: string, subject: string, since: Date) {
  const [row] = rowsOf<{ n: number | string | null }>(
    await tx.execute(
      sql`select coalesce(sum(attempts), 0) as n from resident_sign_in_challenge where provider = ${provider} and subject = ${subject} and created_at > ${since.toISOString()}`,
    ),
  );
  return Number(row?.n ?? 0);
}

const codeHash = (challenge: string, code: string) =>
  createHash('sha256').update(`${challenge}\n${code}`).digest('hex');

/** A one-time code provider; `deliver` sends it (the demo prints it to the log). */
export function phoneCodeProvider(
  id: string,
  deliver: (phone: string, code: string, ctx: AccountsContext) => void,
): ResidentIdentityProvider {
  return {
    id,
    async begin(db, input, ctx) {
      if (!MOBILE_NUMBER.test(input.phone)) throw new HujiError('HUJI_RESIDENT_PHONE_INVALID');
      const now = ctx.clock();
      const hourAgo = new Date(now.getTime() - 3_600_000);
      const address = input.sourceAddress ?? null;
      const challenge = newToken();
      const code = String(randomInt(1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
      const refusal = await db.transaction(async (tx) => {
        // Always the number first, then the address: two requests never wait on each other in a circle.
        await lockKey(tx, `huji-resident-code:${id}:${input.phone}`);
        if (address !== null) await lockKey(tx, `huji-resident-code-address:${address}`);
        const sent = await countSince(
          tx,
          sql`provider = ${id} and subject = ${input.phone} and created_at > ${hourAgo.toISOString()}`,
        );
        if (sent >= MAX_CODES_PER_HOUR) return 'number' as const;
        if ((await wrongCodesSince(tx, id, input.phone, hourAgo)) >= MAX_WRONG_CODES_PER_HOUR)
          return 'wrong-codes' as const;
        if (address !== null) {
          const fromAddress = await countSince(
            tx,
            sql`source_address = ${address} and created_at > ${hourAgo.toISOString()}`,
          );
          if (fromAddress >= ctx.config.residentCodesPerAddressPerHour) return 'address' as const;
        }
        // Challenges older than the hourly window no longer count; drop them.
        await tx.execute(
          sql`delete from resident_sign_in_challenge where provider = ${id} and subject = ${input.phone} and created_at <= ${hourAgo.toISOString()}`,
        );
        await tx.insert(residentSignInChallenge).values({
          tokenHash: tokenHash(challenge),
          provider: id,
          subject: input.phone,
          codeHash: codeHash(challenge, code),
          createdAt: now,
          expiresAt,
          sourceAddress: address,
        });
        return undefined;
      });
      if (refusal) {
        ctx.log.warn(
          { event: 'resident-code-refused', provider: id, phone: maskPhone(input.phone), reason: refusal },
          'one-time code refused',
        );
        throw new HujiError('HUJI_RATE_LIMITED');
      }
      deliver(input.phone, code, ctx);
      return { challenge, expiresAt };
    },
    async complete(db, input, ctx) {
      const now = ctx.clock();
      const hash = tokenHash(input.challenge);
      return db
        .transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(residentSignInChallenge)
            .where(
              and(
                eq(residentSignInChallenge.tokenHash, hash),
                eq(residentSignInChallenge.provider, id),
                isNull(residentSignInChallenge.usedAt),
                gt(residentSignInChallenge.expiresAt, now),
              ),
            )
            .for('update');
          if (!row || row.attempts >= MAX_ATTEMPTS) throw new HujiError('HUJI_SIGN_IN_CHALLENGE_INVALID');
          // The number's wrong codes of the hour, across its challenges, counted under the number's lock.
          await lockKey(tx, `huji-resident-code:${id}:${row.subject}`);
          const hourAgo = new Date(now.getTime() - 3_600_000);
          if ((await wrongCodesSince(tx, id, row.subject, hourAgo)) >= MAX_WRONG_CODES_PER_HOUR)
            throw new HujiError('HUJI_SIGN_IN_CHALLENGE_INVALID');
          if (codeHash(input.challenge, input.code.trim()) !== row.codeHash) {
            await tx
              .update(residentSignInChallenge)
              .set({ attempts: row.attempts + 1 })
              .where(eq(residentSignInChallenge.tokenHash, hash));
            ctx.log.warn({ event: 'resident-sign-in-failed', provider: id }, 'resident sign-in failed');
            return undefined;
          }
          await tx
            .update(residentSignInChallenge)
            .set({ usedAt: now })
            .where(eq(residentSignInChallenge.tokenHash, hash));
          return { provider: id, subject: row.subject };
        })
        .then((identity) => {
          // Thrown after the transaction so the attempt count is kept.
          if (!identity) throw new HujiError('HUJI_ONE_TIME_CODE_FAILED');
          return identity;
        });
    },
  };
}

/** The demo provider: the code goes to the server log (the phone masked), as no SMS gateway exists. */
export const demoPhoneProvider = phoneCodeProvider('demo-phone', (phone, code, ctx) =>
  ctx.log.info(
    { event: 'demo-one-time-code', phone: maskPhone(phone), code },
    `demo sign-in code for ${maskPhone(phone)}: ${code}`,
  ),
);

export type ResidentSessionRow = typeof residentSession.$inferSelect;

export async function openResidentSession(
  db: HujiDatabase,
  identity: ResidentIdentity,
  ctx: AccountsContext,
): Promise<{ token: string; session: ResidentSessionRow }> {
  const now = ctx.clock();
  const token = newToken();
  const session: ResidentSessionRow = {
    tokenHash: tokenHash(token),
    provider: identity.provider,
    subject: identity.subject,
    createdAt: now,
    lastSeenAt: now,
    absoluteExpiresAt: absoluteExpiryOf(now, ctx.config.session),
    idleTimeoutSeconds: ctx.config.session.idleMinutes * 60,
    endedAt: null,
    endReason: null,
  };
  await db.insert(residentSession).values(session);
  ctx.log.info({ event: 'resident-sign-in', provider: identity.provider }, 'resident signed in');
  return { token, session };
}

export async function resolveResidentSession(
  db: HujiDatabase,
  token: string,
  ctx: AccountsContext,
): Promise<ResidentSessionRow> {
  const now = ctx.clock();
  const hash = tokenHash(token);
  const [session] = await db.select().from(residentSession).where(eq(residentSession.tokenHash, hash));
  if (!session) throw new HujiError('HUJI_RESIDENT_REQUIRED');
  const state = sessionStateAt(session, now);
  switch (state) {
    case 'active':
      break;
    case 'ended':
      throw new HujiError('HUJI_RESIDENT_REQUIRED');
    case 'idle-timeout':
    case 'absolute-timeout':
      await db
        .update(residentSession)
        .set({ endedAt: now, endReason: state })
        .where(eq(residentSession.tokenHash, hash));
      throw new HujiError('HUJI_SESSION_EXPIRED', { reason: state });
  }
  await db.update(residentSession).set({ lastSeenAt: now }).where(eq(residentSession.tokenHash, hash));
  return { ...session, lastSeenAt: now };
}

export async function endResidentSession(db: HujiDatabase, token: string, ctx: AccountsContext) {
  await db
    .update(residentSession)
    .set({ endedAt: ctx.clock(), endReason: 'sign-out' })
    .where(and(eq(residentSession.tokenHash, tokenHash(token)), isNull(residentSession.endedAt)));
}
