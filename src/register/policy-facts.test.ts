import { describe, expect, it } from 'vitest';
import type { Person } from './model.js';
import { ageOn, educationLevelOf, householdPolicyFacts, relationBetween } from './policy-facts.js';

const person = (over: Partial<Person>): Person => ({
  id: crypto.randomUUID(),
  citizenId: '330802199001011234',
  name: '张三',
  formerNames: [],
  sex: '1',
  birthDate: '1990-01-01',
  ethnicity: '01',
  birthplace: '330802',
  legacyHukouNature: [],
  status: 'active',
  countyCode: '330802',
  ...over,
});

describe('policy facts from the register', () => {
  it('counts completed years of age', () => {
    expect(ageOn('1990-06-15', '2026-06-14')).toBe(35);
    expect(ageOn('1990-06-15', '2026-06-15')).toBe(36);
  });

  it('reads GB/T 4658: a completed programme is its level, an unfinished one the level it builds on', () => {
    expect(educationLevelOf('21')).toBe('bachelor'); // 大学本科毕业
    expect(educationLevelOf('23')).toBe('senior-high'); // 大学本科肄业
    expect(educationLevelOf('31')).toBe('college');
    expect(educationLevelOf('11')).toBe('doctorate');
    expect(educationLevelOf(undefined)).toBe('none');
  });

  it('derives how two members stand to each other from their GB/T 4761 relationships to the head', () => {
    expect(relationBetween('02', '12')).toBe('spouse'); // head → wife
    expect(relationBetween('12', '02')).toBe('spouse');
    expect(relationBetween('02', '21')).toBe('child');
    expect(relationBetween('02', '28')).toBe('other'); // son-in-law is not a child
    expect(relationBetween('02', '51')).toBe('parent');
    expect(relationBetween('02', '55')).toBe('other'); // the head's father-in-law …
    expect(relationBetween('12', '55')).toBe('parent'); // … is the wife's father
    expect(relationBetween('21', '12')).toBe('parent');
    expect(relationBetween('21', '22')).toBe('other'); // siblings: not a follower relation
  });

  it('gives each member their own facts, family from the household, and defaults for what the register lacks', () => {
    const head = { person: person({ maritalStatus: '20', education: '21' }), relationship: '02' };
    const wife = {
      person: person({ sex: '2', birthDate: '1992-03-04', maritalStatus: '20' }),
      relationship: '12',
    };
    const son = { person: person({ birthDate: '2015-09-01' }), relationship: '21' };
    const [h, w, s] = householdPolicyFacts([head, wife, son], '2026-11-22');
    expect(h).toMatchObject({
      place: { countyCode: '330802' },
      person: { age: 36, sex: 'male', maritalStatus: 'married' },
      hukou: { scope: 'same-county' },
      education: { level: 'bachelor' },
      residence: { type: 'none', leaseMonths: 0 },
    });
    expect(h?.family.map((f) => [f.relation, f.age])).toEqual([
      ['spouse', 34],
      ['child', 11],
    ]);
    expect(w?.family.map((f) => f.relation)).toEqual(['spouse', 'child']);
    expect(s?.family.map((f) => f.relation)).toEqual(['parent', 'parent']);
    expect(s?.person.age).toBe(11);
  });
});
