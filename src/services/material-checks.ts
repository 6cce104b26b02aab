/**
 * What an accepted upload must be beyond its first bytes (issue 14: a JPEG header followed by HTML and
 * a PDF with JavaScript in /OpenAction both passed the sniffer), and the file name it is kept under.
 * Pure (no I/O): the PDF check is given the inflater (the I/O side passes node:zlib with an output cap);
 * the PNG check likewise (capped at the size IHDR implies); JPEGs are walked here and decoded with jpeg-js.
 *
 * - Images must be whole: PNG from its signature through chunks whose CRCs hold, IHDR first, to IEND
 *   and nothing after it; JPEG from SOI through its marker segments and entropy-coded scans to EOI, with
 *   nothing after it but padding, a further whole JPEG (multi-picture files) or what phones append to
 *   their photos (the MP4 of a motion photo, Samsung's `SEFT` trailer): an HTML page after EOI is refused.
 *   And they must decode: PNG image data inflates to exactly the scanlines IHDR implies, a JPEG's first
 *   image decodes; at most 20000 pixels a side and 100 megapixels.
 * - PDFs must hold no active or embedded content (decided in ADR 0016): JavaScript (/JS, /JavaScript),
 *   launch actions (/Launch), embedded files (/EmbeddedFile, /EmbeddedFiles, /FileAttachment), forms
 *   that send or import data (/SubmitForm, /ImportData, /XFA), rich media, and remote or embedded go-to
 *   actions (/GoToR, /GoToE). Names are read after decoding `#xx` escapes, in the file and in every
 *   Flate-compressed stream (object streams hide dictionaries there). A plain /OpenAction (open at a
 *   page, fit the window) stays allowed: its danger is the JavaScript it names, caught as /JS.
 */
import { decode as decodeJpeg } from 'jpeg-js';

/**
 * Inflates zlib data to at most `maxBytes`: the bytes, `'too-large'` past the cap, or undefined when the
 * data does not inflate (the I/O side passes node:zlib; this module uses no built-in module).
 */
export type CappedInflater = (data: Uint8Array, maxBytes: number) => Uint8Array | 'too-large' | undefined;

/** A problem of an upload, in the words of HUJI_MATERIAL_CORRUPT's `{detail}` (English, technical). */
export type StructureProblem = string;

// ——— file names ———

/** The characters a kept file name loses: controls, line and bidi controls, invisible format characters. */
const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * The name an upload is kept and shown under: controls (CR, LF, NUL …), bidirectional and zero-width
 * characters removed (a name like `invoice\u202Efdp.exe` no longer displays as `invoiceexe.pdf`), path
 * separators and characters Windows refuses replaced by `_`, runs of spaces collapsed, leading dots
 * removed, at most 200 characters; `file` when nothing is left.
 */
