/**
 * The policy facts the register can vouch for, per registered person: a population for
 * `huji policy simulate --population db`. The register knows a person's county, age, sex, marital status,
 * education and household (who may follow them); it does not know residence, employment, social
 * insurance, investment, honours or records. Those facts keep the schema's defaults (none, 0 months,
 * no), so a pathway that needs them counts as not met: a simulation over the register is a lower bound
 * for such pathways and says so. Everyone in the register already holds a hukou of their county, so
 * `hukou.scope` is `same-county` (the intra-county pathways are the ones this population informs).
 */
import { Facts, type FamilyMember } from '../policy/facts.js';
import type { Person } from './model.js';

/** The facts taken from the register, named for reports. */
export const REGISTER_FACT_PATHS = [
  'place.countyCode',
  'person.age',
  'person.sex',
  'person.maritalStatus',
  'hukou.scope',
  'education.level',
  'family[].relation, age, sex, maritalStatus, isCoResident',
] as const;

type EducationLevel = Facts['education']['level'];

/** GB/T 4658 codes of completed education. */
const COMPLETED: Readonly<Record<string, EducationLevel>> = {
  '11': 'doctorate',
  '14': 'master',
  '17': 'master',
  '21': 'bachelor',
  '28': 'bachelor',
  '31': 'college',
  '41': 'secondary-vocational',
  '44': 'secondary-vocational',
  '47': 'secondary-vocational',
  '61': 'senior-high',
  '71': 'junior-high',
  '81': 'primary',
};

/** A programme not completed (结业, 肄业) counts as the level it builds on: a conservative reading. */
const BELOW_BY_DECADE: Readonly<Record<string, EducationLevel>> = {
  '1': 'bachelor',
  '2': 'senior-high',
  '3': 'senior-high',
  '4': 'junior-high',
  '6': 'junior-high',
  '7': 'primary',
  '8': 'none',
  '9': 'none',
};

export function educationLevelOf(code: string | undefined): EducationLevel {
  if (!code) return 'none';
  return COMPLETED[code] ?? BELOW_BY_DECADE[code[0] ?? '9'] ?? 'none';
}

export function maritalStatusOf(code: string | undefined): Facts['person']['maritalStatus'] {
  if (!code) return 'unmarried';
  if (code.startsWith('2')) return 'married';
  if (code === '30') return 'widowed';
  if (code === '40') return 'divorced';
  return 'unmarried';
}

/** Completed years of age on `date` (ISO). */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const isSpouse = (r: string) => r.startsWith('1');
const isChild = (r: string) => (r.startsWith('2') || r.startsWith('3')) && r !== '28' && r !== '38';
const isOwnParent = (r: string) => ['50', '51', '52', '57', '58', '59'].includes(r);
const isParentInLaw = (r: string) => ['53', '54', '55', '56'].includes(r);

/**
 * How `other` stands to `self`, from both their relationships to the household head (GB/T 4761).
 * Only what the two codes determine: anything else is `other`.
 */
export function relationBetween(self: string, other: string): FamilyMember['relation'] {
  if (self === '02') {
    if (isSpouse(other)) return 'spouse';
    if (isChild(other)) return 'child';
    if (isOwnParent(other)) return 'parent';
    return 'other';
  }
  if (isSpouse(self)) {
    if (other === '02') return 'spouse';
    if (isChild(other)) return 'child';
    if (isParentInLaw(other)) return 'parent';
    return 'other';
  }
  if (isChild(self) && (other === '02' || isSpouse(other))) return 'parent';
  return 'other';
}

export interface RegisteredMember {
  readonly person: Person;
  readonly relationship: string;
}

/** The facts of each member of one household, as of `date`. */
export function householdPolicyFacts(members: readonly RegisteredMember[], date: string): Facts[] {
  return members.map((self) => {
    const p = self.person;
    const family = members
      .filter((m) => m !== self)
      .map((m): FamilyMember => ({
        relation: relationBetween(self.relationship, m.relationship),
        age: Math.max(0, ageOn(m.person.birthDate, date)),
        sex: m.person.sex === '1' ? 'male' : 'female',
        maritalStatus: maritalStatusOf(m.person.maritalStatus),
        hasIncome: false,
        isCoResident: true,
      }))
      .filter((m) => m.relation !== 'other');
    // Parsing fills every fact the register does not hold with the schema's default.
    return Facts.parse({
      place: { countyCode: p.countyCode },
      person: {
        age: Math.max(0, ageOn(p.birthDate, date)),
        sex: p.sex === '1' ? 'male' : 'female',
        maritalStatus: maritalStatusOf(p.maritalStatus),
        hasIncome: false,
      },
      hukou: { scope: 'same-county' },
      education: { level: educationLevelOf(p.education), isFullTime: false, isKeyUniversity: false },
      family,
    });
  });
}
