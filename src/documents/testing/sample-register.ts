/**
 * Register records for the document tests: a Quzhou (柯城区) family whose head and spouse have rare
 * characters in their names, and a collective household of any size. Parsed through the model's zod
 * schemas so the fixtures are records the register could hold.
 */
import { randomUUID } from 'node:crypto';
import { composeCitizenId } from '../../standards/citizen-id.js';
import {
  Household,
  Membership,
  Person,
  type LegacyHukouNature,
  type Household as HouseholdRecord,
  type Membership as MembershipRecord,
  type Person as PersonRecord,
} from '../../register/model.js';
import type { HouseholdExtractMember } from '../household-extract.js';

export const COUNTY = '330802';

interface PersonSpec {
  readonly name: string;
  readonly sex: '1' | '2';
  readonly birthDate: string;
  readonly sequence: number;
  readonly ethnicity?: string;
  readonly legacyHukouNature?: readonly LegacyHukouNature[];
}

export function samplePerson(spec: PersonSpec): PersonRecord {
  return Person.parse({
    id: randomUUID(),
    citizenId: composeCitizenId(COUNTY, spec.birthDate, spec.sequence),
    name: spec.name,
    sex: spec.sex,
    birthDate: spec.birthDate,
    ethnicity: spec.ethnicity ?? '01',
    birthplace: COUNTY,
    legacyHukouNature: spec.legacyHukouNature ?? [],
    status: 'active',
    countyCode: COUNTY,
  });
}

export function sampleHousehold(
  type: HouseholdRecord['type'],
  headPersonId: string | null,
  sequence = 1,
): HouseholdRecord {
  return Household.parse({
    id: randomUUID(),
    householdNumber: `${COUNTY}${String(sequence).padStart(9, '0')}`,
    type,
    address: { text: '府山街道坊门街 18 号 2 单元 301 室', countyCode: COUNTY },
    headPersonId,
    status: 'active',
  });
}

function membership(
  person: PersonRecord,
  household: HouseholdRecord,
  relationship: string,
): MembershipRecord {
  return Membership.parse({
    personId: person.id,
    householdId: household.id,
    relationship,
    validFrom: person.birthDate,
    validTo: null,
  });
}

/** 吉𠮷 (head; 𠮷 is U+20BB7, outside the BMP), 龚䶮 (spouse; 䶮 is Extension A) and their children. */
export function sampleFamily(): {
  household: HouseholdRecord;
  head: PersonRecord;
  members: HouseholdExtractMember[];
} {
  const head = samplePerson({
    name: '吉𠮷',
    sex: '1',
    birthDate: '1968-05-12',
    sequence: 17,
    legacyHukouNature: [
      { type: '2', from: '1968-05-12', to: '1990-08-01' },
      { type: '1', from: '1990-08-01', to: '2017-06-30' },
    ],
  });
  const spouse = samplePerson({ name: '龚䶮', sex: '2', birthDate: '1970-11-03', sequence: 26 });
  const son = samplePerson({ name: '吉明远', sex: '1', birthDate: '1995-02-28', sequence: 35 });
  const daughter = samplePerson({
    name: '吉思涵',
    sex: '2',
    birthDate: '2003-09-09',
    sequence: 48,
    ethnicity: '03',
  });
  const household = sampleHousehold('family', head.id);
  return {
    household,
    head,
    members: [
      { person: spouse, membership: membership(spouse, household, '12') },
      { person: head, membership: membership(head, household, '02') },
      { person: son, membership: membership(son, household, '22') },
      { person: daughter, membership: membership(daughter, household, '32') },
    ],
  };
}

const FAMILY_NAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN_NAMES = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '艳', '勇', '杰'];

/** A collective household (a factory dormitory) of `size` people, none of them the head. */
export function sampleCollective(size: number): {
  household: HouseholdRecord;
  members: HouseholdExtractMember[];
} {
  const household = sampleHousehold('collective', null, 2);
  const members = Array.from({ length: size }, (_, i) => {
    const sex = i % 2 === 0 ? '1' : '2';
    const person = samplePerson({
      name: `${FAMILY_NAMES[i % FAMILY_NAMES.length] ?? '王'}${GIVEN_NAMES[i % GIVEN_NAMES.length] ?? '伟'}`,
      sex,
      birthDate: `${1970 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
      sequence: 100 + 2 * i + (sex === '1' ? 1 : 0),
    });
    return { person, membership: membership(person, household, '99') };
  });
  return { household, members };
}