export function sanitizeFileName(name: string): string {
  const cleaned = name
    .replace(UNSAFE_NAME_CHARACTERS, '')
    .replace(/[/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .trim();
  const chars = [...cleaned];
  const short = chars.length > 200 ? chars.slice(0, 200).join('') : cleaned;
  return short.length > 0 ? short : 'file';
}

// ——— PNG ———

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = (CRC_TABLE[(c ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (b: Uint8Array, at: number) =>
  (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;

/** Undefined when the PNG is whole; else what is wrong. */
export function checkPngStructure(bytes: Uint8Array): StructureProblem | undefined {
  let at = 8;
  let first = true;
  while (at + 12 <= bytes.length) {
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) return `bad chunk type at byte ${at + 4}`;
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) return `chunk ${type} runs past the end of the file`;
    if (first && (type !== 'IHDR' || length !== 13)) return 'the first chunk is not IHDR';
    first = false;
    if (crc32(bytes, at + 4, at + 8 + length) !== u32(bytes, at + 8 + length))
      return `chunk ${type} fails its CRC`;
    at = end;
    if (type === 'IEND') return at === bytes.length ? undefined : 'bytes follow the IEND chunk';
  }
  return first ? 'no IHDR chunk' : 'no IEND chunk: the image is cut short';
}

// ——— JPEG ———

/** Undefined when the JPEG is whole (SOI … EOI, then nothing but padding or another whole JPEG). */
export function checkJpegStructure(bytes: Uint8Array, depth = 0): StructureProblem | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return 'no SOI marker';
  let at = 2;
  let sawFrame = false;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return `expected a marker at byte ${at}`;
    // Fill bytes before a marker.
    while (bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
    const marker = bytes[at + 1];
    if (marker === undefined) break;
    at += 2;
    if (marker === 0xd9) {
      if (!sawFrame) return 'no image frame before EOI';
      return trailerProblem(bytes.subarray(at), depth);
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length
    if (at + 2 > bytes.length) break;
    const length = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
    if (length < 2 || at + length > bytes.length)
      return `segment 0xFF${marker.toString(16)} runs past the end`;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      sawFrame = true;
    at += length;
    if (marker === 0xda) {
      // Entropy-coded data: up to the next marker that is not stuffing (FF 00) or a restart (FF D0–D7).
      while (at < bytes.length) {
        if (bytes[at] === 0xff) {
          const next = bytes[at + 1];
          if (next === undefined) break;
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
            at += next === 0xff ? 1 : 2;
            continue;
          }
          break;
        }
        at++;
      }
    }
  }
  return 'no EOI marker: the image is cut short';
}

function trailerProblem(trailer: Uint8Array, depth: number): StructureProblem | undefined {
  if (trailer.every((b) => b === 0x00 || b === 0xff)) return undefined;
  // Multi-picture JPEGs (phones, CIPA DC-007) append further whole JPEGs after the first EOI.
  if (depth < 4 && trailer[0] === 0xff && trailer[1] === 0xd8) {
    const inner = checkJpegStructure(trailer, depth + 1);
    return inner === undefined ? undefined : `an appended image is broken (${inner})`;
  }
  // Motion photos (Google, Samsung) append an MP4: ISO-BMFF boxes, `ftyp` first.
  if (String.fromCharCode(...trailer.subarray(4, 8)) === 'ftyp') return undefined;
  // Samsung's metadata trailer ends with its `SEFT` signature.
  if (String.fromCharCode(...trailer.subarray(trailer.length - 4)) === 'SEFT') return undefined;
  return 'bytes follow the EOI marker';
}

/**
 * Undefined when a JPEG or PNG is whole and decodes; other types pass. A valid structure is not enough
 * (issue 14): a PNG whose IDAT data is cut or inflates to the wrong size, or a JPEG whose Huffman tables
 * or entropy-coded data are garbage, has every marker and CRC right and still shows nothing.
 */
export function checkImageStructure(
  bytes: Uint8Array,
  mediaType: string,
  inflate: CappedInflater,
): StructureProblem | undefined {
  if (mediaType === 'image/png') return checkPngStructure(bytes) ?? checkPngDecodes(bytes, inflate);
  if (mediaType === 'image/jpeg') return checkJpegStructure(bytes) ?? checkJpegDecodes(bytes);
  return undefined;
}

// ——— decoding ———

/** The largest image accepted: 20000 pixels a side, 100 megapixels in all. */
export const MAX_IMAGE_SIDE = 20_000;
export const MAX_IMAGE_MEGAPIXELS = 100;
/** The most a PNG's image data may inflate to (its scanlines, filter bytes included). */
export const MAX_PNG_DECODED_BYTES = 256 * 1024 * 1024;

/** Bit depths each PNG colour type allows, and its samples per pixel (PNG spec, table 11.1). */
const PNG_COLOUR_TYPES: Readonly<Record<number, { depths: readonly number[]; samples: number }>> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1 },
  2: { depths: [8, 16], samples: 3 },
  3: { depths: [1, 2, 4, 8], samples: 1 },
  4: { depths: [8, 16], samples: 2 },
  6: { depths: [8, 16], samples: 4 },
};

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Adam7's passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** The reduced images a PNG's data holds: one for interlace method 0, Adam7's non-empty passes for 1. */
function pngPasses(width: number, height: number, interlace: number): { width: number; height: number }[] {
  if (interlace === 0) return [{ width, height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    width: width > x0 ? Math.ceil((width - x0) / dx) : 0,
    height: height > y0 ? Math.ceil((height - y0) / dy) : 0,
  })).filter((p) => p.width > 0 && p.height > 0);
}

