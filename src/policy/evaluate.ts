/**
 * Evaluates a person's facts under a policy version and explains the result: each pathway with each
 * condition's result and the fact value it saw, each family member with whether they may follow and
 * why, the materials, who decides, the articles with their quoted sentences, and for a "no" the nearest
 * changes that would make it a "yes". Pure.
 *
 * This is the reference evaluator. `explain.ts` compiles the same explanation per programme (a compact
 * record, spelt out by `toDecision`) and must equal this on every person: a property test checks it.
 *
 * Conditions are three-valued: met, not met, or needs approval (a discretionary decision the documents
 * leave to an authority). `all` is met when every part is; `any` when one is; approval sits between.
 */
import { citeArticle, type CitedArticle } from './cited-article.js';
import { conditionText, factConditionText, factDefinition, valueText } from './describe.js';
import { FACTS, RELATIONS, type Facts, type FamilyMember } from './facts.js';
import {
  policyRef,
  type Comparison,
  type Condition,
  type FactCondition,
  type Followers,
  type Pathway,
  type Policy,
  type Programme,
  type Text,
} from './policy.js';

export type ConditionStatus = 'met' | 'not_met' | 'needs_approval';
export type Outcome = 'eligible' | 'not_eligible' | 'needs_approval';

export type ConditionResult = {
  readonly kind: 'fact' | 'discretion' | 'all' | 'any' | 'not';
  readonly status: ConditionStatus;
  readonly article: string;
  /** What the condition requires, in words. */
  readonly text: Text;
  readonly fact?: string;
  readonly op?: Comparison;
  readonly expected?: unknown;
  /** The fact value the engine saw. */
  readonly actual?: unknown;
  readonly actualText?: Text;
  readonly authority?: Text;
  readonly children?: readonly ConditionResult[];
};

export type PathwayResult = {
  readonly id: string;
  readonly title: Text;
  readonly article: string;
  readonly status: Outcome;
  readonly condition: ConditionResult;
  readonly decidedBy: Text;
  readonly registersAt?: Text;
  /** For a pathway that does not hold: the smallest set of fact changes that would make it hold. */
  readonly changes?: readonly ProposedChange[];
};

export type ProposedChange = {
  readonly fact: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly op: Comparison;
  readonly text: Text;
  readonly article: string;
};

export type NearestChange = {
  readonly pathway: string;
  readonly title: Text;
  readonly article: string;
  readonly changes: readonly ProposedChange[];
};

export type FollowerStatus = 'may_follow' | 'may_not_follow' | 'capped' | 'applicant_not_eligible';

export type FollowerResult = {
  readonly index: number;
  readonly name?: string;
  readonly relation: FamilyMember['relation'];
  readonly status: FollowerStatus;
  readonly article?: string;
  readonly text: Text;
  readonly condition?: ConditionResult;
};

export type { CitedArticle } from './cited-article.js';

export type Decision = {
  readonly policy: {
    readonly ref: string;
    readonly id: string;
    readonly version: number;
    readonly title: Text;
  };
  readonly programme: { readonly id: string; readonly title: Text; readonly kind: Programme['kind'] };
  readonly outcome: Outcome;
  /** The pathway the outcome rests on (the first that holds, else the first needing approval). */
  readonly pathway?: string;
  readonly pathways: readonly PathwayResult[];
  readonly followers: readonly FollowerResult[];
  readonly materials: readonly Text[];
  readonly decidedBy?: Text;
  readonly registersAt?: Text;
  readonly nearestChanges: readonly NearestChange[];
  readonly guarantees: readonly { readonly article: string; readonly statement: Text }[];
  /** Every article the decision cites, with its quoted sentence. */
  readonly articles: readonly CitedArticle[];
};

const RANK: Record<ConditionStatus, number> = { not_met: 0, needs_approval: 1, met: 2 };
const BY_RANK: ConditionStatus[] = ['not_met', 'needs_approval', 'met'];

export function compare(op: Comparison, actual: unknown, expected: unknown): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return (expected as unknown[]).includes(actual);
    case 'notIn':
      return !(expected as unknown[]).includes(actual);
    case 'gte':
      return (actual as number) >= (expected as number);
    case 'gt':
      return (actual as number) > (expected as number);
    case 'lte':
      return (actual as number) <= (expected as number);
    case 'lt':
      return (actual as number) < (expected as number);
  }
}

interface Scope {
  readonly facts: Facts;
  readonly member?: FamilyMember;
}

/**
 * A condition prepared for explaining: its words, article and fact path are worked out once per policy
 * (they do not depend on the person), so each evaluation only reads facts and compares.
 */
type Explainer = (scope: Scope) => ConditionResult;

