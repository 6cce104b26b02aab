import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { evaluateProgramme } from './evaluate.js';
import { compileExplainer, explainProgramme, toDecision } from './explain.js';
import { FACTS, Facts, type FactDefinition } from './facts.js';
import type { Condition, Policy } from './policy.js';
import { syntheticPopulation } from './synthetic-population.js';

const catalog = loadPolicyCatalog();
const policies = catalog.policies.map((p) => p.policy);

/** Every number a policy compares with, and its neighbours: both sides of every threshold. */
function thresholds(policy: Policy): number[] {
  const out = new Set<number>([0, 1]);
  const walk = (c: Condition) => {
    if ('fact' in c) {
      for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
        if (typeof v === 'number') for (const d of [-1, -0.1, 0, 0.1, 1]) out.add(v + d);
      }
    } else if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
  };
  for (const programme of policy.programmes) {
    for (const pathway of programme.pathways) {
      walk(pathway.when);
      for (const rule of pathway.followers?.rules ?? []) if (rule.when) walk(rule.when);
      if (pathway.followers?.cap) walk(pathway.followers.cap.when);
    }
  }
  return [...out].filter((n) => n >= 0);
}

function valueOf(def: FactDefinition, numbers: readonly number[]): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(def.options ?? []));
    case 'string':
      return fc.constantFrom('330802', '330881', '620102', '620121');
    case 'number':
      // Mostly integers (most number facts are whole months or years): fractions fail their schema.
      return fc.oneof(
        { arbitrary: fc.constantFrom(...numbers), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 150 }), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 2_000_000 }), weight: 1 },
        { arbitrary: fc.double({ min: 0, max: 2_000_000, noNaN: true }), weight: 1 },
      );
  }
}

/** Sets `value` at the dotted `path` of `into`. */
function put(into: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let at = into;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1] as string] = value;
}

/** Random facts that pass the schema (each field drawn from its options or around the thresholds). */
function factsArbitrary(policy: Policy): fc.Arbitrary<Facts> {
  const numbers = thresholds(policy);
  const defs = [...FACTS.values()];
  const person = fc
    .tuple(...defs.filter((d) => d.scope === 'person').map((d) => fc.constant(d)))
    .chain((list) => fc.tuple(...list.map((d) => valueOf(d, numbers).map((v) => [d.path, v] as const))));
  const memberDefs = defs.filter((d) => d.scope === 'member');
  const member = fc
    .tuple(
      fc.tuple(...memberDefs.map((d) => valueOf(d, numbers).map((v) => [d.path.slice(7), v] as const))),
      // Names with either colon: follower texts are split on them.
      fc.option(fc.constantFrom('王芳', '李：明', 'Ann: B', 'Zhang'), { nil: undefined }),
    )
    .map(([fields, name]) => {
      const m: Record<string, unknown> = {};
      for (const [path, v] of fields) put(m, path, v);
      if (name !== undefined) m.name = name;
      return m;
    });
  return fc
    .tuple(person, fc.array(member, { maxLength: 7 }))
    .map(([fields, family]) => {
      const input: Record<string, unknown> = {};
      for (const [path, v] of fields) put(input, path, v);
      input.family = family;
      return Facts.safeParse(input);
    })
    .filter((r) => r.success)
    .map((r) => r.data);
}

describe.each(policies.map((policy) => ({ id: policy.id, policy })))(
  'compiled explainer $id',
  ({ policy }) => {
    it.each(policy.programmes.map((p) => p.id))(
      'equals the reference evaluator on random facts: %s',
      (programmeId) => {
        const explainer = compileExplainer(policy, programmeId);
        fc.assert(
          fc.property(factsArbitrary(policy), (facts) => {
            expect(toDecision(explainer.explain(facts))).toStrictEqual(
              evaluateProgramme(policy, facts, programmeId),
            );
          }),
          { numRuns: 250 },
        );
      },
    );

    it('equals the reference evaluator on a synthetic population', () => {
      const city = policy.jurisdiction.startsWith('3308') ? 'quzhou' : 'lanzhou';
      const people = [...syntheticPopulation(city, 1500, 5)];
      for (const programme of policy.programmes) {
        for (const facts of people) {
          expect(explainProgramme(policy, facts, programme.id)).toStrictEqual(
            evaluateProgramme(policy, facts, programme.id),
          );
        }
      }
    });
  },
);

