/**
 * What an applicant fills in, per kind of application (zod: the same schema validates the HTTP body,
 * the CLI's JSON file and the OpenAPI document), and what approval will write into the register.
 * The applicant's facts for the policy engine travel beside the form (`Facts` of policy/facts.ts).
 *
 * Persons and households are named as people know them: citizen ids and household numbers (户号), never
 * internal ids; the repository resolves them when the application is approved.
 */
import { z } from 'zod';
import { checkTownOfCounty, NewHousehold, NewPerson, tableCode } from '../register/commands.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { isoDateField } from '../standards/date-field.js';
import { personNameField } from '../standards/person-name.js';
import type { ApplicationKind } from './application-types.js';

const citizenId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, { message: 'a citizen id is 17 digits and a check character' })
  .refine((v) => checkCitizenId(v).isValid, {
    message: 'not a valid citizen id (GB 11643-1999: 18 characters, date of birth and check digit)',
  });
const code = tableCode;
const householdNumber = z.string().regex(/^\d{15}$/, { message: 'a household number (户号) is 15 digits' });
const division = z.string().regex(/^\d{6}$/, { message: 'a GB/T 2260 division code is 6 digits' });

/** Who applies (the signed-in resident states it; approval checks it against the register). */
export const Applicant = z.object({
  name: personNameField(),
  citizenId,
});

/**
 * A person who moves in: the register's new-person facts plus the id and the relationship to the head.
 * `birthplace` and `ethnicity` are required keys (null: declared unknown, 不详); education, marital
 * status and occupation are optional (absent: not recorded). Approval writes exactly these values.
 */
export const Mover = NewPerson.extend({
  citizenId,
  relationship: code('relationship').describe(
    'GB/T 4761 relationship to the head of the destination household',
  ),
});
export type Mover = z.infer<typeof Mover>;

/** Where the movers go: an existing household (by its number) or a new one at an address. */
export const Destination = z.union([z.object({ householdNumber }), z.object({ newHousehold: NewHousehold })]);
export type Destination = z.infer<typeof Destination>;

const moving = {
  applicant: Applicant,
  movers: z.array(Mover).min(1).max(10).describe('the applicant first, then the family members who follow'),
  fromDivision: division.describe('GB/T 2260 code of the county the movers come from'),
  destination: Destination,
};

export const SettlementForm = z.object({ kind: z.literal('settlement'), ...moving });
export const RelativesJoiningForm = z.object({ kind: z.literal('relatives-joining'), ...moving });
export const MoveInForm = z.object({
  kind: z.literal('move-in'),
  ...moving,
  permitNumber: z.string().trim().min(1).max(40).describe('准予迁入证明编号'),
});
export const CrossProvinceMoveForm = z.object({
  kind: z.literal('cross-province-move'),
  ...moving,
  originOffice: z.string().trim().min(1).max(100).describe('the hukou office of origin that cancels'),
});
export const ResidencePermitForm = z.object({
  kind: z.literal('residence-permit'),
  applicant: Applicant.extend({
    sex: z.enum(['1', '2']),
    birthDate: isoDateField(),
    // Asked, never assumed: null is a declared unknown (不详).
    ethnicity: code('ethnicity').nullable(),
  }),
  residenceAddress: z
    .object({
      text: z.string().trim().min(1).max(200),
      countyCode: division,
      townCode: z.string().optional().describe('NBS 9-digit code of the town (乡镇、街道) in the county'),
    })
    .superRefine(checkTownOfCounty),
  livingSince: isoDateField().describe('since when the applicant lives at the address'),
});
export const BirthRegistrationForm = z.object({
  kind: z.literal('birth-registration'),
  applicant: Applicant,
  householdNumber,
  relationship: code('relationship'),
  child: NewPerson,
  birthCertificateNumber: z.string().trim().min(1).max(40).describe('出生医学证明编号'),
});
export const HouseholdSplitForm = z.object({
  kind: z.literal('household-split'),
  applicant: Applicant,
  householdNumber,
  headCitizenId: citizenId,
  members: z
    .array(z.object({ citizenId, relationship: code('relationship') }))
    .max(50)
    .default([]),
  household: NewHousehold,
});
export const BookletReplacementForm = z.object({
  kind: z.literal('booklet-replacement'),
  applicant: Applicant,
  householdNumber,
  reason: z
    .enum(['replacement', 'on-request'])
    .describe('replacement: lost or damaged; on-request: a change'),
});
export const LegacyNatureProofForm = z.object({
  kind: z.literal('legacy-nature-proof'),
  applicant: Applicant,
  countyCode: division
    .optional()
    .describe(
      'the county office applied to (where the applicant is registered); default: the first six digits of the citizen id. ' +
        'Never looked up in the register at submission: the officer checks the register (issue 14).',
    ),
});

