/**
 * The explaining evaluator, compiled. `compileExplainer(policy, programmeId)` works out once per
 * programme everything of an explanation that does not depend on the person (condition texts, articles,
 * expected values, fact definitions, materials, authorities, follower rules, which articles each part
 * cites, what each failed condition would have to become) and generates one function that evaluates
 * every condition of every pathway into a flat array: the status of each condition, then the fact value
 * each fact condition saw. `explain(facts)` returns that as an `Explanation`, a compact record that
 * holds the whole decision (outcome, every pathway and condition with the value it saw, followers, the
 * nearest changes for a "no", the cited articles) and shares every immutable part with the programme.
 * `toDecision(explanation)` spells it out as the `Decision` tree `evaluateProgramme` returns, equal to it
 * on every person (a property test checks it against the reference evaluator in `evaluate.ts`).
 *
 * The generated code comes from the checked policy only, never from user input: fact paths and values
 * become string literals through `JSON.stringify`, anything else is read from a constants array.
 */
import { citeArticle } from './cited-article.js';
import { conditionText, factConditionText, factDefinition, valueText } from './describe.js';
import {
  compare,
  type CitedArticle,
  type ConditionResult,
  type ConditionStatus,
  type Decision,
  type FollowerResult,
  type NearestChange,
  type Outcome,
  type PathwayResult,
  type ProposedChange,
} from './evaluate.js';
import { FACTS, RELATIONS, type FactDefinition, type Facts, type FamilyMember } from './facts.js';
import {
  policyRef,
  type Comparison,
  type Condition,
  type Followers,
  type Pathway,
  type Policy,
  type Programme,
  type Text,
} from './policy.js';

/** Status codes in an explanation: the rank of `ConditionStatus`. */
const NOT_MET = 0;
const NEEDS_APPROVAL = 1;
const MET = 2;

const STATUS: readonly ConditionStatus[] = ['not_met', 'needs_approval', 'met'];
const OUTCOME: readonly Outcome[] = ['not_eligible', 'needs_approval', 'eligible'];

/** What became of one family member (`FollowerResult.status`, with why for "may not follow"). */
export const FOLLOWER = {
  /** The pathway's follower rules do not name this relation (or the pathway has none). */
  notProvided: 0,
  mayFollow: 1,
  /** The rule's condition does not hold. */
  conditionNotMet: 2,
  capped: 3,
  applicantNotEligible: 4,
} as const;
export type FollowerCode = (typeof FOLLOWER)[keyof typeof FOLLOWER];

export interface FollowerExplanation {
  readonly member: FamilyMember;
  readonly code: FollowerCode;
  /** Index of the follower rule applied, -1 when none. */
  readonly rule: number;
  /** The rule condition's statuses then seen values (layout of the rule's tree), when it has one. */
  readonly conditions: readonly unknown[] | undefined;
}

/**
 * One person's decision in compact form. `conditions` holds the status (0 not met, 1 needs approval,
 * 2 met) of every condition node of every pathway in pre-order, then the value every fact condition
 * saw; the words, articles and expected values are the programme's (`explainer.nodes`).
 */
export interface Explanation {
  readonly explainer: CompiledExplainer;
  /** 0 not eligible, 1 needs approval, 2 eligible. */
  readonly outcome: number;
  /** The pathway the outcome rests on, -1 when none. */
  readonly chosen: number;
  readonly conditions: readonly unknown[];
  readonly followers: readonly FollowerExplanation[];
  /** The chosen pathway's follower cap condition (statuses then seen values), when it has one. */
  readonly cap: readonly unknown[] | undefined;
  /**
   * For a decision that is not "eligible": per pathway that does not hold, the fact conditions (leaf
   * indices) whose change would make it hold, or undefined when no change can (a record); else undefined.
   */
  readonly changes: readonly (readonly number[] | undefined)[] | undefined;
  /** Pathway indices of the nearest changes, nearest first (at most 3). */
  readonly nearest: readonly number[];
  /** The cited articles: bit `i % 30` of word `i / 30` for `policy.articles[i]`. */
  readonly cited: readonly number[];
  /** Whether every guarantee applies (else only those without forbidden facts). */
  readonly allGuarantees: boolean;
}

