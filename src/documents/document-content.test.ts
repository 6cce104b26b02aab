import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addressLine, canonicalJson, contentHash } from './document-content.js';

describe('document content', () => {
  it('writes canonical JSON: keys sorted at every depth, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: true }], 名: '吉𠮷' })).toBe(
      '{"a":[{"c":true,"d":null}],"b":1,"名":"吉𠮷"}',
    );
  });

  it('hashes the same facts the same way whatever the key order', () => {
    const a = contentHash({ name: '龚䶮', sex: '2', periods: [{ type: '1', from: null }] });
    const b = contentHash({ periods: [{ from: null, type: '1' }], sex: '2', name: '龚䶮' });
    expect(a).toBe(b);
    expect(a).toBe(
      createHash('sha256')
        .update('{"name":"龚䶮","periods":[{"from":null,"type":"1"}],"sex":"2"}')
        .digest('hex'),
    );
  });

  it('changes the hash when any fact changes', () => {
    const fields = { name: '吉𠮷', citizenId: '330802196805120174' };
    expect(contentHash({ ...fields, name: '吉吉' })).not.toBe(contentHash(fields));
  });

  it('keeps compatibility ideographs as registered (no NFC)', () => {
    // U+F900 豈 normalises to U+8C48 under NFC; a name must not silently become another character.
    expect(contentHash({ name: '\uF900' })).not.toBe(contentHash({ name: '\u8C48' }));
  });

  it('leaves undefined properties out, as JSON does, and refuses non-finite numbers', () => {
    const withUndefined = { a: 1, b: undefined } as unknown as { a: number };
    expect(canonicalJson(withUndefined)).toBe('{"a":1}');
    expect(() => canonicalJson(Number.NaN)).toThrow(RangeError);
  });

  it('prefixes the province, city and county unless the address names them', () => {
    expect(addressLine({ text: '府山街道坊门街 18 号', countyCode: '330802' })).toBe(
      '浙江省衢州市柯城区府山街道坊门街 18 号',
    );
    expect(addressLine({ text: '浙江省衢州市柯城区府山街道', countyCode: '330802' })).toBe(
      '浙江省衢州市柯城区府山街道',
    );
  });
});
