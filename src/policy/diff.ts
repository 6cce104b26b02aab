/**
 * Compares two policy versions pathway by pathway and says, as a person would, what changed and for
 * whom: conditions no longer required or newly required, thresholds moved, an alternative's conditions
 * ("父母随迁：不再要求 性别为男且年龄 ≥ 60 周岁，或性别为女且年龄 ≥ 55 周岁"), followers and caps, the
 * deciding authority. Every verdict — loosened, tightened, changed or unchanged — says whether the set of
 * people who qualify grows, shrinks, both or neither: the two conditions are evaluated on every
 * combination of the values that matter to them (each enum value, both booleans, each number threshold
 * and its neighbours), so a condition that always holds (性别为男或女) is no condition, and a line never
 * reads as the opposite of its label. Conditions over too many facts to enumerate fall back to logical
 * implication in disjunctive normal form, leaf by leaf (`age ≥ 60` implies `age ≥ 55`).
 */
import { factConditionText, factDefinition } from './describe.js';
import { compare } from './evaluate.js';
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

function impliedVerdict(from: Conjunction[], to: Conjunction[]): Verdict {
  const forward = formulaImplies(from, to);
  const backward = formulaImplies(to, from);
  if (forward && backward) return 'unchanged';
  if (forward) return 'loosened';
  if (backward) return 'tightened';
  return 'changed';
}

/** Enumerating more combinations than this falls back to implication. */
const MAX_COMBINATIONS = 200_000;
const DISCRETION = '(discretion)';

/** The values of a fact that tell its conditions apart: every option, or each threshold and its sides. */
function representatives(fact: string, leaves: readonly Leaf[]): unknown[] {
  if (fact === DISCRETION) return [true, false];
  const def = factDefinition(fact);
  if (def.type === 'boolean') return [true, false];
  if (def.type === 'enum') return [...(def.options ?? [])];
  const points = new Set<number>();
  for (const l of leaves) {
    if ('discretion' in l || l.fact !== fact) continue;
    for (const v of Array.isArray(l.value) ? (l.value as unknown[]) : [l.value]) {
      if (typeof v === 'number') for (const x of [v - 1, v - 0.5, v, v + 0.5, v + 1]) points.add(x);
    }
  }
  return points.size > 0 ? [...points] : [0];
}

const holds = (f: Conjunction[], values: ReadonlyMap<string, unknown>) =>
  f.some((c) =>
    c.every((l) =>
      'discretion' in l ? values.get(DISCRETION) === true : compare(l.op, values.get(l.fact), l.value),
    ),
  );

/**
 * Whether the people who qualify under `to` are more (loosened), fewer (tightened), some more and some
 * fewer (changed) or the same (unchanged) as under `from`.
 */
