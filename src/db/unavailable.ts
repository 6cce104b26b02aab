/**
 * The one place that decides whether an error means "the database is away for now" (issue 14): the
 * connection failed, was cut, or the server is shutting down, starting up or crashed. Such errors are no
 * fault of the request: the server answers 503 HUJI_DB_UNAVAILABLE with Retry-After (see
 * `server/problem.ts`), stays up, and serves again when the database is back.
 *
 * Drizzle wraps driver errors (`DrizzleQueryError`) and the pool may throw an `AggregateError`, so the
 * `cause` chain and the aggregated errors are searched.
 */
import { HujiError } from '../errors/huji-error.js';

/** SQLSTATE classes and codes of a database that is away, shutting down, starting or overloaded. */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08'] as const; // connection exception
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);

/** Socket errors of Node on the way to the database. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages of node-postgres and pg-pool for a connection that ended or could not be made in time. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // "Connection terminated unexpectedly", "… due to connection timeout"
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/** Whether `error` (or anything it wraps) says the database cannot be reached or is not serving now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 8 || error === null || typeof error !== 'object') return false;
  if (error instanceof HujiError) {
    // A refusal is an answer; a failure may wrap the database's disappearance (the audit writer's, say).
    if (error.code === 'HUJI_DB_UNAVAILABLE') return true;
    return error.status >= 500 && isDatabaseUnavailable(error.cause, depth + 1);
  }
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    const code = e.code;
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (UNAVAILABLE_SQLSTATES.has(code)) return true;
      if (UNAVAILABLE_SQLSTATE_CLASSES.some((c) => code.startsWith(c))) return true;
    }
    if (UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string)))
    return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** HUJI_DB_UNAVAILABLE for an error of an unavailable database (kept as the cause), else undefined. */
export function databaseUnavailableError(error: unknown): HujiError | undefined {
  if (error instanceof HujiError && error.code === 'HUJI_DB_UNAVAILABLE') return error;
  return isDatabaseUnavailable(error)
    ? new HujiError('HUJI_DB_UNAVAILABLE', {}, { cause: error })
    : undefined;
}

/** Seconds a client should wait before retrying while the database is away (the Retry-After header). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
