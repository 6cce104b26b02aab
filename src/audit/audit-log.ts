/**
 * The audit log in the database (security.md § Audit, ADR 0011): a group-commit writer that appends
 * entries to their hash chains, the audit administrator's listing, and a verifier that streams every
 * chain page by page.
 *
 * Chains: an officer's entries go to the chain named by the county code of their jurisdiction (the
 * register ledger's partition and distribution key, ADR 0003, so counties append in parallel and a
 * county's trail is verified on its own); residents share the `resident` chain, the platform's own
 * actions (command line, jobs) the `system` chain, and requests without a known actor (failed sign-ins,
 * refusals without a session) the `anonymous` chain.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import { auditEntry } from '../db/schema.js';
import { HujiError } from '../errors/huji-error.js';
import {
  ChainVerifier,
  GENESIS_HASH,
  linkEntries,
  type ActorKind,
  type AuditDraft,
  type AuditEntry,
  type AuditSuite,
  type ChainHead,
  type ChainReport,
  type JsonValue,
  type Outcome,
} from './chain.js';

/** What a caller records; the writer adds the id, the time (unless given), the chain and the hashes. */
export interface AuditRecordInput {
  readonly at?: Date;
  readonly actorKind: ActorKind;
  readonly actorId: string;
  /** An officer's jurisdiction (county, city or province code): it names the officer's chain. */
  readonly countyCode?: string;
  readonly roles?: readonly string[];
  readonly sourceAddress?: string | null;
  readonly action: string;
  readonly objectType?: string | null;
  readonly objectId?: string | null;
  readonly outcome: Outcome;
  readonly status?: number | null;
  readonly requestId?: string | null;
  /** Never passwords, tokens, codes or request bodies. */
  readonly details?: JsonValue | null;
}

/**
 * The chain an entry belongs to (see the module comment).
 *
 * @example auditChainFor('officer', '330802') // '330802'
 * @example auditChainFor('resident') // 'resident'
 */
export function auditChainFor(actorKind: ActorKind, countyCode?: string): string {
  if (actorKind === 'officer') return countyCode && /^\d{6}$/.test(countyCode) ? countyCode : 'officer';
  return actorKind;
}

export interface AuditWriterOptions {
  /** The deployment's suite (`app.hujiCryptoSuite`): new entries are hashed with it. */
  readonly suite: AuditSuite;
  readonly clock?: () => Date;
  /** Entries written by one transaction at most (default 500). */
  readonly maxBatch?: number;
  /** Told about failed writes (the waiting callers get the error too). */
  readonly onError?: (error: unknown, chain: string) => void;
}

interface Pending {
  readonly draft: AuditDraft;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends audit entries by group commit: `record` queues the entry and resolves once it is committed.
 * One flusher per chain writes everything queued for the chain in one transaction (head row locked,
 * hashes computed in order, one multi-row insert, head moved), so a burst of requests costs a few
 * transactions. Several processes may share a database: the head row lock orders their batches.
 *
 * @example
 * const writer = new AuditWriter(db, { suite: 'gm' });
 * await writer.record({ actorKind: 'system', actorId: 'cli', action: 'audit.verify', outcome: 'success' });
 */
export class AuditWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly flushers = new Map<string, Promise<void>>();
  private isClosed = false;
  private readonly clock: () => Date;
  private readonly maxBatch: number;

  constructor(
    private readonly db: DbExecutor,
    private readonly options: AuditWriterOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  get suite(): AuditSuite {
    return this.options.suite;
  }

  /** Resolves when the entry is committed; rejects with the database's error if it could not be. */
  record(input: AuditRecordInput): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('the audit writer is closed'));
    const chain = auditChainFor(input.actorKind, input.countyCode);
    const draft: AuditDraft = {
      id: randomUUID(),
      at: (input.at ?? this.clock()).toISOString(),
      actorKind: input.actorKind,
      actorId: input.actorId,
      roles: input.roles ?? [],
      sourceAddress: input.sourceAddress ?? null,
      action: input.action,
      objectType: input.objectType ?? null,
      objectId: input.objectId ?? null,
      outcome: input.outcome,
      status: input.status ?? null,
      requestId: input.requestId ?? null,
      details: input.details ?? null,
    };
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(chain) ?? this.queues.set(chain, []).get(chain)!;
      queue.push({ draft, resolve, reject });
      if (!this.flushers.has(chain)) this.flushers.set(chain, this.flush(chain));
    });
  }

  /** Waits until everything recorded so far is written. */
  async drain(): Promise<void> {
    while (this.flushers.size > 0) await Promise.all(this.flushers.values());
  }

  /** Refuses new entries and waits for the queued ones. */
  async close(): Promise<void> {
    this.isClosed = true;
    await this.drain();
  }

  private async flush(chain: string): Promise<void> {
    // Let the requests answered in the same turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const queue = this.queues.get(chain);
      // Checked and cleared synchronously: a `record` after this starts a new flusher.
      if (!queue || queue.length === 0) {
        this.queues.delete(chain);
        this.flushers.delete(chain);
        return;
      }
      await this.writeBatch(chain, queue.splice(0, this.maxBatch));
    }
  }

  private async writeBatch(chain: string, batch: Pending[]): Promise<void> {
    try {
      await this.db.transaction((tx) =>
        appendAuditEntries(
          tx,
          chain,
          batch.map((p) => p.draft),
          this.options.suite,
        ),
      );
      for (const p of batch) p.resolve();
      return;
    } catch (error) {
      this.options.onError?.(error, chain);
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
    }
    // One entry the database refused must not cost the others their answer: write them one by one.
    for (const p of batch) {
      try {
        await this.db.transaction((tx) => appendAuditEntries(tx, chain, [p.draft], this.options.suite));
        p.resolve();
      } catch (error) {
        this.options.onError?.(error, chain);
        p.reject(error);
      }
    }
  }
}

