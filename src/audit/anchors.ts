/**
 * Signed anchors of the audit chains' heads (ADR 0015), kept apart from the database: an append-only
 * file of JSON lines in the anchor directory, each line signed with a key that lives in a file beside
 * it (Ed25519 or SM2 by the deployment's suite) and that the database never sees.
 *
 * The hash chains of ADR 0011 detect an edited, removed or reordered entry, but not a cut tail: someone
 * who bypasses the append-only trigger, deletes the last entries and moves the head back leaves a chain
 * that verifies. An anchor fixes each chain's head (sequence number and hash) at a moment; the verifier
 * then requires every anchored entry to be still there with the anchored hash. A database administrator
 * who rewrites the audit table cannot rewrite the anchors (no key, no file); someone who can write the
 * anchor file but not the database cannot drop anchors unseen either: the database remembers the number
 * and hash of the last anchor written (`system_state`), and the anchors link to each other by hash.
 *
 * Line format (`huji-audit-anchor/1`): `{ format, n, at, suite, kid, prev, heads: [{ chain, seq, hash }],
 * signature }` — `n` counts anchors from 1, `prev` is the hash of the previous line (its suite's hash,
 * the genesis hash for the first), `heads` the chains whose head moved since the previous anchor, and
 * `signature` (base64url) signs the line's other fields in that order as JSON.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import {
  createDocumentSigner,
  createDocumentVerifier,
  generateSigningKeys,
  type DocumentJwk,
  type DocumentSigningKeys,
} from '../documents/document-token.js';
import { GENESIS_HASH, type AuditSuite, type ChainHead } from './chain.js';

export const ANCHOR_FORMAT = 'huji-audit-anchor/1';
export const ANCHORS_FILE = 'anchors.jsonl';
/** The `system_state` row where the database remembers the last anchor written. */
const STATE_KEY = 'audit-anchors';
/** Arbitrary constant shared by every Huji process: the key of the anchoring advisory lock. */
const ANCHOR_LOCK_KEY = 7_361_104_214;

export interface AnchoredHead extends ChainHead {
  readonly chain: string;
}

export interface AuditAnchor {
  readonly format: typeof ANCHOR_FORMAT;
  readonly n: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly suite: AuditSuite;
  readonly kid: string;
  readonly prev: string;
  readonly heads: readonly AnchoredHead[];
  readonly signature: string;
}

