import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The obvious definition, kept as the reference the fast implementation must equal. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys, drops undefined members and keeps array order, so equal data hashes equally', () => {
    expect(canonicalJson({ b: 1, a: [3, undefined, { d: null, c: '𠮷' }], e: undefined })).toBe(
      '{"a":[3,null,{"c":"𠮷","d":null}],"b":1}',
    );
  });

  it('equals the reference definition on arbitrary JSON-like values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.object(), (json, object) => {
        expect(canonicalJson(json)).toBe(reference(json));
        expect(canonicalJson(object)).toBe(reference(object));
        expect(JSON.parse(canonicalJson(json))).toEqual(JSON.parse(JSON.stringify(json)));
      }),
      { numRuns: 2000 },
    );
  });
});