/**
 * Undefined when a structurally whole PNG (see checkPngStructure) decodes: a valid IHDR (size within
 * the limits, a bit depth its colour type allows, methods 0, interlace 0 or 1), a palette before the
 * data of an indexed image, and IDAT data that inflates (capped at the size IHDR implies) to exactly the
 * scanlines IHDR implies, each led by a filter type 0–4.
 */
export function checkPngDecodes(bytes: Uint8Array, inflate: CappedInflater): StructureProblem | undefined {
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  const [depth = 0, colour = 0, compression, filter, interlace = 0] = bytes.subarray(24, 29);
  if (width === 0 || height === 0) return 'IHDR gives an empty image';
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_MEGAPIXELS * 1e6)
    return `the image is ${width} × ${height} pixels, beyond ${MAX_IMAGE_SIDE} a side or ${MAX_IMAGE_MEGAPIXELS} megapixels`;
  const kind = PNG_COLOUR_TYPES[colour];
  if (!kind) return `IHDR gives an unknown colour type ${colour}`;
  if (!kind.depths.includes(depth))
    return `IHDR gives bit depth ${depth}, not allowed for colour type ${colour}`;
  if (compression !== 0 || filter !== 0) return 'IHDR gives an unknown compression or filter method';
  if (interlace !== 0 && interlace !== 1) return `IHDR gives an unknown interlace method ${interlace}`;
  const bitsPerPixel = depth * kind.samples;
  const passes = pngPasses(width, height, interlace).map((p) => ({
    ...p,
    rowBytes: 1 + Math.ceil((p.width * bitsPerPixel) / 8),
  }));
  const expected = passes.reduce((sum, p) => sum + p.height * p.rowBytes, 0);
  if (expected > MAX_PNG_DECODED_BYTES)
    return `the image data would take ${expected} bytes, beyond ${MAX_PNG_DECODED_BYTES}`;
  // The chunks (their CRCs already checked): IDAT consecutive, PLTE before them for an indexed image.
  const idat: Uint8Array[] = [];
  let sawPalette = false;
  let idatEnded = false;
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'PLTE') sawPalette = true;
    if (type === 'IDAT') {
      if (idatEnded) return 'IDAT chunks are not consecutive';
      if (colour === 3 && !sawPalette) return 'an indexed image has no PLTE before its data';
      idat.push(bytes.subarray(at + 8, at + 8 + length));
    } else if (idat.length > 0) idatEnded = true;
    at += 12 + length;
  }
  if (idat.length === 0) return 'no IDAT chunk: the image has no data';
  // One byte more than expected is enough to tell that the data is too long, and caps a zip bomb.
  const data = inflate(concatBytes(idat), expected + 1);
  if (data === 'too-large') return `the image data inflates to more than the ${expected} bytes IHDR implies`;
  if (data === undefined) return 'the image data does not inflate';
  if (data.length !== expected)
    return `the image data inflates to ${data.length} bytes, not the ${expected} IHDR implies`;
  let at = 0;
  for (const pass of passes)
    for (let row = 0; row < pass.height; row++, at += pass.rowBytes)
      if ((data[at] ?? 0) > 4) return `scanline at byte ${at} of the image data has filter type ${data[at]}`;
  return undefined;
}

/** A canonical Huffman table as decoded (JPEG annex C, F.2.2.3): per code length, the codes' range. */
interface HuffmanTable {
  readonly maxCode: Int32Array;
  readonly minCode: Int32Array;
  readonly firstValue: Int32Array;
  readonly values: Uint8Array;
}

