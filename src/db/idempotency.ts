/**
 * Idempotency-Key for state-changing requests (security.md, after the IETF httpapi draft and Stripe):
 * the key is scoped to the caller; the first response is stored in the same transaction as the work and
 * replayed to retries; the same key with a different body answers 422; a key whose first request is
 * still running answers 409; keys expire after 24 hours. A request that crashed mid-way leaves a claim
 * whose lease runs out, so the retry does the work (nothing was committed).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from './connection.js';
import { canonicalJson } from './canonical-json.js';
import type { ErrorCode } from '../errors/codes.js';
import { HujiError, type FieldProblem } from '../errors/huji-error.js';

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

/**
 * Runs `work` at most once per (scope, key). `work` returns the success response; a HujiError it throws
 * (a refusal) is stored and replayed too; any other error releases the key so a retry can run.
 */
export async function runIdempotent(
  db: HujiDatabase,
  ref: { scope: string; key: string; hash: string },
  work: (tx: DbExecutor) => Promise<{ status: number; body: unknown }>,
): Promise<StoredResponse> {
  const claimed = rowsOf<{ key: string }>(
    await db.execute(sql`
      insert into idempotency_key (scope, key, request_hash, status, locked_until, expires_at)
      values (${ref.scope}, ${ref.key}, ${ref.hash}, 'running', now() + make_interval(secs => ${LEASE_SECONDS}),
        now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}))
      on conflict (scope, key) do update set request_hash = excluded.request_hash, status = 'running',
        locked_until = excluded.locked_until, expires_at = excluded.expires_at, response_status = null, response_body = null
        where idempotency_key.expires_at < now()
           or (idempotency_key.status = 'running' and idempotency_key.locked_until < now() and idempotency_key.request_hash = excluded.request_hash)
      returning key`),
  );
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
      await db.execute(sql`
        update idempotency_key set status = 'done', response_status = ${error.status},
          response_body = ${canonicalJson({ code: error.code, params: error.params })}::jsonb
        where scope = ${ref.scope} and key = ${ref.key}`);
      throw error;
    }
    await db.execute(sql`delete from idempotency_key where scope = ${ref.scope} and key = ${ref.key}`);
    throw error;
  }
}