/** One condition node of a compiled tree, with everything about it that does not depend on the person. */
export interface NodeInfo {
  readonly kind: ConditionResult['kind'];
  readonly article: string;
  readonly text: Text;
  readonly children: readonly number[];
  /** This node's fact leaf index (fact conditions), else -1. */
  readonly leaf: number;
  /** The fact leaves under this node: `[leafStart, leafEnd)` (pre-order keeps them contiguous). */
  readonly leafStart: number;
  readonly leafEnd: number;
  readonly fact?: string;
  readonly op?: Comparison;
  readonly expected?: unknown;
  readonly def?: FactDefinition;
  /** `valueText(def, value)`, with the common cases (labels, yes / no, small integers) prepared. */
  readonly textOf?: (value: unknown) => Text;
  /** Discretion: the shared result (it never depends on the person). */
  readonly discretion?: ConditionResult;
}

interface LeafInfo {
  readonly node: number;
  readonly isChangeable: boolean;
  readonly to: unknown;
  readonly effort: number;
}

/** A condition forest compiled to one generated function: statuses of the nodes, then seen values. */
interface Tree {
  readonly nodes: readonly NodeInfo[];
  readonly leaves: readonly LeafInfo[];
  readonly roots: readonly number[];
  /** Article bit words every node of the forest cites. */
  readonly citedWords: readonly number[];
  readonly evaluate: (f: Facts, m: FamilyMember | undefined) => unknown[];
}

interface FollowerRules {
  readonly followers: Followers;
  /** Rule index per relation (the first rule naming it), -1 when none. */
  readonly ruleOf: Readonly<Record<FamilyMember['relation'], number>>;
  readonly rules: readonly { readonly article: string; readonly tree: Tree | undefined }[];
  readonly cap: Tree | undefined;
  readonly articleBit: readonly [word: number, bit: number] | undefined;
  readonly ruleBits: readonly (readonly [number, number] | undefined)[];
  readonly capBit: readonly [number, number] | undefined;
}

export interface CompiledExplainer {
  readonly policy: Policy;
  readonly programme: Programme;
  readonly tree: Tree;
  /** `tree.nodes` of pathway i's root. */
  readonly pathwayRoots: readonly number[];
  readonly followers: readonly (FollowerRules | undefined)[];
  readonly staticCited: readonly number[];
  readonly guaranteeCited: readonly [some: readonly number[], all: readonly number[]];
  readonly guarantees: readonly [some: Decision['guarantees'], all: Decision['guarantees']];
  readonly citedArticles: readonly CitedArticle[];
  readonly decisionPolicy: Decision['policy'];
  readonly decisionProgramme: Decision['programme'];
  /** Evaluates one person. */
  readonly explain: (facts: Facts) => Explanation;
}

// ---- compiling ----

const WORD_BITS = 30;

class ArticleBits {
  readonly words: number;
  private readonly index = new Map<string, number[]>();
  constructor(articles: readonly { id: string }[]) {
    articles.forEach((a, i) => {
      const list = this.index.get(a.id);
      if (list) list.push(i);
      else this.index.set(a.id, [i]);
    });
    this.words = Math.max(1, Math.ceil(articles.length / WORD_BITS));
  }
  empty(): number[] {
    return new Array<number>(this.words).fill(0);
  }
  add(into: number[], id: string): void {
    for (const i of this.index.get(id) ?? []) {
      const w = Math.floor(i / WORD_BITS);
      into[w] = (into[w] ?? 0) | (1 << (i % WORD_BITS));
    }
  }
  /** A single article's bit, when it occurs once (else undefined: use `add`). */
  bit(id: string): readonly [number, number] | undefined {
    const list = this.index.get(id);
    if (!list || list.length !== 1) return undefined;
    const i = list[0] as number;
    return [Math.floor(i / WORD_BITS), 1 << (i % WORD_BITS)];
  }
}

/** `valueText` for one fact, equal to it on every value; labels are looked up in a map made once. */
function valueTextOf(def: FactDefinition): (value: unknown) => Text {
  if (def.type === 'boolean') {
    const yes = valueText(def, true);
    const no = valueText(def, false);
    return (v) => (Array.isArray(v) ? valueText(def, v) : v ? yes : no);
  }
  if (def.type === 'enum') {
    const labels = new Map(Object.entries(def.values ?? {}));
    return (v) => (typeof v === 'string' && labels.get(v)) || valueText(def, v);
  }
  const unit = def.unit;
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) >= 1000) return valueText(def, v);
    const n = String(v);
    return unit ? { zh: `${n} ${unit.zh}`, en: `${n} ${unit.en}` } : { zh: n, en: n };
  };
}

