/**
 * Idempotency-Key for state-changing requests (security.md, after the IETF httpapi draft and Stripe):
 * the key is scoped to the caller; the first response is stored in the same transaction as the work and
 * replayed to retries; the same key with a different body answers 422; a key whose first request is
 * still running answers 409; keys expire after 24 hours. A request that crashed mid-way leaves a claim
 * whose lease runs out, so the retry does the work (nothing was committed).
 *
 * A claim carries a token of its own (in `response_body` while it runs). When the database dies under a
 * request (issue 14), the claim cannot be released at once; the process remembers it and releases it,
 * by its token, as soon as the database answers again: a retry with the same key then does the work
 * without waiting for the lease, and a claim another request took over in the meantime is never touched.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from './connection.js';
import { canonicalJson } from './canonical-json.js';
import type { ErrorCode } from '../errors/codes.js';
import { HujiError, type FieldProblem } from '../errors/huji-error.js';
import { isDatabaseUnavailable } from './unavailable.js';

export const IDEMPOTENCY_TTL_HOURS = 24;
const LEASE_SECONDS = 60;

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly isReplay: boolean;
}

/**
 * Throws the refusal a stored answer holds (status ≥ 400), as the first request got it, field problems
 * included; does nothing for a success. Every route that runs `runIdempotent` calls it on the answer.
 */
export function throwStoredRefusal(stored: StoredResponse): void {
  if (stored.status < 400) return;
  const refusal = stored.body as {
    code: ErrorCode;
    params: Record<string, unknown> & { problems?: unknown };
  };
  const { problems, ...params } = refusal.params;
  if (Array.isArray(problems))
    throw new HujiError(refusal.code, params, { problems: problems as FieldProblem[] });
  throw new HujiError(refusal.code, refusal.params);
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

interface AbandonedClaim {
  readonly scope: string;
  readonly key: string;
  readonly token: string;
}

/** Claims of requests the database died under, per database, waiting to be released. */
const abandonedClaims = new WeakMap<HujiDatabase, Map<string, AbandonedClaim>>();
const releasing = new WeakMap<HujiDatabase, Promise<void>>();

function abandonClaim(db: HujiDatabase, claim: AbandonedClaim): void {
  const pending = abandonedClaims.get(db) ?? abandonedClaims.set(db, new Map()).get(db)!;
  pending.set(claim.token, claim);
}

/**
 * Releases the claims of requests the database died under (`runIdempotent` calls it first). A claim is
 * deleted only while it still runs under its own token: one whose work committed after all (the answer
 * to COMMIT was lost) is 'done' and stays. Stops quietly at the first failure; the next call tries again.
 */
export async function releaseAbandonedClaims(db: HujiDatabase): Promise<void> {
  const pending = abandonedClaims.get(db);
  if (!pending || pending.size === 0) return;
  const inProgress = releasing.get(db);
  if (inProgress) return inProgress;
  const run = (async () => {
    try {
      for (const [id, claim] of [...pending]) {
        await db.execute(sql`
          delete from idempotency_key
          where scope = ${claim.scope} and key = ${claim.key} and status = 'running'
            and response_body ->> 'claim' = ${claim.token}`);
        pending.delete(id);
      }
    } catch {
      // The database is still away (or refuses): the claims stay pending.
    } finally {
      releasing.delete(db);
    }
  })();
  releasing.set(db, run);
  return run;
}

/** The number of claims waiting to be released (for tests). */
export function abandonedClaimCount(db: HujiDatabase): number {
  return abandonedClaims.get(db)?.size ?? 0;
}

/**
 * Runs `work` at most once per (scope, key). `work` returns the success response; a HujiError it throws
 * (a refusal) is stored and replayed too; any other error releases the key so a retry can run.
 */
export async function runIdempotent(
  db: HujiDatabase,
  ref: { scope: string; key: string; hash: string },
  work: (tx: DbExecutor) => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  await releaseAbandonedClaims(db);
  const claim: AbandonedClaim = { scope: ref.scope, key: ref.key, token: randomUUID() };
  /** Remembers the claim for release when the database died under it; rethrows. */
  const abandonIfUnavailable = (error: unknown) => {
    if (isDatabaseUnavailable(error)) abandonClaim(db, claim);
  };
  let claimed: { key: string }[];
  try {
    claimed = rowsOf<{ key: string }>(
      await db.execute(sql`
        insert into idempotency_key (scope, key, request_hash, status, locked_until, expires_at, response_body)
        values (${ref.scope}, ${ref.key}, ${ref.hash}, 'running', now() + make_interval(secs => ${LEASE_SECONDS}),
          now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}), jsonb_build_object('claim', ${claim.token}::text))
        on conflict (scope, key) do update set request_hash = excluded.request_hash, status = 'running',
          locked_until = excluded.locked_until, expires_at = excluded.expires_at, response_status = null,
          response_body = excluded.response_body
          where idempotency_key.expires_at < now()
             or (idempotency_key.status = 'running' and idempotency_key.locked_until < now() and idempotency_key.request_hash = excluded.request_hash)
        returning key`),
    );
  } catch (error) {
    // The claim may have committed with its answer lost.
    abandonIfUnavailable(error);
    throw error;
  }
  if (claimed.length === 0) {
    const [existing] = rowsOf<{
      request_hash: string;
      status: string;
      response_status: number | null;
      response_body: unknown;
    }>(
      await db.execute(
        sql`select request_hash, status, response_status, response_body from idempotency_key where scope = ${ref.scope} and key = ${ref.key}`,
      ),
    );
    if (!existing || existing.request_hash !== ref.hash)
      throw new HujiError('HUJI_IDEMPOTENCY_MISMATCH', { key: ref.key });
    if (existing.status !== 'done') throw new HujiError('HUJI_IDEMPOTENCY_IN_PROGRESS', { key: ref.key });
    return { status: existing.response_status ?? 200, body: existing.response_body, isReplay: true };
  }
  try {
    const response = await db.transaction(async (tx) => {
      const result = await work(tx);
      await tx.execute(sql`
        update idempotency_key set status = 'done', response_status = ${result.status}, response_body = ${canonicalJson(result.body)}::jsonb
        where scope = ${ref.scope} and key = ${ref.key}`);
      return result;
    });
    return { ...response, isReplay: false };
  } catch (error) {
    // A limit (429) passes: the same request is welcome once the window has moved, so it is not stored.
    if (error instanceof HujiError && error.status < 500 && error.status !== 429) {
      // A refusal is an answer too: the same request gets the same refusal.
      try {
        await db.execute(sql`
          update idempotency_key set status = 'done', response_status = ${error.status},
            response_body = ${canonicalJson({ code: error.code, params: error.params })}::jsonb
          where scope = ${ref.scope} and key = ${ref.key}`);
      } catch (storeError) {
        abandonIfUnavailable(storeError);
        throw storeError;
      }
      throw error;
    }
    try {
      await db.execute(sql`
        delete from idempotency_key
        where scope = ${ref.scope} and key = ${ref.key} and status = 'running' and response_body ->> 'claim' = ${claim.token}`);
    } catch (releaseError) {
      // The database died under the work: release the claim when it is back, answer with the first error.
      if (!isDatabaseUnavailable(releaseError)) throw releaseError;
      abandonClaim(db, claim);
    }
    throw error;
  }
}
