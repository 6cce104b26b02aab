/**
 * Compares two policy versions pathway by pathway and says, in words, what changed: conditions no
 * longer required or newly required, thresholds moved, alternatives dropped or added, followers and
 * caps, the deciding authority. Each pathway gets a verdict — loosened, tightened, changed or unchanged —
 * from logical implication between the two condition trees (in disjunctive normal form, leaf by leaf:
 * `age ≥ 60` implies `age ≥ 55`; `education in [bachelor, master]` implies `education in [college, …]`),
 * so the verdict does not depend on how a rule is written.
 */
import { factConditionText, factDefinition } from './describe.js';
import type { Condition, FactCondition, Followers, Pathway, Policy, Text } from './policy.js';
import { policyRef } from './policy.js';

export type Verdict = 'added' | 'removed' | 'loosened' | 'tightened' | 'changed' | 'unchanged';

export interface PathwayDiff {
  readonly programme: string;
  readonly pathway: string;
  readonly title: Text;
  readonly fromArticle?: string;
  readonly toArticle?: string;
  readonly verdict: Verdict;
  readonly conditions: Verdict;
  readonly followers: Verdict;
  readonly details: readonly { readonly kind: Verdict; readonly text: Text }[];
}

export interface PolicyDiff {
  readonly from: string;
  readonly to: string;
  readonly pathways: readonly PathwayDiff[];
  readonly summary: Readonly<Record<Verdict, number>>;
}

type Leaf = FactCondition | { discretion: true; text: Text };
type Conjunction = Leaf[];

const NEGATE: Record<FactCondition['op'], FactCondition['op']> = {
  eq: 'ne',
  ne: 'eq',
  in: 'notIn',
  notIn: 'in',
  gte: 'lt',
  lt: 'gte',
  gt: 'lte',
  lte: 'gt',
};

/** Disjunctive normal form: a list of alternatives, each a list of leaves that must all hold. */
function dnf(c: Condition, negated = false): Conjunction[] {
  if ('fact' in c) return [[negated ? { ...c, op: NEGATE[c.op], label: undefined } : c]];
  if ('discretion' in c) return [[{ discretion: true, text: c.discretion.authority }]];
  if ('not' in c) return dnf(c.not, !negated);
  const isAll = 'all' in c !== negated;
  const parts = ('all' in c ? c.all : c.any).map((x) => dnf(x, negated));
  if (!isAll) return parts.flat();
  return parts.reduce<Conjunction[]>(
    (acc, part) => acc.flatMap((left) => part.map((right) => [...left, ...right])),
    [[]],
  );
}

type Domain =
  | { kind: 'set'; values: Set<unknown> }
  | { kind: 'range'; lo: number; hi: number; loOpen: boolean; hiOpen: boolean };

function domainOf(leaf: FactCondition): Domain {
  const def = factDefinition(leaf.fact);
  if (
    def.type === 'number' &&
    (leaf.op === 'gte' || leaf.op === 'gt' || leaf.op === 'lte' || leaf.op === 'lt')
  ) {
    const v = leaf.value as number;
    const isLower = leaf.op === 'gte' || leaf.op === 'gt';
    const isOpen = leaf.op === 'gt' || leaf.op === 'lt';
    return isLower
      ? { kind: 'range', lo: v, hi: Infinity, loOpen: isOpen, hiOpen: true }
      : { kind: 'range', lo: -Infinity, hi: v, loOpen: true, hiOpen: isOpen };
  }
  const universe: unknown[] = def.type === 'boolean' ? [true, false] : [...(def.options ?? [])];
  const listed = Array.isArray(leaf.value) ? (leaf.value as unknown[]) : [leaf.value];
  if (def.type === 'number') {
    // eq / ne / in on numbers: a set of points (ne is approximated as "not those points").
    return leaf.op === 'eq' || leaf.op === 'in'
      ? { kind: 'set', values: new Set(listed) }
      : { kind: 'range', lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };
  }
  const positive = leaf.op === 'eq' || leaf.op === 'in';
  return { kind: 'set', values: new Set(universe.filter((u) => listed.includes(u) === positive)) };
}

