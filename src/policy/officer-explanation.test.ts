import { describe, expect, it } from 'vitest';
import { evaluateProgramme } from './evaluate.js';
import { Facts } from './facts.js';
import { explainForOfficer, relationOfCode } from './officer-explanation.js';
import { loadPolicy } from '../services/testing/policies.js';

const policy = loadPolicy('quzhou-2017-final');
const decide = (family: unknown[]) =>
  evaluateProgramme(
    policy,
    Facts.parse({
      place: { countyCode: '330802' },
      person: { age: 40, sex: 'male' },
      hukou: { scope: 'same-city' },
      residence: { type: 'owned', townType: 'county-seat' },
      family,
    }),
    'settlement',
  );

describe('the explanation for the officer', () => {
  it('shows only the facts the pathway read, each with the value seen and its article', () => {
    const decision = decide([]);
    const x = explainForOfficer(decision, 'legal-residence', [{ name: '郑一', relationship: '02' }]);
    expect(x.pathway).toMatchObject({ id: 'legal-residence', status: 'eligible' });
    const facts = x.facts.map((f) => f.fact);
    expect(facts).toEqual(['hukou.scope', 'residence.townType', 'residence.type']);
    expect(x.facts.every((f) => f.status === 'met' && f.article.length > 0)).toBe(true);
    expect(x.facts.find((f) => f.fact === 'residence.type')?.actual).toBe('owned');
    // Far fewer than every fact the engine was given.
    expect(x.facts.length).toBeLessThan(10);
    expect(x.articles.map((a) => a.id)).toContain('qz-final/1');
    expect(x.articles.every((a) => a.quote.length > 0)).toBe(true);
  });

  it('lists the movers as followers, matched to the engine by name, then by relation', () => {
    const decision = decide([
      { relation: 'spouse', name: '王芳', age: 38, sex: 'female', isCoResident: true },
      { relation: 'child', age: 17, sex: 'female', isCoResident: true },
    ]);
    const x = explainForOfficer(decision, 'legal-residence', [
      { name: '郑一', relationship: '02' },
      { name: '王芳', relationship: '10' },
      { name: '郑小雨', relationship: '30' },
    ]);
    expect(x.followers.map((f) => [f.name, f.relation, f.status])).toEqual([
      ['王芳', 'spouse', 'may_follow'],
      ['郑小雨', 'child', 'may_follow'],
    ]);
    expect(x.assessedNotMoving).toBe(0);
  });

  it('says when a mover was not assessed, and counts the assessed who do not move', () => {
    const decision = decide([{ relation: 'parent', name: '郑父', age: 70, sex: 'male', isCoResident: true }]);
    const x = explainForOfficer(decision, 'legal-residence', [
      { name: '郑一', relationship: '02' },
      { name: '王芳', relationship: '10' },
    ]);
    expect(x.followers).toEqual([
      { name: '王芳', relationship: '10', relation: 'spouse', status: 'not_assessed' },
    ]);
    expect(x.assessedNotMoving).toBe(1);
  });

  it('has no followers when the applicant moves alone, whatever family the facts name', () => {
    const decision = decide([{ relation: 'child', age: 10, sex: 'male', isCoResident: true }]);
    const x = explainForOfficer(decision, 'legal-residence', [{ name: '郑一', relationship: '02' }]);
    expect(x.followers).toEqual([]);
    expect(x.assessedNotMoving).toBe(1);
  });

  it('reads GB/T 4761 codes as the engine’s relations', () => {
    expect(['10', '11', '20', '31', '51', '52', '61', '99'].map(relationOfCode)).toEqual([
      'spouse',
      'spouse',
      'child',
      'child',
      'parent',
      'parent',
      'other',
      'other',
    ]);
  });
});
