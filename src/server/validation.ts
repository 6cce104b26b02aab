/**
 * Request validation with zod, reporting every problem with its field path (`body.citizenId`) and a
 * message in both languages: plain words for the common form failures (`errors/field-messages.ts`), else
 * zod's own Chinese and English locales for structural rules; Huji's error table for domain rules raised
 * with `huji(code)`.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { formatMessage, type ErrorCode } from '../errors/codes.js';
import { plainFieldMessage } from '../errors/field-messages.js';
import type { FieldProblem } from '../errors/huji-error.js';

const zhMap = zhCN().localeError;
const enMap = en().localeError;

type Issue = z.core.$ZodIssue & { input?: unknown };

function messageFrom(map: z.core.$ZodErrorMap, issue: Issue): string {
  const result = map(issue as Parameters<z.core.$ZodErrorMap>[0]);
  if (typeof result === 'string') return result;
  return result?.message ?? issue.message;
}

/** The params of a custom issue raised by a domain check: `{ hujiCode, ...params }`. */
interface HujiIssueParams {
  hujiCode: ErrorCode;
  [key: string]: unknown;
}

function isHujiParams(value: unknown): value is HujiIssueParams {
  return typeof value === 'object' && value !== null && 'hujiCode' in value;
}

export function issuesToProblems(issues: readonly Issue[], prefix: string): FieldProblem[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'custom' && isHujiParams(issue.params)) {
      const { hujiCode, ...params } = issue.params;
      return {
        path,
        code: hujiCode,
        message: {
          'zh-CN': formatMessage(hujiCode, 'zh-CN', params),
          en: formatMessage(hujiCode, 'en', params),
        },
      };
    }
    const plain = plainFieldMessage(issue);
    return {
      path,
      code: issue.code,
      message: plain
        ? { 'zh-CN': plain.zh, en: plain.en }
        : { 'zh-CN': messageFrom(zhMap, issue), en: messageFrom(enMap, issue) },
    };
  });
}

/** A request whose parts failed validation. */
export class RequestValidationError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message.en}`).join('; '));
    this.name = 'RequestValidationError';
    this.problems = problems;
  }
}

/**
 * Nesting no request needs (a policy's conditions nest a few levels). Deeper input is refused before
 * zod or any recursive code walks it: a 4,500-level array inside `facts` (a record of unknowns) passed
 * validation and overflowed the stack of the request hash (canonicalJson), a 500.
 */
export const MAX_INPUT_DEPTH = 64;

/** The path to the first value nested deeper than `limit`, without recursion (the input may be deep). */
export function pathTooDeep(data: unknown, limit: number = MAX_INPUT_DEPTH): string[] | undefined {
  interface Node {
    readonly value: unknown;
    readonly depth: number;
    readonly key: string;
    readonly parent: Node | undefined;
  }
  const pathOf = (node: Node) => {
    const path: string[] = [];
    for (let n: Node | undefined = node; n?.parent; n = n.parent) path.unshift(n.key);
    return path;
  };
  const stack: Node[] = [{ value: data, depth: 0, key: '', parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    if (node.depth >= limit) return pathOf(node);
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, depth: node.depth + 1, key, parent: node });
  }
  return undefined;
}

/**
 * Text PostgreSQL cannot store: NUL (refused in text and jsonb) and UTF-16 halves without their pair
 * (refused in jsonb). Any string a request carries may end up in either, so such a string is a 400
 * naming its field, not a failed query and a 500 (a name of "\u0000" in a submitted form was one).
 */
// eslint-disable-next-line no-control-regex -- NUL is the character looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The paths of the strings (values or keys) of validated input that PostgreSQL cannot store. */
export function unstorableText(data: unknown, limit = 20): string[][] {
  const found: string[][] = [];
  const stack: { value: unknown; path: string[] }[] = [{ value: data, path: [] }];
  while (stack.length > 0 && found.length < limit) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) found.push(path);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      for (const [key, child] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) found.push([...path, key]);
        stack.push({ value: child, path: [...path, key] });
      }
    }
  }
  return found.reverse();
}

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const deep = pathTooDeep(data);
    if (deep) {
      const path = [httpPart ?? '', ...deep.slice(0, 6)].filter(Boolean).join('.');
      return {
        error: new RequestValidationError([
          {
            path: deep.length > 6 ? `${path}…` : path,
            code: 'too_deep',
            message: {
              'zh-CN': `嵌套层级过深（最多 ${MAX_INPUT_DEPTH} 层）`,
              en: `nested too deep (at most ${MAX_INPUT_DEPTH} levels)`,
            },
          },
        ]),
      };
    }
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) {
      const unstorable = unstorableText(result.data);
      if (unstorable.length === 0) return { value: result.data };
      return {
        error: new RequestValidationError(
          unstorable.map((at) => ({
            path: [httpPart ?? '', ...at].filter(Boolean).join('.'),
            code: 'invalid_characters',
            message: {
              'zh-CN': '不能包含空字符（U+0000）或不成对的代理项',
              en: 'must not hold the NUL character (U+0000) or an unpaired surrogate',
            },
          })),
        ),
      };
    }
    return { error: new RequestValidationError(issuesToProblems(result.error.issues, httpPart ?? '')) };
  };

/**
 * Adds a domain check to a schema whose failure carries a Huji error code and params, so that the
 * message comes from the error table in both languages.
 */
export function hujiIssue(code: ErrorCode, params: Record<string, unknown> = {}) {
  return { params: { hujiCode: code, ...params } };
}

/**
 * A string schema with a domain rule: `check` returns undefined when the value is fine, or the Huji
 * code and params of the rule it breaks.
 */
export function ruledString(
  check: (value: string) => { code: ErrorCode; params?: Record<string, unknown> } | undefined,
) {
  return z.string().superRefine((value, ctx) => {
    const broken = check(value);
    if (broken)
      ctx.addIssue({ code: 'custom', message: broken.code, ...hujiIssue(broken.code, broken.params) });
  });
}
