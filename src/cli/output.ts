/**
 * Shared CLI conventions: `--json` prints one JSON document on stdout; exit codes are 0 success,
 * 1 a domain "no" or a failed operation, 2 bad usage.
 */
import { userInfo } from 'node:os';
import { formatMessage, type ErrorCode, type Locale } from '../errors/codes.js';
import { isHujiError } from '../errors/huji-error.js';

export const EXIT_OK = 0;
export const EXIT_NO = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly locale: Locale;
}

export const processIo = (locale: Locale): Io => ({
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  locale,
});

/** Thrown by a command for invalid arguments (exit 2), with a message from the error table. */
export class UsageError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'UsageError';
  }
}

/** Who ran a CLI command, for the audit trail: the operating-system user (`cli:name`), or `cli`. */
export function cliOperator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function printJson(io: Io, value: unknown) {
  io.out(JSON.stringify(value, null, 2));
}

/** One line for any error: the message in the user's language and the stable code. */
export function describeError(error: unknown, locale: Locale): string {
  if (error instanceof UsageError)
    return `${formatMessage(error.code, locale, error.params)} [${error.code}]`;
  if (isHujiError(error)) return `${error.messageIn(locale)} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}
