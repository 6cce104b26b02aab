import { FORBIDDEN_IN_NAMES } from './testing/hidden-characters.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findForbiddenNameCharacter, personNameField } from './person-name.js';

describe('person-name rule', () => {
  it.each([
    ['张\u202E三', 'U+202E', 'bidi', 2],
    ['\u2066张三', 'U+2066', 'bidi', 1],
    ['张三\u200F', 'U+200F', 'bidi', 3],
    ['张\u200B三', 'U+200B', 'invisible', 2],
    ['张\u200D三', 'U+200D', 'invisible', 2],
    ['张\uFEFF三', 'U+FEFF', 'invisible', 2],
    ['张\u00AD三', 'U+00AD', 'invisible', 2],
    ['张\u0000三', 'U+0000', 'control', 2],
    ['张\t三', 'U+0009', 'control', 2],
    ['张\r\n三', 'U+000D', 'control', 2],
    ['张\u0085三', 'U+0085', 'control', 2],
    ['张\u2028三', 'U+2028', 'control', 2],
    ['张\uD800三', 'U+D800', 'surrogate', 2],
    ['𠮷\u202E', 'U+202E', 'bidi', 2],
  ])('refuses %j: %s (%s) at %i', (name, codePoint, kind, position) => {
    expect(findForbiddenNameCharacter(name)).toEqual({ codePoint, kind, position });
    const parsed = personNameField().safeParse(name);
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.code).toBe('custom');
    expect((issue as { params?: { hujiCode?: string } }).params?.hujiCode).toBe('HUJI_NAME_CHARACTER');
  });

  it.each(['张三', '吉𠮷', '龚䶮', '买买提·艾力', '葛\u{E0100}', 'Anna-Lena O’Neil', '欧阳 娜娜'])(
    'accepts the real name %j',
    (name) => {
      expect(findForbiddenNameCharacter(name)).toBeUndefined();
      expect(personNameField().safeParse(name).success).toBe(true);
    },
  );

  it('finds every format or control character wherever it is (property)', () => {
    const bad = fc.constantFrom(...FORBIDDEN_IN_NAMES);
    const han = fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp));
    fc.assert(
      fc.property(fc.array(han, { minLength: 1, maxLength: 8 }), bad, fc.nat(), (chars, b, at) => {
        const i = at % (chars.length + 1);
        const name = [...chars.slice(0, i), b, ...chars.slice(i)].join('');
        expect(findForbiddenNameCharacter(name)?.position).toBe(i + 1);
        expect(findForbiddenNameCharacter(chars.join(''))).toBeUndefined();
      }),
    );
  });
});