function proposedTo(op: Comparison, value: unknown): unknown {
  return op === 'in'
    ? (value as unknown[])[0]
    : op === 'gt'
      ? (value as number) + 1
      : op === 'lt'
        ? (value as number) - 1
        : op === 'ne' || op === 'notIn'
          ? undefined
          : value;
}

const isPrimitiveLiteral = (v: unknown) =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * Compiles the condition trees `roots` (each with the article it inherits) into node tables and one
 * generated function. `scope` says what fact paths read: `facts` (paths from the facts, `member.` from
 * the member, which is absent there) or `member` (the same, with a member).
 */
function compileTree(roots: readonly (readonly [Condition, string])[], bits: ArticleBits): Tree {
  const nodes: NodeInfo[] = [];
  const leaves: LeafInfo[] = [];
  const constants: unknown[] = [];
  const lines: string[] = [];
  const reads = new Map<string, string>();
  const readLines: string[] = [];
  /** The local holding the value each fact leaf saw. */
  const seen: string[] = [];
  const citedWords = bits.empty();
  const constant = (v: unknown) => {
    constants.push(v);
    return `K[${constants.length - 1}]`;
  };
  const literal = (v: unknown) => (isPrimitiveLiteral(v) ? JSON.stringify(v) : constant(v));

  const visit = (c: Condition, inherited: string): number => {
    const article = c.article ?? inherited;
    bits.add(citedWords, article);
    const n = nodes.length;
    const leafStart = leaves.length;
    // Reserve the slot: pre-order numbering, post-order code (children before their parent).
    nodes.push(undefined as unknown as NodeInfo);
    if ('fact' in c) {
      const def = factDefinition(c.fact);
      const l = leaves.length;
      leaves.push({
        node: n,
        isChangeable: def.isChangeable !== false,
        to: proposedTo(c.op, c.value),
        effort: FACTS.get(c.fact)?.effort ?? 1,
      });
      const isMember = c.fact.startsWith('member.');
      const keys = (isMember ? c.fact.slice(7) : c.fact).split('.');
      // Each fact is read once per person, however many conditions test it.
      const read = `${isMember ? 'm' : 'f'}${keys.map((k) => `?.[${JSON.stringify(k)}]`).join('')}`;
      let v = reads.get(read);
      if (v === undefined) {
        v = `r${reads.size}`;
        reads.set(read, v);
        readLines.push(`const ${v} = ${read};`);
      }
      seen.push(v);
      let test: string;
      const values = c.value;
      switch (c.op) {
        case 'eq':
          test = `${v} === ${literal(values)}`;
          break;
        case 'ne':
          test = `${v} !== ${literal(values)}`;
          break;
        case 'in':
        case 'notIn':
          if (Array.isArray(values) && values.every(isPrimitiveLiteral)) {
            const any = values.map((x) => `${v} === ${JSON.stringify(x)}`).join(' || ');
            test = c.op === 'in' ? `(${any})` : `!(${any})`;
          } else {
            test = `compare(${JSON.stringify(c.op)}, ${v}, ${constant(values)})`;
          }
          break;
        case 'gte':
          test = `${v} >= ${literal(values)}`;
          break;
        case 'gt':
          test = `${v} > ${literal(values)}`;
          break;
        case 'lte':
          test = `${v} <= ${literal(values)}`;
          break;
        case 'lt':
          test = `${v} < ${literal(values)}`;
          break;
      }
      lines.push(`const s${n} = ${test} ? 2 : 0;`);
      nodes[n] = {
        kind: 'fact',
        article,
        text: factConditionText(c),
        children: [],
        leaf: l,
        leafStart,
        leafEnd: leaves.length,
        fact: c.fact,
        op: c.op,
        expected: c.value,
        def,
        textOf: valueTextOf(def),
      };
      return n;
    }
    const text = conditionText(c);
    if ('discretion' in c) {
      lines.push(`const s${n} = 1;`);
      const discretion: ConditionResult = {
        kind: 'discretion',
        status: 'needs_approval',
        article,
        text,
        authority: c.discretion.authority,
      };
      nodes[n] = {
        kind: 'discretion',
        article,
        text,
        children: [],
        leaf: -1,
        leafStart,
        leafEnd: leafStart,
        discretion,
      };
      return n;
    }
    if ('not' in c) {
      const child = visit(c.not, article);
      lines.push(`const s${n} = 2 - s${child};`);
      nodes[n] = {
        kind: 'not',
        article,
        text,
        children: [child],
        leaf: -1,
        leafStart,
        leafEnd: leaves.length,
      };
      return n;
    }
    const isAll = 'all' in c;
    const children = (isAll ? c.all : c.any).map((x) => visit(x, article));
    lines.push(`const s${n} = Math.${isAll ? 'min' : 'max'}(${children.map((k) => `s${k}`).join(', ')});`);
    nodes[n] = {
      kind: isAll ? 'all' : 'any',
      article,
      text,
      children,
      leaf: -1,
      leafStart,
      leafEnd: leaves.length,
    };
    return n;
  };

  const rootNodes = roots.map(([c, article]) => visit(c, article));
  const out = [...nodes.map((_, n) => `s${n}`), ...seen];
  const source = `"use strict";\n${[...readLines, ...lines].join('\n')}\nreturn [${out.join(', ')}];`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a checked policy, not user input
  const make = new Function('K', 'compare', `return function explainConditions(f, m) {\n${source}\n};`) as (
    k: unknown[],
    c: typeof compare,
  ) => Tree['evaluate'];
  return { nodes, leaves, roots: rootNodes, citedWords, evaluate: make(constants, compare) };
}