/** True when every value satisfying `a` satisfies `b` (same fact). */
function leafImplies(a: Leaf, b: Leaf): boolean {
  if ('discretion' in b) return 'discretion' in a;
  if ('discretion' in a) return false;
  if (a.fact !== b.fact) return false;
  const da = domainOf(a);
  const db = domainOf(b);
  if (da.kind === 'set' && db.kind === 'set') return [...da.values].every((v) => db.values.has(v));
  if (da.kind === 'range' && db.kind === 'range') {
    const loOk = da.lo > db.lo || (da.lo === db.lo && (db.loOpen ? da.loOpen : true));
    const hiOk = da.hi < db.hi || (da.hi === db.hi && (db.hiOpen ? da.hiOpen : true));
    return loOk && hiOk;
  }
  if (da.kind === 'set' && db.kind === 'range') {
    return [...da.values].every(
      (v) =>
        typeof v === 'number' &&
        (v > db.lo || (v === db.lo && !db.loOpen)) &&
        (v < db.hi || (v === db.hi && !db.hiOpen)),
    );
  }
  return false;
}

const conjunctionImplies = (a: Conjunction, b: Conjunction) =>
  b.every((lb) => a.some((la) => leafImplies(la, lb)));
/** A ⇒ B: every alternative of A implies some alternative of B. */
const formulaImplies = (a: Conjunction[], b: Conjunction[]) =>
  a.every((ca) => b.some((cb) => conjunctionImplies(ca, cb)));

function verdictOf(from: Conjunction[], to: Conjunction[]): Verdict {
  const forward = formulaImplies(from, to);
  const backward = formulaImplies(to, from);
  if (forward && backward) return 'unchanged';
  if (forward) return 'loosened';
  if (backward) return 'tightened';
  return 'changed';
}

const leafText = (l: Leaf): Text =>
  'discretion' in l ? { zh: `须经${l.text.zh}决定`, en: `a decision of ${l.text.en}` } : factConditionText(l);
const leafKey = (l: Leaf) =>
  'discretion' in l ? 'discretion' : `${l.fact}|${l.op}|${JSON.stringify(l.value)}`;

function commonLeaves(f: Conjunction[]): Leaf[] {
  const [first, ...rest] = f;
  if (!first) return [];
  return first.filter((l) => rest.every((c) => c.some((x) => leafKey(x) === leafKey(l))));
}

