/**
 * The population register's model: persons, households and memberships, as derived from the append-only
 * ledger of register events. Pure types (zod schemas) and names shared by the repository, the use cases,
 * the generator and the documents.
 *
 * Codes are the national code tables (src/standards/code-tables.ts): sex GB/T 2261.1, marital status
 * GB/T 2261.2, relationship to head GB/T 4761, ethnicity GB 3304, education GB/T 4658, legacy hukou type
 * GA 324.1. Everyone holds one resident hukou (居民户口); the pre-reform nature stays as history.
 */
import { z } from 'zod';
import { findCode } from '../standards/code-tables.js';
import { isoDateField } from '../standards/date-field.js';
import { PERSON_NAME_MAX_LENGTH, refinePersonName } from '../standards/person-name.js';
import type { CodeTableId } from '../standards/code-tables.js';

const code = (table: CodeTableId) =>
  z.string().refine((v) => findCode(table, v)?.code === v, {
    message: `not a code of the ${table} table`,
  });

const isoDate = isoDateField();
/** A name as stored: the person-name rule (standards/person-name.ts), so imports refuse what the API does. */
const personName = z.string().min(1).max(PERSON_NAME_MAX_LENGTH).superRefine(refinePersonName);

export const PersonStatus = z.enum(['active', 'moved-out', 'deceased', 'cancelled']);
export type PersonStatus = z.infer<typeof PersonStatus>;

/** A period of the pre-reform hukou nature (GA 324.1), kept so that proofs of it can be issued. */
export const LegacyHukouNature = z.object({
  type: code('legacy-hukou-type'),
  from: isoDate.nullable(),
  /** The day the nature ended: the reform date of the jurisdiction, a 农转非, … */
  to: isoDate.nullable(),
});
export type LegacyHukouNature = z.infer<typeof LegacyHukouNature>;

export const Person = z.object({
  /** Internal id (UUID): stable even if the citizen id is corrected. */
  id: z.uuid(),
  citizenId: z.string().regex(/^\d{17}[\dX]$/),
  name: personName,
  formerNames: z.array(personName).default([]),
  sex: z.enum(['1', '2']),
  birthDate: isoDate,
  /** GB 3304 code; null: declared unknown (不详). Never defaulted. */
  ethnicity: code('ethnicity').nullable(),
  /** GB/T 2260 code of the place of birth; null: declared unknown (不详), never the registering county. */
  birthplace: z
    .string()
    .regex(/^\d{6}$/)
    .nullable(),
  education: code('education').optional(),
  maritalStatus: code('marital-status').optional(),
  occupation: z.string().max(100).optional(),
  servicePlace: z.string().max(200).optional(),
  legacyHukouNature: z.array(LegacyHukouNature).default([]),
  status: PersonStatus,
  /** GB/T 2260 code of the county where the person is registered: the distribution key. */
  countyCode: z.string().regex(/^\d{6}$/),
});
export type Person = z.infer<typeof Person>;

export const HouseholdAddress = z.object({
  text: z.string().min(1).max(200),
  countyCode: z.string().regex(/^\d{6}$/),
  townCode: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  villageCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** NBS urban-rural class of the village-level unit (111–123 urban, 210 / 220 rural). */
  urbanRuralClass: z.enum(['111', '112', '121', '122', '123', '210', '220']).optional(),
});
export type HouseholdAddress = z.infer<typeof HouseholdAddress>;

export const Household = z.object({
  id: z.uuid(),
  /** 户号: county code + 9 digits, unique within the register. */
  householdNumber: z.string().regex(/^\d{15}$/),
  type: z.enum(['family', 'collective']),
  address: HouseholdAddress,
  headPersonId: z.uuid().nullable(),
  status: z.enum(['active', 'closed']),
});
export type Household = z.infer<typeof Household>;

export const Membership = z.object({
  personId: z.uuid(),
  householdId: z.uuid(),
  /** Relationship to the household head, GB/T 4761 (02 for the head). */
  relationship: code('relationship'),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});
export type Membership = z.infer<typeof Membership>;