function verdictOf(from: Conjunction[], to: Conjunction[]): Verdict {
  const leaves = [...from.flat(), ...to.flat()];
  const facts = [...new Set(leaves.map((l) => ('discretion' in l ? DISCRETION : l.fact)))];
  const domains = facts.map((f) => representatives(f, leaves));
  if (domains.reduce((n, d) => n * d.length, 1) > MAX_COMBINATIONS) return impliedVerdict(from, to);
  let gains = false;
  let losses = false;
  const values = new Map<string, unknown>();
  const visit = (i: number): void => {
    if (gains && losses) return;
    if (i === facts.length) {
      const a = holds(from, values);
      const b = holds(to, values);
      if (b && !a) gains = true;
      if (a && !b) losses = true;
      return;
    }
    for (const v of domains[i] as unknown[]) {
      values.set(facts[i] as string, v);
      visit(i + 1);
    }
  };
  visit(0);
  return gains && losses ? 'changed' : gains ? 'loosened' : losses ? 'tightened' : 'unchanged';
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

/** Two conditions on one fact that some value meets both of (关系为父母 and 关系为配偶、父母). */
function overlaps(a: Leaf, b: Leaf): boolean {
  if ('discretion' in a || 'discretion' in b) return 'discretion' in a && 'discretion' in b;
  if (a.fact !== b.fact) return false;
  const da = domainOf(a);
  const db = domainOf(b);
  if (da.kind === 'set' && db.kind === 'set') return [...da.values].some((v) => db.values.has(v));
  if (da.kind === 'range' && db.kind === 'range') return da.lo < db.hi && db.lo < da.hi;
  const [set, range] = da.kind === 'set' ? [da, db] : [db, da];
  if (set.kind !== 'set' || range.kind !== 'range') return false;
  return [...set.values].some((v) => typeof v === 'number' && v >= range.lo && v <= range.hi);
}

const conjunctionText = (c: Conjunction): Text => {
  const texts = c.map(leafText);
  return { zh: texts.map((t) => t.zh).join('且'), en: texts.map((t) => t.en).join(' and ') };
};

/** Alternatives as a person reads them: "A且B，或C". */
const alternativesText = (f: Conjunction[]): Text => {
  const texts = f.map(conjunctionText);
  return { zh: texts.map((t) => t.zh).join('，或'), en: texts.map((t) => t.en).join(', or ') };
};

const hasLeaf = (c: Conjunction, l: Leaf) => c.some((x) => leafKey(x) === leafKey(l));

type Detail = { kind: Verdict; text: Text };

function dnfDetails(from: Condition, to: Condition): Detail[] {
  const a = dnf(from);
  const b = dnf(to);
  const details: Detail[] = [];
  const push = (kind: Verdict, text: Text) => {
    // A change no one gains or loses by (性别为男或女 dropped) is no change.
    if (kind !== 'unchanged') details.push({ kind, text });
  };
  const ca = commonLeaves(a);
  const cb = commonLeaves(b);
  const factOf = (l: Leaf) => ('discretion' in l ? 'discretion' : l.fact);
  const factsA = new Set(ca.map(factOf));
  for (const l of ca) {
    if (hasLeaf(cb, l)) continue;
    const replacement = cb.filter((x) => factOf(x) === factOf(l));
    if (replacement.length === 0) {
      const t = leafText(l);
      push(verdictOf([[l]], [[]]), { zh: `不再要求：${t.zh}`, en: `no longer required: ${t.en}` });
    } else {
      for (const r of replacement) {
        if (hasLeaf(ca, r)) continue;
        const before = leafText(l);
        const after = leafText(r);
        push(verdictOf([[l]], [[r]]), {
          zh: `${before.zh}，改为${after.zh}`,
          en: `${before.en}, now ${after.en}`,
        });
      }
    }
  }
  for (const l of cb) {
    if (hasLeaf(ca, l) || factsA.has(factOf(l))) continue;
    const t = leafText(l);
    push(verdictOf([[]], [[l]]), { zh: `新增要求：${t.zh}`, en: `newly required: ${t.en}` });
  }
  // What remains of each alternative once the common part is set aside, compared alternative by
  // alternative: each old one with the new one it shares most conditions with, in the words of the
  // conditions that differ, so "父母：不再要求 性别为男且年龄 ≥ 60 周岁，或性别为女且年龄 ≥ 55 周岁"
  // reads as one change, judged by whom it lets in or keeps out.
  const rest = (f: Conjunction[], common: Leaf[]) =>
    f.map((c) => c.filter((l) => !hasLeaf(common, l))).filter((c) => c.length > 0);
  const restA = rest(a, ca);
  const restB = rest(b, cb);
  if (restA.length === 0 && restB.length === 0) return details;
  if (restB.length === 0 || restA.length === 0) {
    const isGone = restB.length === 0;
    const t = alternativesText(isGone ? restA : restB);
    push(
      isGone ? verdictOf(restA, [[]]) : verdictOf([[]], restB),
      isGone
        ? { zh: `不再要求：${t.zh}`, en: `no longer required: ${t.en}` }
        : { zh: `新增要求：${t.zh}`, en: `newly required: ${t.en}` },
    );
    return details;
  }
  // A new alternative that takes in all of an old one counts most (硕士 → 本科以上); then the same
  // conditions; then conditions some value meets both of (关系为父母 and 关系为配偶、父母).
  const matchOf = restA.map((alt) => {
    let best = -1;
    let shared = 0;
    restB.forEach((candidate, j) => {
      const covers = ['loosened', 'unchanged'].includes(verdictOf([alt], [candidate]));
      const n =
        (covers ? 10_000 : 0) +
        alt.filter((l) => hasLeaf(candidate, l)).length * 100 +
        alt.filter((l) => candidate.some((x) => overlaps(l, x))).length;
      if (n > shared) {
        best = j;
        shared = n;
      }
    });
    return best;
  });
  restB.forEach((after, j) => {
    const befores = restA.filter((_, i) => matchOf[i] === j);
    if (befores.length === 0) {
      const t = conjunctionText(after);
      push(verdictOf(restA, [...restA, after]), {
        zh: `新增一种情形：${t.zh}`,
        en: `a new case: ${t.en}`,
      });
      return;
    }
    const context = after.filter((l) => befores.every((c) => hasLeaf(c, l)));
    const dropped = befores.map((c) => c.filter((l) => !hasLeaf(after, l))).filter((c) => c.length > 0);
    const added = after.filter((l) => !befores.every((c) => hasLeaf(c, l)));
    const kind = verdictOf(befores, [after]);
    const when = context.length > 0 ? conjunctionText(context) : undefined;
    const lead = when ? { zh: `${when.zh}时：`, en: `where ${when.en}: ` } : { zh: '', en: '' };
    const was = dropped.length > 0 ? alternativesText(dropped) : undefined;
    const now = added.length > 0 ? conjunctionText(added) : undefined;
    const text: Text =
      was && now
        ? { zh: `${lead.zh}${was.zh}，改为${now.zh}`, en: `${lead.en}${was.en}, now ${now.en}` }
        : was
          ? { zh: `${lead.zh}不再要求：${was.zh}`, en: `${lead.en}no longer required: ${was.en}` }
          : now
            ? { zh: `${lead.zh}新增要求：${now.zh}`, en: `${lead.en}newly required: ${now.en}` }
            : { zh: `${lead.zh}条件有变化`, en: `${lead.en}conditions changed` };
    push(kind, text);
  });
  restA.forEach((before, i) => {
    if (matchOf[i] !== -1) return;
    const t = conjunctionText(before);
    push(verdictOf([...restB, before], restB), {
      zh: `不再适用的情形：${t.zh}`,
      en: `no longer a case: ${t.en}`,
    });
  });
  return details;
}

/** The facts a condition reads (and `discretion` for a decision left to an authority). */
function factsOf(c: Condition, into = new Set<string>()): Set<string> {
  if ('fact' in c) into.add(c.fact);
  else if ('discretion' in c) into.add('discretion');
  else if ('not' in c) factsOf(c.not, into);
  else for (const x of 'all' in c ? c.all : c.any) factsOf(x, into);
  return into;
}

/** A condition as written, without the article and label that do not change who qualifies. */
function shapeKey(c: Condition): string {
  return JSON.stringify(c, (key, value: unknown) =>
    key === 'article' || key === 'label' ? undefined : value,
  );
}

/**
 * What changed between two conditions, requirement by requirement: the parts of an `all` that stay are
 * left out, each changed part is compared with the new part that reads the most of the same facts, and
 * the rest are requirements dropped or added. Comparing part with part keeps the lines short: the
 * disjunctive normal form of a whole pathway multiplies every alternative by every other.
 */
function conditionDetails(from: Condition, to: Condition): Detail[] {
  const parts = (c: Condition) => ('all' in c ? c.all : [c]);
  const kept = new Set(parts(to).map(shapeKey));
  const had = new Set(parts(from).map(shapeKey));
  const before = parts(from).filter((c) => !kept.has(shapeKey(c)));
  const after = parts(to).filter((c) => !had.has(shapeKey(c)));
  const details: Detail[] = [];
  const used = new Set<number>();
  const pairs: [Condition | undefined, Condition | undefined][] = [];
  for (const c of before) {
    const facts = factsOf(c);
    let best = -1;
    let shared = 0;
    after.forEach((d, j) => {
      if (used.has(j)) return;
      const n = [...factsOf(d)].filter((f) => facts.has(f)).length;
      if (n > shared) {
        best = j;
        shared = n;
      }
    });
    if (best >= 0) used.add(best);
    pairs.push([c, best >= 0 ? after[best] : undefined]);
  }
  after.forEach((d, j) => {
    if (!used.has(j)) pairs.push([undefined, d]);
  });
  for (const [a, b] of pairs) details.push(...dnfDetails(a ?? TRUE, b ?? TRUE));
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
