/**
 * Sends the outbox (transactional outbox pattern): messages are written in the transaction of the change
 * they announce, so none is lost and none announces a change that rolled back; this dispatcher sends them
 * afterwards. A message is claimed with `for update skip locked`, so several server processes never
 * send the same one; a failed send is retried with exponential back-off and given up ("dead") after a
 * number of attempts, with the last error kept for the operators.
 *
 * Senders are pluggable: a deployment plugs in its SMS gateway or mail relay; the built-in sender writes
 * the message to the log with the phone number masked (demo and development).
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import { maskPhone } from '../standards/masking.js';

export interface OutboxMessage {
  readonly id: string;
  readonly channel: 'sms' | 'email';
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
  readonly attempts: number;
}

export interface OutboxSender {
  readonly channel: OutboxMessage['channel'];
  /** Resolves when the gateway took the message; throws to have it retried. */
  send(message: OutboxMessage): Promise<void>;
}

export interface OutboxOptions {
  readonly now?: () => Date;
  /** Messages claimed per round. */
  readonly batch?: number;
  /** After this many failed attempts the message is dead. */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt up to an hour. */
  readonly retryBaseSeconds?: number;
}

/** The delay before attempt n+1 after n failures: base·2^(n−1), at most an hour. */
export function retryDelaySeconds(failures: number, base = 30): number {
  return Math.min(3600, base * 2 ** Math.max(0, failures - 1));
}

/** The demo sender: the SMS goes to the log, the number masked (PIPL). */
export function logSmsSender(log: { info(obj: object, msg?: string): void }): OutboxSender {
  return {
    channel: 'sms',
    send: async (m) => log.info({ event: 'sms-sent', to: maskPhone(m.recipient), text: m.body }, 'demo SMS'),
  };
}

export interface DispatchReport {
  readonly sent: number;
  readonly retried: number;
  readonly dead: number;
}

/** One round: claims the due messages and sends them. */
export async function dispatchOutbox(
  db: DbExecutor,
  senders: readonly OutboxSender[],
  options: OutboxOptions = {},
): Promise<DispatchReport> {
  const now = (options.now ?? (() => new Date()))();
  const maxAttempts = options.maxAttempts ?? 8;
  const report = { sent: 0, retried: 0, dead: 0 };
  await db.transaction(async (tx) => {
    const due = rowsOf<{
      id: string;
      channel: OutboxMessage['channel'];
      recipient: string;
      subject: string;
      body: string;
      attempts: number;
    }>(
      await tx.execute(sql`
        select id, channel, recipient, subject, body, attempts from outbox_message
        where status = 'pending' and next_attempt_at <= ${now.toISOString()}
        order by next_attempt_at limit ${options.batch ?? 50}
        for update skip locked`),
    );
    for (const message of due) {
      const sender = senders.find((s) => s.channel === message.channel);
      let error: string | undefined;
      if (!sender) error = `no sender for channel ${message.channel}`;
      else
        try {
          await sender.send(message);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      if (error === undefined) {
        await tx.execute(sql`
          update outbox_message set status = 'sent', attempts = attempts + 1, sent_at = ${now.toISOString()}, last_error = null
          where id = ${message.id}`);
        report.sent += 1;
        continue;
      }
      const failures = message.attempts + 1;
      const isDead = failures >= maxAttempts;
      const next = new Date(now.getTime() + retryDelaySeconds(failures, options.retryBaseSeconds) * 1000);
      await tx.execute(sql`
        update outbox_message set attempts = ${failures}, last_error = ${error.slice(0, 500)},
          status = ${isDead ? 'dead' : 'pending'}, next_attempt_at = ${next.toISOString()}
        where id = ${message.id}`);
      if (isDead) report.dead += 1;
      else report.retried += 1;
    }
  });
  return report;
}

/** Runs `dispatchOutbox` every `intervalMs` until stopped; a failing round is logged, never fatal. */
export function startOutboxDispatcher(
  db: DbExecutor,
  senders: readonly OutboxSender[],
  log: { warn(obj: object, msg?: string): void },
  options: OutboxOptions & { intervalMs?: number } = {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running
      .then(() => (stopped ? undefined : dispatchOutbox(db, senders, options)))
      .catch((error: unknown) => log.warn({ event: 'outbox-round-failed', error: String(error) }, 'outbox'));
  }, options.intervalMs ?? 5000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