function compileFollowers(followers: Followers | undefined, bits: ArticleBits): FollowerRules | undefined {
  if (!followers) return undefined;
  const ruleOf = { spouse: -1, child: -1, parent: -1, other: -1 };
  followers.rules.forEach((r, i) => {
    if (ruleOf[r.relation] === -1) ruleOf[r.relation] = i;
  });
  const rules = followers.rules.map((r) => {
    const article = r.article ?? followers.article;
    return { article, tree: r.when ? compileTree([[r.when, article]], bits) : undefined };
  });
  return {
    followers,
    ruleOf,
    rules,
    cap: followers.cap ? compileTree([[followers.cap.when, followers.cap.article]], bits) : undefined,
    articleBit: bits.bit(followers.article),
    ruleBits: rules.map((r) => bits.bit(r.article)),
    capBit: followers.cap ? bits.bit(followers.cap.article) : undefined,
  };
}

const compiledExplainers = new WeakMap<Programme, CompiledExplainer>();

/**
 * Compiles the explaining evaluator of one programme (default: the first, settlement).
 *
 * @example
 *   const explainer = compileExplainer(policy, 'settlement');
 *   const explanation = explainer.explain(facts); // compact: outcome, conditions, followers, changes
 *   toDecision(explanation).outcome; // 'eligible', as evaluateProgramme(policy, facts) says
 */
