/**
 * The self-check's questions follow from the policy: a fact is asked only when a condition of the chosen
 * programme (its pathways, follower rules and caps) reads it. Each question speaks with the fact's own
 * labels (src/policy/facts.ts), so the wizard, the explanations and the CLI use the same words. Facts
 * behind a "gate" (the residence type, the relative joined) are skipped when the gate says there is none.
 * Pure: no React, unit-tested beside this file.
 */
import { FACTS, Facts, type FactDefinition } from '../../../../src/policy/facts';
import type { Condition, Programme } from '../../../../src/policy/policy';

export type StepId = 'you' | 'home' | 'work' | 'relative';
export const STEP_IDS: readonly StepId[] = ['you', 'home', 'work', 'relative'];

/** Which wizard step asks the facts of each section of the facts schema. */
const STEP_OF_SECTION: Readonly<Record<string, StepId>> = {
  person: 'you',
  hukou: 'you',
  records: 'you',
  settlement: 'you',
  urbanStatus: 'you',
  ruralRights: 'you',
  residence: 'home',
  employment: 'work',
  months: 'work',
  education: 'work',
  qualifications: 'work',
  investment: 'work',
  honour: 'work',
  study: 'work',
  sponsor: 'relative',
};

/**
 * A fact that makes the other facts of its section meaningless: at the value `off`, or at any value but
 * those in `on` (where the student went to college matters only to a graduate, qz-final/6).
 */
export type Gate =
  | { readonly path: string; readonly off: unknown }
  | { readonly path: string; readonly on: readonly unknown[] };

const GATES: Readonly<Record<string, Gate>> = {
  residence: { path: 'residence.type', off: 'none' },
  sponsor: { path: 'sponsor.relation', off: 'none' },
  employment: { path: 'employment.status', off: 'none' },
  investment: { path: 'investment.role', off: 'none' },
  honour: { path: 'honour.kind', off: 'none' },
  study: { path: 'study.status', on: ['graduated'] },
};

/**
 * Facts that apply to only some answers of their section's gate, beyond the section's own gate: a lease
 * term is asked of a renter only (not of an owner, nor of someone living at a relative's).
 */
const FACT_GATES: Readonly<Record<string, Gate>> = {
  'residence.leaseMonths': { path: 'residence.type', on: ['public-rental', 'private-rental'] },
};

export interface Question {
  readonly path: string;
  readonly def: FactDefinition;
  readonly step: StepId;
  /**
   * The person must answer: a fact without a default in the schema, or a follow-up question (one behind
   * a gate), which is asked only when it applies and then needs an answer, never a silent default.
   */
  readonly isRequired: boolean;
  /** Hidden when the gate fact says the question does not apply. */
  readonly gate?: Gate;
}

export interface Questionnaire {
  readonly steps: readonly { readonly id: StepId; readonly questions: readonly Question[] }[];
  /** Whether any pathway lets family members follow (then the family step is shown). */
  readonly asksFamily: boolean;
  /** Facts asked of each family member (relation, age and sex always; others when a rule reads them). */
  readonly memberQuestions: readonly Question[];
}

function walk(c: Condition | undefined, into: Set<string>) {
  if (!c) return;
  if ('fact' in c) into.add(c.fact);
  else if ('all' in c) c.all.forEach((x) => walk(x, into));
  else if ('any' in c) c.any.forEach((x) => walk(x, into));
  else if ('not' in c) walk(c.not, into);
}

/** Every fact path the programme's conditions read (`member.*` for family members). */
export function factsUsed(programme: Programme): Set<string> {
  const used = new Set<string>();
  for (const pathway of programme.pathways) {
    walk(pathway.when, used);
    for (const rule of pathway.followers?.rules ?? []) walk(rule.when, used);
    walk(pathway.followers?.cap?.when, used);
  }
  return used;
}

/** True when the schema gives the fact no default, so the person has to answer it. */
function hasNoDefault(path: string): boolean {
  const [section, key] = path.split('.');
  if (!section || !key) return false;
  const shapeOf = (
    schema: unknown,
  ): Record<string, { _zod: { def: { type: string; innerType?: unknown } } }> => {
    let s = schema as {
      _zod: { def: { type: string; innerType?: unknown; shape?: unknown } };
      shape?: unknown;
    };
    while (s._zod.def.innerType) s = s._zod.def.innerType as typeof s;
    return (s.shape ?? {}) as ReturnType<typeof shapeOf>;
  };
  const field = shapeOf(Facts.shape[section as keyof typeof Facts.shape])[key];
  return field !== undefined && field._zod.def.type !== 'default';
}

const MEMBER_ALWAYS = ['member.relation', 'member.age', 'member.sex'];