const explainers = new WeakMap<Condition, Map<string, Explainer>>();

function prepare(condition: Condition, article: string): Explainer {
  let byArticle = explainers.get(condition);
  const cached = byArticle?.get(article);
  if (cached) return cached;
  const explainer = build(condition, article);
  if (!byArticle) explainers.set(condition, (byArticle = new Map<string, Explainer>()));
  byArticle.set(article, explainer);
  return explainer;
}

function build(condition: Condition, article: string): Explainer {
  const cited = condition.article ?? article;
  if ('fact' in condition) {
    const def = factDefinition(condition.fact);
    const isMember = condition.fact.startsWith('member.');
    const keys = (isMember ? condition.fact.slice(7) : condition.fact).split('.');
    const { op, value, fact } = condition;
    const text = factConditionText(condition);
    return (scope) => {
      let actual: unknown = isMember ? scope.member : scope.facts;
      for (const k of keys) actual = (actual as Record<string, unknown> | undefined)?.[k];
      return {
        kind: 'fact',
        status: compare(op, actual, value) ? 'met' : 'not_met',
        article: cited,
        text,
        fact,
        op,
        expected: value,
        actual,
        actualText: valueText(def, actual),
      };
    };
  }
  const text = conditionText(condition);
  if ('discretion' in condition) {
    const result: ConditionResult = {
      kind: 'discretion',
      status: 'needs_approval',
      article: cited,
      text,
      authority: condition.discretion.authority,
    };
    return () => result;
  }
  if ('not' in condition) {
    const inner = prepare(condition.not, cited);
    return (scope) => {
      const child = inner(scope);
      const status: ConditionStatus =
        child.status === 'met' ? 'not_met' : child.status === 'not_met' ? 'met' : 'needs_approval';
      return { kind: 'not', status, article: cited, text, children: [child] };
    };
  }
  const isAll = 'all' in condition;
  const parts = (isAll ? condition.all : condition.any).map((c) => prepare(c, cited));
  return (scope) => {
    const children = parts.map((part) => part(scope));
    let rank = isAll ? 2 : 0;
    for (const child of children) {
      const r = RANK[child.status];
      rank = isAll ? Math.min(rank, r) : Math.max(rank, r);
    }
    return {
      kind: isAll ? 'all' : 'any',
      status: BY_RANK[rank] ?? 'not_met',
      article: cited,
      text,
      children,
    };
  };
}

/** Evaluates a condition tree into its explanation. */
export function explainCondition(condition: Condition, scope: Scope, article: string): ConditionResult {
  return prepare(condition, article)(scope);
}

const toOutcome = (s: ConditionStatus): Outcome =>
  s === 'met' ? 'eligible' : s === 'needs_approval' ? 'needs_approval' : 'not_eligible';

/** Leaves already met under a result: ties between equally short change sets go to the branch the person is closest to. */
function metLeaves(result: ConditionResult): number {
  if (!result.children) return result.status === 'met' && result.kind === 'fact' ? 1 : 0;
  return result.children.reduce((n, c) => n + metLeaves(c), 0);
}

/**
 * How hard a set of changes is: the fact's effort, scaled for numbers by how far the value must move
 * (1 yuan short of 100,000 is nearer than a missing degree; 11 of 12 months nearer than 2 of 12).
 */
function effortOf(changes: readonly ProposedChange[]): number {
  return changes.reduce((n, c) => {
    const base = FACTS.get(c.fact)?.effort ?? 1;
    if (typeof c.from === 'number' && typeof c.to === 'number' && c.to !== 0) {
      return n + base * Math.max(0.05, Math.min(1, Math.abs(c.to - c.from) / Math.abs(c.to)));
    }
    return n + base;
  }, 0);
}

/** The least-effort set of changes making a failed condition hold; undefined when no change can (a record). */
function cheapestChanges(result: ConditionResult, source: Condition): ProposedChange[] | undefined {
  if (result.status !== 'not_met') return [];
  if ('fact' in source) return proposeChange(source, result);
  if ('discretion' in source) return [];
  if ('not' in source) return undefined;
  const children = 'all' in source ? source.all : source.any;
  const results = result.children ?? [];
  if ('all' in source) {
    const out: ProposedChange[] = [];
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const childResult = results[i];
      if (!child || !childResult) continue;
      const changes = cheapestChanges(childResult, child);
      if (changes === undefined) return undefined;
      out.push(...changes);
    }
    return out;
  }
  let best: { changes: ProposedChange[]; score: number } | undefined;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    const childResult = results[i];
    if (!child || !childResult) continue;
    const changes = cheapestChanges(childResult, child);
    if (changes === undefined) continue;
    const score = effortOf(changes) * 1000 - metLeaves(childResult);
    if (best === undefined || score < best.score) best = { changes, score };
  }
  return best?.changes;
}