export function compileExplainer(policy: Policy, programmeId?: string): CompiledExplainer {
  const programme = programmeId ? policy.programmes.find((p) => p.id === programmeId) : policy.programmes[0];
  if (!programme) throw new RangeError(`policy ${policy.id} has no programme ${programmeId}`);
  const known = compiledExplainers.get(programme);
  if (known && known.policy === policy) return known;

  const bits = new ArticleBits(policy.articles);
  const tree = compileTree(
    programme.pathways.map((p) => [p.when, p.article] as const),
    bits,
  );
  const staticCited = [...tree.citedWords];
  for (const p of programme.pathways) bits.add(staticCited, p.article);
  const followers = programme.pathways.map((p) => compileFollowers(p.followers, bits));

  const guarantees = [false, true].map((all) =>
    policy.guarantees
      .filter((g) => g.forbiddenFacts.length === 0 || all)
      .map((g) => ({ article: g.article, statement: g.statement })),
  ) as unknown as CompiledExplainer['guarantees'];
  const guaranteeCited = guarantees.map((list) => {
    const words = bits.empty();
    for (const g of list) bits.add(words, g.article);
    return words;
  }) as unknown as CompiledExplainer['guaranteeCited'];

  const pathwayRoots = tree.roots;
  const pathwayCount = pathwayRoots.length;
  const nodeCount = tree.nodes.length;
  const isSettlement = programme.id === 'settlement';
  const words = bits.words;

  const explainer: CompiledExplainer = {
    policy,
    programme,
    tree,
    pathwayRoots,
    followers,
    staticCited,
    guaranteeCited,
    guarantees,
    citedArticles: policy.articles.map((a) => citeArticle(policy, a)),
    decisionPolicy: { ref: policyRef(policy), id: policy.id, version: policy.version, title: policy.title },
    decisionProgramme: { id: programme.id, title: programme.title, kind: programme.kind },
    explain(facts: Facts): Explanation {
      const conditions = tree.evaluate(facts, undefined);
      let chosen = -1;
      let approval = -1;
      for (let p = 0; p < pathwayCount; p++) {
        const s = conditions[pathwayRoots[p] as number];
        if (s === MET) {
          chosen = p;
          break;
        }
        if (s === NEEDS_APPROVAL && approval < 0) approval = p;
      }
      if (chosen < 0) chosen = approval;
      const outcome = chosen < 0 ? NOT_MET : (conditions[pathwayRoots[chosen] as number] as number);

      const cited = words === 1 ? [staticCited[0] as number] : [...staticCited];
      const family = facts.family;
      const members: FollowerExplanation[] = [];
      let cap: unknown[] | undefined;
      const rules = chosen < 0 ? undefined : followers[chosen];
      if (chosen < 0) {
        for (let i = 0; i < family.length; i++) {
          members.push({
            member: family[i] as FamilyMember,
            code: FOLLOWER.applicantNotEligible,
            rule: -1,
            conditions: undefined,
          });
        }
      } else if (!rules) {
        for (let i = 0; i < family.length; i++) {
          members.push({
            member: family[i] as FamilyMember,
            code: FOLLOWER.notProvided,
            rule: -1,
            conditions: undefined,
          });
        }
      } else {
        let mayFollow = 0;
        for (let i = 0; i < family.length; i++) {
          const member = family[i] as FamilyMember;
          const r = rules.ruleOf[member.relation];
          const rule = rules.rules[r];
          if (rule === undefined) {
            members.push({ member, code: FOLLOWER.notProvided, rule: -1, conditions: undefined });
            continue;
          }
          let code: FollowerCode = FOLLOWER.mayFollow;
          let result: unknown[] | undefined;
          if (rule.tree) {
            result = rule.tree.evaluate(facts, member);
            if (result[0] !== MET) code = FOLLOWER.conditionNotMet;
          }
          if (code === FOLLOWER.mayFollow) mayFollow++;
          members.push({ member, code, rule: r, conditions: result });
        }
        const capRule = rules.followers.cap;
        if (rules.cap && capRule) {
          cap = rules.cap.evaluate(facts, undefined);
          if (cap[0] === MET && mayFollow > capRule.maxFollowers) {
            let allowed = capRule.maxFollowers;
            for (let i = 0; i < members.length; i++) {
              const m = members[i] as FollowerExplanation;
              if (m.code !== FOLLOWER.mayFollow) continue;
              if (allowed > 0) {
                allowed--;
                continue;
              }
              members[i] = {
                member: m.member,
                code: FOLLOWER.capped,
                rule: m.rule,
                conditions: m.conditions,
              };
            }
          }
        }
        citeFollowers(cited, members, rules, bits);
      }

      let changes: (number[] | undefined)[] | undefined;
      let nearest: number[] = NO_NEAREST;
      if (outcome !== MET) {
        changes = new Array<number[] | undefined>(pathwayCount).fill(undefined);
        // The three nearest, as a stable sort by effort, then most conditions already met, would keep.
        let p0 = -1;
        let p1 = -1;
        let p2 = -1;
        let e0 = 0;
        let e1 = 0;
        let e2 = 0;
        let m0 = 0;
        let m1 = 0;
        let m2 = 0;
        for (let p = 0; p < pathwayCount; p++) {
          const root = pathwayRoots[p] as number;
          if (conditions[root] !== NOT_MET) continue;
          const found = cheapest(tree, conditions, nodeCount, root);
          if (!found) continue;
          changes[p] = found;
          if (found.length === 0) continue;
          const effort = effortOf(tree, conditions, nodeCount, found);
          const met = metLeaves(tree, conditions, root);
          if (p2 >= 0 && !(effort < e2 || (effort === e2 && met > m2))) continue;
          if (p1 >= 0 && !(effort < e1 || (effort === e1 && met > m1))) {
            p2 = p;
            e2 = effort;
            m2 = met;
            continue;
          }
          p2 = p1;
          e2 = e1;
          m2 = m1;
          if (p0 >= 0 && !(effort < e0 || (effort === e0 && met > m0))) {
            p1 = p;
            e1 = effort;
            m1 = met;
            continue;
          }
          p1 = p0;
          e1 = e0;
          m1 = m0;
          p0 = p;
          e0 = effort;
          m0 = met;
        }
        if (p0 >= 0) nearest = p1 < 0 ? [p0] : p2 < 0 ? [p0, p1] : [p0, p1, p2];
      }

      const r = facts.ruralRights;
      const allGuarantees =
        r.hasLandContract || r.hasHomestead || r.hasCollectiveIncome || isSettlement ? true : false;
      orWords(cited, guaranteeCited[allGuarantees ? 1 : 0]);

      return {
        explainer,
        outcome,
        chosen,
        conditions,
        followers: members,
        cap,
        changes,
        nearest,
        cited,
        allGuarantees,
      };
    },
  };
  compiledExplainers.set(programme, explainer);
  return explainer;
}