/** A table from a DHT's 16 counts and its values, or undefined when the counts overflow the code space. */
function huffmanTable(counts: Uint8Array, values: Uint8Array): HuffmanTable | undefined {
  const maxCode = new Int32Array(17).fill(-1);
  const minCode = new Int32Array(17);
  const firstValue = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    const count = counts[length - 1] ?? 0;
    if (count > 0) {
      firstValue[length] = k;
      minCode[length] = code;
      code += count;
      k += count;
      // All ones is no code (C.2); beyond it the table is impossible.
      if (code > (1 << length) - (length === 16 ? 1 : 0)) return undefined;
      maxCode[length] = code - 1;
    }
    code <<= 1;
  }
  return k === values.length ? { maxCode, minCode, firstValue, values } : undefined;
}

class EntropyProblem extends Error {}

/**
 * Walks the entropy-coded data of a sequential Huffman JPEG (SOF0, SOF1) the way a decoder does, strictly:
 * every code is in its table, no block's coefficients run past the 64th, DC and AC magnitudes are in
 * range, restart markers come in order where DRI puts them, every block of every scan is there before
 * the scan's marker, and nothing but the last byte's padding (or zero bytes) follows the last block.
 * Random bytes in place of the scan, or a table that does not match it, fail here although a lenient
 * decoder shows something (jpeg-js skips what follows the last block and lets runs overflow).
 * Progressive and other frames are left to jpeg-js. Undefined when the scans are whole.
 */