describe('compact explanation', () => {
  const policy = catalog.find('quzhou-2017-final')?.policy as Policy;
  const explainer = compileExplainer(policy, 'settlement');

  it('is compiled once per programme', () => {
    expect(compileExplainer(policy, 'settlement')).toBe(explainer);
    expect(compileExplainer(policy)).toBe(explainer);
  });

  it('holds every condition status and seen value, sharing the words', () => {
    const facts = Facts.parse({
      place: { countyCode: '330802' },
      person: { age: 30, sex: 'female' },
      hukou: { scope: 'same-county' },
      residence: {
        type: 'private-rental',
        townType: 'county-seat',
        leaseMonths: 11,
        hasResidenceProof: true,
      },
    });
    const x = explainer.explain(facts);
    const nodes = explainer.tree.nodes;
    expect(x.conditions.length).toBe(nodes.length + explainer.tree.leaves.length);
    const lease = explainer.tree.leaves.findIndex((l) => nodes[l.node]?.fact === 'residence.leaseMonths');
    expect(x.conditions[nodes.length + lease]).toBe(11);
    expect(x.outcome).toBe(0);
    const decision = toDecision(x);
    expect(decision.nearestChanges[0]?.changes[0]).toMatchObject({
      fact: 'residence.leaseMonths',
      from: 11,
      to: 12,
    });
    // Words and articles are the programme's, not copies.
    expect(decision.pathways[0]?.condition.text).toBe(nodes[explainer.pathwayRoots[0] as number]?.text);
    expect(decision.articles[0]).toBe(toDecision(explainer.explain(facts)).articles[0]);
  });

  it('throws on an unknown programme', () => {
    expect(() => compileExplainer(policy, 'nope')).toThrow(RangeError);
  });
});

describe('"what would make it yes" suggests only changes the person can make, under clauses for them', () => {
  const suggested = (id: string, facts: unknown) => {
    const policy = catalog.find(id)?.policy as Policy;
    const parsed = Facts.parse(facts);
    const compiled = explainProgramme(policy, parsed).nearestChanges.map((n) => n.pathway);
    // The reference evaluator proposes the same.
    expect(evaluateProgramme(policy, parsed).nearestChanges.map((n) => n.pathway)).toEqual(compiled);
    return compiled;
  };
  const base = { place: { countyCode: '330802' }, person: { age: 30, sex: 'male' } };

  it.each(['quzhou-2017-final', 'quzhou-2017-draft'])(
    '%s: never the graduate clause to someone from another province, nor to a non-student',
    (id) => {
      expect(suggested(id, { ...base, hukou: { scope: 'other-province' } })).not.toContain('graduate');
      expect(
        suggested(id, { ...base, hukou: { scope: 'other-province' }, study: { status: 'studying' } }),
      ).not.toContain('graduate');
      expect(suggested(id, { ...base, hukou: { scope: 'same-city' } })).not.toContain('graduate');
    },
  );

  it('the graduate clause to a student of this city at a college in the province, asking to graduate', () => {
    const student = {
      ...base,
      person: { age: 20, sex: 'male' },
      hukou: { scope: 'same-city' },
      study: { status: 'studying', hadCityHukouBeforeStudy: true, isCollegeInProvince: true },
    };
    expect(suggested('quzhou-2017-final', student)).toContain('graduate');
    const decision = explainProgramme(
      catalog.find('quzhou-2017-final')?.policy as Policy,
      Facts.parse(student),
    );
    const changes = decision.nearestChanges.find((n) => n.pathway === 'graduate')?.changes ?? [];
    expect(changes.map((c) => c.fact)).toContain('study.status');
    expect(changes.map((c) => c.fact)).not.toContain('study.hadCityHukouBeforeStudy');
    expect(changes.map((c) => c.fact)).not.toContain('hukou.scope');
  });
});
