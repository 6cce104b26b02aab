/**
 * Demo registrations of one person in two households (一人多户) in 柯城区 (330802), so that the demo
 * registrar's duplicate-pair review has pairs to work on: the synthetic register's seeded duplicates
 * mostly fall in other counties. Three pairs, each telling a different story: an identical name (two
 * different men, as it turns out), a homophone (a wife registered again in her husband's household),
 * and names one character apart. Imported as legacy data (household numbers 330802000800001–006), so
 * the records and their ids are the same on every first start.
 */
import type { HujiDatabase } from '../db/connection.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import { householdFromRows, type ImportRow } from './import-csv.js';
import { importHousehold } from './import-households.js';

const COUNTY = '330802';

interface DemoMember {
  readonly name: string;
  readonly sex: '1' | '2';
  readonly birthDate: string;
  /** Sequence of the citizen id (odd for men, even for women), chosen apart from the synthetic register's. */
  readonly sequence: number;
  /** GB/T 4761 code. */
  readonly relationship: string;
  readonly since: string;
}

interface DemoHousehold {
  readonly number: string;
  readonly address: string;
  readonly members: readonly DemoMember[];
}

export const DEMO_DUPLICATE_HOUSEHOLDS: readonly DemoHousehold[] = [
  {
    number: '330802000800001',
    address: '衢州市柯城区荷花街道荷五路 21 号',
    members: [
      {
        name: '王建国',
        sex: '1',
        birthDate: '1968-04-12',
        sequence: 871,
        relationship: '02',
        since: '1994-03-01',
      },
      {
        name: '刘秀英',
        sex: '2',
        birthDate: '1970-02-03',
        sequence: 872,
        relationship: '12',
        since: '1994-03-01',
      },
    ],
  },
  {
    number: '330802000800002',
    address: '衢州市柯城区花园街道白云中大道 8 号',
    members: [
      {
        name: '王建国',
        sex: '1',
        birthDate: '1968-04-12',
        sequence: 873,
        relationship: '02',
        since: '2001-09-15',
      },
    ],
  },
  {
    number: '330802000800003',
    address: '衢州市柯城区府山街道县学街 36 号',
    members: [
      {
        name: '徐丽萍',
        sex: '2',
        birthDate: '1985-09-23',
        sequence: 882,
        relationship: '02',
        since: '2008-05-20',
      },
      {
        name: '徐子涵',
        sex: '1',
        birthDate: '2012-06-18',
        sequence: 881,
        relationship: '20',
        since: '2012-06-18',
      },
    ],
  },
  {
    number: '330802000800004',
    address: '衢州市柯城区新新街道新桥街 112 号',
    members: [
      {
        name: '周明',
        sex: '1',
        birthDate: '1983-11-05',
        sequence: 891,
        relationship: '02',
        since: '2009-10-01',
      },
      {
        name: '徐丽平',
        sex: '2',
        birthDate: '1985-09-23',
        sequence: 884,
        relationship: '12',
        since: '2011-01-08',
      },
    ],
  },
  {
    number: '330802000800005',
    address: '衢州市柯城区双港街道双港路 5 号',
    members: [
      {
        name: '陈志强',
        sex: '1',
        birthDate: '1979-02-01',
        sequence: 895,
        relationship: '02',
        since: '2003-07-11',
      },
    ],
  },
  {
    number: '330802000800006',
    address: '衢州市柯城区信安街道衢化路 77 号',
    members: [
      {
        name: '陈志刚',
        sex: '1',
        birthDate: '1979-02-01',
        sequence: 897,
        relationship: '02',
        since: '2015-04-02',
      },
    ],
  },
];

/** The import rows of a demo household. */
export function demoDuplicateRows(h: DemoHousehold): ImportRow[] {
  return h.members.map((m, i) => ({
    line: i + 2,
    values: {
      household_number: h.number,
      household_type: 'family',
      address: h.address,
      county_code: COUNTY,
      relationship: m.relationship,
      member_since: m.since,
      citizen_id: composeCitizenId(COUNTY, m.birthDate, m.sequence),
      name: m.name,
      sex: m.sex,
      birth_date: m.birthDate,
    },
  }));
}

/**
 * Imports the demo households (skipping those already there); returns how many were imported. Throws if
 * one is refused: the data is fixed, so a refusal means it collides with the register and must change.
 */
export async function loadDemoDuplicates(db: HujiDatabase): Promise<number> {
  let imported = 0;
  for (const h of DEMO_DUPLICATE_HOUSEHOLDS) {
    const { household, problems } = householdFromRows(demoDuplicateRows(h));
    const outcome =
      problems.length > 0
        ? { status: 'rejected' as const, problems }
        : await importHousehold(db, household, { id: 'demo', countyCode: COUNTY }, 'demo:duplicates');
    if (outcome.status === 'rejected')
      throw new Error(`demo household ${h.number} refused: ${JSON.stringify(outcome.problems)}`);
    if (outcome.status === 'imported') imported++;
  }
  return imported;
}