function conditionDetails(from: Condition, to: Condition): { kind: Verdict; text: Text }[] {
  const a = dnf(from);
  const b = dnf(to);
  const details: { kind: Verdict; text: Text }[] = [];
  const ca = commonLeaves(a);
  const cb = commonLeaves(b);
  const factOf = (l: Leaf) => ('discretion' in l ? 'discretion' : l.fact);
  const factsA = new Set(ca.map(factOf));
  for (const l of ca) {
    if (cb.some((x) => leafKey(x) === leafKey(l))) continue;
    const replacement = cb.filter((x) => factOf(x) === factOf(l));
    if (replacement.length === 0) {
      const t = leafText(l);
      details.push({
        kind: 'loosened',
        text: { zh: `不再要求：${t.zh}`, en: `no longer required: ${t.en}` },
      });
    } else {
      for (const r of replacement) {
        if (ca.some((x) => leafKey(x) === leafKey(r))) continue;
        const before = leafText(l);
        const after = leafText(r);
        const kind = verdictOf([[l]], [[r]]);
        details.push({ kind, text: { zh: `${before.zh} → ${after.zh}`, en: `${before.en} → ${after.en}` } });
      }
    }
  }
  for (const l of cb) {
    if (ca.some((x) => leafKey(x) === leafKey(l)) || factsA.has(factOf(l))) continue;
    const t = leafText(l);
    details.push({ kind: 'tightened', text: { zh: `新增要求：${t.zh}`, en: `newly required: ${t.en}` } });
  }
  // Alternatives: what remains of each conjunction once the common part is set aside, described fact
  // by fact (a DNF lists every combination, which is exact but unreadable). The direction of these
  // lines is the pathway's overall verdict, which implication decides exactly.
  const rest = (f: Conjunction[], common: Leaf[]) =>
    f.map((c) => c.filter((l) => !common.some((x) => leafKey(x) === leafKey(l)))).filter((c) => c.length > 0);
  const byFact = (f: Conjunction[]) => {
    const map = new Map<string, Leaf[]>();
    for (const l of f.flat()) {
      const list = map.get(factOf(l)) ?? [];
      if (!list.some((x) => leafKey(x) === leafKey(l))) list.push(l);
      map.set(factOf(l), list);
    }
    return map;
  };
  const altA = byFact(rest(a, ca));
  const altB = byFact(rest(b, cb));
  const overall = verdictOf(a, b);
  const kind: Verdict = overall === 'unchanged' ? 'changed' : overall;
  const either = (leaves: Leaf[]): Text => {
    const texts = leaves.map(leafText);
    return { zh: texts.map((t) => t.zh).join(' 或 '), en: texts.map((t) => t.en).join(' or ') };
  };
  for (const [fact, leavesA] of altA) {
    const leavesB = altB.get(fact);
    const before = either(leavesA);
    if (!leavesB) {
      details.push({
        kind,
        text: { zh: `不再作为条件：${before.zh}`, en: `no longer a condition: ${before.en}` },
      });
      continue;
    }
    const same =
      leavesA.length === leavesB.length &&
      leavesA.every((l) => leavesB.some((x) => leafKey(x) === leafKey(l)));
    if (same) continue;
    const after = either(leavesB);
    details.push({ kind, text: { zh: `${before.zh} → ${after.zh}`, en: `${before.en} → ${after.en}` } });
  }
  for (const [fact, leavesB] of altB) {
    if (altA.has(fact) || factsA.has(fact)) continue;
    const after = either(leavesB);
    details.push({ kind, text: { zh: `新增条件：${after.zh}`, en: `new condition: ${after.en}` } });
  }
  return details;
}

const TRUE: Condition = { all: [] };

function followerFormula(followers: Followers | undefined, relation: string): Conjunction[] | undefined {
  const rule = followers?.rules.find((r) => r.relation === relation);
  if (!rule) return undefined;
  return rule.when ? dnf(rule.when) : [[]];
}

const RELATION_TEXT: Record<string, Text> = {
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'children' },
  parent: { zh: '父母', en: 'parents' },
  other: { zh: '其他亲属', en: 'other relatives' },
};

function followerDetails(
  from: Followers | undefined,
  to: Followers | undefined,
): { verdict: Verdict; details: { kind: Verdict; text: Text }[] } {
  const details: { kind: Verdict; text: Text }[] = [];
  const kinds: Verdict[] = [];
  for (const relation of ['spouse', 'child', 'parent', 'other']) {
    const a = followerFormula(from, relation);
    const b = followerFormula(to, relation);
    const who = RELATION_TEXT[relation] as Text;
    if (!a && !b) continue;
    if (!a) {
      kinds.push('loosened');
      details.push({ kind: 'loosened', text: { zh: `${who.zh}可以随迁`, en: `${who.en} may now follow` } });
      continue;
    }
    if (!b) {
      kinds.push('tightened');
      details.push({
        kind: 'tightened',
        text: { zh: `${who.zh}不再可以随迁`, en: `${who.en} may no longer follow` },
      });
      continue;
    }
    const v = verdictOf(a, b);
    kinds.push(v);
    if (v === 'unchanged') continue;
    const ruleA = from?.rules.find((r) => r.relation === relation)?.when ?? TRUE;
    const ruleB = to?.rules.find((r) => r.relation === relation)?.when ?? TRUE;
    for (const d of conditionDetails(ruleA, ruleB)) {
      details.push({
        kind: d.kind,
        text: { zh: `随迁${who.zh}：${d.text.zh}`, en: `following ${who.en}: ${d.text.en}` },
      });
    }
  }
  if (from?.cap && !to?.cap) {
    kinds.push('loosened');
    details.push({
      kind: 'loosened',
      text: { zh: `取消限制：${from.cap.label.zh}`, en: `limit removed: ${from.cap.label.en}` },
    });
  } else if (!from?.cap && to?.cap) {
    kinds.push('tightened');
    details.push({
      kind: 'tightened',
      text: { zh: `新增限制：${to.cap.label.zh}`, en: `new limit: ${to.cap.label.en}` },
    });
  }
  return { verdict: combine(kinds), details };
}