/**
 * Appends drafts to a chain in the caller's transaction: locks the head (creating it at the genesis
 * hash), links the drafts after it, inserts them in one statement and moves the head.
 */
export async function appendAuditEntries(
  tx: DbExecutor,
  chain: string,
  drafts: readonly AuditDraft[],
  suite: AuditSuite,
): Promise<ChainHead> {
  let head = await lockHead(tx, chain);
  if (!head) {
    await tx.execute(
      sql`insert into audit_chain_head (chain, seq, hash) values (${chain}, 0, ${GENESIS_HASH}) on conflict do nothing`,
    );
    head = await lockHead(tx, chain);
  }
  if (!head) throw new Error(`audit chain head ${chain} could not be created`);
  const linked = linkEntries(chain, head, drafts, suite);
  if (linked.entries.length === 0) return head;
  await tx.insert(auditEntry).values(
    linked.entries.map((e) => ({
      ...e,
      roles: [...e.roles],
      details: e.details,
    })),
  );
  await tx.execute(
    sql`update audit_chain_head set seq = ${linked.head.seq}, hash = ${linked.head.hash} where chain = ${chain}`,
  );
  return linked.head;
}

async function lockHead(tx: DbExecutor, chain: string): Promise<ChainHead | undefined> {
  const [row] = rowsOf<{ seq: string | number; hash: string }>(
    await tx.execute(sql`select seq, hash from audit_chain_head where chain = ${chain} for update`),
  );
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

// ——— Reading ———

/** The columns of an entry, with `at` to the microsecond so that any change to it shows. */
const ENTRY_COLUMNS = sql.raw(`chain, seq, id,
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
  actor_kind, actor_id, roles, source_address, action, object_type, object_id, outcome, status,
  request_id, details, suite, prev_hash, hash`);

interface EntryRow {
  chain: string;
  seq: string | number;
  id: string;
  at: string;
  actor_kind: ActorKind;
  actor_id: string;
  roles: string[] | string | null;
  source_address: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  outcome: Outcome;
  status: number | string | null;
  request_id: string | null;
  details: JsonValue | null;
  suite: AuditSuite;
  prev_hash: string;
  hash: string;
}

function entryOf(r: EntryRow): AuditEntry {
  return {
    chain: r.chain,
    seq: Number(r.seq),
    id: r.id,
    // Written with milliseconds: `.678000Z` is the `.678Z` that was hashed; other microseconds stay.
    at: r.at.replace(/\.(\d{3})000Z$/, '.$1Z'),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    roles: parseTextArray(r.roles),
    sourceAddress: r.source_address,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    outcome: r.outcome,
    status: r.status === null ? null : Number(r.status),
    requestId: r.request_id,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as JsonValue) : r.details,
    suite: r.suite,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Drivers give text[] as an array; a literal `{a,b}` is parsed for safety (roles never hold commas). */
function parseTextArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}

export interface AuditFilter {
  /** From this time on (inclusive). */
  readonly since?: Date;
  /** Before this time (exclusive). */
  readonly until?: Date;
  /** An actor id (officer account id, resident id) or the username of an officer or sign-in attempt. */
  readonly actor?: string;
  readonly action?: string;
  readonly objectType?: string;
  readonly objectId?: string;
  readonly outcome?: Outcome;
  readonly chain?: string;
  /** 1–500, default 100. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export const MAX_PAGE = 500;

/**
 * A filter bound from a date or a time: a date is a whole day in China time (`start`: its first
 * instant; `end`: the first instant of the next day, as `until` is exclusive). Undefined if unparseable.
 *
 * @example timeBound('2025-03-01', 'start') // 2025-02-28T16:00:00.000Z
 */
export function timeBound(value: string, side: 'start' | 'end'): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00+08:00`);
    if (Number.isNaN(start.getTime())) return undefined;
    return side === 'start' ? start : new Date(start.getTime() + 86_400_000);
  }
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

interface Cursor {
  readonly at: string;
  readonly chain: string;
  readonly seq: number;
}

function encodeCursor(e: AuditEntry): string {
  return Buffer.from(JSON.stringify([e.at, e.chain, e.seq])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      Number.isSafeInteger(value[2])
    )
      return { at: value[0], chain: value[1], seq: value[2] as number };
  } catch {
    // Falls through to the typed error.
  }
  throw new HujiError('HUJI_AUDIT_CURSOR_INVALID');
}

/**
 * Audit entries matching the filter, newest first, a page at a time (keyset paging on time, chain and
 * sequence number, so a page costs the same however deep).
 *
 * @example const { items, nextCursor } = await listAuditEntries(db, { actor: 'li.lei', limit: 50 });
 */
export async function listAuditEntries(
  db: DbExecutor,
  filter: AuditFilter = {},
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const limit = Math.min(MAX_PAGE, Math.max(1, Math.trunc(filter.limit ?? 100)));
  const where: SQL[] = [];
  if (filter.since) where.push(sql`at >= ${filter.since.toISOString()}`);
  if (filter.until) where.push(sql`at < ${filter.until.toISOString()}`);
  if (filter.actor !== undefined)
    where.push(sql`(actor_id = ${filter.actor} or details->>'username' = ${filter.actor.toLowerCase()})`);
  if (filter.action !== undefined) where.push(sql`action = ${filter.action}`);
  if (filter.objectType !== undefined) where.push(sql`object_type = ${filter.objectType}`);
  if (filter.objectId !== undefined) where.push(sql`object_id = ${filter.objectId}`);
  if (filter.outcome !== undefined) where.push(sql`outcome = ${filter.outcome}`);
  if (filter.chain !== undefined) where.push(sql`chain = ${filter.chain}`);
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    where.push(sql`(at, chain, seq) < (${c.at}::timestamptz, ${c.chain}, ${c.seq})`);
  }
  const condition = where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``;
  const rows = rowsOf<EntryRow>(
    await db.execute(
      sql`select ${ENTRY_COLUMNS} from audit_entry ${condition} order by at desc, chain desc, seq desc limit ${limit + 1}`,
    ),
  );
  const items = rows.slice(0, limit).map(entryOf);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

// ——— Verifying ———

export interface AuditVerification {
  readonly isIntact: boolean;
  /** Entries read over all chains. */
  readonly entries: number;
  readonly problemCount: number;
  readonly chains: readonly ChainReport[];
}

/**
 * Verifies every chain (or one) against its head, reading `pageSize` entries at a time in sequence
 * order, so memory stays flat for millions of entries. Entries appended while it runs are checked up
 * to the head it reads at the end of each chain.
 *
 * @example const report = await verifyAuditLog(db); report.isIntact
 */
export async function verifyAuditLog(
  db: DbExecutor,
  options: { chain?: string; pageSize?: number } = {},
): Promise<AuditVerification> {
  const pageSize = Math.max(1, options.pageSize ?? 2000);
  const chains = options.chain !== undefined ? [options.chain] : await chainNames(db);
  const reports: ChainReport[] = [];
  for (const chain of chains) reports.push(await verifyOneChain(db, chain, pageSize));
  return {
    isIntact: reports.every((r) => r.isIntact),
    entries: reports.reduce((n, r) => n + r.entries, 0),
    problemCount: reports.reduce((n, r) => n + r.problemCount, 0),
    chains: reports,
  };
}

/** Every chain that has a head or an entry (a loose index scan: one probe per chain, not per entry). */
async function chainNames(db: DbExecutor): Promise<string[]> {
  const rows = rowsOf<{ chain: string }>(
    await db.execute(sql`
      with recursive c(chain) as (
        select min(chain) from audit_entry
        union all
        select (select min(e.chain) from audit_entry e where e.chain > c.chain) from c where c.chain is not null
      )
      select chain from c where chain is not null
      union
      select chain from audit_chain_head
      order by 1`),
  );
  return rows.map((r) => r.chain);
}

async function verifyOneChain(db: DbExecutor, chain: string, pageSize: number): Promise<ChainReport> {
  const verifier = new ChainVerifier(chain);
  let last = 0;
  const readPages = async (upTo?: number) => {
    for (;;) {
      const bound = upTo === undefined ? sql`` : sql`and seq <= ${upTo}`;
      const rows = rowsOf<EntryRow>(
        await db.execute(
          sql`select ${ENTRY_COLUMNS} from audit_entry where chain = ${chain} and seq > ${last} ${bound} order by seq limit ${pageSize}`,
        ),
      );
      for (const row of rows) verifier.push(entryOf(row));
      if (rows.length > 0) last = Number(rows.at(-1)!.seq);
      if (rows.length < pageSize) return;
    }
  };
  await readPages();
  // Read after the entries: a head never trails entries it committed, so a head behind the last entry
  // read means entries were added around the writer. Entries committed since the last page are read
  // up to the head.
  const [row] = rowsOf<{ seq: string | number; hash: string }>(
    await db.execute(sql`select seq, hash from audit_chain_head where chain = ${chain}`),
  );
  const head = row ? { seq: Number(row.seq), hash: row.hash } : undefined;
  if (head && head.seq > last) await readPages(head.seq);
  return verifier.finish(head);
}
