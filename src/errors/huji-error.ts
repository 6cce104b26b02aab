import { ERROR_CODES, formatMessage, type ErrorCode, type Locale } from './codes.js';

/** One problem with an input, named by its path (e.g. `body.citizenId`) and a rule code. */
export interface FieldProblem {
  readonly path: string;
  /** A Huji error code, or the zod issue code for structural rules (`invalid_type`, `too_small`). */
  readonly code: string;
  readonly message: { readonly 'zh-CN': string; readonly en: string };
}

/**
 * The single error type thrown across Huji's layers for conditions the caller can act on. Expected
 * domain outcomes (an invalid ID, an ineligible person) are returned values, not HujiErrors; a HujiError
 * says the requested operation could not be done.
 */
export class HujiError extends Error {
  readonly code: ErrorCode;
  readonly params: Readonly<Record<string, unknown>>;
  readonly problems: readonly FieldProblem[];

  constructor(
    code: ErrorCode,
    params: Readonly<Record<string, unknown>> = {},
    options: { cause?: unknown; problems?: readonly FieldProblem[] } = {},
  ) {
    super(`${code}: ${formatMessage(code, 'en', params)}`, { cause: options.cause });
    this.name = 'HujiError';
    this.code = code;
    this.params = params;
    this.problems = options.problems ?? [];
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  messageIn(locale: Locale): string {
    return formatMessage(this.code, locale, this.params);
  }
}

export function isHujiError(value: unknown): value is HujiError {
  return value instanceof HujiError;
}
