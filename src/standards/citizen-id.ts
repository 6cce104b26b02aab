/**
 * Citizen identity numbers (公民身份号码) per GB 11643-1999: structure, the ISO 7064 MOD 11-2 check
 * character, the 15 → 18 upgrade, and composing a new number for a birth. Pure.
 *
 * Layout of an 18-character number: 6-digit address code (county of first registration), 8-digit birth
 * date, 3-digit sequence (odd male, even female), 1 check character (0–9 or X).
 */
import type { ErrorCode } from '../errors/codes.js';
import { isRealDate, todayInChina, type IsoDate } from './calendar.js';
import { addressCodeHistory, findDivision, type AddressCodePeriod } from './divisions.js';

export type CitizenId = string & { readonly __brand: 'CitizenId' };

export type Sex = 'male' | 'female';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** Residence permits for Hong Kong, Macao and Taiwan residents (2018) use these address codes. */
const HMT_PERMIT_CODES: Readonly<Record<string, string>> = {
  '810000': 'hong-kong',
  '820000': 'macao',
  '830000': 'taiwan',
};

/**
 * The MOD 11-2 check character for the first 17 digits.
 *
 * @example computeCheckCharacter('11010519491231002') // 'X'
 */
export function computeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

export interface IdProblem {
  readonly code: Extract<
    ErrorCode,
    | 'HUJI_ID_LENGTH'
    | 'HUJI_ID_CHARACTERS'
    | 'HUJI_ID_ADDRESS_UNKNOWN'
    | 'HUJI_ID_ADDRESS_ABOLISHED'
    | 'HUJI_ID_DATE_IMPOSSIBLE'
    | 'HUJI_ID_DATE_FUTURE'
    | 'HUJI_ID_CHECKSUM'
  >;
  readonly params: Readonly<Record<string, string | number>>;
}

export interface IdAddress {
  readonly code: string;
  /** The name the code carried when the number was issued (the birth year, or the first name after it). */
  readonly name: string;
  /** Today's name of the code, when it is still in use. */
  readonly currentName?: string;
  readonly isCurrent: boolean;
  readonly province?: string;
  readonly prefecture?: string;
  readonly history: readonly AddressCodePeriod[];
}

export interface ParsedCitizenId {
  /** Always the 18-character form; for a 15-digit input, its upgrade. */
  readonly citizenId: CitizenId;
  readonly format: 18 | 15;
  /** `resident` for mainland citizens; `hmt-residence-permit` for 810000 / 820000 / 830000 numbers. */
  readonly kind: 'resident' | 'hmt-residence-permit';
  readonly address: IdAddress;
  readonly birthDate: IsoDate;
  readonly sequence: number;
  readonly sex: Sex;
  readonly checkCharacter: string;
}

export type IdCheck =
  | { readonly isValid: true; readonly input: string; readonly parsed: ParsedCitizenId }
  | { readonly isValid: false; readonly input: string; readonly problems: readonly IdProblem[] };

export interface IdCheckOptions {
  /** The date against which a birth date counts as future; defaults to today in China. */
  readonly today?: IsoDate;
}

/** Trims and upper-cases a trailing x, the only normalisation GB 11643 allows for. */
export function normalizeCitizenIdInput(input: string): string {
  return input.trim().toUpperCase();
}

function resolveAddress(code: string, birthYear: number): IdAddress | IdProblem {
  const history = addressCodeHistory(code);
  const isProvince = code.endsWith('0000') && !HMT_PERMIT_CODES[code];
  if (history.length === 0 || isProvince) {
    return { code: 'HUJI_ID_ADDRESS_UNKNOWN', params: { addressCode: code } };
  }
  // The lists are year-end snapshots: a code gone from the list after year Y was still in use early in Y+1.
  const usable = history.filter((p) => p.to === null || p.to + 1 >= birthYear);
  const atIssue =
    usable.find(
      (p) => (p.from === null || p.from <= birthYear) && (p.to === null || p.to + 1 >= birthYear),
    ) ?? usable[0];
  if (!atIssue) {
    const last = history.at(-1);
    return {
      code: 'HUJI_ID_ADDRESS_ABOLISHED',
      params: { addressCode: code, name: last?.name ?? '', lastYear: last?.to ?? '', birthYear },
    };
  }
  const division = findDivision(code);
  const currentName = division?.isCurrent ? division.name : undefined;
  return {
    code,
    name: atIssue.name,
    ...(currentName ? { currentName } : {}),
    isCurrent: division?.isCurrent ?? false,
    ...(division?.path[0] ? { province: division.path[0].name } : {}),
    ...(division?.path[1] && division.path[1].name !== '市辖区' ? { prefecture: division.path[1].name } : {}),
    history,
  };
}

