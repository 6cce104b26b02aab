import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLegacy, firstUnencodable } from './gb18030.js';

const decode = (bytes: Uint8Array) => new TextDecoder('gb18030', { fatal: true }).decode(bytes);

describe('GB 18030 / GBK encoding', () => {
  it('writes common hanzi in two bytes, as GBK exports have them', () => {
    // 张 is D5C5 and 三 is C8FD in GB 2312 / GBK.
    expect(encodeLegacy('张三,A', 'gbk').toString('hex')).toBe('d5c5c8fd2c41');
    expect(encodeLegacy('张三', 'gb18030').toString('hex')).toBe('d5c5c8fd');
  });

  it('writes rare name characters in four bytes under GB 18030 and refuses them under GBK', () => {
    // 𠮷 (U+20BB7) is 0x9534B235: linear 189000 + 0x10BB7 = 257535 → 0x95 0x34 0xB2 0x35.
    expect(decode(encodeLegacy('吉𠮷䶮', 'gb18030'))).toBe('吉𠮷䶮');
    expect(encodeLegacy('𠮷', 'gb18030').toString('hex')).toBe('9534b235');
    expect(() => encodeLegacy('𠮷', 'gbk')).toThrow(/U\+20BB7.*GBK/);
    expect(firstUnencodable('张𠮷', 'gbk')).toBe('𠮷');
    expect(firstUnencodable('张𠮷', 'gb18030')).toBeUndefined();
  });

  it('round-trips any well-formed text through GB 18030', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(decode(encodeLegacy(text, 'gb18030'))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips every character it accepts for GBK', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        if (firstUnencodable(text, 'gbk') !== undefined || /[\uD800-\uDFFF]/u.test(text)) return;
        expect(decode(encodeLegacy(text, 'gbk'))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });
});
