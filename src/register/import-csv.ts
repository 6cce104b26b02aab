/**
 * The column set of `huji import persons` (English or Chinese headers), and the mapping of a household's
 * rows to an `ImportedHousehold`. Values may be codes or Chinese labels (男 / 1, 汉族 / 01, 户主 / 02).
 * Internal ids are random (UUID v4), never derived from the citizen id or the household number: an id in a
 * URL or a log line tells nothing about the person (docs/adr/0014-import-ids-and-csv-reading.md). A re-run
 * stays idempotent through the register itself: a household number already imported is skipped, and a
 * citizen id already in the citizen-id registry is refused.
 */
import { parseIsoDate } from '../standards/calendar.js';
import { findCode, type CodeTableId } from '../standards/code-tables.js';
import type { ImportedHousehold } from './import-households.js';
import {
  columnLabel,
  columnParams,
  IMPORT_COLUMNS,
  type ImportColumn,
  type RowProblem,
} from './import-problems.js';
import type { Person } from './model.js';

export { IMPORT_COLUMNS, type ImportColumn } from './import-problems.js';
export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  'household_number',
  'address',
  'county_code',
  'relationship',
  'citizen_id',
  'name',
  'sex',
  'birth_date',
];

/** Maps header cells (English or Chinese) to column names; unknown headers are reported. */
export function mapHeader(cells: readonly string[]): {
  columns: (ImportColumn | undefined)[];
  unknown: string[];
  missing: ImportColumn[];
} {
  const byChinese = new Map(Object.entries(IMPORT_COLUMNS).map(([k, v]) => [v, k as ImportColumn]));
  const columns = cells.map((c) => {
    const t = c.trim();
    return t in IMPORT_COLUMNS
      ? (t as ImportColumn)
      : byChinese.get(t as (typeof IMPORT_COLUMNS)[ImportColumn]);
  });
  const unknown = cells.filter((_, i) => columns[i] === undefined);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  return { columns, unknown, missing };
}

function dateOf(value: string): string {
  const v = value.trim();
  return /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v;
}

function codeOf(table: CodeTableId, value: string): string {
  const v = value.trim();
  if (table === 'sex') return v === '男' ? '1' : v === '女' ? '2' : v;
  return findCode(table, v)?.code ?? v;
}

/**
 * GA 324.1's legacy hukou type from what legacy files hold. Most write only the nature, 农业 or 非农业
 * (户口性质); the household type says whether it was the family or the collective kind. The value is
 * kept as history only: since the 2014 reform (国发〔2014〕25号) everyone holds a unified 居民户口.
 */
export function legacyHukouTypeOf(value: string, householdType: 'family' | 'collective'): string | undefined {
  const v = value.trim().replace(/户口$/, '');
  const collective = householdType === 'collective';
  if (v === '农业' || v === '农') return collective ? '4' : '2';
  if (v === '非农业' || v === '非农') return collective ? '3' : '1';
  return findCode('legacy-hukou-type', value.trim())?.code;
}

const CODE_COLUMNS: readonly (readonly [ImportColumn, CodeTableId])[] = [
  ['relationship', 'relationship'],
  ['ethnicity', 'ethnicity'],
  ['education', 'education'],
  ['marital_status', 'marital-status'],
];
const DATE_COLUMNS: readonly ImportColumn[] = ['birth_date', 'member_since', 'legacy_from', 'legacy_to'];

/** What is wrong with one row's coded and dated values, each reason naming what is accepted. */
function rowValueProblems(
  v: Readonly<Partial<Record<ImportColumn, string>>>,
  member: number,
  householdType: 'family' | 'collective',
): RowProblem[] {
  const problems: RowProblem[] = [];
  const add = (column: ImportColumn, field: string, code: RowProblem['code']) =>
    problems.push({ member, field, code, params: columnParams(column, (v[column] ?? '').trim()) });
  const sex = (v.sex ?? '').trim();
  if (!['1', '2', '男', '女'].includes(sex))
    add('sex', 'sex', sex ? 'HUJI_IMPORT_VALUE_NOT_ACCEPTED' : 'HUJI_IMPORT_REQUIRED');
  for (const [column, table] of CODE_COLUMNS) {
    const value = (v[column] ?? '').trim();
    if (value === '') {
      if (column === 'relationship') add(column, 'membership.relationship', 'HUJI_IMPORT_REQUIRED');
    } else if (!findCode(table, value)) {
      add(
        column,
        column === 'relationship' ? 'membership.relationship' : column,
        'HUJI_IMPORT_VALUE_NOT_ACCEPTED',
      );
    }
  }
  const legacy = (v.legacy_hukou_type ?? '').trim();
  if (legacy && !legacyHukouTypeOf(legacy, householdType))
    add('legacy_hukou_type', 'legacyHukouNature', 'HUJI_IMPORT_VALUE_NOT_ACCEPTED');
  for (const column of DATE_COLUMNS) {
    const value = (v[column] ?? '').trim();
    if (value === '') {
      if (column === 'birth_date') add(column, 'birthDate', 'HUJI_IMPORT_REQUIRED');
    } else if (!parseIsoDate(dateOf(value))) {
      add(column, column, 'HUJI_IMPORT_FIELD_INVALID');
    }
  }
  return problems;
}