export function checkSequentialJpegScans(bytes: Uint8Array): StructureProblem | undefined {
  const dc: (HuffmanTable | undefined)[] = [];
  const ac: (HuffmanTable | undefined)[] = [];
  let frame:
    | {
        precision: number;
        width: number;
        height: number;
        maxH: number;
        maxV: number;
        components: Map<number, { h: number; v: number }>;
      }
    | undefined;
  let restartInterval = 0;
  let at = 2;
  while (at + 4 <= bytes.length) {
    while (bytes[at] === 0xff && bytes[at + 1] === 0xff) at++;
    const marker = bytes[at + 1] ?? 0;
    at += 2;
    if (marker === 0xd9) return undefined;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    const length = ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
    const segment = bytes.subarray(at + 2, at + length);
    at += length;
    if (marker === 0xc4) {
      for (let p = 0; p < segment.length;) {
        const tc = (segment[p] ?? 0) >> 4;
        const th = (segment[p] ?? 0) & 15;
        const counts = segment.subarray(p + 1, p + 17);
        const total = counts.reduce((sum, c) => sum + c, 0);
        const table = huffmanTable(counts, segment.subarray(p + 17, p + 17 + total));
        if (!table || tc > 1 || th > 3 || p + 17 + total > segment.length)
          return 'a Huffman table is malformed';
        (tc === 0 ? dc : ac)[th] = table;
        p += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = ((segment[0] ?? 0) << 8) | (segment[1] ?? 0);
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (marker !== 0xc0 && marker !== 0xc1) return undefined; // progressive, lossless, arithmetic: jpeg-js
      const components = new Map<number, { h: number; v: number }>();
      for (let i = 0; i < (segment[5] ?? 0); i++) {
        const hv = segment[7 + i * 3] ?? 0;
        components.set(segment[6 + i * 3] ?? 0, { h: Math.max(1, hv >> 4), v: Math.max(1, hv & 15) });
      }
      const all = [...components.values()];
      frame = {
        precision: segment[0] ?? 8,
        height: ((segment[1] ?? 0) << 8) | (segment[2] ?? 0),
        width: ((segment[3] ?? 0) << 8) | (segment[4] ?? 0),
        maxH: Math.max(1, ...all.map((c) => c.h)),
        maxV: Math.max(1, ...all.map((c) => c.v)),
        components,
      };
      if (frame.height === 0 || frame.width === 0 || components.size === 0) return undefined; // DNL: jpeg-js
    } else if (marker === 0xda) {
      if (!frame) return 'a scan comes before the frame header';
      try {
        at = walkScan(bytes, at, segment, frame, dc, ac, restartInterval);
      } catch (error) {
        if (error instanceof EntropyProblem) return `the image data is corrupt (${error.message})`;
        throw error;
      }
    }
  }
  return undefined;
}

/** Walks one scan from `start` (after its header); the offset of the marker that ends it. */
function walkScan(
  bytes: Uint8Array,
  start: number,
  header: Uint8Array,
  frame: {
    precision: number;
    width: number;
    height: number;
    maxH: number;
    maxV: number;
    components: Map<number, { h: number; v: number }>;
  },
  dc: readonly (HuffmanTable | undefined)[],
  ac: readonly (HuffmanTable | undefined)[],
  restartInterval: number,
): number {
  const fail = (why: string): never => {
    throw new EntropyProblem(why);
  };
  const count = header[0] ?? 0;
  const scan = Array.from({ length: count }, (_, i) => {
    const component =
      frame.components.get(header[1 + i * 2] ?? 0) ?? fail('a scan names an unknown component');
    const tables = header[2 + i * 2] ?? 0;
    return {
      ...component,
      dc: dc[tables >> 4] ?? fail('a scan uses a missing DC table'),
      ac: ac[tables & 15] ?? fail('a scan uses a missing AC table'),
      pred: 0,
    };
  });
  const first = scan[0] ?? fail('a scan has no component');
  // One component: its blocks one by one; several: interleaved MCUs of h × v blocks each (A.2).
  const mcus =
    scan.length === 1
      ? Math.ceil(Math.ceil((frame.width * first.h) / frame.maxH) / 8) *
        Math.ceil(Math.ceil((frame.height * first.v) / frame.maxV) / 8)
      : Math.ceil(frame.width / (8 * frame.maxH)) * Math.ceil(frame.height / (8 * frame.maxV));
  const maxDc = frame.precision > 8 ? 15 : 11;
  const maxAc = frame.precision > 8 ? 14 : 10;
  let at = start;
  let bits = 0;
  let bitCount = 0;
  const bit = (): number => {
    if (bitCount === 0) {
      const byte = bytes[at] ?? fail('the data ends inside the scan');
      if (byte === 0xff) {
        if (bytes[at + 1] !== 0x00) fail('the scan ends before its last block');
        at += 2;
      } else at++;
      bits = byte;
      bitCount = 8;
    }
    bitCount--;
    return (bits >> bitCount) & 1;
  };
  const receive = (n: number) => {
    for (let i = 0; i < n; i++) bit();
  };
  const decode = (table: HuffmanTable): number => {
    let code = 0;
    for (let length = 1; length <= 16; length++) {
      code = (code << 1) | bit();
      if (code <= (table.maxCode[length] ?? -1))
        return table.values[(table.firstValue[length] ?? 0) + code - (table.minCode[length] ?? 0)] ?? 0;
    }
    return fail('a code is not in its Huffman table');
  };
  const block = (c: (typeof scan)[number]) => {
    const size = decode(c.dc);
    if (size > maxDc) fail(`a DC difference of ${size} bits`);
    receive(size);
    for (let k = 1; k < 64;) {
      const rs = decode(c.ac);
      const run = rs >> 4;
      const size = rs & 15;
      if (size === 0) {
        if (run !== 15) break;
        k += 16;
        if (k > 64) fail('a block runs past its 64th coefficient');
        continue;
      }
      k += run;
      if (k > 63) fail('a block runs past its 64th coefficient');
      if (size > maxAc) fail(`an AC coefficient of ${size} bits`);
      receive(size);
      k++;
    }
  };
  for (let mcu = 0; mcu < mcus; mcu++) {
    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval === 0) {
      // Byte-aligned restart marker RSTn, n counting 0–7.
      bitCount = 0;
      const expected = 0xd0 + ((mcu / restartInterval - 1) % 8);
      if (bytes[at] !== 0xff || bytes[at + 1] !== expected)
        fail(`restart marker ${mcu / restartInterval} is missing`);
      at += 2;
      for (const c of scan) c.pred = 0;
    }
    if (scan.length === 1) block(first);
    else for (const c of scan) for (let b = 0; b < c.h * c.v; b++) block(c);
  }
  // Only the padding of the last byte may follow the last block (and zero bytes, which some cameras
  // write before EOI and decoders skip); then the marker.
  while (bytes[at] === 0x00) at++;
  if (bytes[at] !== 0xff || bytes[at + 1] === 0x00) fail('data follows the last block of the scan');
  return at;
}

