/**
 * The SMS / e-mail outbox on the real database: a message is sent once, a failing gateway is retried
 * with back-off and the message given up after the last attempt with its error kept, and two
 * dispatchers running at once (two server processes) never send the same message twice.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { dispatchOutbox, retryDelaySeconds, type OutboxMessage } from '../../src/services/outbox.js';
import { testDatabases } from '../support/databases.js';

describe.each(testDatabases())('the outbox on $name', ({ open }) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });

  const enqueue = async (recipient: string, at: Date) => {
    const id = randomUUID();
    await database.db.execute(sql`
      insert into outbox_message (id, channel, recipient, subject, body, status, next_attempt_at, created_at)
      values (${id}, 'sms', ${recipient}, '申请已提交', ${`【户籍业务】${recipient}`}, 'pending', ${at.toISOString()}, ${at.toISOString()})`);
    return id;
  };
  const row = async (id: string) =>
    rowsOf<{ status: string; attempts: number; last_error: string | null; next_attempt_at: Date | string }>(
      await database.db.execute(
        sql`select status, attempts, last_error, next_attempt_at from outbox_message where id = ${id}`,
      ),
    )[0];

  it('sends once, retries a failing gateway with back-off and gives up after the last attempt', async () => {
    const t0 = new Date('2026-12-02T02:00:00Z');
    const ok = await enqueue('13900000011', t0);
    const flaky = await enqueue('13900000012', t0);
    const sent: string[] = [];
    const sender = {
      channel: 'sms' as const,
      send: async (m: OutboxMessage) => {
        if (m.recipient === '13900000012') throw new Error('gateway 503');
        sent.push(m.recipient);
      },
    };
    const first = await dispatchOutbox(database.db, [sender], { now: () => t0, maxAttempts: 3 });
    expect(first).toEqual({ sent: 1, retried: 1, dead: 0 });
    expect(await row(ok)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await row(flaky)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway 503' });
    // Not due yet: nothing happens before the back-off has passed.
    expect(await dispatchOutbox(database.db, [sender], { now: () => t0, maxAttempts: 3 })).toEqual({
      sent: 0,
      retried: 0,
      dead: 0,
    });
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    await dispatchOutbox(database.db, [sender], { now: () => later(30), maxAttempts: 3 });
    expect(await row(flaky)).toMatchObject({ status: 'pending', attempts: 2 });
    const last = await dispatchOutbox(database.db, [sender], { now: () => later(30 + 60), maxAttempts: 3 });
    expect(last).toEqual({ sent: 0, retried: 0, dead: 1 });
    expect(await row(flaky)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'gateway 503' });
    expect(sent).toEqual(['13900000011']);
    expect([1, 2, 3, 8, 20].map((n) => retryDelaySeconds(n))).toEqual([30, 60, 120, 3600, 3600]);
  });

  it('never sends a message twice when two dispatchers run at once', async () => {
    const t0 = new Date('2026-12-03T02:00:00Z');
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) => enqueue(`1390001${String(i).padStart(4, '0')}`, t0)),
    );
    const sent: string[] = [];
    const slow = {
      channel: 'sms' as const,
      send: async (m: OutboxMessage) => {
        await new Promise((r) => setTimeout(r, 2));
        sent.push(m.id);
      },
    };
    const rounds = await Promise.all([
      dispatchOutbox(database.db, [slow], { now: () => t0, batch: 25 }),
      dispatchOutbox(database.db, [slow], { now: () => t0, batch: 25 }),
      dispatchOutbox(database.db, [slow], { now: () => t0, batch: 25 }),
    ]);
    expect(rounds.reduce((n, r) => n + r.sent, 0)).toBe(40);
    expect(new Set(sent).size).toBe(sent.length);
    expect([...sent].sort()).toEqual([...ids].sort());
  });
});