export interface ImportRow {
  readonly line: number;
  /** How many physical lines the row spans (a quoted field with line breaks); 1 when absent. */
  readonly lines?: number;
  readonly values: Readonly<Partial<Record<ImportColumn, string>>>;
}

/** One household from its rows (all with the same household number). */
export function householdFromRows(rows: readonly ImportRow[]): {
  household: ImportedHousehold;
  problems: RowProblem[];
} {
  const first = rows[0]?.values ?? {};
  const number = (first.household_number ?? '').trim();
  const county = (first.county_code ?? '').trim();
  const householdId = crypto.randomUUID();
  const problems: RowProblem[] = [];
  const type = (first.household_type ?? '').trim();
  const household = {
    id: householdId,
    householdNumber: number,
    type: type === '集体户' || type === 'collective' ? ('collective' as const) : ('family' as const),
    address: {
      text: (first.address ?? '').trim(),
      countyCode: county,
      ...(first.town_code?.trim() ? { townCode: first.town_code.trim() } : {}),
      ...(first.village_code?.trim() ? { villageCode: first.village_code.trim() } : {}),
      ...(first.urban_rural_class?.trim()
        ? { urbanRuralClass: first.urban_rural_class.trim() as '111' }
        : {}),
    },
    headPersonId: null,
    status: 'active' as const,
  };
  const members = rows.map((row, member) => {
    const v = row.values;
    for (const column of ['address', 'county_code', 'household_type'] as const) {
      if ((v[column] ?? '').trim() !== (first[column] ?? '').trim())
        problems.push({
          member,
          field: column,
          code: 'HUJI_IMPORT_DIFFERS_IN_HOUSEHOLD',
          params: {
            column: columnLabel(column),
            value: (v[column] ?? '').trim(),
            first: (first[column] ?? '').trim(),
          },
        });
    }
    problems.push(...rowValueProblems(v, member, household.type));
    const citizenId = (v.citizen_id ?? '').trim().toUpperCase();
    const birthDate = dateOf(v.birth_date ?? '');
    const legacyType = v.legacy_hukou_type?.trim();
    const person = {
      id: crypto.randomUUID(),
      citizenId,
      name: (v.name ?? '').trim(),
      formerNames: (v.former_names ?? '')
        .split(/[;；、]/)
        .map((s) => s.trim())
        .filter(Boolean),
      sex: codeOf('sex', v.sex ?? '') as Person['sex'],
      birthDate,
      // An empty cell is an unknown (不详), kept as null: neither 汉族 nor the id's region is assumed.
      ethnicity: v.ethnicity?.trim() ? codeOf('ethnicity', v.ethnicity) : null,
      birthplace: v.birthplace?.trim() || null,
      ...(v.education?.trim() ? { education: codeOf('education', v.education) } : {}),
      ...(v.marital_status?.trim() ? { maritalStatus: codeOf('marital-status', v.marital_status) } : {}),
      ...(v.occupation?.trim() ? { occupation: v.occupation.trim() } : {}),
      ...(v.service_place?.trim() ? { servicePlace: v.service_place.trim() } : {}),
      legacyHukouNature: legacyType
        ? [
            {
              type: legacyHukouTypeOf(legacyType, household.type) ?? legacyType,
              from: v.legacy_from?.trim() ? dateOf(v.legacy_from) : null,
              to: v.legacy_to?.trim() ? dateOf(v.legacy_to) : null,
            },
          ]
        : [],
      status: 'active' as const,
      countyCode: county,
    };
    const membership = {
      personId: person.id,
      householdId,
      relationship: codeOf('relationship', v.relationship ?? ''),
      validFrom: v.member_since?.trim() ? dateOf(v.member_since) : birthDate,
      validTo: null,
    };
    return { person, membership };
  });
  return { household: { household, members }, problems };
}

/** A register household's member as an import row (codes, ISO dates): what `huji export` writes. */
export function importRowValues(
  household: ImportedHousehold['household'],
  { person, membership }: ImportedHousehold['members'][number],
): Record<ImportColumn, string> {
  const legacy = person.legacyHukouNature[0];
  return {
    household_number: household.householdNumber,
    household_type: household.type,
    address: household.address.text,
    county_code: household.address.countyCode,
    town_code: household.address.townCode ?? '',
    village_code: household.address.villageCode ?? '',
    urban_rural_class: household.address.urbanRuralClass ?? '',
    relationship: membership.relationship,
    member_since: membership.validFrom,
    citizen_id: person.citizenId,
    name: person.name,
    former_names: person.formerNames.join(';'),
    sex: person.sex,
    birth_date: person.birthDate,
    ethnicity: person.ethnicity ?? '',
    birthplace: person.birthplace ?? '',
    education: person.education ?? '',
    marital_status: person.maritalStatus ?? '',
    occupation: person.occupation ?? '',
    service_place: person.servicePlace ?? '',
    legacy_hukou_type: legacy?.type ?? '',
    legacy_from: legacy?.from ?? '',
    legacy_to: legacy?.to ?? '',
  };
}
