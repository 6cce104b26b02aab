import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { decisionBasis } from './decision-basis.js';
import { evaluateProgramme } from './evaluate.js';
import { Facts } from './facts.js';

const final = loadPolicyCatalog().find('quzhou-2017-final')!.policy;

const pathwayOf = (facts: unknown, id: string) => {
  const p = evaluateProgramme(final, Facts.parse(facts)).pathways.find((x) => x.id === id);
  if (!p) throw new Error(`no pathway ${id}`);
  return p;
};

describe('the articles a decision rests on (issue 13)', () => {
  it('cites qz-final/1 for an owner from another province, not the within-county clause qz-draft/2.1.6', () => {
    const legal = pathwayOf(
      {
        place: { countyCode: '330802' },
        person: { age: 35, sex: 'male' },
        hukou: { scope: 'other-province' },
        residence: { type: 'owned', townType: 'county-seat' },
      },
      'legal-residence',
    );
    expect(legal.status).toBe('eligible');
    expect(decisionBasis(legal)).toEqual(['qz-final/1']);
  });

  it('cites qz-draft/2.1.6 where it is what made the answer yes: joining a relative within the county with proof of residence', () => {
    const joining = pathwayOf(
      {
        place: { countyCode: '330802' },
        person: { age: 70, sex: 'female' },
        hukou: { scope: 'same-county' },
        residence: { hasResidenceProof: true },
        sponsor: {
          relation: 'child',
          hasLegalStableResidence: true,
          townType: 'county-seat',
          isCoResident: true,
        },
      },
      'relatives-joining',
    );
    expect(joining.status).toBe('eligible');
    expect(decisionBasis(joining)).toContain('qz-draft/2.1.6');
    expect(decisionBasis(joining)[0]).toBe('qz-final/1');
  });
});
