/**
 * What an uploaded material is, read from its bytes (never from its name or the client's Content-Type,
 * which anyone can set): JPEG, PNG and PDF are accepted; everything else is named as well as the first
 * bytes allow, so the refusal can say what was sent. Pure.
 */

export const ACCEPTED_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AcceptedMediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];

/** A photo (本人相片) is an image: a scan of papers may be a PDF, a photo may not. */
export const PHOTO_MEDIA_TYPES = ['image/jpeg', 'image/png'] as const satisfies readonly AcceptedMediaType[];

/**
 * The media types a material slot accepts, from its label: a photo (相片 / 照片) takes images only, the
 * other slots JPEG, PNG or PDF.
 *
 * @example mediaTypesForMaterial({ zh: '本人相片', en: 'photo' }) // ['image/jpeg', 'image/png']
 */
export function mediaTypesForMaterial(label: { readonly zh: string }): readonly AcceptedMediaType[] {
  return /相片|照片/u.test(label.zh) ? PHOTO_MEDIA_TYPES : ACCEPTED_MEDIA_TYPES;
}

/** 10 MiB: a scanned A4 page at 300 dpi is 1–3 MB as JPEG; a multi-page PDF of certificates fits. */
export const DEFAULT_MATERIAL_LIMIT_BYTES = 10 * 1024 * 1024;

export type Sniffed =
  | { readonly isAccepted: true; readonly mediaType: AcceptedMediaType }
  | { readonly isAccepted: false; readonly detected: string };

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Signatures of common files that are not accepted, to name them in the refusal. */
const OTHERS: readonly { readonly name: string; readonly signature: readonly number[] }[] = [
  { name: 'GIF', signature: ascii('GIF8') },
  { name: 'ZIP / Office', signature: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'Windows executable', signature: ascii('MZ') },
  { name: 'ELF executable', signature: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'RAR', signature: ascii('Rar!') },
  { name: '7z', signature: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'gzip', signature: [0x1f, 0x8b] },
  { name: 'BMP', signature: ascii('BM') },
  { name: 'TIFF', signature: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'TIFF', signature: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'OLE / old Office', signature: [0xd0, 0xcf, 0x11, 0xe0] },
];

/**
 * The type of a file from its first bytes.
 *
 * @example sniffMaterial(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])) // { isAccepted: true, mediaType: 'application/pdf' }
 */
export function sniffMaterial(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { isAccepted: false, detected: 'empty file' };
  // JPEG: SOI then a marker (FF D8 FF); PNG: its 8-byte signature; PDF: "%PDF-" at the start.
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { isAccepted: true, mediaType: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { isAccepted: true, mediaType: 'image/png' };
  if (startsWith(bytes, ascii('%PDF-'))) return { isAccepted: true, mediaType: 'application/pdf' };
  if (startsWith(bytes, ascii('WEBP'), 8) && startsWith(bytes, ascii('RIFF')))
    return { isAccepted: false, detected: 'WebP' };
  for (const other of OTHERS)
    if (startsWith(bytes, other.signature)) return { isAccepted: false, detected: other.name };
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 256))
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')))
    return { isAccepted: false, detected: 'SVG' };
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<script'))
    return { isAccepted: false, detected: 'HTML' };
  const printable = bytes.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || b >= 32);
  return { isAccepted: false, detected: printable ? 'text' : 'unknown binary' };
}