export const ApplicationForm = z.discriminatedUnion('kind', [
  SettlementForm,
  RelativesJoiningForm,
  MoveInForm,
  CrossProvinceMoveForm,
  ResidencePermitForm,
  BirthRegistrationForm,
  HouseholdSplitForm,
  BookletReplacementForm,
  LegacyNatureProofForm,
]);
export type ApplicationForm = z.infer<typeof ApplicationForm>;
export type MovingForm = z.infer<typeof SettlementForm> | z.infer<typeof MoveInForm>;

export const MOVING_KINDS = [
  'settlement',
  'relatives-joining',
  'move-in',
  'cross-province-move',
] as const satisfies readonly ApplicationKind[];

export function isMovingForm(
  form: ApplicationForm,
): form is Extract<ApplicationForm, { kind: (typeof MOVING_KINDS)[number] }> {
  return (MOVING_KINDS as readonly string[]).includes(form.kind);
}

/** The form problems a schema cannot see: the applicant must be among the movers, ids not repeated. */
export interface FormProblem {
  readonly path: string;
  readonly message: { readonly zh: string; readonly en: string };
}

const SAME_TWICE = { zh: '同一人填写了两次', en: 'the same person twice' };
const BIRTH_MISMATCH = {
  zh: '与身份号码中的出生日期不符',
  en: 'does not match the date of birth in the citizen id',
};
const SEX_MISMATCH = { zh: '与身份号码中的性别不符', en: 'does not match the sex in the citizen id' };

export function checkFormConsistency(form: ApplicationForm): FormProblem[] {
  const problems: FormProblem[] = [];
  if (isMovingForm(form)) {
    if (form.movers[0]?.citizenId !== form.applicant.citizenId)
      problems.push({
        path: 'form.movers.0.citizenId',
        message: { zh: '第一位迁入人应为申请人本人', en: 'the first mover is the applicant' },
      });
    const seen = new Set<string>();
    form.movers.forEach((m, i) => {
      if (seen.has(m.citizenId)) problems.push({ path: `form.movers.${i}.citizenId`, message: SAME_TWICE });
      seen.add(m.citizenId);
      const parsed = checkCitizenId(m.citizenId);
      if (parsed.isValid && parsed.parsed.birthDate !== m.birthDate)
        problems.push({ path: `form.movers.${i}.birthDate`, message: BIRTH_MISMATCH });
      if (parsed.isValid && (parsed.parsed.sex === 'male' ? '1' : '2') !== m.sex)
        problems.push({ path: `form.movers.${i}.sex`, message: SEX_MISMATCH });
    });
  }
  if (form.kind === 'residence-permit') {
    const parsed = checkCitizenId(form.applicant.citizenId);
    if (parsed.isValid && parsed.parsed.birthDate !== form.applicant.birthDate)
      problems.push({ path: 'form.applicant.birthDate', message: BIRTH_MISMATCH });
  }
  return problems;
}

/** The county that handles an application: where the movers go, where the resident lives, … */
export function handlingCountyOf(form: ApplicationForm): string {
  if (isMovingForm(form))
    return 'newHousehold' in form.destination
      ? form.destination.newHousehold.address.countyCode
      : form.destination.householdNumber.slice(0, 6);
  if (form.kind === 'residence-permit') return form.residenceAddress.countyCode;
  if (form.kind === 'household-split') return form.householdNumber.slice(0, 6);
  if (form.kind === 'birth-registration' || form.kind === 'booklet-replacement')
    return form.householdNumber.slice(0, 6);
  // Stated by the applicant, never found in the register: a submission must not tell whether an id is
  // registered, nor where.
  return form.countyCode ?? form.applicant.citizenId.slice(0, 6);
}