const NO_NEAREST: number[] = [];
const NO_CHANGES: number[] = [];

function addBit(
  into: number[],
  bit: readonly [number, number] | undefined,
  bits: ArticleBits,
  id: string,
): void {
  if (bit) into[bit[0]] = (into[bit[0]] as number) | bit[1];
  else bits.add(into, id);
}

function orWords(into: number[], words: readonly number[]): void {
  for (let w = 0; w < words.length; w++) into[w] = (into[w] as number) | (words[w] as number);
}

/** Each member's article and the articles of the condition it was judged by (the cap's when capped). */
function citeFollowers(
  cited: number[],
  members: readonly FollowerExplanation[],
  rules: FollowerRules,
  bits: ArticleBits,
): void {
  for (const m of members) {
    switch (m.code) {
      case FOLLOWER.notProvided:
        addBit(cited, rules.articleBit, bits, rules.followers.article);
        break;
      case FOLLOWER.mayFollow:
      case FOLLOWER.conditionNotMet: {
        const rule = rules.rules[m.rule] as FollowerRules['rules'][number];
        addBit(cited, rules.ruleBits[m.rule], bits, rule.article);
        if (rule.tree) orWords(cited, rule.tree.citedWords);
        break;
      }
      case FOLLOWER.capped:
        addBit(cited, rules.capBit, bits, (rules.followers.cap as NonNullable<Followers['cap']>).article);
        orWords(cited, (rules.cap as Tree).citedWords);
        break;
      case FOLLOWER.applicantNotEligible:
        break;
    }
  }
}

/** Leaves already met under a node (ties between equally short change sets go to the closer branch). */
function metLeaves(tree: Tree, conditions: readonly unknown[], node: number): number {
  const info = tree.nodes[node] as NodeInfo;
  let n = 0;
  for (let l = info.leafStart; l < info.leafEnd; l++) {
    if (conditions[(tree.leaves[l] as LeafInfo).node] === MET) n++;
  }
  return n;
}

/** The effort of a set of changes, as `evaluate.ts` weighs it (same terms, same order). */
function effortOf(
  tree: Tree,
  conditions: readonly unknown[],
  nodeCount: number,
  changes: readonly number[],
): number {
  let n = 0;
  for (const l of changes) {
    const leaf = tree.leaves[l] as LeafInfo;
    const from = conditions[nodeCount + l];
    const to = leaf.to;
    if (typeof from === 'number' && typeof to === 'number' && to !== 0) {
      n += leaf.effort * Math.max(0.05, Math.min(1, Math.abs(to - from) / Math.abs(to)));
    } else n += leaf.effort;
  }
  return n;
}