function proposeChange(c: FactCondition, result: ConditionResult): ProposedChange[] | undefined {
  const def = factDefinition(c.fact);
  if (def.isChangeable === false) return undefined;
  const required = result.text;
  const was = result.actualText ?? valueText(def, result.actual);
  const numeric = c.op === 'gte' || c.op === 'gt' || c.op === 'lte' || c.op === 'lt';
  const text: Text = numeric
    ? { zh: `${required.zh}（现为 ${was.zh}）`, en: `${required.en} instead of ${was.en}` }
    : { zh: `${required.zh}（现为${was.zh}）`, en: `${required.en} (now: ${was.en})` };
  const to =
    c.op === 'in'
      ? (c.value as unknown[])[0]
      : c.op === 'gt'
        ? (c.value as number) + 1
        : c.op === 'lt'
          ? (c.value as number) - 1
          : c.op === 'ne' || c.op === 'notIn'
            ? undefined
            : c.value;
  return [{ fact: c.fact, from: result.actual, to, op: c.op, text, article: result.article }];
}

function evaluatePathway(pathway: Pathway, facts: Facts): PathwayResult {
  const condition = explainCondition(pathway.when, { facts }, pathway.article);
  const result: Mutable<PathwayResult> = {
    id: pathway.id,
    title: pathway.title,
    article: pathway.article,
    status: toOutcome(condition.status),
    condition,
    decidedBy: pathway.decidedBy,
  };
  if (pathway.registersAt) result.registersAt = pathway.registersAt;
  return result;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function relationText(member: FamilyMember): Text {
  const r = RELATIONS[member.relation];
  return member.name
    ? { zh: `${member.name}（${r.zh}）`, en: `${member.name} (${r.en})` }
    : { zh: r.zh, en: r.en };
}

function evaluateFollowers(
  followers: Followers | undefined,
  facts: Facts,
  pathwayTitle: Text,
): FollowerResult[] {
  const results: FollowerResult[] = facts.family.map((member, index) => {
    const who = relationText(member);
    const base = { index, relation: member.relation, ...(member.name ? { name: member.name } : {}) };
    const rule = followers?.rules.find((r) => r.relation === member.relation);
    if (!followers || !rule) {
      return {
        ...base,
        status: 'may_not_follow' as const,
        ...(followers ? { article: followers.article } : {}),
        text: {
          zh: `${who.zh}：「${pathwayTitle.zh}」未规定此亲属可随迁`,
          en: `${who.en}: "${pathwayTitle.en}" does not let this relative follow`,
        },
      };
    }
    const article = rule.article ?? followers.article;
    const condition = rule.when ? explainCondition(rule.when, { facts, member }, article) : undefined;
    const ok = condition === undefined || condition.status === 'met';
    return {
      ...base,
      status: ok ? ('may_follow' as const) : ('may_not_follow' as const),
      article,
      text: ok
        ? { zh: `${who.zh}：可以随迁落户`, en: `${who.en}: may settle too` }
        : { zh: `${who.zh}：不符合随迁条件`, en: `${who.en}: may not settle with the applicant` },
      ...(condition ? { condition } : {}),
    };
  });
  const cap = followers?.cap;
  if (!cap) return results;
  const capResult = explainCondition(cap.when, { facts }, cap.article);
  if (capResult.status !== 'met') return results;
  let allowed = cap.maxFollowers;
  return results.map((r) => {
    if (r.status !== 'may_follow') return r;
    if (allowed > 0) {
      allowed--;
      return r;
    }
    return {
      ...r,
      status: 'capped' as const,
      article: cap.article,
      text: {
        zh: `${r.text.zh.split('：')[0]}：${cap.label.zh}`,
        en: `${r.text.en.split(':')[0]}: ${cap.label.en}`,
      },
      condition: capResult,
    };
  });
}

interface ProgrammeStatics {
  /** Articles the pathways' condition trees cite, whatever the person's facts. */
  readonly pathwayArticles: ReadonlySet<string>;
  readonly articles: ReadonlyMap<string, CitedArticle>;
}

const statics = new WeakMap<Programme, ProgrammeStatics>();

function staticsOf(policy: Policy, programme: Programme): ProgrammeStatics {
  const known = statics.get(programme);
  if (known) return known;
  const pathwayArticles = new Set<string>();
  const walk = (c: Condition, article: string) => {
    const cited = c.article ?? article;
    pathwayArticles.add(cited);
    if ('all' in c) c.all.forEach((x) => walk(x, cited));
    else if ('any' in c) c.any.forEach((x) => walk(x, cited));
    else if ('not' in c) walk(c.not, cited);
  };
  for (const p of programme.pathways) {
    pathwayArticles.add(p.article);
    walk(p.when, p.article);
  }
  const articles = new Map(policy.articles.map((a) => [a.id, citeArticle(policy, a)]));
  const made = { pathwayArticles, articles };
  statics.set(programme, made);
  return made;
}

function collectArticles(result: ConditionResult | undefined, into: Set<string>) {
  if (!result) return;
  into.add(result.article);
  for (const c of result.children ?? []) collectArticles(c, into);
}

/**
 * Evaluates one programme (default: the first, settlement) of a policy for a person.
 *
 * @example evaluateProgramme(policy, Facts.parse(input)).outcome // 'eligible'
 */
export function evaluateProgramme(policy: Policy, facts: Facts, programmeId?: string): Decision {
  const programme = programmeId ? policy.programmes.find((p) => p.id === programmeId) : policy.programmes[0];
  if (!programme) throw new RangeError(`policy ${policy.id} has no programme ${programmeId}`);
  const pathways = programme.pathways.map((p) => evaluatePathway(p, facts));
  const chosen =
    pathways.find((p) => p.status === 'eligible') ?? pathways.find((p) => p.status === 'needs_approval');
  const chosenPathway = chosen ? programme.pathways.find((p) => p.id === chosen.id) : undefined;
  const outcome: Outcome = chosen?.status ?? 'not_eligible';

  let followers: FollowerResult[];
  if (chosenPathway) {
    followers = evaluateFollowers(chosenPathway.followers, facts, chosenPathway.title);
  } else {
    followers = facts.family.map((member, index) => ({
      index,
      relation: member.relation,
      ...(member.name ? { name: member.name } : {}),
      status: 'applicant_not_eligible' as const,
      text: {
        zh: `${relationText(member).zh}：申请人本人尚不符合条件`,
        en: `${relationText(member).en}: the applicant does not qualify yet`,
      },
    }));
  }

  // What would change a "no" (or an approval) into a "yes": only worked out when it is needed.
  let nearestChanges: NearestChange[] = [];
  if (outcome !== 'eligible') {
    const candidates: { result: PathwayResult; changes: ProposedChange[]; effort: number; met: number }[] =
      [];
    programme.pathways.forEach((pathway, i) => {
      const result = pathways[i] as Mutable<PathwayResult>;
      if (result.status !== 'not_eligible') return;
      const changes = cheapestChanges(result.condition, pathway.when);
      if (!changes) return;
      result.changes = changes;
      if (changes.length > 0) {
        candidates.push({ result, changes, effort: effortOf(changes), met: metLeaves(result.condition) });
      }
    });
    nearestChanges = candidates
      .sort((a, b) => a.effort - b.effort || b.met - a.met)
      .slice(0, 3)
      .map(({ result, changes }) => ({
        pathway: result.id,
        title: result.title,
        article: result.article,
        changes,
      }));
  }

  const { pathwayArticles, articles } = staticsOf(policy, programme);
  const cited = new Set(pathwayArticles);
  for (const f of followers) {
    if (f.article) cited.add(f.article);
    collectArticles(f.condition, cited);
  }
  const hasRuralRights =
    facts.ruralRights.hasLandContract ||
    facts.ruralRights.hasHomestead ||
    facts.ruralRights.hasCollectiveIncome;
  const guarantees = policy.guarantees
    .filter((g) => g.forbiddenFacts.length === 0 || hasRuralRights || programme.id === 'settlement')
    .map((g) => ({ article: g.article, statement: g.statement }));
  for (const g of guarantees) cited.add(g.article);

  const decision: Mutable<Decision> = {
    policy: { ref: policyRef(policy), id: policy.id, version: policy.version, title: policy.title },
    programme: { id: programme.id, title: programme.title, kind: programme.kind },
    outcome,
    pathways,
    followers,
    materials: chosenPathway?.materials ?? [],
    nearestChanges,
    guarantees,
    articles: policy.articles.filter((a) => cited.has(a.id)).map((a) => articles.get(a.id) as CitedArticle),
  };
  if (chosen) {
    decision.pathway = chosen.id;
    decision.decidedBy = chosen.decidedBy;
    if (chosen.registersAt) decision.registersAt = chosen.registersAt;
  }
  return decision;
}

/** Every programme of the policy for one person. */
export function evaluatePolicy(policy: Policy, facts: Facts): Decision[] {
  return policy.programmes.map((p) => evaluateProgramme(policy, facts, p.id));
}
