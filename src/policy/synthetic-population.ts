/**
 * A seeded, reproducible synthetic population of the people a city's settlement and residence-permit
 * rules apply to: residents of the towns and villages and migrants living there, with distributions
 * taken from public statistics where they exist (2020 census education shares, county population
 * shares of Quzhou and Lanzhou, household sizes) and stated guesses where they do not (lease terms,
 * investment amounts). Used by `huji policy simulate`, tests and benchmarks; the register issue
 * extends it to whole persons and households.
 */
import type { Facts, FamilyMember } from './facts.js';

export type City = 'quzhou' | 'lanzhou';

/** County codes with their share of the registered population (Statistical Yearbooks 2020, rounded). */
export const CITY_COUNTIES: Readonly<Record<City, readonly (readonly [code: string, share: number])[]>> = {
  quzhou: [
    ['330802', 0.18],
    ['330803', 0.16],
    ['330822', 0.13],
    ['330824', 0.14],
    ['330825', 0.16],
    ['330881', 0.23],
  ],
  lanzhou: [
    ['620102', 0.33],
    ['620103', 0.15],
    ['620104', 0.09],
    ['620105', 0.08],
    ['620111', 0.04],
    ['620121', 0.12],
    ['620122', 0.04],
    ['620123', 0.11],
    ['620171', 0.04],
  ],
};

/** mulberry32: small, fast and good enough for synthetic data; the same seed gives the same people. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, table: readonly (readonly [T, number])[]): T {
  let r = random() * table.reduce((s, [, w]) => s + w, 0);
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return (table.at(-1) as readonly [T, number])[0];
}

const between = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1));

/** Education of adults, 2020 census shares (per mille, rounded). */
const EDUCATION: readonly (readonly [Facts['education']['level'], number])[] = [
  ['none', 30],
  ['primary', 250],
  ['junior-high', 345],
  ['senior-high', 110],
  ['secondary-vocational', 50],
  ['college', 110],
  ['bachelor', 92],
  ['master', 11],
  ['doctorate', 2],
];

function member(
  random: () => number,
  relation: FamilyMember['relation'],
  age: number,
  sex: FamilyMember['sex'],
): FamilyMember {
  const isAdult = age >= 18;
  return {
    relation,
    age,
    sex,
    maritalStatus:
      relation === 'spouse' || relation === 'parent'
        ? 'married'
        : isAdult && random() < 0.4
          ? 'married'
          : 'unmarried',
    hasIncome: isAdult && age < 65 ? random() < 0.8 : random() < 0.3,
    isCoResident: random() < 0.85,
  };
}

