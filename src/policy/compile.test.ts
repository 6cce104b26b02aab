import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import {
  compileColumnar,
  compileProgramme,
  encodeColumns,
  evaluateBulk,
  MET,
  NEEDS_APPROVAL,
  NOT_MET,
} from './compile.js';
import { evaluateProgramme } from './evaluate.js';
import { Facts } from './facts.js';
import { syntheticPopulation } from './synthetic-population.js';

const catalog = loadPolicyCatalog();
const CODE = { eligible: MET, needs_approval: NEEDS_APPROVAL, not_eligible: NOT_MET } as const;

describe('synthetic population', () => {
  it('is reproducible for a seed and valid against the facts schema', () => {
    const a = [...syntheticPopulation('quzhou', 200, 7)];
    const b = [...syntheticPopulation('quzhou', 200, 7)];
    expect(a).toEqual(b);
    expect([...syntheticPopulation('quzhou', 200, 8)]).not.toEqual(a);
    for (const person of a) expect(Facts.parse(person)).toEqual(person);
  });

  it('spreads people over the counties of the city', () => {
    const counties = new Set([...syntheticPopulation('lanzhou', 2000, 1)].map((p) => p.place.countyCode));
    expect(counties.size).toBe(9);
  });
});

describe.each(catalog.policies.map((p) => ({ id: p.policy.id, policy: p.policy })))(
  'compiled $id',
  ({ policy }) => {
    const city = policy.jurisdiction.startsWith('3308') ? 'quzhou' : 'lanzhou';
    const people = [...syntheticPopulation(city, 3000, 11)];

    it.each(policy.programmes.map((p) => p.id))(
      'agrees with the explaining evaluator on every person: %s',
      (programmeId) => {
        for (const mode of ['codegen', 'closures'] as const) {
          const compiled = compileProgramme(policy, programmeId, { mode });
          expect(compiled.mode).toBe(mode);
          const statuses = evaluateBulk(compiled, people);
          const width = compiled.pathwayIds.length;
          people.forEach((person, i) => {
            const decision = evaluateProgramme(policy, person, programmeId);
            const expected = decision.pathways.map((p) => CODE[p.status]);
            expect([...statuses.subarray(i * width, (i + 1) * width)], `${mode} person ${i}`).toEqual(
              expected,
            );
          });
        }
      },
    );

    it.each(policy.programmes.map((p) => p.id))(
      'columnar form agrees with the row form: %s',
      (programmeId) => {
        const rows = evaluateBulk(compileProgramme(policy, programmeId), people);
        const columnar = compileColumnar(policy, programmeId);
        const out = new Uint8Array(rows.length);
        columnar.evaluate(encodeColumns(people, columnar.factPaths), out);
        expect(out).toEqual(rows);
      },
    );
  },
);