const AnchorLine = z.object({
  format: z.literal(ANCHOR_FORMAT),
  n: z.number().int().min(1),
  at: z.string(),
  suite: z.enum(['gm', 'international']),
  kid: z.string().min(1).max(64),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  heads: z.array(
    z.object({
      chain: z.string().min(1).max(64),
      seq: z.number().int().min(0),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  signature: z.string().regex(/^[A-Za-z0-9_-]+$/),
});

/** The bytes a signature covers: the format tag and the fields but the signature, in a fixed order. */
function signingInput(a: Omit<AuditAnchor, 'signature'>): Uint8Array {
  const fields = {
    format: a.format,
    n: a.n,
    at: a.at,
    suite: a.suite,
    kid: a.kid,
    prev: a.prev,
    heads: a.heads.map((h) => ({ chain: h.chain, seq: h.seq, hash: h.hash })),
  };
  return new TextEncoder().encode(`${ANCHOR_FORMAT}\n${JSON.stringify(fields)}`);
}

/** The hash that links the next anchor to a line: SM3 under `gm`, SHA-256 otherwise. */
function lineHash(line: string, suite: AuditSuite): string {
  return createHash(suite === 'gm' ? 'sm3' : 'sha256')
    .update(line, 'utf8')
    .digest('hex');
}

// ——— Keys ———

const keyFile = (dir: string, suite: AuditSuite) => join(dir, `anchor-key-${suite}.json`);

/**
 * The anchor signing keys of a suite, generated on first use into the anchor directory (mode 0600).
 * Never stored in the database: a database administrator must not be able to sign anchors.
 */
export function anchorKeys(dir: string, suite: AuditSuite): DocumentSigningKeys {
  const file = keyFile(dir, suite);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${JSON.stringify(generateSigningKeys(suite))}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DocumentSigningKeys;
}

/** The public keys of every suite whose key file is in the directory. */
function anchorPublicKeys(dir: string): DocumentJwk[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^anchor-key-(gm|international)\.json$/.test(f))
    .flatMap((f) => {
      try {
        return [(JSON.parse(readFileSync(join(dir, f), 'utf8')) as DocumentSigningKeys).publicJwk];
      } catch {
        // An unreadable key file: the anchors it signed are reported as signed by an unknown key.
        return [];
      }
    });
}

// ——— Reading the file ———

interface ReadLine {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly text: string;
  readonly anchor?: AuditAnchor;
}

function readAnchorLines(dir: string): ReadLine[] {
  const file = join(dir, ANCHORS_FILE);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((text, i) => {
    let anchor: AuditAnchor | undefined;
    try {
      const parsed = AnchorLine.safeParse(JSON.parse(text));
      if (parsed.success) anchor = parsed.data;
    } catch {
      // Not JSON: reported as malformed by the verifier.
    }
    return { line: i + 1, text, anchor };
  });
}

interface AnchorState {
  readonly n: number;
  readonly kid: string;
  readonly lineHash: string;
  readonly at: string;
}

async function anchorState(db: DbExecutor): Promise<AnchorState | undefined> {
  const [row] = rowsOf<{ value: AnchorState | string }>(
    await db.execute(sql`select value from system_state where key = ${STATE_KEY}`),
  );
  if (!row) return undefined;
  return typeof row.value === 'string' ? (JSON.parse(row.value) as AnchorState) : row.value;
}

// ——— Writing ———

export interface AnchorOptions {
  /** The anchor directory (`HUJI_AUDIT_ANCHOR_DIR`). */
  readonly dir: string;
  /** The deployment's suite: Ed25519 (`international`) or SM2 (`gm`) signatures. */
  readonly suite: AuditSuite;
  readonly clock?: () => Date;
}

export interface AnchorResult {
  /** The anchor written, or undefined when no head moved since the last one. */
  readonly anchor?: AuditAnchor;
  readonly file: string;
  /** Chains whose heads the anchor fixes. */
  readonly chains: number;
}

/**
 * Writes an anchor of every chain whose head moved since the last anchor (none when nothing moved):
 * under an advisory lock, reads the heads, appends the signed line to the file (fsync) and records its
 * number and hash in the database, in one transaction.
 *
 * @example const { anchor } = await writeAuditAnchor(db, { dir: '.huji-data/audit-anchors', suite: 'gm' });
 */
export async function writeAuditAnchor(db: DbExecutor, options: AnchorOptions): Promise<AnchorResult> {
  const file = join(options.dir, ANCHORS_FILE);
  const keys = anchorKeys(options.dir, options.suite);
  const signer = createDocumentSigner(keys);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ANCHOR_LOCK_KEY})`);
    const heads = rowsOf<{ chain: string; seq: string | number; hash: string }>(
      await tx.execute(sql`select chain, seq, hash from audit_chain_head order by chain`),
    ).map((r) => ({ chain: r.chain, seq: Number(r.seq), hash: r.hash }));
    const lines = readAnchorLines(options.dir);
    const anchored = new Map<string, AnchoredHead>();
    let lastN = 0;
    for (const l of lines) {
      if (!l.anchor) continue;
      lastN = Math.max(lastN, l.anchor.n);
      for (const h of l.anchor.heads) anchored.set(h.chain, h);
    }
    const state = await anchorState(tx);
    lastN = Math.max(lastN, state?.n ?? 0);
    const moved = heads.filter((h) => {
      const a = anchored.get(h.chain);
      return !a || a.seq !== h.seq || a.hash !== h.hash;
    });
    if (moved.length === 0) return { file, chains: 0 };
    const last = lines.at(-1);
    const unsigned = {
      format: ANCHOR_FORMAT,
      n: lastN + 1,
      at: (options.clock?.() ?? new Date()).toISOString(),
      suite: options.suite,
      kid: signer.kid,
      prev: last ? lineHash(last.text, options.suite) : GENESIS_HASH,
      heads: moved,
    } as const;
    const signature = Buffer.from(await signer.sign(signingInput(unsigned))).toString('base64url');
    const anchor: AuditAnchor = { ...unsigned, signature };
    const text = JSON.stringify(anchor);
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    const fd = openSync(file, 'a', 0o600);
    try {
      writeSync(fd, `${text}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The file is ahead of the database if this commit fails: the verifier accepts that, not the reverse.
    const value: AnchorState = {
      n: anchor.n,
      kid: anchor.kid,
      lineHash: lineHash(text, options.suite),
      at: anchor.at,
    };
    await tx.execute(
      sql`insert into system_state (key, value, updated_at) values (${STATE_KEY}, ${JSON.stringify(value)}::jsonb, now())
          on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
    );
    return { anchor, file, chains: moved.length };
  });
}

/**
 * Anchors the chains every `intervalMinutes` (none when 0) and once more when stopped, so a clean
 * shutdown leaves its last entries anchored. A failed run (database away) is logged and retried at the
 * next tick.
 */
export function startAuditAnchoring(
  db: DbExecutor,
  options: AnchorOptions & {
    readonly intervalMinutes: number;
    readonly log: { info(o: object, m: string): void; error(o: object, m: string): void };
  },
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () =>
    (running ??= writeAuditAnchor(db, options)
      .then((r) => {
        if (r.anchor)
          options.log.info(
            { event: 'audit-anchor', n: r.anchor.n, chains: r.chains, kid: r.anchor.kid },
            'audit chains anchored',
          );
      })
      .catch((error: unknown) =>
        options.log.error({ err: error, event: 'audit-anchor-failed' }, 'audit anchor not written'),
      )
      .finally(() => (running = undefined)));
  const timer =
    options.intervalMinutes > 0 ? setInterval(() => void run(), options.intervalMinutes * 60_000) : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await running;
      if (options.intervalMinutes > 0) await run();
    },
  };
}

// ——— Verifying ———

/**
 * What the anchor check can find:
 * - `signature-invalid`: a line is not a well-formed anchor, names a key not in the directory, or its
 *   signature does not verify (it is then not used);
 * - `sequence-broken`: an anchor's number or `prev` does not follow the line before (an anchor removed,
 *   inserted or reordered);
 * - `anchors-missing`: the database recorded anchor `expected` (with its hash), the file does not hold it;
 * - `tail-cut`: anchor `anchor` fixed `chain`'s head at `anchoredSeq`, the chain now ends at `lastSeq`;
 * - `rewritten`: the entry `seq` of `chain` is not the one anchor `anchor` fixed (other hash).
 */
export const ANCHOR_PROBLEM_KINDS = [
  'signature-invalid',
  'sequence-broken',
  'anchors-missing',
  'tail-cut',
  'rewritten',
] as const;
export type AnchorProblemKind = (typeof ANCHOR_PROBLEM_KINDS)[number];

export interface AnchorProblem {
  readonly kind: AnchorProblemKind;
  /** The anchor's number (or, for a line that cannot be read, undefined). */
  readonly anchor?: number;
  /** The line of the anchors file. */
  readonly line?: number;
  /** When the anchor was written. */
  readonly at?: string;
  readonly reason?: 'malformed' | 'unknown-key' | 'bad-signature';
  readonly chain?: string;
  readonly anchoredSeq?: number;
  readonly lastSeq?: number;
  /** `anchors-missing`: the last anchor the database recorded, and the last the file holds. */
  readonly expected?: number;
  readonly found?: number;
}

export interface AnchorVerification {
  readonly file: string;
  /** Valid anchors read. */
  readonly anchors: number;
  readonly last: { readonly n: number; readonly at: string; readonly kid: string } | null;
  /** Chains with an anchored head (within the chain asked for). */
  readonly chains: number;
  readonly isIntact: boolean;
  readonly problems: readonly AnchorProblem[];
}

/**
 * Checks the anchors file against its signatures and links, and the audit table against the anchors:
 * for each chain, the last anchored head must still be an entry with the anchored hash. Earlier anchored
 * heads need no look-up: the chain's hash links (verified by `verifyAuditLog`) fix everything before it.
 *
 * @example const report = await verifyAuditAnchors(db, { dir }); report.isIntact
 */
export async function verifyAuditAnchors(
  db: DbExecutor,
  options: { readonly dir: string; readonly chain?: string },
): Promise<AnchorVerification> {
  const file = join(options.dir, ANCHORS_FILE);
  const verifier = createDocumentVerifier(anchorPublicKeys(options.dir));
  const problems: AnchorProblem[] = [];
  const latest = new Map<string, { head: AnchoredHead; anchor: AuditAnchor }>();
  let count = 0;
  let last: AuditAnchor | undefined;
  /** The line before (whatever it holds: the next anchor's `prev` hashes it) and the last valid number. */
  let previousText: string | undefined;
  let previousN: number | undefined;
  const byNumber = new Map<number, string>();
  for (const l of readAnchorLines(options.dir)) {
    const a = l.anchor;
    const before = previousText;
    previousText = l.text;
    if (!a) {
      problems.push({ kind: 'signature-invalid', line: l.line, reason: 'malformed' });
      continue;
    }
    const key = verifier.keyFor(a.kid);
    const reason =
      !key || key.suite !== a.suite
        ? 'unknown-key'
        : (await key.verify(signingInput(a), Buffer.from(a.signature, 'base64url')))
          ? undefined
          : 'bad-signature';
    if (reason) {
      problems.push({ kind: 'signature-invalid', anchor: a.n, line: l.line, at: a.at, reason });
      continue;
    }
    const expectedPrev = before === undefined ? GENESIS_HASH : lineHash(before, a.suite);
    const expectedN = previousN === undefined ? (before === undefined ? 1 : a.n) : previousN + 1;
    if (a.prev !== expectedPrev || a.n !== expectedN)
      problems.push({ kind: 'sequence-broken', anchor: a.n, line: l.line, at: a.at });
    count++;
    last = a;
    previousN = a.n;
    byNumber.set(a.n, lineHash(l.text, a.suite));
    for (const h of a.heads)
      if (options.chain === undefined || h.chain === options.chain)
        latest.set(h.chain, { head: h, anchor: a });
  }
  const state = await anchorState(db);
  if (state && byNumber.get(state.n) !== state.lineHash)
    problems.push({ kind: 'anchors-missing', expected: state.n, found: last?.n ?? 0, at: state.at });
  for (const { head, anchor } of latest.values()) {
    const [row] = rowsOf<{ last_seq: string | number | null; hash: string | null }>(
      await db.execute(sql`
        select (select max(seq) from audit_entry where chain = ${head.chain}) as last_seq,
               (select hash from audit_entry where chain = ${head.chain} and seq = ${head.seq}) as hash`),
    );
    const lastSeq = Number(row?.last_seq ?? 0);
    const where = { anchor: anchor.n, at: anchor.at, chain: head.chain, anchoredSeq: head.seq };
    if (head.seq === 0) continue;
    if (lastSeq < head.seq) problems.push({ kind: 'tail-cut', ...where, lastSeq });
    else if (row?.hash !== head.hash) problems.push({ kind: 'rewritten', ...where, lastSeq });
  }
  return {
    file,
    anchors: count,
    last: last ? { n: last.n, at: last.at, kid: last.kid } : null,
    chains: latest.size,
    isIntact: problems.length === 0,
    problems,
  };
}
