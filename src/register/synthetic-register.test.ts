import { describe, expect, it } from 'vitest';
import { checkCitizenId } from '../standards/citizen-id.js';
import { findDivision } from '../standards/divisions.js';
import { Household, Membership, Person } from './model.js';
import {
  AGE_GROUP_TARGETS,
  HOUSEHOLD_SIZE_TARGETS,
  HUKOU_REFORM_DATES,
  duplicatePairsOf,
  syntheticRegister,
  type SyntheticHousehold,
} from './synthetic-register.js';

const TODAY = '2026-11-22';
const REFERENCE_DATE = '2025-06-30';

/** Full years between two ISO dates. */
function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const generate = (city: 'quzhou' | 'lanzhou', persons: number, seed = 11, duplicateRate = 0) => [
  ...syntheticRegister({ city, persons, seed, duplicateRate, referenceDate: REFERENCE_DATE }),
];

const membersOf = (households: readonly SyntheticHousehold[]) => households.flatMap((h) => h.members);

const SPOUSE = new Set(['10', '11', '12']);
const CHILD = /^(2[0-6]|3[0-6])$/;
const PARENT = new Set(['51', '52', '53', '54', '55', '56']);

describe('syntheticRegister', () => {
  it('gives the same register for the same seed, ids included, and another for another seed', () => {
    const a = generate('quzhou', 3000, 7, 0.02);
    expect(generate('quzhou', 3000, 7, 0.02)).toEqual(a);
    const b = generate('quzhou', 3000, 8, 0.02);
    expect(b).not.toEqual(a);
    expect(b[0]?.household.id).not.toBe(a[0]?.household.id);
  });

  it('produces exactly the number of persons asked for, cutting the last household short', () => {
    expect(generate('lanzhou', 0)).toEqual([]);
    for (const persons of [1, 7, 1234]) {
      const households = generate('lanzhou', persons);
      expect(membersOf(households)).toHaveLength(persons);
      expect(households.every((h) => h.members[0]?.membership.relationship === '02')).toBe(true);
    }
  });

  it('rejects impossible options', () => {
    expect(() => generate('quzhou', -1)).toThrow(RangeError);
    expect(() => generate('quzhou', 10, 1, 1.5)).toThrow(RangeError);
  });

  describe.each(['quzhou', 'lanzhou'] as const)('%s, 20,000 persons', (city) => {
    const households = generate(city, 20_000);
    const members = membersOf(households);

    it('parses with the register model', () => {
      for (const { household, members: list } of households) {
        expect(Household.safeParse(household).success).toBe(true);
        for (const { person, membership } of list) {
          const parsed = Person.safeParse(person);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
          expect(Membership.safeParse(membership).success).toBe(true);
          expect(membership.householdId).toBe(household.id);
          expect(membership.personId).toBe(person.id);
        }
      }
    });

    it('gives valid, unique citizen ID numbers of the right sex and birth date', () => {
      const ids = new Set<string>();
      for (const { person } of members) {
        const check = checkCitizenId(person.citizenId, { today: TODAY });
        expect(check.isValid, `${person.citizenId} ${JSON.stringify(check)}`).toBe(true);
        if (check.isValid) {
          expect(check.parsed.birthDate).toBe(person.birthDate);
          expect(check.parsed.sex).toBe(person.sex === '1' ? 'male' : 'female');
        }
        ids.add(person.citizenId);
      }
      expect(ids.size).toBe(members.length);
      expect(new Set(members.map((m) => m.person.id)).size).toBe(members.length);
    });

    it('has exactly one head (02) per household, named as its head', () => {
      for (const { household, members: list } of households) {
        const heads = list.filter((m) => m.membership.relationship === '02');
        expect(heads).toHaveLength(1);
        expect(household.headPersonId).toBe(heads[0]?.person.id);
      }
    });

    it('keeps families consistent: spouses of opposite sex, children 20–50 years younger, parents older', () => {
      for (const { household, members: list } of households) {
        if (household.type !== 'family') continue;
        const head = list[0]?.person;
        if (!head) continue;
        const headAge = ageOn(head.birthDate, REFERENCE_DATE);
        for (const { person, membership } of list.slice(1)) {
          const age = ageOn(person.birthDate, REFERENCE_DATE);
          const r = membership.relationship;
          if (SPOUSE.has(r)) {
            expect(person.sex).not.toBe(head.sex);
            expect(r === '11' ? '1' : r === '12' ? '2' : person.sex).toBe(person.sex);
            expect(age).toBeGreaterThanOrEqual(18);
          }
          if (CHILD.test(r)) {
            expect(headAge - age).toBeGreaterThanOrEqual(18);
            expect(headAge - age).toBeLessThanOrEqual(51);
            expect(person.sex).toBe(r.startsWith('2') ? '1' : '2');
          }
          if (PARENT.has(r)) expect(age - headAge).toBeGreaterThanOrEqual(15);
          if (/^4[1-4]$/.test(r)) expect(headAge - age).toBeGreaterThanOrEqual(36);
        }
      }
    });

    it('places households in real villages with unique household numbers and a matching urban-rural class', () => {
      const numbers = new Set<string>();
      for (const { household } of households) {
        const { address } = household;
        expect(household.householdNumber.startsWith(address.countyCode)).toBe(true);
        numbers.add(household.householdNumber);
        const village = findDivision(address.villageCode ?? '');
        const town = findDivision(address.townCode ?? '');
        expect(village?.level).toBe('village');
        expect(address.villageCode?.startsWith(address.townCode ?? 'x')).toBe(true);
        expect(address.text).toContain(town?.name ?? '?');
        const expected =
          village?.villageKind === 'villagers-committee'
            ? town?.townKind === 'sub-district'
              ? ['112']
              : ['220']
            : ['111', '121', '123', '210'];
        expect(expected).toContain(address.urbanRuralClass);
      }
      expect(numbers.size).toBe(households.length);
    });

    it('records membership, status and the pre-reform hukou nature plausibly', () => {
      const reform = HUKOU_REFORM_DATES[city];
      for (const { household, members: list } of households) {
        const urban = household.address.urbanRuralClass?.startsWith('1') ?? false;
        for (const { person, membership } of list) {
          expect(person.status).toBe('active');
          expect(person.countyCode).toBe(household.address.countyCode);
          expect(membership.validTo).toBeNull();
          expect(membership.validFrom >= person.birthDate).toBe(true);
          expect(membership.validFrom <= REFERENCE_DATE).toBe(true);
          const periods = person.legacyHukouNature;
          if (person.birthDate >= reform) expect(periods).toEqual([]);
          else {
            expect(periods.at(-1)?.to).toBe(reform);
            if (household.type === 'family') {
              expect(periods).toEqual([{ type: urban ? '1' : '2', from: person.birthDate, to: reform }]);
            }
          }
          if (ageOn(person.birthDate, REFERENCE_DATE) < 16) {
            expect(person.maritalStatus).toBe('10');
            expect(['80', '70', '60', '40', '71', undefined]).toContain(person.education);
          }
        }
      }
    });

    it('has a plausible ethnic make-up', () => {
      const share = (code: string) =>
        members.filter((m) => m.person.ethnicity === code).length / members.length;
      if (city === 'quzhou') expect(share('01')).toBeGreaterThan(0.98);
      else {
        expect(share('01')).toBeGreaterThan(0.93);
        expect(share('01')).toBeLessThan(0.97);
        expect(share('03')).toBeGreaterThan(0.015);
      }
    });
  });

  it('follows the 2020 census age pyramid, household sizes and sex ratio on 100,000 persons', () => {
    const households = generate('quzhou', 100_000, 3);
    const members = membersOf(households);
    const groups = { '0-14': 0, '15-59': 0, '60+': 0 };
    for (const { person } of members) {
      const age = ageOn(person.birthDate, REFERENCE_DATE);
      groups[age < 15 ? '0-14' : age < 60 ? '15-59' : '60+']++;
    }
    for (const [group, target] of Object.entries(AGE_GROUP_TARGETS)) {
      expect(Math.abs(groups[group as keyof typeof groups] / members.length - target)).toBeLessThan(0.025);
    }

    const families = households.filter((h) => h.household.type === 'family');
    const sizes = { '1': 0, '2': 0, '3': 0, '4': 0, '5+': 0 };
    for (const h of families) sizes[h.members.length >= 5 ? '5+' : (String(h.members.length) as '1')]++;
    for (const [size, target] of Object.entries(HOUSEHOLD_SIZE_TARGETS)) {
      expect(Math.abs(sizes[size as keyof typeof sizes] / families.length - target)).toBeLessThan(0.02);
    }
    const collective = households.length - families.length;
    expect(collective / households.length).toBeGreaterThan(0.005);
    expect(collective / households.length).toBeLessThan(0.015);

    const males = members.filter((m) => m.person.sex === '1').length;
    const ratio = (100 * males) / (members.length - males);
    expect(ratio).toBeGreaterThan(100);
    expect(ratio).toBeLessThan(110);

    // A few names carry characters beyond the basic CJK block (䶮, 𠮷), as ~0.01 % do.
    expect(members.some((m) => /[\u3400-\u4dbf]|[\u{20000}-\u{3134f}]/u.test(m.person.name))).toBe(true);
  });

  it('registers duplicates in other households, with the truth recorded', () => {
    const households = generate('lanzhou', 20_000, 5, 0.02);
    const truth = duplicatePairsOf(households);
    expect(truth.length).toBeGreaterThan(300);
    expect(truth.length).toBeLessThan(500);
    const where = new Map<string, { household: string; person: Person }>();
    for (const h of households) {
      for (const m of h.members) where.set(m.person.id, { household: h.household.id, person: m.person });
    }
    const kinds = new Set(truth.map((t) => t.kind));
    expect([...kinds].sort()).toEqual([
      'homophone',
      'one-character-different',
      'same-citizen-id',
      'same-name',
    ]);
    for (const t of truth) {
      const original = where.get(t.original);
      const duplicate = where.get(t.duplicate);
      expect(original && duplicate).toBeTruthy();
      if (!original || !duplicate) continue;
      expect(duplicate.household).not.toBe(original.household);
      expect(duplicate.person.birthDate).toBe(original.person.birthDate);
      expect(duplicate.person.sex).toBe(original.person.sex);
      expect(checkCitizenId(duplicate.person.citizenId, { today: TODAY }).isValid).toBe(true);
      if (t.kind === 'same-citizen-id') expect(duplicate.person.citizenId).toBe(original.person.citizenId);
      else {
        expect(duplicate.person.citizenId).not.toBe(original.person.citizenId);
        expect(duplicate.person.birthplace?.slice(0, 4)).toBe(original.person.birthplace?.slice(0, 4));
      }
      if (t.kind === 'same-name') expect(duplicate.person.name).toBe(original.person.name);
      if (t.kind === 'homophone' || t.kind === 'one-character-different') {
        expect(duplicate.person.name).not.toBe(original.person.name);
      }
    }
  });
});