/**
 * Undefined when a structurally whole JPEG (see checkJpegStructure) decodes: jpeg-js, strict (not its
 * tolerant mode), within the size limits, decodes its first image; an error of the decoder refuses it.
 */
export function checkJpegDecodes(bytes: Uint8Array): StructureProblem | undefined {
  const entropy = checkSequentialJpegScans(bytes);
  if (entropy) return entropy;
  try {
    const image = decodeJpeg(bytes, {
      tolerantDecoding: false,
      maxResolutionInMP: MAX_IMAGE_MEGAPIXELS,
      maxMemoryUsageInMB: 512,
      formatAsRGBA: false,
    });
    if (image.width > MAX_IMAGE_SIDE || image.height > MAX_IMAGE_SIDE)
      return `the image is ${image.width} × ${image.height} pixels, beyond ${MAX_IMAGE_SIDE} a side`;
    return undefined;
  } catch (error) {
    return `the image does not decode (${error instanceof Error ? error.message : String(error)})`;
  }
}

// ——— PDF ———

/** The PDF names that make a file active or a container (see the module comment). */
export const PDF_ACTIVE_NAMES = [
  'JS',
  'JavaScript',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'FileAttachment',
  'SubmitForm',
  'ImportData',
  'XFA',
  'RichMedia',
  'GoToR',
  'GoToE',
] as const;
const ACTIVE = new Set<string>(PDF_ACTIVE_NAMES);

const latin1 = (bytes: Uint8Array) => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    out += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
  return out;
};

/** The first active name in PDF text (names decoded from `#xx`), or undefined. */
function activeNameIn(text: string): string | undefined {
  // A PDF name: `/` then regular characters (not whitespace or a delimiter).
  for (const match of text.matchAll(/\/([^\s/<>[\](){}%]+)/g)) {
    const raw = match[1] ?? '';
    const name = raw.includes('#')
      ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      : raw;
    if (ACTIVE.has(name)) return `/${name}`;
  }
  return undefined;
}

/**
 * The first active-content name of a PDF (`/JavaScript`, `/Launch` …), looking into every
 * Flate-compressed stream with `inflate` (undefined when a stream cannot be inflated: it is then read
 * as it is); undefined when the PDF is passive.
 */
export function findPdfActiveContent(
  bytes: Uint8Array,
  inflate: (data: Uint8Array) => Uint8Array | undefined,
): string | undefined {
  const text = latin1(bytes);
  const direct = activeNameIn(text);
  if (direct) return direct;
  const streams = /stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = streams.exec(text)) !== null) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const dictionary = text.slice(Math.max(0, match.index - 1024), match.index);
    // The stream's dictionary: from its `obj` keyword (nested dictionaries such as DecodeParms included).
    const own = dictionary.slice(Math.max(0, dictionary.lastIndexOf('obj')));
    // An object stream holds dictionaries (actions among them) out of sight: one this check cannot read
    // (another filter than Flate, or Flate data that does not inflate) could hide /JavaScript, so it is
    // refused rather than passed unread.
    const isObjectStream = /\/Type\s*\/ObjStm(?![A-Za-z])/.test(own);
    const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(own)?.[1] ?? '';
    const otherFilter = /\/([A-Za-z0-9]+)/g;
    const unreadable = [...filter.matchAll(otherFilter)]
      .map((m) => m[1] ?? '')
      .find((f) => f !== 'FlateDecode' && f !== 'Fl');
    if (isObjectStream && unreadable) return `/ObjStm /${unreadable}`;
    if (/\/(FlateDecode|Fl)(?![A-Za-z])/.test(own)) {
      const inflated = inflate(bytes.subarray(start, end));
      if (isObjectStream && !inflated) return '/ObjStm (does not inflate)';
      const found = inflated ? activeNameIn(latin1(inflated)) : undefined;
      if (found) return found;
    }
    streams.lastIndex = end + 'endstream'.length;
  }
  return undefined;
}
