/**
 * What an accepted upload must be beyond its first bytes (issue 14: a JPEG header followed by HTML and
 * a PDF with JavaScript in /OpenAction both passed the sniffer), and the file name it is kept under.
 * Pure: the PDF check is given the inflater (the I/O side passes node:zlib with an output cap).
 *
 * - Images must be whole: PNG from its signature through chunks whose CRCs hold, IHDR first, to IEND
 *   and nothing after it; JPEG from SOI through its marker segments and entropy-coded scans to EOI, with
 *   nothing after it but padding, a further whole JPEG (multi-picture files) or what phones append to
 *   their photos (the MP4 of a motion photo, Samsung's `SEFT` trailer): an HTML page after EOI is refused.
 * - PDFs must hold no active or embedded content (decided in ADR 0016): JavaScript (/JS, /JavaScript),
 *   launch actions (/Launch), embedded files (/EmbeddedFile, /EmbeddedFiles, /FileAttachment), forms
 *   that send or import data (/SubmitForm, /ImportData, /XFA), rich media, and remote or embedded go-to
 *   actions (/GoToR, /GoToE). Names are read after decoding `#xx` escapes, in the file and in every
 *   Flate-compressed stream (object streams hide dictionaries there). A plain /OpenAction (open at a
 *   page, fit the window) stays allowed: its danger is the JavaScript it names, caught as /JS.
 */

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

/** Undefined when a JPEG or PNG is whole; other types pass. */
export function checkImageStructure(bytes: Uint8Array, mediaType: string): StructureProblem | undefined {
  if (mediaType === 'image/png') return checkPngStructure(bytes);
  if (mediaType === 'image/jpeg') return checkJpegStructure(bytes);
  return undefined;
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
    if (/\/(FlateDecode|Fl)(?![A-Za-z])/.test(own)) {
      const inflated = inflate(bytes.subarray(start, end));
      const found = inflated ? activeNameIn(latin1(inflated)) : undefined;
      if (found) return found;
    }
    streams.lastIndex = end + 'endstream'.length;
  }
  return undefined;
}
