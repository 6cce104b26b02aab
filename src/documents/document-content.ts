/**
 * The canonical content of an issued document and its SHA-256, which the document's QR token carries as
 * `subjectHash`: whoever holds the document's data (the register, the verify page, an auditor) recomputes
 * the hash and learns whether a PDF's statements were altered after signing.
 *
 * Content is register values (codes, ISO dates, strings exactly as registered), not the laid-out text:
 * labels and layout may change between releases, the facts a document states do not.
 */
import { createHash } from 'node:crypto';
import { findDivision } from '../standards/divisions.js';
import type { HouseholdAddress } from '../register/model.js';

export type ContentValue =
  string | number | boolean | null | readonly ContentValue[] | { readonly [key: string]: ContentValue };

/** Bumped when the shape of a document's content changes, so old hashes stay checkable. */
export const CONTENT_VERSION = 1;

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785) and no whitespace. Strings are kept
 * as given: no Unicode normalisation, because NFC would turn CJK compatibility ideographs in names into
 * other characters.
 */
export function canonicalJson(value: ContentValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`content numbers must be finite: ${value}`);
    return JSON.stringify(value);
  }
  if (isContentArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // An undefined property is absent, as in JSON.stringify.
  const entries = Object.keys(value)
    .sort()
    .flatMap((k) => {
      const v = value[k];
      return v === undefined ? [] : [`${JSON.stringify(k)}:${canonicalJson(v)}`];
    });
  return `{${entries.join(',')}}`;
}

// Array.isArray does not narrow readonly arrays out of a union.
function isContentArray(value: ContentValue): value is readonly ContentValue[] {
  return Array.isArray(value);
}

/** SHA-256 (lower-case hex) of the canonical JSON of a document's content fields. */
export function contentHash(fields: ContentValue): string {
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}

/**
 * The registered address as printed: the province, city and county names from GB/T 2260 before the
 * address text, unless the text already names the county.
 */
export function addressLine(address: HouseholdAddress): string {
  const county = findDivision(address.countyCode);
  if (!county || address.text.includes(county.name)) return address.text;
  return [...county.path.map((p) => p.name), county.name, address.text].join('');
}
