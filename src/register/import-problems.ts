/**
 * Why an imported row is refused, as a code of the error table with its params, so the rejects file says
 * it in the user's language (zh-CN or en) and names what would be accepted. Pure: no I/O.
 */
import { formatMessage, type ErrorCode, type Locale } from '../errors/codes.js';

/** The import column set: English name → the Chinese header legacy exports use. */
export const IMPORT_COLUMNS = {
  household_number: '户号',
  household_type: '户类型',
  address: '住址',
  county_code: '县级区划代码',
  town_code: '乡镇街道代码',
  village_code: '村居代码',
  urban_rural_class: '城乡分类代码',
  relationship: '与户主关系',
  member_since: '入户日期',
  citizen_id: '公民身份号码',
  name: '姓名',
  former_names: '曾用名',
  sex: '性别',
  birth_date: '出生日期',
  ethnicity: '民族',
  birthplace: '出生地',
  education: '文化程度',
  marital_status: '婚姻状况',
  occupation: '职业',
  service_place: '服务处所',
  legacy_hukou_type: '户口性质',
  legacy_from: '户口性质起始日期',
  legacy_to: '户口性质终止日期',
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;

type Bilingual = { readonly zh: string; readonly en: string };

const DATE: Bilingual = {
  zh: 'YYYY-MM-DD 或 YYYYMMDD 格式的真实日期',
  en: 'a real date as YYYY-MM-DD or YYYYMMDD',
};

/** What each column accepts, said to the person who fixes the file. */
export const ACCEPTED: Readonly<Record<ImportColumn, Bilingual>> = {
  household_number: {
    zh: '15 位数字，以县级区划代码开头',
    en: '15 digits starting with the county code',
  },
  household_type: {
    zh: '家庭户、集体户（或 family、collective）',
    en: '家庭户, 集体户 (or family, collective)',
  },
  address: { zh: '1–200 字的住址', en: 'an address of 1–200 characters' },
  county_code: {
    zh: '6 位县级区划代码（GB/T 2260），如 330802',
    en: 'a 6-digit county-level division code (GB/T 2260), e.g. 330802',
  },
  town_code: {
    zh: '9 位乡镇街道代码，前 6 位为县级区划代码',
    en: 'a 9-digit town code starting with the county code',
  },
  village_code: {
    zh: '12 位村居代码，前 9 位为乡镇街道代码',
    en: 'a 12-digit village code starting with the town code',
  },
  urban_rural_class: {
    zh: '城乡分类代码 111–123、210 或 220',
    en: 'an urban-rural class 111–123, 210 or 220',
  },
  relationship: {
    zh: 'GB/T 4761 的代码或名称，如 02 户主、10 配偶、12 妻、20 子、30 女',
    en: 'a GB/T 4761 code or its Chinese name, e.g. 02 户主 (head), 10 配偶, 12 妻, 20 子, 30 女',
  },
  member_since: DATE,
  citizen_id: {
    zh: '18 位公民身份号码（GB 11643，末位校验码可为 X）',
    en: 'an 18-character citizen id (GB 11643; the check character may be X)',
  },
  name: { zh: '1–50 字的姓名', en: 'a name of 1–50 characters' },
  former_names: {
    zh: '曾用名，每个 1–50 字，以“;”或“、”分隔',
    en: 'former names of 1–50 characters each, separated by ; or 、',
  },
  sex: { zh: '1 男、2 女（或 男、女）', en: '1 or 男 (male), 2 or 女 (female)' },
  birth_date: DATE,
  ethnicity: {
    zh: 'GB 3304 的代码或民族名称，如 01 汉族、03 回族；不填为 01 汉族',
    en: "a GB 3304 code or the ethnic group's Chinese name, e.g. 01 汉族, 03 回族; empty means 01",
  },
  birthplace: {
    zh: '任何时期的 6 位区划代码；不填则取公民身份号码前 6 位',
    en: 'a 6-digit division code of any period; empty means the first 6 digits of the citizen id',
  },
  education: { zh: 'GB/T 4658 的代码或名称，如 21 大学本科', en: 'a GB/T 4658 code or its Chinese name' },
  marital_status: {
    zh: 'GB/T 2261.2 的代码或名称，如 10 未婚、20 已婚',
    en: 'a GB/T 2261.2 code or its Chinese name, e.g. 10 未婚, 20 已婚',
  },
  occupation: { zh: '不超过 100 字', en: 'at most 100 characters' },
  service_place: { zh: '不超过 200 字', en: 'at most 200 characters' },
  legacy_hukou_type: {
    zh: '1 非农业家庭户口、2 农业家庭户口、3 非农业集体户口、4 农业集体户口，或“农业”“非农业”（按户类型归入家庭户口或集体户口）',
    en: '1 非农业家庭户口, 2 农业家庭户口, 3 非农业集体户口, 4 农业集体户口, or 农业 / 非农业 (family or collective by the household type)',
  },
  legacy_from: DATE,
  legacy_to: DATE,
};

/** A refused row (or household) and why: a code of the error table and its params. */
export interface RowProblem {
  /** Which member (0-based) the problem is about, or undefined for the household. */
  readonly member?: number;
  /** The field of the register model (citizenId, household.address.countyCode, …). */
  readonly field: string;
  readonly code: ErrorCode;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The header of a column in both languages, as a message param. */
export function columnLabel(column: ImportColumn): Bilingual {
  return { zh: IMPORT_COLUMNS[column], en: column };
}

/** The params naming a column, its value and what it accepts. */
export function columnParams(column: ImportColumn, value: string): Record<string, unknown> {
  return { column: columnLabel(column), value, accepted: ACCEPTED[column] };
}

const FIELD_COLUMNS: Readonly<Record<string, ImportColumn>> = {
  citizenId: 'citizen_id',
  name: 'name',
  formerNames: 'former_names',
  sex: 'sex',
  birthDate: 'birth_date',
  ethnicity: 'ethnicity',
  birthplace: 'birthplace',
  education: 'education',
  maritalStatus: 'marital_status',
  occupation: 'occupation',
  servicePlace: 'service_place',
  legacyHukouNature: 'legacy_hukou_type',
  countyCode: 'county_code',
  'membership.relationship': 'relationship',
  'membership.validFrom': 'member_since',
  'household.householdNumber': 'household_number',
  'household.type': 'household_type',
  'household.address.text': 'address',
  'household.address.countyCode': 'county_code',
  'household.address.townCode': 'town_code',
  'household.address.villageCode': 'village_code',
  'household.address.urbanRuralClass': 'urban_rural_class',
};

/** The import column a model field comes from (`legacyHukouNature.0.from` → legacy_from). */
export function columnOfField(field: string): ImportColumn | undefined {
  if (/^legacyHukouNature\.\d+\.from$/.test(field)) return 'legacy_from';
  if (/^legacyHukouNature\.\d+\.to$/.test(field)) return 'legacy_to';
  const direct = FIELD_COLUMNS[field];
  if (direct) return direct;
  const prefix = Object.keys(FIELD_COLUMNS).find((f) => field.startsWith(`${f}.`));
  return prefix ? FIELD_COLUMNS[prefix] : undefined;
}

/** The reason in the user's language. */
export function describeRowProblem(problem: RowProblem, locale: Locale): string {
  return formatMessage(problem.code, locale, problem.params);
}