function isProblem(value: IdAddress | IdProblem): value is IdProblem {
  return 'params' in value;
}

/**
 * Validates a citizen ID number and says every reason it fails: length, characters (these two stop the
 * check), unknown or abolished address code, impossible or future birth date, and check character.
 * A valid 15-digit number passes with its 18-character upgrade in `parsed.citizenId`.
 *
 * @example checkCitizenId('11010519491231002X').isValid // true
 * @example checkCitizenId('110105194912310021') // problems: [{ code: 'HUJI_ID_CHECKSUM', … }]
 */
export function checkCitizenId(rawInput: string, options: IdCheckOptions = {}): IdCheck {
  const input = normalizeCitizenIdInput(rawInput);
  const fail = (problems: IdProblem[]): IdCheck => ({ isValid: false, input, problems });
  if (input.length !== 18 && input.length !== 15) {
    return fail([{ code: 'HUJI_ID_LENGTH', params: { length: [...input].length } }]);
  }
  const pattern = input.length === 18 ? /^\d{17}[\dX]$/ : /^\d{15}$/;
  if (!pattern.test(input)) {
    const chars = [...input];
    const position = chars.findIndex((c, i) => !(/\d/.test(c) || (c === 'X' && i === 17)));
    return fail([
      { code: 'HUJI_ID_CHARACTERS', params: { position: position + 1, character: chars[position] ?? '' } },
    ]);
  }
  const is18 = input.length === 18;
  const addressCode = input.slice(0, 6);
  const dateCode = is18 ? input.slice(6, 14) : `19${input.slice(6, 12)}`;
  const year = Number(dateCode.slice(0, 4));
  const month = Number(dateCode.slice(4, 6));
  const day = Number(dateCode.slice(6, 8));
  const problems: IdProblem[] = [];

  const address = resolveAddress(addressCode, year);
  if (isProblem(address)) problems.push(address);

  const birthDate = `${dateCode.slice(0, 4)}-${dateCode.slice(4, 6)}-${dateCode.slice(6, 8)}`;
  if (year < 1800 || !isRealDate(year, month, day)) {
    problems.push({
      code: 'HUJI_ID_DATE_IMPOSSIBLE',
      params: { dateCode: is18 ? dateCode : input.slice(6, 12) },
    });
  } else if (birthDate > (options.today ?? todayInChina())) {
    problems.push({ code: 'HUJI_ID_DATE_FUTURE', params: { birthDate } });
  }

  const first17 = is18 ? input.slice(0, 17) : `${addressCode}${dateCode}${input.slice(12, 15)}`;
  const expected = computeCheckCharacter(first17);
  if (is18 && input[17] !== expected) {
    problems.push({ code: 'HUJI_ID_CHECKSUM', params: { expected, actual: input[17] ?? '' } });
  }
  if (problems.length > 0 || isProblem(address)) return fail(problems);

  const sequence = Number(first17.slice(14, 17));
  return {
    isValid: true,
    input,
    parsed: {
      citizenId: `${first17}${expected}` as CitizenId,
      format: is18 ? 18 : 15,
      kind: HMT_PERMIT_CODES[addressCode] ? 'hmt-residence-permit' : 'resident',
      address,
      birthDate,
      sequence,
      sex: sequence % 2 === 1 ? 'male' : 'female',
      checkCharacter: expected,
    },
  };
}

