/**
 * Plain words for the validation failures people meet most in forms (a field left empty, too short or too
 * long, a number out of range, a malformed date or code). zod's own locale texts name types and regular
 * expressions ("数值过小：期望 string >=2 字符"); these say what to do. The server's problem answers and
 * the web forms use the same function, so a form's inline message is the API's. Anything not covered
 * here keeps zod's locale text (the callers fall back). Pure.
 */

/** The parts of a zod issue this reads (structural, so this module imports nothing). */
export interface ValidationIssue {
  readonly code: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly expected?: string;
  readonly input?: unknown;
}

export interface FieldMessage {
  readonly zh: string;
  readonly en: string;
}

const REQUIRED: FieldMessage = { zh: '必填', en: 'Required' };

export function plainFieldMessage(issue: ValidationIssue): FieldMessage | undefined {
  const n = (v: number | bigint | undefined) => (v === undefined ? '' : String(v));
  switch (issue.code) {
    case 'invalid_type':
      // Only when the issue reports its input (zod leaves it out unless asked): a missing value.
      return 'input' in issue && (issue.input === undefined || issue.input === null) ? REQUIRED : undefined;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? REQUIRED
          : { zh: `至少 ${n(issue.minimum)} 个字`, en: `At least ${n(issue.minimum)} characters` };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { zh: `至少 ${n(issue.minimum)} 项`, en: `At least ${n(issue.minimum)} items` };
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false
          ? { zh: `须大于 ${n(issue.minimum)}`, en: `Must be more than ${n(issue.minimum)}` }
          : { zh: `不能小于 ${n(issue.minimum)}`, en: `Must be at least ${n(issue.minimum)}` };
      return undefined;
    case 'too_big':
      if (issue.origin === 'string')
        return { zh: `最多 ${n(issue.maximum)} 个字`, en: `At most ${n(issue.maximum)} characters` };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { zh: `最多 ${n(issue.maximum)} 项`, en: `At most ${n(issue.maximum)} items` };
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive === false
          ? { zh: `须小于 ${n(issue.maximum)}`, en: `Must be less than ${n(issue.maximum)}` }
          : { zh: `不能大于 ${n(issue.maximum)}`, en: `Must be at most ${n(issue.maximum)}` };
      return undefined;
    case 'invalid_format':
      if (issue.format === 'date')
        return {
          zh: '请按 年-月-日 填写日期，如 2025-03-01',
          en: 'Enter a date as year-month-day, e.g. 2025-03-01',
        };
      if (issue.format === 'uuid' || issue.format === 'guid')
        return { zh: '不是有效的记录编号', en: 'Not a valid record identifier' };
      if (issue.format === 'regex') return { zh: '格式不正确', en: 'Wrong format' };
      return undefined;
    default:
      return undefined;
  }
}
