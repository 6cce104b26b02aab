/**
 * Encoding text as GB 18030 (and its two-byte subset GBK), for exports to legacy government systems.
 * Node's TextEncoder only writes UTF-8, but its TextDecoder reads GB 18030, so the encoder is built by
 * decoding every two-byte and every BMP four-byte sequence once: the table is exactly the platform's
 * (ICU's) reading of the standard, and encode(decode(x)) round-trips by construction.
 *
 * GB 18030-2005 maps all of Unicode: BMP characters outside the two-byte area by a four-byte table,
 * supplementary characters (𠮷, U+20BB7) by a linear formula. GBK has only the two-byte area.
 */

export type LegacyEncoding = 'gb18030' | 'gbk';

let twoByte: Map<number, number> | undefined;
let fourByteBmp: Map<number, number> | undefined;

/** A fatal decoder throws on an unassigned sequence: those are not in the table. */
const decoder = new TextDecoder('gb18030', { fatal: true });
function decodeOrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Two-byte codes: lead 0x81–0xFE, trail 0x40–0xFE without 0x7F. */
function buildTwoByte(): Map<number, number> {
  const table = new Map<number, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const text = decodeOrUndefined(pair);
      const cp = text?.codePointAt(0);
      if (text?.length === 1 && cp !== undefined && !table.has(cp)) table.set(cp, (lead << 8) | trail);
    }
  }
  return table;
}

/** Linear index of a four-byte code (b1 0x81–0xFE, b2 0x30–0x39, b3 0x81–0xFE, b4 0x30–0x39). */
function fourBytesOf(index: number): [number, number, number, number] {
  const b4 = index % 10;
  const b3 = Math.floor(index / 10) % 126;
  const b2 = Math.floor(index / 1260) % 10;
  const b1 = Math.floor(index / 12600);
  return [0x81 + b1, 0x30 + b2, 0x81 + b3, 0x30 + b4];
}

/** BMP four-byte codes: 0x81308130 up to 0x8431A439 (linear 0 … 39419). */
function buildFourByteBmp(): Map<number, number> {
  const table = new Map<number, number>();
  const quad = new Uint8Array(4);
  for (let index = 0; index <= 39419; index++) {
    quad.set(fourBytesOf(index));
    const text = decodeOrUndefined(quad);
    const cp = text?.codePointAt(0);
    if (text?.length === 1 && cp !== undefined && !table.has(cp)) table.set(cp, index);
  }
  return table;
}

/** The first character of `text` that the encoding cannot write, or undefined. */
export function firstUnencodable(text: string, encoding: LegacyEncoding): string | undefined {
  twoByte ??= buildTwoByte();
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80 || twoByte.has(cp)) continue;
    if (encoding === 'gbk') return ch;
    fourByteBmp ??= buildFourByteBmp();
    if (cp >= 0x10000 || fourByteBmp.has(cp)) continue;
    return ch;
  }
  return undefined;
}

/**
 * Encodes text; throws a RangeError naming the first character the encoding cannot write (GBK has no
 * 𠮷; GB 18030 has every character but lone surrogates).
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): Buffer {
  twoByte ??= buildTwoByte();
  const out = Buffer.allocUnsafe(text.length * 4);
  let at = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      out[at++] = cp;
      continue;
    }
    const two = twoByte.get(cp);
    if (two !== undefined) {
      out[at++] = two >> 8;
      out[at++] = two & 0xff;
      continue;
    }
    let index: number | undefined;
    if (encoding === 'gb18030') {
      if (cp >= 0x10000) index = 189000 + (cp - 0x10000);
      else index = (fourByteBmp ??= buildFourByteBmp()).get(cp);
    }
    if (index === undefined) {
      throw new RangeError(
        `U+${cp.toString(16).toUpperCase().padStart(4, '0')} (${ch}) cannot be written in ${encoding.toUpperCase()}`,
      );
    }
    for (const byte of fourBytesOf(index)) out[at++] = byte;
  }
  return out.subarray(0, at);
}
