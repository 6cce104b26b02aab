/**
 * The register commands an officer issues, one per event type of the ledger, as zod schemas: the same
 * schema validates the HTTP body, the CLI input and the OpenAPI document.
 */
import { z } from 'zod';
import { CODE_TABLES, findCode, type CodeTableId } from '../standards/code-tables.js';
import { findDivision, isTownOfCounty } from '../standards/divisions.js';
import { COMMAND_FIELDS as F } from './command-fields.js';
import { HouseholdAddress } from './model.js';

/**
 * A code of a national code table. A wrong value is answered from the error table in both languages,
 * naming the table and its standard (the field is named by the problem's path).
 */
export const tableCode = (table: CodeTableId) =>
  z.string().superRefine((value, ctx) => {
    if (findCode(table, value)?.code === value) return;
    const t = CODE_TABLES[table];
    ctx.addIssue({
      code: 'custom',
      message: `not a code of the ${table} table`,
      params: { hujiCode: 'HUJI_FIELD_CODE', table: { zh: t.zh, en: t.en }, standard: t.standard, value },
    });
  });
const code = tableCode;
const date = F.date;
/** A GB/T 2260 code of a county-level division of any period. */
export const countyDivision = z.string().superRefine((value, ctx) => {
  if (/^\d{6}$/.test(value) && findDivision(value) !== undefined) return;
  ctx.addIssue({
    code: 'custom',
    message: 'not a GB/T 2260 division code',
    params: { hujiCode: 'HUJI_FIELD_DIVISION_CODE', value },
  });
});
const division = countyDivision;

/** A new person's facts (the citizen id is allocated for births and persons without hukou). */
export const NewPerson = z.object({
  name: F.name,
  sex: z.enum(['1', '2']).describe('GB/T 2261.1: 1 男, 2 女'),
  birthDate: date,
  // Both keys are required and nothing is defaulted: the register holds what was declared, and null is
  // "declared unknown" (不详), recorded as such.
  ethnicity: code('ethnicity').nullable().describe('GB 3304 code of the ethnicity; null: unknown (不详)'),
  birthplace: division.nullable().describe('GB/T 2260 code of the place of birth; null: unknown (不详)'),
  education: code('education').optional(),
  maritalStatus: code('marital-status').optional(),
  occupation: F.occupation.optional(),
  servicePlace: F.servicePlace.optional(),
});
export type NewPerson = z.infer<typeof NewPerson>;

/** An address's town, if given, lies in its county (for zod's superRefine). */
export function checkTownOfCounty(
  address: { readonly townCode?: string | undefined; readonly countyCode: string },
  ctx: z.RefinementCtx,
): void {
  const { townCode, countyCode } = address;
  if (townCode === undefined || isTownOfCounty(townCode, countyCode)) return;
  ctx.addIssue({
    code: 'custom',
    path: ['townCode'],
    message: 'not a town of the county',
    params: { hujiCode: 'HUJI_FIELD_TOWN_CODE', value: townCode },
  });
}

/**
 * A household's address as a person gives it: the county, the town (乡镇、街道) where the bundled data
 * has it, and the street and house as text. A town must be one of the county's: the register keeps what
 * the picker offered, never a town of another county.
 */
export const CommandAddress = HouseholdAddress.extend({
  text: F.address,
  countyCode: division,
  townCode: z
    .string()
    .optional()
    .describe('NBS 9-digit code of the town or sub-district (乡镇、街道) within the county'),
}).superRefine(checkTownOfCounty);

export const NewHousehold = z.object({
  type: z.enum(['family', 'collective']).default('family'),
  // The model's address, with the county checked against the division codes.
  address: CommandAddress,
});
export type NewHousehold = z.infer<typeof NewHousehold>;

const common = {
  effectiveDate: date.describe('the day the change takes effect (defaults to today)').optional(),
  sourceApplication: z.string().max(64).optional().describe('the online application this command completes'),
};

export const RegisterBirth = z.object({
  type: z.literal('birth-registration'),
  householdId: z.uuid(),
  relationship: code('relationship'),
  person: NewPerson,
  birthCertificateNumber: F.certificate.describe('出生医学证明编号'),
  ...common,
});

export const CancelDeath = z.object({
  type: z.literal('death-cancellation'),
  personId: z.uuid(),
  dateOfDeath: date,
  deathCertificateNumber: F.certificate,
  newHeadPersonId: z.uuid().optional(),
  ...common,
});

export const MoveIn = z.object({
  type: z.literal('move-in'),
  person: NewPerson.extend({ citizenId: F.citizenId }),
  permitNumber: F.certificate.describe('准予迁入证明编号'),
  fromDivision: division.describe('迁出地: GB/T 2260 code of the county the person comes from'),
  /** Set by the register from the code (callers' values are replaced): the ledger keeps the name as of the move. */
  fromDivisionName: z.string().max(100).optional(),
  basis: z
    .object({ article: z.string().trim().min(1).max(64), quote: z.string().trim().min(1).max(2000) })
    .optional()
    .describe(
      'the policy article an approved application rests on: id of the digest and the quoted sentence',
    ),
  householdId: z.uuid().optional(),
  newHousehold: NewHousehold.optional(),
  relationship: code('relationship'),
  ...common,
});

export const MoveOut = z.object({
  type: z.literal('move-out'),
  personId: z.uuid(),
  toDivision: division,
  permitNumber: F.optionalPermit.optional(),
  newHeadPersonId: z.uuid().optional(),
  ...common,
});

export const MoveWithinCity = z.object({
  type: z.literal('move-within-city'),
  personId: z.uuid(),
  toHouseholdId: z.uuid(),
  relationship: code('relationship'),
  newHeadPersonId: z.uuid().optional(),
  ...common,
});

