/**
 * The audit chain, pure (no I/O besides hashing): how an entry is serialised and hashed, how a batch of
 * new entries is linked to a chain's head, and how a chain is verified (security.md § Audit, ADR 0011).
 *
 * Each entry's hash covers every other field of the entry, the previous entry's hash and its own chain
 * and sequence number, with the hash function of the entry's own suite (SM3 under `gm`, SHA-256 under
 * `international`), so a verifier notices any edited, removed or reordered entry.
 */
import { createHash } from 'node:crypto';

export const AUDIT_SUITES = ['gm', 'international'] as const;
export type AuditSuite = (typeof AUDIT_SUITES)[number];

export const ACTOR_KINDS = ['officer', 'resident', 'system', 'anonymous'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export const OUTCOMES = ['success', 'refused', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The `prev_hash` of a chain's first entry, and the hash of an empty chain's head. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the serialisation ever changes; it is hashed, so old and new entries cannot be confused. */
const FORMAT = 'huji-audit/1';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What is recorded about one event, before it is placed in a chain. */
export interface AuditDraft {
  readonly id: string;
  /** ISO 8601 in UTC with milliseconds (`2025-01-02T03:04:05.678Z`): the form hashed and stored. */
  readonly at: string;
  readonly actorKind: ActorKind;
  readonly actorId: string;
  readonly roles: readonly string[];
  readonly sourceAddress: string | null;
  readonly action: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly outcome: Outcome;
  readonly status: number | null;
  readonly requestId: string | null;
  readonly details: JsonValue | null;
}

/** An entry of `audit_entry`: the draft placed in its chain, with the suite that hashed it. */
export interface AuditEntry extends AuditDraft {
  readonly chain: string;
  readonly seq: number;
  readonly suite: AuditSuite;
  readonly prevHash: string;
  readonly hash: string;
}

export type UnhashedAuditEntry = Omit<AuditEntry, 'hash'>;

/** A chain's head (`audit_chain_head`): the last sequence number and hash the writer committed. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The canonical form of an entry: a format tag, then JSON of every field but `hash` with keys sorted.
 * Fields are listed one by one so a stray property (a row's `hash`, a driver's extra column) never
 * enters the hash.
 *
 * @example serialiseEntry(entry) // 'huji-audit/1\n{"action":"register.read",…,"suite":"gm"}'
 */
export function serialiseEntry(e: UnhashedAuditEntry): string {
  const fields: Record<string, unknown> = {
    chain: e.chain,
    seq: e.seq,
    id: e.id,
    at: e.at,
    actorKind: e.actorKind,
    actorId: e.actorId,
    roles: e.roles,
    sourceAddress: e.sourceAddress,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    outcome: e.outcome,
    status: e.status,
    requestId: e.requestId,
    details: e.details,
    suite: e.suite,
    prevHash: e.prevHash,
  };
  return `${FORMAT}\n${canonical(fields)}`;
}

/**
 * The entry's hash with its own suite's function: SM3 (`gm`) or SHA-256 (`international`), 64 hex digits.
 *
 * @example hashEntry({ ...draft, chain: '110105', seq: 1, suite: 'gm', prevHash: GENESIS_HASH })
 */
export function hashEntry(e: UnhashedAuditEntry): string {
  return createHash(e.suite === 'gm' ? 'sm3' : 'sha256')
    .update(serialiseEntry(e), 'utf8')
    .digest('hex');
}

/**
 * Places drafts after a chain's head, in order: sequence numbers, previous hashes and hashes. Returns
 * the entries and the new head. The caller holds the head's lock (audit-log.ts).
 *
 * @example const { entries, head } = linkEntries('110105', { seq: 0, hash: GENESIS_HASH }, drafts, 'gm');
 */
export function linkEntries(
  chain: string,
  head: ChainHead,
  drafts: readonly AuditDraft[],
  suite: AuditSuite,
): { entries: AuditEntry[]; head: ChainHead } {
  let seq = head.seq;
  let prevHash = head.hash;
  const entries: AuditEntry[] = [];
  for (const draft of drafts) {
    const unhashed: UnhashedAuditEntry = { ...normaliseDraft(draft), chain, seq: ++seq, suite, prevHash };
    const hash = hashEntry(unhashed);
    entries.push({ ...unhashed, hash });
    prevHash = hash;
  }
  return { entries, head: { seq, hash: prevHash } };
}

/**
 * A draft as the database will give it back: text without NUL characters or lone surrogates (PostgreSQL
 * refuses the first, and UTF-8 turns the second into U+FFFD, which would change the hash on the way
 * back), `at` in the canonical ISO form, details as plain JSON. Without this one bad string from a
 * request would make the whole batch fail or a verifier later report an untouched entry as edited.
 */
export function normaliseDraft(d: AuditDraft): AuditDraft {
  return {
    id: d.id,
    at: new Date(d.at).toISOString(),
    actorKind: d.actorKind,
    actorId: cleanText(d.actorId),
    roles: d.roles.map(cleanText),
    sourceAddress: d.sourceAddress === null ? null : cleanText(d.sourceAddress),
    action: cleanText(d.action),
    objectType: d.objectType === null ? null : cleanText(d.objectType),
    objectId: d.objectId === null ? null : cleanText(d.objectId),
    outcome: d.outcome,
    status: d.status,
    requestId: d.requestId === null ? null : cleanText(d.requestId),
    details: d.details === null ? null : cleanJson(d.details),
  };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text PostgreSQL stores and gives back unchanged. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must go
  return s.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
}

function cleanJson(value: JsonValue): JsonValue | null {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : null;
  if (value === null || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => cleanJson(v));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[cleanText(k)] = cleanJson(v);
  return out;
}

/** Sorted-key JSON (the idea of src/db/canonical-json.ts, kept here so this module stays pure). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonical(record[key])}`);
  }
  return `{${parts.join(',')}}`;
}

// ——— Verification ———

/**
 * What a verifier can find:
 * - `edited`: the entry's hash does not match its content;
 * - `removed`: `count` entries from `seq` on are missing (a gap, or the head is beyond the last entry);
 * - `reordered`: the entry is intact but stands at `seq` instead of `movedFrom` (or out of order);
 * - `broken-link`: the entry's `prev_hash` is not the previous entry's hash (the previous entry was
 *   replaced with a recomputed hash, or the chain was cut and renumbered);
 * - `head-mismatch`: the head disagrees with the last entry (entries appended around the writer, the
 *   last entry replaced, or the head missing or altered).
 */
export const PROBLEM_KINDS = ['edited', 'removed', 'reordered', 'broken-link', 'head-mismatch'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface ChainProblem {
  readonly chain: string;
  readonly seq: number;
  readonly kind: ProblemKind;
  /** `removed`: how many entries are missing from `seq` on. */
  readonly count?: number;
  /** `reordered`: the position the entry's hash was made for. */
  readonly movedFrom?: number;
}

export interface ChainReport {
  readonly chain: string;
  /** Entries read. */
  readonly entries: number;
  readonly head: ChainHead | null;
  readonly isIntact: boolean;
  /** Every problem up to `MAX_PROBLEMS_KEPT`; `problemCount` counts them all. */
  readonly problems: readonly ChainProblem[];
  readonly problemCount: number;
}

/** How far a moved entry is looked for around its place (only for entries whose hash and link fail). */
const MOVE_WINDOW = 8;
/** Hashes of recent entries remembered to recognise a moved entry's original place. */
const RECENT_HASHES = 1024;
export const MAX_PROBLEMS_KEPT = 1000;

/**
 * Verifies one chain entry by entry in sequence order, holding only a bounded window of hashes: the
 * database verifier streams millions of entries through it page by page.
 *
 * @example
 * const v = new ChainVerifier('110105');
 * for (const e of entries) v.push(e);
 * const report = v.finish(head);
 */
export class ChainVerifier {
  private count = 0;
  private problemCount = 0;
  private readonly problems: ChainProblem[] = [];
  /** The last entry in sequence order: its stored hash is what the next entry must link to. */
  private last: { seq: number; hash: string } | undefined;
  private expected = 1;
  /** Stored hash → the sequence number its content was hashed for (bounded, oldest dropped). */
  private readonly recent = new Map<string, number>();

  constructor(readonly chain: string) {}

  push(e: AuditEntry): void {
    this.count++;
    const isContentIntact = isKnownSuite(e.suite) && hashEntry(e) === e.hash;
    let isPlaceExplained = false;
    if (e.seq > this.expected) {
      this.report({ seq: this.expected, kind: 'removed', count: e.seq - this.expected });
      isPlaceExplained = true;
    } else if (e.seq < this.expected) {
      this.report({ seq: e.seq, kind: 'reordered' });
      isPlaceExplained = true;
    }
    const isLinked =
      isPlaceExplained ||
      e.prevHash === (this.last?.hash ?? GENESIS_HASH) ||
      // The predecessor by content stands elsewhere (it was moved and is reported there).
      (e.seq > 1 && this.recent.get(e.prevHash) === e.seq - 1);
    let identity: number | undefined = isContentIntact ? e.seq : undefined;
    if (!isContentIntact) {
      const from = isLinked ? undefined : this.originalPlaceOf(e);
      if (from !== undefined) {
        this.report({ seq: e.seq, kind: 'reordered', movedFrom: from });
        identity = from;
      } else {
        this.report({ seq: e.seq, kind: 'edited' });
        if (!isLinked) this.report({ seq: e.seq, kind: 'broken-link' });
      }
    } else if (!isLinked) {
      this.report({ seq: e.seq, kind: 'broken-link' });
    }
    if (identity !== undefined) this.remember(e.hash, identity);
    if (e.seq >= this.expected) {
      this.last = { seq: e.seq, hash: e.hash };
      this.expected = e.seq + 1;
    }
  }

  /** Checks the head against the last entry and answers the report. */
  finish(head: ChainHead | undefined): ChainReport {
    const lastSeq = this.expected - 1;
    if (!head) {
      if (this.count > 0) this.report({ seq: lastSeq, kind: 'head-mismatch' });
    } else if (head.seq > lastSeq) {
      this.report({ seq: lastSeq + 1, kind: 'removed', count: head.seq - lastSeq });
    } else if (head.seq < lastSeq) {
      this.report({ seq: head.seq + 1, kind: 'head-mismatch' });
    } else if (head.hash !== (this.last?.hash ?? GENESIS_HASH)) {
      this.report({ seq: head.seq, kind: 'head-mismatch' });
    }
    return {
      chain: this.chain,
      entries: this.count,
      head: head ? { seq: head.seq, hash: head.hash } : null,
      isIntact: this.problemCount === 0,
      problems: [...this.problems],
      problemCount: this.problemCount,
    };
  }

  /** The place an intact-but-moved entry was hashed for, if it is near or follows a known entry. */
  private originalPlaceOf(e: AuditEntry): number | undefined {
    if (!isKnownSuite(e.suite)) return undefined;
    const candidates = new Set<number>();
    const before = this.recent.get(e.prevHash);
    if (before !== undefined) candidates.add(before + 1);
    for (let d = 1; d <= MOVE_WINDOW; d++) candidates.add(e.seq - d).add(e.seq + d);
    for (const seq of candidates)
      if (seq >= 1 && seq !== e.seq && hashEntry({ ...e, seq }) === e.hash) return seq;
    return undefined;
  }

  private remember(hash: string, seq: number) {
    this.recent.set(hash, seq);
    if (this.recent.size > RECENT_HASHES) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  private report(p: Omit<ChainProblem, 'chain'>) {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS_KEPT) this.problems.push({ chain: this.chain, ...p });
  }
}

function isKnownSuite(suite: string): suite is AuditSuite {
  return (AUDIT_SUITES as readonly string[]).includes(suite);
}

/**
 * Verifies a whole chain held in memory (entries in sequence order) against its head.
 *
 * @example verifyChain('110105', entries, head).isIntact // true for an untouched chain
 */
export function verifyChain(
  chain: string,
  entries: Iterable<AuditEntry>,
  head: ChainHead | undefined,
): ChainReport {
  const verifier = new ChainVerifier(chain);
  for (const e of entries) verifier.push(e);
  return verifier.finish(head);
}