/** True when the input is a valid 18-character number (15-digit numbers are not accepted here). */
export function isCitizenId(input: string, options: IdCheckOptions = {}): input is CitizenId {
  const result = checkCitizenId(input, options);
  return result.isValid && result.parsed.format === 18 && result.parsed.citizenId === input;
}

export type IdUpgrade =
  | {
      readonly isUpgraded: true;
      readonly citizenId: CitizenId;
      readonly parsed: ParsedCitizenId;
      /** True when the holder was born before 1900 and the century 18 was used instead of the rule's 19. */
      readonly isBornBefore1900: boolean;
    }
  | {
      readonly isUpgraded: false;
      readonly problems: readonly { code: ErrorCode; params: Record<string, string | number> }[];
    };

/**
 * Upgrades a 15-digit number (1984–1999 format) to 18 characters: insert the century after the
 * address code and append the check character. The rule assumes 19xx; for a holder born before 1900
 * pass the birth date on record, and the century 18 is used and flagged.
 *
 * @example upgradeCitizenId('330821850101123') // citizenId '33082119850101123' + check character
 */
export function upgradeCitizenId(
  rawInput: string,
  options: IdCheckOptions & { readonly birthDateOnRecord?: IsoDate } = {},
): IdUpgrade {
  const input = normalizeCitizenIdInput(rawInput);
  if (input.length !== 15) {
    return {
      isUpgraded: false,
      problems: [{ code: 'HUJI_ID_NOT_LEGACY', params: { length: [...input].length } }],
    };
  }
  if (!/^\d{15}$/.test(input)) {
    const check = checkCitizenId(input, options);
    return { isUpgraded: false, problems: check.isValid ? [] : check.problems };
  }
  let century = '19';
  const record = options.birthDateOnRecord;
  if (record !== undefined) {
    const recordCode = record.replaceAll('-', '');
    if (recordCode.slice(2) !== input.slice(6, 12) || !['18', '19'].includes(recordCode.slice(0, 2))) {
      return {
        isUpgraded: false,
        problems: [
          {
            code: 'HUJI_ID_CENTURY_MISMATCH',
            params: { birthDateOnRecord: record, dateCode: input.slice(6, 12) },
          },
        ],
      };
    }
    century = recordCode.slice(0, 2);
  }
  const first17 = `${input.slice(0, 6)}${century}${input.slice(6, 15)}`;
  const result = checkCitizenId(`${first17}${computeCheckCharacter(first17)}`, options);
  if (!result.isValid) return { isUpgraded: false, problems: result.problems };
  return {
    isUpgraded: true,
    citizenId: result.parsed.citizenId,
    parsed: { ...result.parsed, format: 15 },
    isBornBefore1900: century === '18',
  };
}

/** The smallest and largest sequence of each parity: 001–999, odd for male, even for female. */
export function firstSequence(sex: Sex): number {
  return sex === 'male' ? 1 : 2;
}

/**
 * The sequence after `last` for the same sex, or undefined when 999 / 998 has been used.
 *
 * @example nextSequence(undefined, 'female') // 2
 * @example nextSequence(7, 'male') // 9
 */
export function nextSequence(last: number | undefined, sex: Sex): number | undefined {
  const next = last === undefined ? firstSequence(sex) : last + 2;
  return next <= 999 ? next : undefined;
}

/**
 * Composes the 18-character number for an address code, birth date and sequence.
 *
 * @example composeCitizenId('110105', '1949-12-31', 2) // '11010519491231002X'
 */
export function composeCitizenId(addressCode: string, birthDate: IsoDate, sequence: number): CitizenId {
  if (!/^\d{6}$/.test(addressCode)) throw new RangeError(`address code must be 6 digits: ${addressCode}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
    throw new RangeError(`birth date must be YYYY-MM-DD: ${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError(`sequence must be 1–999: ${sequence}`);
  }
  const first17 = `${addressCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${first17}${computeCheckCharacter(first17)}` as CitizenId;
}