export const EstablishHousehold = z.object({
  type: z.literal('household-establishment'),
  headPersonId: z.uuid(),
  household: NewHousehold,
  newHeadPersonId: z
    .uuid()
    .optional()
    .describe('new head of the household the person leaves, if they headed it'),
  ...common,
});

export const SplitHousehold = z.object({
  type: z.literal('household-split'),
  fromHouseholdId: z.uuid(),
  headPersonId: z.uuid(),
  members: z
    .array(z.object({ personId: z.uuid(), relationship: code('relationship') }))
    .max(50)
    .default([]),
  household: NewHousehold,
  newHeadPersonId: z.uuid().optional(),
  ...common,
});

export const ChangeHead = z.object({
  type: z.literal('head-change'),
  householdId: z.uuid(),
  newHeadPersonId: z.uuid(),
  relationships: z
    .array(z.object({ personId: z.uuid(), relationship: code('relationship') }))
    .max(50)
    .default([]),
  ...common,
});

export const ChangeRelationship = z.object({
  type: z.literal('relationship-change'),
  householdId: z.uuid(),
  personId: z.uuid(),
  relationship: code('relationship'),
  ...common,
});

export const CORRECTABLE_FIELDS = [
  'name',
  'sex',
  'birthDate',
  'ethnicity',
  'birthplace',
  'education',
  'maritalStatus',
  'occupation',
  'servicePlace',
  'citizenId',
] as const;

/** Labels of the correctable fields, for messages and forms. */
export const CORRECTABLE_FIELD_LABELS: Record<
  (typeof CORRECTABLE_FIELDS)[number],
  { zh: string; en: string }
> = {
  name: { zh: '姓名', en: 'name' },
  sex: { zh: '性别', en: 'sex' },
  birthDate: { zh: '出生日期', en: 'date of birth' },
  ethnicity: { zh: '民族', en: 'ethnicity' },
  birthplace: { zh: '出生地', en: 'birthplace' },
  education: { zh: '文化程度', en: 'education' },
  maritalStatus: { zh: '婚姻状况', en: 'marital status' },
  occupation: { zh: '职业', en: 'occupation' },
  servicePlace: { zh: '服务处所', en: 'service place' },
  citizenId: { zh: '公民身份号码', en: 'citizen id' },
};

export const Correct = z.object({
  type: z.literal('correction'),
  personId: z.uuid(),
  field: z.enum(CORRECTABLE_FIELDS),
  value: F.correctionValue,
  reason: F.reason,
  evidence: F.evidence.describe('the document proving the correct value'),
  ...common,
});

export const IssueBooklet = z.object({
  type: z.literal('booklet-issue'),
  householdId: z.uuid(),
  reason: z.enum(['first', 'replacement', 'on-request']),
  ...common,
});

export const RegisterNoHukou = z.object({
  type: z.literal('no-hukou-registration'),
  person: NewPerson,
  householdId: z.uuid().optional(),
  newHousehold: NewHousehold.optional(),
  relationship: code('relationship'),
  basis: F.basis.describe('the basis of registration (国办发〔2015〕96号 category)'),
  ...common,
});

/**
 * 注销重复户口: one person registered twice (一人多户); the duplicate registration is cancelled and the
 * kept one stays. The officer names the registration kept and why (the review of the pair).
 */
export const CancelDuplicate = z.object({
  type: z.literal('duplicate-cancellation'),
  personId: z.uuid().describe('the duplicate registration to cancel'),
  keptPersonId: z.uuid().describe('the registration of the same person that stays'),
  reason: F.reason.describe('why the two registrations are one person'),
  newHeadPersonId: z
    .uuid()
    .optional()
    .describe('new head of the household the duplicate leaves, if it headed one with other members'),
  ...common,
});

export const RegisterCommand = z.discriminatedUnion('type', [
  RegisterBirth,
  CancelDeath,
  MoveIn,
  MoveOut,
  MoveWithinCity,
  EstablishHousehold,
  SplitHousehold,
  ChangeHead,
  ChangeRelationship,
  Correct,
  IssueBooklet,
  RegisterNoHukou,
  CancelDuplicate,
]);
export type RegisterCommand = z.infer<typeof RegisterCommand>;
export type RegisterCommandType = RegisterCommand['type'];

export const COMMAND_LABELS: Record<RegisterCommandType, { zh: string; en: string }> = {
  'birth-registration': { zh: '出生登记', en: 'birth registration' },
  'death-cancellation': { zh: '死亡注销', en: 'death cancellation' },
  'move-in': { zh: '迁入', en: 'move in' },
  'move-out': { zh: '迁出', en: 'move out' },
  'move-within-city': { zh: '市内迁移', en: 'move within the city' },
  'household-establishment': { zh: '立户', en: 'household establishment' },
  'household-split': { zh: '分户', en: 'household split' },
  'head-change': { zh: '户主变更', en: 'head change' },
  'relationship-change': { zh: '与户主关系变更', en: 'relationship change' },
  correction: { zh: '变更更正', en: 'correction' },
  'booklet-issue': { zh: '户口簿签发', en: 'booklet issue' },
  'no-hukou-registration': { zh: '无户口人员登记', en: 'registration of a person without hukou' },
  'duplicate-cancellation': { zh: '注销重复户口', en: 'cancellation of a duplicate registration' },
};

/** Labels of every ledger event type: the commands, and the import of legacy households. */
export const EVENT_LABELS: Record<RegisterCommandType | 'household-import', { zh: string; en: string }> = {
  ...COMMAND_LABELS,
  'household-import': { zh: '历史数据导入', en: 'imported from legacy data' },
};