/** The least-effort set of leaves whose change makes a failed node hold; undefined when none can. */
function cheapest(
  tree: Tree,
  conditions: readonly unknown[],
  nodeCount: number,
  node: number,
): number[] | undefined {
  if (conditions[node] !== NOT_MET) return NO_CHANGES;
  const info = tree.nodes[node] as NodeInfo;
  switch (info.kind) {
    case 'fact':
      return (tree.leaves[info.leaf] as LeafInfo).isChangeable ? [info.leaf] : undefined;
    case 'discretion':
      return NO_CHANGES;
    case 'not':
      return undefined;
    case 'all': {
      const out: number[] = [];
      for (const child of info.children) {
        const changes = cheapest(tree, conditions, nodeCount, child);
        if (changes === undefined) return undefined;
        for (const l of changes) out.push(l);
      }
      return out;
    }
    case 'any': {
      let best: number[] | undefined;
      let bestScore = 0;
      for (const child of info.children) {
        const changes = cheapest(tree, conditions, nodeCount, child);
        if (changes === undefined) continue;
        const score =
          effortOf(tree, conditions, nodeCount, changes) * 1000 - metLeaves(tree, conditions, child);
        if (best === undefined || score < bestScore) {
          best = changes;
          bestScore = score;
        }
      }
      return best;
    }
  }
}

// ---- spelling out ----

function conditionResult(tree: Tree, conditions: readonly unknown[], node: number): ConditionResult {
  const info = tree.nodes[node] as NodeInfo;
  const status = STATUS[conditions[node] as number] as ConditionStatus;
  switch (info.kind) {
    case 'fact': {
      const actual = conditions[tree.nodes.length + info.leaf];
      return {
        kind: 'fact',
        status,
        article: info.article,
        text: info.text,
        fact: info.fact,
        op: info.op,
        expected: info.expected,
        actual,
        actualText: (info.textOf as (v: unknown) => Text)(actual),
      };
    }
    case 'discretion':
      return info.discretion as ConditionResult;
    case 'not':
    case 'all':
    case 'any':
      return {
        kind: info.kind,
        status,
        article: info.article,
        text: info.text,
        children: childResults(tree, conditions, info.children),
      };
  }
}

function childResults(
  tree: Tree,
  conditions: readonly unknown[],
  children: readonly number[],
): ConditionResult[] {
  const out: ConditionResult[] = [];
  for (let i = 0; i < children.length; i++)
    out.push(conditionResult(tree, conditions, children[i] as number));
  return out;
}

function proposedChange(tree: Tree, conditions: readonly unknown[], l: number): ProposedChange {
  const leaf = tree.leaves[l] as LeafInfo;
  const info = tree.nodes[leaf.node] as NodeInfo;
  const from = conditions[tree.nodes.length + l];
  const op = info.op as Comparison;
  const required = info.text;
  const was = (info.textOf as (v: unknown) => Text)(from);
  const numeric = op === 'gte' || op === 'gt' || op === 'lte' || op === 'lt';
  const text: Text = numeric
    ? { zh: `${required.zh}（现为 ${was.zh}）`, en: `${required.en} instead of ${was.en}` }
    : { zh: `${required.zh}（现为${was.zh}）`, en: `${required.en} (now: ${was.en})` };
  return { fact: info.fact as string, from, to: leaf.to, op, text, article: info.article };
}

function relationText(member: FamilyMember): Text {
  const r = RELATIONS[member.relation];
  return member.name
    ? { zh: `${member.name}（${r.zh}）`, en: `${member.name} (${r.en})` }
    : { zh: r.zh, en: r.en };
}

type MutableFollower = { -readonly [K in keyof FollowerResult]: FollowerResult[K] };