export function questionnaire(programme: Programme): Questionnaire {
  const used = factsUsed(programme);
  const questions: Question[] = [];
  // FACTS keeps the schema's order, which reads naturally (age before marital status, type before area).
  for (const [path, def] of FACTS) {
    if (def.scope !== 'person' || !used.has(path) || path === 'place.countyCode') continue;
    const section = path.split('.')[0] ?? '';
    const step = STEP_OF_SECTION[section];
    if (!step) continue;
    const gate = FACT_GATES[path] ?? GATES[section];
    const isGated = gate !== undefined && gate.path !== path && used.has(gate.path);
    questions.push({
      path,
      def,
      step,
      isRequired: hasNoDefault(path) || isGated,
      ...(isGated ? { gate } : {}),
    });
  }
  // A gate is asked before the facts it hides (the role in an enterprise before the amount invested).
  const sectionOf = (q: Question) => q.path.split('.')[0] ?? '';
  const firstOfSection = new Map<string, number>();
  questions.forEach((q, i) => {
    if (!firstOfSection.has(sectionOf(q))) firstOfSection.set(sectionOf(q), i);
  });
  const isGate = (q: Question) => GATES[sectionOf(q)]?.path === q.path;
  const order = new Map(questions.map((q, i) => [q, i]));
  questions.sort(
    (a, b) =>
      (firstOfSection.get(sectionOf(a)) ?? 0) - (firstOfSection.get(sectionOf(b)) ?? 0) ||
      Number(isGate(b)) - Number(isGate(a)) ||
      (order.get(a) ?? 0) - (order.get(b) ?? 0),
  );
  const memberQuestions: Question[] = [];
  for (const [path, def] of FACTS) {
    if (def.scope !== 'member') continue;
    if (!MEMBER_ALWAYS.includes(path) && !used.has(path)) continue;
    memberQuestions.push({ path, def, step: 'you', isRequired: MEMBER_ALWAYS.includes(path) });
  }
  return {
    steps: STEP_IDS.map((id) => ({ id, questions: questions.filter((q) => q.step === id) })).filter(
      (s) => s.questions.length > 0,
    ),
    asksFamily: programme.pathways.some((p) => p.followers !== undefined),
    memberQuestions,
  };
}

/** Reads a dotted path from nested answers. */
export function readPath(values: unknown, path: string): unknown {
  let v: unknown = values;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export function isVisible(q: Question, values: unknown): boolean {
  if (!q.gate) return true;
  const value = readPath(values, q.gate.path);
  return 'on' in q.gate ? q.gate.on.includes(value) : value !== q.gate.off;
}

/**
 * The defaults of the asked facts, as the wizard's first answers (required facts, follow-ups included,
 * stay empty: the person answers them once they apply).
 */
export function initialAnswers(qs: Questionnaire): Record<string, unknown> {
  const defaults = Facts.parse({ place: { countyCode: '000000' }, person: { age: 0, sex: 'male' } });
  const out: Record<string, Record<string, unknown>> = {};
  for (const step of qs.steps) {
    for (const q of step.questions) {
      if (q.isRequired) continue;
      const [section = '', key = ''] = q.path.split('.');
      (out[section] ??= {})[key] = readPath(defaults, q.path);
    }
  }
  return out;
}

const REQUIRED_BUT_UNREAD = { age: 0, sex: 'male' };

export interface MemberAnswer {
  readonly [field: string]: unknown;
}

/**
 * The answers the person gave, as nested facts: only the questions that applied to them (visible), and
 * only those answered. What the self-check hands to the application form, so that it asks nothing twice
 * and carries no default the person never saw.
 */
export function answeredFacts(
  qs: Questionnaire,
  answers: Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const step of qs.steps) {
    for (const q of step.questions) {
      if (!isVisible(q, answers)) continue;
      const value = readPath(answers, q.path);
      if (value === undefined || value === null) continue;
      const [section = '', key = ''] = q.path.split('.');
      (out[section] ??= {})[key] = value;
    }
  }
  return out;
}

/**
 * The person's facts from the wizard's answers: only visible questions count (a hidden lease term of a
 * person without a home is not a fact), and every fact not asked takes its default.
 */
export function factsFromAnswers(
  qs: Questionnaire,
  answers: Record<string, unknown>,
  countyCode: string,
  members: readonly MemberAnswer[],
): Facts {
  // The schema requires age and sex; a programme that never reads them gets placeholders, which by
  // construction cannot change its decision.
  const answered = answeredFacts(qs, answers);
  const input: Record<string, Record<string, unknown>> = {
    ...answered,
    place: { countyCode },
    person: { ...REQUIRED_BUT_UNREAD, ...answered.person },
  };
  const family = qs.asksFamily
    ? members.map((m) => {
        const member: Record<string, unknown> = {};
        for (const q of qs.memberQuestions) {
          const key = q.path.slice('member.'.length);
          if (m[key] !== undefined && m[key] !== null) member[key] = m[key];
        }
        if (typeof m.name === 'string' && m.name.trim()) member.name = m.name.trim();
        return member;
      })
    : [];
  return Facts.parse({ ...input, family });
}
