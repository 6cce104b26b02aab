import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { HujiError } from '../errors/huji-error.js';
import { databaseUnavailableError, isDatabaseUnavailable } from './unavailable.js';

/** A port of 127.0.0.1 where nothing listens (asked of the kernel, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

const pgError = (code: string, message = 'server error') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a refused connection through drizzle and the pool, as the server meets it', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/x` });
    const db = drizzle({ client: pool });
    const error = await db.execute(sql`select 1`).then(
      () => undefined,
      (e: unknown) => e,
    );
    await pool.end();
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(databaseUnavailableError(error)?.code).toBe('HUJI_DB_UNAVAILABLE');
    expect(databaseUnavailableError(error)?.status).toBe(503);
  });

  it.each([
    ['57P01 admin_shutdown', pgError('57P01')],
    ['57P02 crash_shutdown', pgError('57P02')],
    ['57P03 cannot_connect_now', pgError('57P03')],
    ['08006 connection_failure', pgError('08006')],
    ['08P01 protocol_violation', pgError('08P01')],
    ['53300 too_many_connections', pgError('53300')],
    ['ECONNRESET', pgError('ECONNRESET', 'read ECONNRESET')],
    ['a connection cut under a query', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    ['wrapped in a cause', new Error('Failed query: insert …', { cause: pgError('57P01') })],
    ['inside an AggregateError', new AggregateError([pgError('ECONNREFUSED')], 'connect')],
    [
      'a 5xx Huji error caused by it',
      new HujiError('HUJI_AUDIT_UNAVAILABLE', {}, { cause: pgError('08006') }),
    ],
    ['itself', new HujiError('HUJI_DB_UNAVAILABLE')],
  ])('%s: unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a serialization failure', pgError('40001')],
    ['a syntax error', pgError('42601')],
    ['a plain error', new Error('boom')],
    [
      'a refusal, whatever its cause',
      new HujiError('HUJI_VALIDATION', { detail: 'x' }, { cause: pgError('08006') }),
    ],
    [
      'a 5xx Huji error of another cause',
      new HujiError('HUJI_INTERNAL', { requestId: 'r' }, { cause: new Error('x') }),
    ],
    ['nothing', undefined],
    ['a string', 'Connection terminated unexpectedly'],
  ])('%s: not unavailable', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(databaseUnavailableError(error)).toBeUndefined();
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
