import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainFieldMessage } from './field-messages.js';

/** The first issue zod raises for `value` under `schema`, as the server and the forms see it. */
const issueOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return result.error.issues[0]!;
};

describe('plain validation messages', () => {
  it('says what to do instead of naming types and patterns', () => {
    expect(plainFieldMessage(issueOf(z.string().trim().min(2), 'a'))).toEqual({
      zh: '至少 2 个字',
      en: 'At least 2 characters',
    });
    expect(plainFieldMessage(issueOf(z.string().min(1), ''))?.zh).toBe('必填');
    const missing = z.object({ a: z.string() }).safeParse({}, { reportInput: true });
    expect(plainFieldMessage(missing.error!.issues[0]!)?.en).toBe('Required');
    expect(plainFieldMessage(issueOf(z.string().max(40), 'x'.repeat(41)))?.zh).toBe('最多 40 个字');
    expect(plainFieldMessage(issueOf(z.number().int().min(1), 0))?.en).toBe('Must be at least 1');
    expect(plainFieldMessage(issueOf(z.number().lt(5), 5))?.zh).toBe('须小于 5');
    expect(plainFieldMessage(issueOf(z.array(z.string()).max(2), ['a', 'b', 'c']))?.zh).toBe('最多 2 项');
    expect(plainFieldMessage(issueOf(z.iso.date(), '2025-13-01'))?.en).toContain('year-month-day');
    expect(plainFieldMessage(issueOf(z.uuid(), 'nope'))?.zh).toBe('不是有效的记录编号');
    expect(plainFieldMessage(issueOf(z.string().regex(/^\d{6}$/), '12'))?.zh).toBe('格式不正确');
  });

  it('leaves other failures to zod’s own locale text', () => {
    expect(plainFieldMessage(issueOf(z.enum(['a', 'b']), 'c'))).toBeUndefined();
    expect(plainFieldMessage(issueOf(z.string(), 5))).toBeUndefined();
  });
});
