/**
 * The engine's decision written for the officer who decides an application (the officer mode of the
 * explanation; the resident's is explain.ts / DecisionView): the pathway the application asked for and
 * its outcome, only the facts that pathway's conditions read (each with the value seen, whether it held
 * and its article), and the followers as the application's movers — each mover after the applicant
 * matched to the engine's follower assessment by name, then by relation, or marked as not assessed when
 * the engine was told of no such family member. Family members the engine assessed who do not move are
 * counted, not shown. Pure.
 */
import type {
  CitedArticle,
  ConditionResult,
  ConditionStatus,
  Decision,
  FollowerStatus,
  Outcome,
} from './evaluate.js';
import type { FamilyMember } from './facts.js';
import type { Comparison, Text } from './policy.js';

/** One mover as the application names them: GB/T 4761 relationship to the household head. */
export interface MoverRef {
  readonly name: string;
  readonly relationship: string;
}

export interface UsedFact {
  readonly fact: string;
  /** What the condition requires, in words. */
  readonly text: Text;
  readonly status: ConditionStatus;
  readonly article: string;
  readonly op?: Comparison;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly actualText?: Text;
  /** For a discretionary condition: who decides. */
  readonly authority?: Text;
}

export interface OfficerFollower {
  readonly name: string;
  readonly relationship: string;
  readonly relation: FamilyMember['relation'];
  /** `not_assessed`: the engine was told of no family member matching this mover. */
  readonly status: FollowerStatus | 'not_assessed';
  readonly article?: string;
  readonly text?: Text;
}

export interface OfficerExplanation {
  readonly policy: string;
  readonly pathway?: {
    readonly id: string;
    readonly title: Text;
    readonly article: string;
    readonly status: Outcome;
  };
  readonly outcome: Outcome;
  readonly decidedBy?: Text;
  readonly facts: readonly UsedFact[];
  readonly followers: readonly OfficerFollower[];
  /** Family members the engine assessed who are not among the movers. */
  readonly assessedNotMoving: number;
  /** The articles the shown parts cite, with their quoted sentences, in the decision's order. */
  readonly articles: readonly CitedArticle[];
}

/** GB/T 4761 relationship code → the engine's relation to the applicant (1x spouse, 2x/3x child, 5x parent). */
export function relationOfCode(code: string): FamilyMember['relation'] {
  if (code.startsWith('1')) return 'spouse';
  if (code.startsWith('2') || code.startsWith('3')) return 'child';
  if (code.startsWith('5')) return 'parent';
  return 'other';
}

function leaves(c: ConditionResult, out: UsedFact[]): void {
  if (c.children && c.children.length > 0) {
    for (const child of c.children) leaves(child, out);
    return;
  }
  if (c.kind !== 'fact' && c.kind !== 'discretion') return;
  out.push({
    fact: c.fact ?? '',
    text: c.text,
    status: c.status,
    article: c.article,
    ...(c.op ? { op: c.op } : {}),
    ...(c.expected !== undefined ? { expected: c.expected } : {}),
    ...(c.actual !== undefined ? { actual: c.actual } : {}),
    ...(c.actualText ? { actualText: c.actualText } : {}),
    ...(c.authority ? { authority: c.authority } : {}),
  });
}

/**
 * @param pathwayId the pathway the application is for (its type's), else the decision's own
 * @param movers every mover, the applicant first
 * @example explainForOfficer(decision, 'legal-residence', [{ name: '郑一', relationship: '02' }, { name: '王芳', relationship: '10' }]).followers
 */
export function explainForOfficer(
  decision: Decision,
  pathwayId: string | null | undefined,
  movers: readonly MoverRef[],
): OfficerExplanation {
  const pathway = decision.pathways.find((p) => p.id === (pathwayId ?? decision.pathway));
  const facts: UsedFact[] = [];
  if (pathway) leaves(pathway.condition, facts);

  const unused = new Set(decision.followers.map((_, i) => i));
  const take = (match: (i: number) => boolean) => {
    for (const i of unused)
      if (match(i)) {
        unused.delete(i);
        return decision.followers[i];
      }
    return undefined;
  };
  const followers: OfficerFollower[] = movers.slice(1).map((m) => {
    const relation = relationOfCode(m.relationship);
    const found =
      take((i) => decision.followers[i]?.name === m.name) ??
      take((i) => !decision.followers[i]?.name && decision.followers[i]?.relation === relation);
    return found
      ? {
          name: m.name,
          relationship: m.relationship,
          relation,
          status: found.status,
          text: found.text,
          ...(found.article ? { article: found.article } : {}),
        }
      : { name: m.name, relationship: m.relationship, relation, status: 'not_assessed' };
  });

  const cited = new Set<string>([
    ...(pathway ? [pathway.article] : []),
    ...facts.map((f) => f.article),
    ...followers.map((f) => f.article).filter((a) => a !== undefined),
  ]);
  return {
    policy: decision.policy.ref,
    ...(pathway
      ? {
          pathway: { id: pathway.id, title: pathway.title, article: pathway.article, status: pathway.status },
        }
      : {}),
    outcome: pathway?.status ?? decision.outcome,
    ...(pathway
      ? { decidedBy: pathway.decidedBy }
      : decision.decidedBy
        ? { decidedBy: decision.decidedBy }
        : {}),
    facts,
    followers,
    assessedNotMoving: unused.size,
    articles: decision.articles.filter((a) => cited.has(a.id)),
  };
}