function followerResult(
  e: CompiledExplainer,
  x: Explanation,
  pathway: Pathway | undefined,
  index: number,
): FollowerResult {
  const f = x.followers[index] as FollowerExplanation;
  const member = f.member;
  const who = relationText(member);
  // Fields added one by one in the reference's order (object spreads are several times slower here).
  const out = { index, relation: member.relation } as MutableFollower;
  if (member.name) out.name = member.name;
  const rules = x.chosen < 0 ? undefined : e.followers[x.chosen];
  switch (f.code) {
    case FOLLOWER.applicantNotEligible:
      out.status = 'applicant_not_eligible';
      out.text = {
        zh: `${who.zh}：申请人本人尚不符合条件`,
        en: `${who.en}: the applicant does not qualify yet`,
      };
      return out;
    case FOLLOWER.notProvided: {
      const title = (pathway as Pathway).title;
      out.status = 'may_not_follow';
      if (rules) out.article = rules.followers.article;
      out.text = {
        zh: `${who.zh}：「${title.zh}」未规定此亲属可随迁`,
        en: `${who.en}: "${title.en}" does not let this relative follow`,
      };
      return out;
    }
    case FOLLOWER.mayFollow:
    case FOLLOWER.conditionNotMet: {
      const rule = (rules as FollowerRules).rules[f.rule] as FollowerRules['rules'][number];
      const ok = f.code === FOLLOWER.mayFollow;
      out.status = ok ? 'may_follow' : 'may_not_follow';
      out.article = rule.article;
      out.text = ok
        ? { zh: `${who.zh}：可以随迁落户`, en: `${who.en}: may settle too` }
        : { zh: `${who.zh}：不符合随迁条件`, en: `${who.en}: may not settle with the applicant` };
      if (rule.tree) {
        out.condition = conditionResult(rule.tree, f.conditions as unknown[], rule.tree.roots[0] as number);
      }
      return out;
    }
    case FOLLOWER.capped: {
      const r = rules as FollowerRules;
      const cap = r.followers.cap as NonNullable<Followers['cap']>;
      out.status = 'capped';
      out.article = cap.article;
      // As the reference words it: the "may follow" line's subject, up to its first colon.
      out.text = {
        zh: `${`${who.zh}：可以随迁落户`.split('：')[0]}：${cap.label.zh}`,
        en: `${`${who.en}: may settle too`.split(':')[0]}: ${cap.label.en}`,
      };
      out.condition = conditionResult(r.cap as Tree, x.cap as unknown[], 0);
      return out;
    }
  }
}

/**
 * Spells a compact explanation out as the `Decision` tree (the shape `evaluateProgramme` returns and the
 * API serialises): condition results with their words, proposed changes, follower texts, quoted articles.
 */
export function toDecision(x: Explanation): Decision {
  const e = x.explainer;
  const { programme, tree, pathwayRoots } = e;
  const conditions = x.conditions;
  const pathways: PathwayResult[] = programme.pathways.map((p, i) => {
    const root = pathwayRoots[i] as number;
    const result: { -readonly [K in keyof PathwayResult]: PathwayResult[K] } = {
      id: p.id,
      title: p.title,
      article: p.article,
      status: OUTCOME[conditions[root] as number] as Outcome,
      condition: conditionResult(tree, conditions, root),
      decidedBy: p.decidedBy,
    };
    if (p.registersAt) result.registersAt = p.registersAt;
    const changes = x.changes?.[i];
    if (changes) result.changes = changes.map((l) => proposedChange(tree, conditions, l));
    return result;
  });
  const chosen = x.chosen < 0 ? undefined : (programme.pathways[x.chosen] as Pathway);
  const nearestChanges: NearestChange[] = x.nearest.map((i) => {
    const p = pathways[i] as PathwayResult;
    return { pathway: p.id, title: p.title, article: p.article, changes: p.changes ?? [] };
  });
  const articles: CitedArticle[] = [];
  for (let i = 0; i < e.citedArticles.length; i++) {
    if (((x.cited[Math.floor(i / WORD_BITS)] ?? 0) & (1 << (i % WORD_BITS))) !== 0) {
      articles.push(e.citedArticles[i] as CitedArticle);
    }
  }
  const decision: { -readonly [K in keyof Decision]: Decision[K] } = {
    policy: e.decisionPolicy,
    programme: e.decisionProgramme,
    outcome: OUTCOME[x.outcome] as Outcome,
    pathways,
    followers: x.followers.map((_, i) => followerResult(e, x, chosen, i)),
    materials: chosen?.materials ?? [],
    nearestChanges,
    guarantees: e.guarantees[x.allGuarantees ? 1 : 0],
    articles,
  };
  if (chosen) {
    decision.pathway = chosen.id;
    decision.decidedBy = chosen.decidedBy;
    if (chosen.registersAt) decision.registersAt = chosen.registersAt;
  }
  return decision;
}

/**
 * `evaluateProgramme` through the compiled explainer (compiled once per programme).
 *
 * @example explainProgramme(policy, Facts.parse(input)).outcome // 'eligible'
 */
export function explainProgramme(policy: Policy, facts: Facts, programmeId?: string): Decision {
  return toDecision(compileExplainer(policy, programmeId).explain(facts));
}

/** Every programme of the policy for one person, through the compiled explainers (as `evaluatePolicy`). */
export function explainPolicy(policy: Policy, facts: Facts): Decision[] {
  return policy.programmes.map((p) => explainProgramme(policy, facts, p.id));
}
