/**
 * Residents sign in through a pluggable identity provider (issue 5): a provider begins a sign-in (sends
 * a one-time code, or later redirects to a government identity service) and completes it into a
 * verified identity. Huji then opens a resident session like an officer's (server-side, `__Host-`
 * cookie, CSRF token, the same timeouts). The demo provider takes a mainland mobile number and "sends"
 * a 6-digit code by printing it to the server log: for demos and tests only.
 */
import { createHash, randomInt } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { rowsOf, type HujiDatabase } from '../db/connection.js';
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
    input: { phone: string },
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
const MAX_CODES_PER_HOUR = 5;

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
      const [recent] = rowsOf<{ n: number | string }>(
        await db.execute(
          sql`select count(*) as n from resident_sign_in_challenge where provider = ${id} and subject = ${input.phone} and created_at > ${hourAgo.toISOString()}`,
        ),
      );
      if (Number(recent?.n ?? 0) >= MAX_CODES_PER_HOUR) throw new HujiError('HUJI_RATE_LIMITED');
      // Challenges older than the hourly window no longer count; drop them.
      await db.execute(
        sql`delete from resident_sign_in_challenge where provider = ${id} and subject = ${input.phone} and created_at <= ${hourAgo.toISOString()}`,
      );
      const challenge = newToken();
      const code = String(randomInt(1_000_000)).padStart(6, '0');
      const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
      await db.insert(residentSignInChallenge).values({
        tokenHash: tokenHash(challenge),
        provider: id,
        subject: input.phone,
        codeHash: codeHash(challenge, code),
        createdAt: now,
        expiresAt,
      });
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
