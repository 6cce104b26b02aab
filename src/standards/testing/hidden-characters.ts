/**
 * Characters a person's name may never hold (src/standards/person-name.ts): controls (C0, DEL, C1), bidi
 * controls and marks, zero-width and other format characters, line and paragraph separators, lone
 * surrogates and tag characters. One list for the rule's unit test and the fuzz suite.
 */
export const FORBIDDEN_IN_NAMES: readonly string[] = [
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u009F',
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u2028',
  '\u2029',
  '\uD800',
  '\uDFFF',
  '\u{E0041}',
];
