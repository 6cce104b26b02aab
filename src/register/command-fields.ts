/**
 * The text and date fields of the register commands with their rules, kept once: the command schemas
 * (`commands.ts`) are built from them, and the console's forms check a value with the same rule before
 * sending it, so an inline message is the one the API would answer. The web may import this file and no
 * other of the register, so it depends on zod and the pure field rules of standards/ (`date-field.ts`,
 * `person-name.ts`) alone (dependency rule `register-command-fields-leaf`).
 */
import { z } from 'zod';
import { isoDateField } from '../standards/date-field.js';
import { personNameField } from '../standards/person-name.js';

export const COMMAND_FIELDS = {
  /** A person's name, as registered. */
  name: personNameField(),
  /** A certificate's number: 出生医学证明, 死亡证明, 准予迁入证明. */
  certificate: z.string().trim().min(1).max(40),
  /** A permit number where one may be missing (a move out within the province). */
  optionalPermit: z.string().trim().max(40),
  /** GB 11643 shape only; the checksum and the date are checked by the register. */
  citizenId: z.string().regex(/^\d{17}[\dXx]$/),
  /** A household's address as written. */
  address: z.string().trim().min(1).max(200),
  occupation: z.string().max(100),
  servicePlace: z.string().max(200),
  /** The corrected value of a field. */
  correctionValue: z.string().trim().min(1).max(200),
  /** Why a correction or a cancellation is made. */
  reason: z.string().trim().min(2).max(500),
  /** The document proving a corrected value. */
  evidence: z.string().trim().min(1).max(500),
  /** The basis of registering a person without hukou. */
  basis: z.string().trim().min(2).max(500),
  /** A day within the register's range (standards/date-field.ts). */
  date: isoDateField(),
} as const;
