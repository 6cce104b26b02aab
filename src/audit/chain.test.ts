import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_SUITES,
  GENESIS_HASH,
  hashEntry,
  linkEntries,
  normaliseDraft,
  serialiseEntry,
  verifyChain,
  type AuditDraft,
  type AuditEntry,
  type AuditSuite,
  type ChainHead,
} from './chain.js';

const draft = (n: number, overrides: Partial<AuditDraft> = {}): AuditDraft => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2025, 0, 1, 8, 0, n)).toISOString(),
  actorKind: 'officer',
  actorId: '7d0c1c4e-1111-4a4a-9999-000000000001',
  roles: ['registrar'],
  sourceAddress: '10.0.0.1',
  action: 'register.read',
  objectType: 'person',
  objectId: `p-${n}`,
  outcome: 'success',
  status: 200,
  requestId: `req-${n}`,
  details: { username: 'li.lei' },
  ...overrides,
});

const GENESIS: ChainHead = { seq: 0, hash: GENESIS_HASH };

function chainOf(n: number, suite: AuditSuite = 'international') {
  return linkEntries(
    '110105',
    GENESIS,
    Array.from({ length: n }, (_, i) => draft(i + 1)),
    suite,
  );
}

describe('serialisation and hashing', () => {
  it('covers every field but the hash, with sorted keys and a format tag', () => {
    const [e] = chainOf(1).entries;
    const text = serialiseEntry(e!);
    expect(text.startsWith('huji-audit/1\n{"action":"register.read","actorId":')).toBe(true);
    expect(text).toContain('"prevHash":"0000');
    expect(text).toContain('"seq":1');
    expect(text).toContain('"chain":"110105"');
    expect(text).not.toContain('"hash"');
    // Order of the input's keys does not matter.
    const reversed = Object.fromEntries(Object.entries(e!).reverse()) as unknown as AuditEntry;
    expect(serialiseEntry(reversed)).toBe(text);
  });

  it('uses SM3 under gm and SHA-256 under international', () => {
    const [gm] = chainOf(1, 'gm').entries;
    const [intl] = chainOf(1, 'international').entries;
    expect(gm!.hash).toBe(createHash('sm3').update(serialiseEntry(gm!)).digest('hex'));
    expect(intl!.hash).toBe(createHash('sha256').update(serialiseEntry(intl!)).digest('hex'));
    expect(gm!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(gm!.hash).not.toBe(intl!.hash);
  });

  it('links each entry to the previous one from the head on', () => {
    const first = chainOf(3);
    expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first.entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(first.entries[1]!.prevHash).toBe(first.entries[0]!.hash);
    expect(first.head).toEqual({ seq: 3, hash: first.entries[2]!.hash });
    const next = linkEntries('110105', first.head, [draft(4)], 'gm');
    expect(next.entries[0]).toMatchObject({ seq: 4, prevHash: first.head.hash, suite: 'gm' });
    expect(hashEntry(next.entries[0]!)).toBe(next.entries[0]!.hash);
  });

  it('normalises what the database would change: NUL, lone surrogates, -0, the time form', () => {
    const d = normaliseDraft(
      draft(1, {
        actorId: 'a\u0000b',
        at: '2025-01-01T08:00:00+08:00',
        details: { username: 'x\ud800y', n: -0, deep: [{ k: '\u0000' }] },
      }),
    );
    expect(d.actorId).toBe('ab');
    expect(d.at).toBe('2025-01-01T00:00:00.000Z');
    expect(d.details).toEqual({ username: 'x\ufffdy', n: 0, deep: [{ k: '' }] });
  });
});

describe('verifyChain', () => {
  it('finds an untouched chain intact, and an empty one', () => {
    const { entries, head } = chainOf(5, 'gm');
    expect(verifyChain('110105', entries, head)).toMatchObject({ isIntact: true, entries: 5, problems: [] });
    expect(verifyChain('110105', [], GENESIS).isIntact).toBe(true);
    expect(verifyChain('110105', [], undefined).isIntact).toBe(true);
  });

  it('reports an edited entry', () => {
    const { entries, head } = chainOf(5);
    entries[2] = { ...entries[2]!, outcome: 'refused' };
    expect(verifyChain('110105', entries, head).problems).toEqual([
      { chain: '110105', seq: 3, kind: 'edited' },
    ]);
  });

  it('reports an entry edited and re-hashed as a broken link at the next entry', () => {
    const { entries, head } = chainOf(5);
    const changed = { ...entries[2]!, actorId: 'someone-else' };
    entries[2] = { ...changed, hash: hashEntry(changed) };
    expect(verifyChain('110105', entries, head).problems).toEqual([
      { chain: '110105', seq: 4, kind: 'broken-link' },
    ]);
  });

  it('reports a removed entry, and a removed tail through the head', () => {
    const { entries, head } = chainOf(5);
    expect(verifyChain('110105', entries.toSpliced(1, 1), head).problems).toEqual([
      { chain: '110105', seq: 2, kind: 'removed', count: 1 },
    ]);
    expect(verifyChain('110105', entries.slice(0, 3), head).problems).toEqual([
      { chain: '110105', seq: 4, kind: 'removed', count: 2 },
    ]);
    expect(verifyChain('110105', entries.slice(1), head).problems).toEqual([
      { chain: '110105', seq: 1, kind: 'removed', count: 1 },
    ]);
  });

  it('reports two entries whose places were swapped (seq exchanged) as reordered', () => {
    const { entries, head } = chainOf(6);
    const swapped = entries.map((e) => (e.seq === 3 ? { ...e, seq: 4 } : e.seq === 4 ? { ...e, seq: 3 } : e));
    swapped.sort((a, b) => a.seq - b.seq);
    expect(verifyChain('110105', swapped, head).problems).toEqual([
      { chain: '110105', seq: 3, kind: 'reordered', movedFrom: 4 },
      { chain: '110105', seq: 4, kind: 'reordered', movedFrom: 3 },
    ]);
  });

  it('reports entries given out of sequence order', () => {
    const { entries, head } = chainOf(4);
    const out = [entries[0]!, entries[2]!, entries[1]!, entries[3]!];
    const kinds = verifyChain('110105', out, head).problems.map((p) => p.kind);
    expect(kinds).toContain('reordered');
  });

  it('reports a head that disagrees with the entries', () => {
    const { entries, head } = chainOf(3);
    expect(verifyChain('110105', entries, { seq: 3, hash: 'f'.repeat(64) }).problems).toEqual([
      { chain: '110105', seq: 3, kind: 'head-mismatch' },
    ]);
    expect(verifyChain('110105', entries, { seq: 2, hash: entries[1]!.hash }).problems).toEqual([
      { chain: '110105', seq: 3, kind: 'head-mismatch' },
    ]);
    expect(verifyChain('110105', entries, undefined).problems[0]?.kind).toBe('head-mismatch');
    expect(verifyChain('110105', entries, head).isIntact).toBe(true);
  });

  it('reports an unknown suite as an edit', () => {
    const { entries, head } = chainOf(2);
    entries[0] = { ...entries[0]!, suite: 'md5' as AuditSuite };
    expect(verifyChain('110105', entries, head).problems[0]).toMatchObject({ seq: 1, kind: 'edited' });
  });
});

// ——— Properties: any single edit, removal or swap is detected ———

const text = fc.string({ maxLength: 12 });
const arbDraft: fc.Arbitrary<AuditDraft> = fc.record({
  id: fc.uuid(),
  at: fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((t) => new Date(t).toISOString()),
  actorKind: fc.constantFrom('officer', 'resident', 'system', 'anonymous'),
  actorId: text,
  roles: fc.array(fc.constantFrom('registrar', 'audit-admin', 'reviewer'), { maxLength: 2 }),
  sourceAddress: fc.option(fc.ipV4(), { nil: null }),
  action: text,
  objectType: fc.option(text, { nil: null }),
  objectId: fc.option(text, { nil: null }),
  outcome: fc.constantFrom('success', 'refused', 'failed'),
  status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
  requestId: fc.option(text, { nil: null }),
  details: fc.option(fc.dictionary(fc.constantFrom('username', 'query', 'n'), text), { nil: null }),
});

const arbChain = fc
  .record({
    drafts: fc.array(arbDraft, { minLength: 2, maxLength: 12 }),
    suite: fc.constantFrom(...AUDIT_SUITES),
    // Sometimes the tail of a longer chain, so the first entry checked is not always seq 1.
    hasPrefix: fc.boolean(),
  })
  .map(({ drafts, suite, hasPrefix }) => {
    const prefix = linkEntries('c', GENESIS, hasPrefix ? [draft(0)] : [], suite);
    const { entries, head } = linkEntries('c', prefix.head, drafts, suite);
    return { entries: [...prefix.entries, ...entries], head };
  });

/** One field changed to a different value. */
function edit(e: AuditEntry, field: number): AuditEntry {
  switch (field % 8) {
    case 0:
      return { ...e, actorId: `${e.actorId}x` };
    case 1:
      return { ...e, outcome: e.outcome === 'success' ? 'refused' : 'success' };
    case 2:
      return { ...e, at: new Date(Date.parse(e.at) + 1).toISOString() };
    case 3:
      return { ...e, objectId: e.objectId === null ? 'x' : null };
    case 4:
      return { ...e, roles: [...e.roles, 'audit-admin'] };
    case 5:
      return { ...e, details: { ...(e.details as object), edited: true } };
    case 6:
      return { ...e, prevHash: e.prevHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    default:
      return { ...e, status: (e.status ?? 0) + 1 };
  }
}

describe('verifyChain properties', () => {
  it('an untouched chain is intact', () => {
    fc.assert(
      fc.property(arbChain, ({ entries, head }) => verifyChain('c', entries, head).isIntact),
      { numRuns: 200 },
    );
  });

  it('any single edit is detected, re-hashed or not', () => {
    fc.assert(
      fc.property(arbChain, fc.nat(), fc.nat(), fc.boolean(), ({ entries, head }, at, field, rehash) => {
        const i = at % entries.length;
        const changed = edit(entries[i]!, field);
        const tampered = entries.with(i, rehash ? { ...changed, hash: hashEntry(changed) } : changed);
        return !verifyChain('c', tampered, head).isIntact;
      }),
      { numRuns: 300 },
    );
  });

  it('any single removal is detected', () => {
    fc.assert(
      fc.property(arbChain, fc.nat(), ({ entries, head }, at) => {
        const i = at % entries.length;
        return !verifyChain('c', entries.toSpliced(i, 1), head).isIntact;
      }),
      { numRuns: 300 },
    );
  });

  it('any swap of two entries is detected, as given or with their seq exchanged', () => {
    fc.assert(
      fc.property(arbChain, fc.nat(), fc.nat(), ({ entries, head }, a, b) => {
        const i = a % entries.length;
        const j = b % entries.length;
        fc.pre(i !== j);
        const x = entries[i]!;
        const y = entries[j]!;
        const asGiven = entries.with(i, y).with(j, x);
        const renumbered = entries.with(i, { ...y, seq: x.seq }).with(j, { ...x, seq: y.seq });
        const asGivenReport = verifyChain('c', asGiven, head);
        const renumberedReport = verifyChain('c', renumbered, head);
        expect(asGivenReport.isIntact).toBe(false);
        expect(renumberedReport.isIntact).toBe(false);
        // Nearby swaps are named as such.
        if (Math.abs(i - j) <= 8) expect(renumberedReport.problems.map((p) => p.kind)).toContain('reordered');
      }),
      { numRuns: 300 },
    );
  });
});