function combine(kinds: readonly Verdict[]): Verdict {
  const set = new Set(kinds.filter((k) => k !== 'unchanged'));
  if (set.size === 0) return 'unchanged';
  if (set.size === 1) return [...set][0] as Verdict;
  return 'changed';
}

function diffPathway(programme: string, a: Pathway | undefined, b: Pathway | undefined): PathwayDiff {
  if (!a || !b) {
    const p = (a ?? b) as Pathway;
    return {
      programme,
      pathway: p.id,
      title: p.title,
      ...(a ? { fromArticle: a.article } : {}),
      ...(b ? { toArticle: b.article } : {}),
      verdict: a ? 'removed' : 'added',
      conditions: a ? 'removed' : 'added',
      followers: 'unchanged',
      details: [],
    };
  }
  const conditions = verdictOf(dnf(a.when), dnf(b.when));
  const details = conditions === 'unchanged' ? [] : conditionDetails(a.when, b.when);
  const followers = followerDetails(a.followers, b.followers);
  details.push(...followers.details);
  if (a.decidedBy.zh !== b.decidedBy.zh) {
    details.push({
      kind: 'changed',
      text: {
        zh: `决定机关：${a.decidedBy.zh} → ${b.decidedBy.zh}`,
        en: `decided by: ${a.decidedBy.en} → ${b.decidedBy.en}`,
      },
    });
  }
  if ((a.registersAt?.zh ?? '') !== (b.registersAt?.zh ?? '')) {
    details.push({
      kind: 'changed',
      text: {
        zh: `落户地：${a.registersAt?.zh ?? '—'} → ${b.registersAt?.zh ?? '—'}`,
        en: `registers at: ${a.registersAt?.en ?? '—'} → ${b.registersAt?.en ?? '—'}`,
      },
    });
  }
  return {
    programme,
    pathway: a.id,
    title: b.title,
    fromArticle: a.article,
    toArticle: b.article,
    verdict: combine([conditions, followers.verdict]),
    conditions,
    followers: followers.verdict,
    details,
  };
}

/**
 * @example diffPolicies(draft, final).pathways.find((p) => p.pathway === 'talent')?.verdict // 'loosened'
 */
export function diffPolicies(from: Policy, to: Policy): PolicyDiff {
  const pathways: PathwayDiff[] = [];
  const programmeIds = [...new Set([...from.programmes, ...to.programmes].map((p) => p.id))];
  for (const id of programmeIds) {
    const pa = from.programmes.find((p) => p.id === id)?.pathways ?? [];
    const pb = to.programmes.find((p) => p.id === id)?.pathways ?? [];
    const ids = [...new Set([...pa.map((p) => p.id), ...pb.map((p) => p.id)])];
    for (const pid of ids)
      pathways.push(
        diffPathway(
          id,
          pa.find((p) => p.id === pid),
          pb.find((p) => p.id === pid),
        ),
      );
  }
  const summary: Record<Verdict, number> = {
    added: 0,
    removed: 0,
    loosened: 0,
    tightened: 0,
    changed: 0,
    unchanged: 0,
  };
  for (const p of pathways) summary[p.verdict]++;
  return { from: policyRef(from), to: policyRef(to), pathways, summary };
}