/** One person's facts; `random` advances. */
export function syntheticPerson(random: () => number, city: City): Facts {
  const countyCode = pick(random, CITY_COUNTIES[city]);
  const age = between(random, 18, 78);
  const sex = random() < 0.51 ? 'male' : 'female';
  const married = age >= 23 && random() < 0.78;
  const scope = pick(random, [
    ['same-county', 45],
    ['same-city', 12],
    ['same-province', 20],
    ['other-province', 23],
  ] as const);
  const residenceType = pick(random, [
    ['owned', 38],
    ['public-rental', 4],
    ['private-rental', 30],
    ['employer-provided', 10],
    ['relative', 8],
    ['none', 10],
  ] as const);
  const townType = pick(random, [
    ['county-seat', 52],
    ['organized-town', 28],
    ['township', 20],
  ] as const);
  const isRental = residenceType === 'private-rental' || residenceType === 'public-rental';
  const level = pick(random, EDUCATION);
  const isGraduateLevel =
    level === 'college' || level === 'bachelor' || level === 'master' || level === 'doctorate';
  const employment = pick(random, [
    ['stable', 48],
    ['self-employed', 12],
    ['flexible', 18],
    ['none', 22],
  ] as const);
  const monthsHere = Math.min(age * 12, Math.floor(random() ** 2 * 120));
  const invests = random() < 0.03;
  const honoured = random() < 0.004;
  const family: FamilyMember[] = [];
  if (married)
    family.push(
      member(
        random,
        'spouse',
        Math.max(20, age + between(random, -5, 5)),
        sex === 'male' ? 'female' : 'male',
      ),
    );
  const children = married
    ? pick(random, [
        [0, 15],
        [1, 50],
        [2, 30],
        [3, 5],
      ] as const)
    : 0;
  for (let i = 0; i < children; i++) {
    const childAge = Math.max(0, age - between(random, 22, 38));
    family.push(member(random, 'child', childAge, random() < 0.52 ? 'male' : 'female'));
  }
  const parents =
    age < 60
      ? pick(random, [
          [0, 40],
          [1, 35],
          [2, 25],
        ] as const)
      : 0;
  for (let i = 0; i < parents; i++) {
    family.push(
      member(random, 'parent', Math.min(100, age + between(random, 20, 35)), i === 0 ? 'female' : 'male'),
    );
  }
  const joins = random() < 0.08;
  const reclassified = random() < 0.1;
  return {
    place: { countyCode },
    person: { age, sex, maritalStatus: married ? 'married' : 'unmarried', hasIncome: employment !== 'none' },
    hukou: { scope },
    residence: {
      type: residenceType,
      townType: residenceType === 'none' ? 'none' : townType,
      leaseMonths: isRental
        ? pick(random, [
            [6, 25],
            [11, 10],
            [12, 45],
            [24, 15],
            [36, 5],
          ] as const)
        : 0,
      floorAreaM2: residenceType === 'none' ? 0 : Math.round((35 + random() * 110) * 10) / 10,
      hasResidenceProof: residenceType !== 'none' && random() < 0.7,
    },
    education: {
      level,
      isFullTime: isGraduateLevel && random() < 0.7,
      isKeyUniversity: isGraduateLevel && random() < 0.15,
    },
    qualifications: {
      professionalTitle: pick(random, [
        ['none', 830],
        ['junior', 100],
        ['intermediate', 50],
        ['associate-senior', 15],
        ['senior', 5],
      ] as const),
      vocationalLevel: pick(random, [
        ['none', 800],
        ['junior-worker', 70],
        ['intermediate-worker', 70],
        ['senior-worker', 40],
        ['technician', 15],
        ['senior-technician', 5],
      ] as const),
      expertLevel: pick(random, [
        ['none', 9975],
        ['county', 15],
        ['city', 6],
        ['provincial', 3],
        ['national', 1],
      ] as const),
      specialTalent: pick(random, [
        ['none', 955],
        ['graduate', 30],
        ['scarce-trade-worker', 10],
        ['returned-overseas', 5],
      ] as const),
    },
    investment: invests
      ? {
          amountYuan: Math.round(Math.exp(10.5 + random() * 3)),
          role: pick(random, [
            ['legal-representative', 40],
            ['middle-manager', 25],
            ['technical-staff', 20],
            ['other', 15],
          ] as const),
          townType,
        }
      : { amountYuan: 0, role: 'none', townType: 'none' },
    honour: honoured
      ? {
          level: pick(random, [
            ['county', 60],
            ['city', 30],
            ['provincial', 8],
            ['national', 2],
          ] as const),
          kind: pick(random, [
            ['model-worker', 40],
            ['excellent-migrant-worker', 30],
            ['heroic-deed', 20],
            ['other-contribution', 10],
          ] as const),
        }
      : { level: 'none', kind: 'none' },
    employment: {
      status: employment,
      townType: employment === 'none' ? 'none' : townType,
      isInsuredAsFlexibleWorker: employment === 'flexible' && random() < 0.4,
    },
    months: {
      residence: monthsHere,
      employment: employment === 'none' ? 0 : Math.floor(monthsHere * random()),
      socialInsurance: employment === 'none' ? 0 : Math.floor(monthsHere * random() * 0.9),
    },
    records: { hasCriminalRecord: random() < 0.01, hasFamilyPlanningViolation: random() < 0.03 },
    study: {
      status:
        age < 25
          ? pick(random, [
              ['studying', 30],
              ['graduated', 30],
              ['none', 40],
            ] as const)
          : 'none',
      // Derived, not drawn, so the random stream (and every seeded population) stays as it was: a
      // student's hukou stays where it is unless moved (qz-final/6), and the city's students are taken
      // to study in the province.
      hadCityHukouBeforeStudy: scope === 'same-county' || scope === 'same-city',
      isCollegeInProvince: scope !== 'other-province',
    },
    sponsor: joins
      ? {
          relation: pick(random, [
            ['spouse', 50],
            ['child', 15],
            ['parent', 35],
          ] as const),
          hasLegalStableResidence: random() < 0.85,
          townType,
          floorAreaM2: Math.round((35 + random() * 100) * 10) / 10,
          personsAlreadyJoined: between(random, 0, 4),
          isCoResident: random() < 0.9,
        }
      : {
          relation: 'none',
          hasLegalStableResidence: false,
          townType: 'none',
          floorAreaM2: 0,
          personsAlreadyJoined: 0,
          isCoResident: false,
        },
    urbanStatus: {
      isReclassified: reclassified,
      livesWorksOrStudiesInTown: reclassified && random() < 0.6,
      isEmployedInTown: reclassified && random() < 0.4,
      hasUrbanServices: reclassified && random() < 0.5,
    },
    settlement: { isSettledFarmer: random() < 0.15 },
    ruralRights: {
      hasLandContract: random() < 0.35,
      hasHomestead: random() < 0.3,
      hasCollectiveIncome: random() < 0.25,
    },
    family,
  };
}

/**
 * `count` people of a city, the same for the same seed.
 *
 * @example [...syntheticPopulation('quzhou', 1000, 42)].length // 1000
 */
export function* syntheticPopulation(city: City, count: number, seed = 1): Generator<Facts> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) yield syntheticPerson(random, city);
}
