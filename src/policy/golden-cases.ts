/**
 * Golden cases of a policy version (`policies/<id>.cases.yaml`): facts → the outcome, pathway statuses,
 * followers and cited articles a person must get. Also the coverage rules the test enforces: a case for
 * every article a rule cites, and both sides of every numeric threshold (59/60 years, 11/12 months …).
 */
import { parse } from 'yaml';
import { z } from 'zod';
import type { Decision } from './evaluate.js';
import { explainProgramme } from './explain.js';
import { Facts } from './facts.js';
import type { Condition, Policy } from './policy.js';

const Status = z.enum(['eligible', 'not_eligible', 'needs_approval']);

export const GoldenCase = z.strictObject({
  name: z.string().min(1),
  /** The articles this case exercises (for the coverage rule). */
  articles: z.array(z.string()).min(1),
  programme: z.string().optional(),
  facts: z.unknown(),
  expect: z.strictObject({
    outcome: Status,
    pathway: z.string().optional(),
    pathways: z.record(z.string(), Status).optional(),
    followers: z
      .array(z.enum(['may_follow', 'may_not_follow', 'capped', 'applicant_not_eligible']))
      .optional(),
    cites: z.array(z.string()).optional(),
    /** A nearest change the decision must propose: fact and target value. */
    nearestChange: z.strictObject({ fact: z.string(), to: z.unknown().optional() }).optional(),
    /** Pathways the decision must not propose as "what would make it yes" (a clause not for this person). */
    notSuggested: z.array(z.string()).optional(),
  }),
});
export type GoldenCase = z.infer<typeof GoldenCase>;

export const GoldenCaseFile = z.strictObject({ policy: z.string(), cases: z.array(GoldenCase).min(1) });

export function parseGoldenCases(text: string) {
  return GoldenCaseFile.parse(parse(text));
}

/** What differs between a case's expectation and the engine's decision; empty when the case passes. */
export function checkGoldenCase(
  policy: Policy,
  c: GoldenCase,
): { decision?: Decision; mismatches: string[] } {
  const facts = Facts.safeParse(c.facts);
  if (!facts.success)
    return {
      mismatches: [
        `facts invalid: ${facts.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      ],
    };
  const decision = explainProgramme(policy, facts.data, c.programme);
  const out: string[] = [];
  const e = c.expect;
  if (decision.outcome !== e.outcome) out.push(`outcome ${decision.outcome}, expected ${e.outcome}`);
  if (e.pathway !== undefined && decision.pathway !== e.pathway)
    out.push(`pathway ${decision.pathway ?? '(none)'}, expected ${e.pathway}`);
  for (const [id, status] of Object.entries(e.pathways ?? {})) {
    const p = decision.pathways.find((x) => x.id === id);
    if (!p) out.push(`no pathway ${id}`);
    else if (p.status !== status) out.push(`pathway ${id} ${p.status}, expected ${status}`);
  }
  if (e.followers) {
    const got = decision.followers.map((f) => f.status);
    if (JSON.stringify(got) !== JSON.stringify(e.followers))
      out.push(`followers ${got.join(',')}, expected ${e.followers.join(',')}`);
  }
  const cited = new Set(decision.articles.map((a) => a.id));
  for (const a of e.cites ?? []) if (!cited.has(a)) out.push(`does not cite ${a}`);
  if (e.nearestChange) {
    const changes = decision.nearestChanges.flatMap((n) => n.changes);
    const hit = changes.find(
      (ch) =>
        ch.fact === e.nearestChange?.fact &&
        (e.nearestChange.to === undefined || ch.to === e.nearestChange.to),
    );
    if (!hit)
      out.push(
        `no nearest change of ${e.nearestChange.fact}${e.nearestChange.to === undefined ? '' : ` to ${JSON.stringify(e.nearestChange.to)}`}`,
      );
  }
  for (const id of e.notSuggested ?? []) {
    if (decision.nearestChanges.some((n) => n.pathway === id)) out.push(`suggests pathway ${id}`);
  }
  return { decision, mismatches: out };
}

/** Every article a rule of the policy cites. */
export function citedArticles(policy: Policy): Set<string> {
  const ids = new Set<string>();
  const walk = (c: Condition) => {
    if (c.article) ids.add(c.article);
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
  };
  for (const programme of policy.programmes) {
    for (const p of programme.pathways) {
      ids.add(p.article);
      walk(p.when);
      if (p.followers) {
        ids.add(p.followers.article);
        for (const r of p.followers.rules) {
          if (r.article) ids.add(r.article);
          if (r.when) walk(r.when);
        }
        if (p.followers.cap) {
          ids.add(p.followers.cap.article);
          walk(p.followers.cap.when);
        }
      }
    }
  }
  for (const g of policy.guarantees) ids.add(g.article);
  for (const s of policy.schedules) ids.add(s.article);
  return ids;
}

export interface Threshold {
  readonly fact: string;
  readonly op: string;
  readonly value: number;
}

/** Every numeric threshold the policy's conditions compare against. */
export function thresholdsOf(policy: Policy): Threshold[] {
  const out = new Map<string, Threshold>();
  const walk = (c: Condition) => {
    if ('fact' in c) {
      if (typeof c.value === 'number' && ['gte', 'gt', 'lte', 'lt'].includes(c.op)) {
        out.set(`${c.fact} ${c.op} ${c.value}`, { fact: c.fact, op: c.op, value: c.value });
      }
      return;
    }
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
  };
  for (const programme of policy.programmes) {
    for (const p of programme.pathways) {
      walk(p.when);
      for (const r of p.followers?.rules ?? []) if (r.when) walk(r.when);
      if (p.followers?.cap) walk(p.followers.cap.when);
    }
  }
  return [...out.values()];
}

function valuesOf(facts: unknown, fact: string): number[] {
  const parsed = Facts.safeParse(facts);
  if (!parsed.success) return [];
  if (fact.startsWith('member.')) {
    const key = fact.slice(7) as keyof (typeof parsed.data.family)[number];
    return parsed.data.family.map((m) => m[key]).filter((v): v is number => typeof v === 'number');
  }
  let v: unknown = parsed.data;
  for (const k of fact.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'number' ? [v] : [];
}

/**
 * Thresholds whose two sides the cases do not both exercise within one unit of the boundary
 * (e.g. for `age ≥ 60`: a case at 60 or just above, and one at 59 or just below).
 */
export function uncoveredThresholds(policy: Policy, cases: readonly GoldenCase[]): Threshold[] {
  return thresholdsOf(policy).filter((t) => {
    const values = cases.flatMap((c) => valuesOf(c.facts, t.fact));
    const near = values.filter((v) => Math.abs(v - t.value) <= 1);
    const holds = (v: number) =>
      t.op === 'gte'
        ? v >= t.value
        : t.op === 'gt'
          ? v > t.value
          : t.op === 'lte'
            ? v <= t.value
            : v < t.value;
    return !(near.some(holds) && near.some((v) => !holds(v)));
  });
}
