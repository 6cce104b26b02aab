import { deflateSync, inflateSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import {
  checkImageStructure,
  checkJpegStructure,
  checkPngStructure,
  findPdfActiveContent,
  sanitizeFileName,
} from './material-checks.js';

const inflate = (data: Uint8Array) => {
  try {
    return inflateSync(data);
  } catch {
    return undefined;
  }
};

/** A whole 1 × 1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
/** A minimal baseline JPEG: SOI, DQT, SOF0, DHT, SOS with two bytes of scan data (one stuffed FF), EOI. */
const JPEG = Buffer.concat([
  Buffer.from('ffd8', 'hex'),
  Buffer.from('ffdb0043' + '00' + '01'.repeat(64), 'hex'),
  Buffer.from('ffc0000b080001000101011100', 'hex'),
  Buffer.from('ffc4001400' + '01' + '00'.repeat(15) + '00', 'hex'),
  Buffer.from('ffda0008010100003f00', 'hex'),
  Buffer.from('12ff00ffd034', 'hex'),
  Buffer.from('ffd9', 'hex'),
]);

describe('upload file names', () => {
  it.each([
    ['scan\r\nSet-Cookie: x', 'scanSet-Cookie_ x'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['a\u200Bb\u0000c.pdf', 'abc.pdf'],
    ['../../etc/passwd', '_.._etc_passwd'],
    ['..\\boot.ini', '_boot.ini'],
    ['  租赁   合同 .pdf ', '租赁 合同 .pdf'],
    ['\u202E\u200B', 'file'],
    ['身份证正面.jpg', '身份证正面.jpg'],
  ])('%j is kept as %j', (name, kept) => {
    expect(sanitizeFileName(name)).toBe(kept);
  });

  it('keeps at most 200 characters', () => {
    expect([...sanitizeFileName('户'.repeat(300))]).toHaveLength(200);
  });
});

describe('image structure', () => {
  it('accepts whole images', () => {
    expect(checkPngStructure(PNG)).toBeUndefined();
    expect(checkJpegStructure(JPEG)).toBeUndefined();
    // A multi-picture JPEG: a second whole image after the first EOI; padding after EOI.
    expect(checkJpegStructure(Buffer.concat([JPEG, JPEG]))).toBeUndefined();
    expect(checkJpegStructure(Buffer.concat([JPEG, Buffer.alloc(16)]))).toBeUndefined();
    // What phones append: a motion photo's MP4, Samsung's trailer.
    const mp4 = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypmp42'), Buffer.alloc(12)]);
    expect(checkJpegStructure(Buffer.concat([JPEG, mp4]))).toBeUndefined();
    expect(checkJpegStructure(Buffer.concat([JPEG, Buffer.from('SEFH....data....SEFT')]))).toBeUndefined();
  });

  it('refuses cut, altered and polyglot images', () => {
    expect(checkPngStructure(PNG.subarray(0, PNG.length - 12))).toMatch(/IEND/);
    const flipped = Buffer.from(PNG);
    flipped[40] = (flipped[40] ?? 0) ^ 1;
    expect(checkPngStructure(flipped)).toMatch(/CRC/);
    expect(checkPngStructure(Buffer.concat([PNG, Buffer.from('<html>')]))).toMatch(/follow the IEND/);
    expect(checkPngStructure(PNG.subarray(0, 8))).toMatch(/IHDR/);
    expect(checkJpegStructure(JPEG.subarray(0, JPEG.length - 2))).toMatch(/EOI/);
    expect(
      checkJpegStructure(Buffer.concat([JPEG.subarray(0, 20), Buffer.from('<html><script>')])),
    ).toBeDefined();
    expect(checkJpegStructure(Buffer.concat([JPEG, Buffer.from('<script>alert(1)</script>')]))).toMatch(
      /follow the EOI/,
    );
  });
});

// ——— images that must decode ———

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
/** A chunk with its length and a correct CRC, so that the structure check passes whatever it holds. */
const chunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + body.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc(body), 4 + body.length);
  return out;
};
interface Ihdr {
  width: number;
  height: number;
  depth?: number;
  colour?: number;
  interlace?: number;
}
/** A PNG of the given IHDR whose IDAT holds `compressed` (or `raw` deflated), CRCs all right. */
const makePng = (h: Ihdr, data: { raw?: Buffer; compressed?: Buffer; extra?: Buffer[] }) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(h.width, 0);
  ihdr.writeUInt32BE(h.height, 4);
  ihdr.set([h.depth ?? 8, h.colour ?? 0, 0, 0, h.interlace ?? 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    ...(data.extra ?? []),
    chunk('IDAT', data.compressed ?? deflateSync(data.raw ?? Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};
/** node:zlib capped, as the repository passes it. */
const cappedInflate = (data: Uint8Array, maxBytes: number) => {
  try {
    return inflateSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    return error instanceof RangeError ? ('too-large' as const) : undefined;
  }
};
const png = (bytes: Buffer) => checkImageStructure(bytes, 'image/png', cappedInflate);
const jpeg = (bytes: Buffer) => checkImageStructure(bytes, 'image/jpeg', cappedInflate);

/** A real 24 × 16 JPEG (a gradient) from jpeg-js's encoder. */
const realJpeg = () => {
  const width = 24;
  const height = 16;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 3) % 256, 128, 255], i * 4);
  return Buffer.from(encodeJpeg({ data, width, height }, 80).data);
};
/** Where a JPEG's first scan's entropy-coded data starts (after the SOS segment). */
const scanStart = (bytes: Buffer) => {
  const sos = bytes.indexOf(Buffer.from('ffda', 'hex'));
  return sos + 2 + bytes.readUInt16BE(sos + 2);
};

describe('images decode (issue 14: a whole structure is not enough)', () => {
  it('accepts real images: the 1 × 1 PNG, the e2e 2 × 2 RGB PNG, an Adam7 PNG, a real JPEG', () => {
    expect(png(PNG)).toBeUndefined();
    const e2e = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a73' +
        '0000000e49444154789c63680003060805002a0e0601159e42d70000000049454e44ae426082',
      'hex',
    );
    expect(png(e2e)).toBeUndefined();
    // 5 × 3 grey, Adam7: passes of 1×1, 1×1, (none), 1×1, 3×1, 2×2, 5×1 pixels → 22 bytes with filter bytes.
    expect(png(makePng({ width: 5, height: 3, interlace: 1 }, { raw: Buffer.alloc(22) }))).toBeUndefined();
    // 3 × 2 palette image at 2 bits, every filter type.
    const palette = chunk('PLTE', Buffer.from('000000ffffff', 'hex'));
    const raw = Buffer.from([0, 0x1b, 4, 0x2d]);
    expect(
      png(makePng({ width: 3, height: 2, depth: 2, colour: 3 }, { raw, extra: [palette] })),
    ).toBeUndefined();
    const real = realJpeg();
    expect(jpeg(real)).toBeUndefined();
    // Phones' additions after a real JPEG still pass: a second picture, a motion photo's MP4, Samsung's trailer.
    expect(jpeg(Buffer.concat([real, real]))).toBeUndefined();
    const mp4 = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypmp42'), Buffer.alloc(12)]);
    expect(jpeg(Buffer.concat([real, mp4]))).toBeUndefined();
    expect(jpeg(Buffer.concat([real, Buffer.from('SEFH....data....SEFT')]))).toBeUndefined();
    // Zero bytes some cameras write between the last block and EOI.
    const padded = Buffer.concat([real.subarray(0, real.length - 2), Buffer.alloc(4), real.subarray(-2)]);
    expect(jpeg(padded)).toBeUndefined();
  });

  it('refuses a PNG whose IDAT is cut short, though every CRC holds', () => {
    const full = deflateSync(Buffer.alloc(3 * 7));
    const cut = makePng(
      { width: 3, height: 3, colour: 2 },
      { compressed: full.subarray(0, full.length - 6) },
    );
    expect(checkPngStructure(cut)).toBeUndefined(); // the old check let it through
    expect(png(cut)).toMatch(/does not inflate/);
  });

  it('refuses a PNG whose data inflates to the wrong size', () => {
    // 3 × 3 RGB at 8 bits: 3 rows of 1 + 9 bytes.
    const short = makePng({ width: 3, height: 3, colour: 2 }, { raw: Buffer.alloc(29) });
    expect(checkPngStructure(short)).toBeUndefined();
    expect(png(short)).toMatch(/inflates to 29 bytes, not the 30/);
    expect(png(makePng({ width: 3, height: 3, colour: 2 }, { raw: Buffer.alloc(31) }))).toMatch(
      /31 bytes, not the 30/,
    );
    // The non-interlaced size (18) for an Adam7 image (22).
    expect(png(makePng({ width: 5, height: 3, interlace: 1 }, { raw: Buffer.alloc(18) }))).toMatch(
      /not the 22/,
    );
  });

  it('stops a decompression bomb at the size IHDR implies', () => {
    const bomb = makePng({ width: 1, height: 1 }, { raw: Buffer.alloc(64 * 1024 * 1024) });
    expect(checkPngStructure(bomb)).toBeUndefined();
    expect(png(bomb)).toMatch(/more than the 2 bytes/);
  });

  it('refuses a scanline filter type beyond 4', () => {
    const bad = makePng({ width: 2, height: 2 }, { raw: Buffer.from([0, 1, 2, 5, 3, 4]) });
    expect(checkPngStructure(bad)).toBeUndefined();
    expect(png(bad)).toMatch(/filter type 5/);
  });

  it.each([
    [{ width: 1, height: 1, depth: 4, colour: 2 }, /bit depth 4, not allowed for colour type 2/],
    [{ width: 1, height: 1, depth: 16, colour: 3 }, /bit depth 16, not allowed for colour type 3/],
    [{ width: 1, height: 1, depth: 8, colour: 5 }, /unknown colour type 5/],
    [{ width: 1, height: 1, interlace: 2 }, /unknown interlace method 2/],
    [{ width: 0, height: 1 }, /empty image/],
    [{ width: 20_001, height: 1 }, /beyond 20000 a side/],
    [{ width: 20_000, height: 20_000 }, /100 megapixels/],
    [{ width: 1, height: 1, depth: 8, colour: 3 }, /no PLTE/],
  ])('refuses IHDR %j', (ihdr, problem) => {
    expect(png(makePng(ihdr, { raw: Buffer.alloc(2) }))).toMatch(problem);
  });

  it('refuses a JPEG with valid markers but garbage entropy-coded data', () => {
    const real = realJpeg();
    const start = scanStart(real);
    const end = real.length - 2; // EOI
    const garbage = Buffer.from(real);
    // Bytes without 0xFF, so the markers and the structure stay as they were.
    for (let i = start; i < end; i++) garbage[i] = (i * 151 + 17) % 255;
    expect(checkJpegStructure(garbage)).toBeUndefined(); // the old check let it through
    expect(jpeg(garbage)).toMatch(/image data is corrupt/);
    // Cut short inside the scan, EOI kept.
    const cut = Buffer.concat([real.subarray(0, start + 8), Buffer.from('ffd9', 'hex')]);
    expect(checkJpegStructure(cut)).toBeUndefined();
    expect(jpeg(cut)).toMatch(/image data is corrupt|does not decode/);
  });

  it('refuses a JPEG with a garbage Huffman table', () => {
    const real = realJpeg();
    const dht = real.indexOf(Buffer.from('ffc4', 'hex'));
    const garbage = Buffer.from(real);
    // The first table's 16 code counts: each length claims 200 codes, far more than the segment holds.
    garbage.fill(200, dht + 5, dht + 21);
    expect(checkJpegStructure(garbage)).toBeUndefined();
    expect(jpeg(garbage)).toMatch(/Huffman table is malformed/);
  });

  it('refuses the minimal structural JPEG of the structure tests: it has no decodable image', () => {
    expect(checkJpegStructure(JPEG)).toBeUndefined();
    expect(jpeg(JPEG)).toMatch(/image data is corrupt|does not decode/);
  });
});

describe('PDF active content', () => {
  const pdf = (body: string) => Buffer.from(`%PDF-1.4\n${body}\n%%EOF\n`);

  it('lets a passive PDF through, a plain /OpenAction included', () => {
    expect(
      findPdfActiveContent(pdf('1 0 obj << /Type /Catalog /OpenAction [3 0 R /Fit] >> endobj'), inflate),
    ).toBeUndefined();
  });

  it.each([
    ['1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj', '/JavaScript'],
    ['1 0 obj << /AA << /O << /S /Launch /F (cmd.exe) >> >> >> endobj', '/Launch'],
    ['1 0 obj << /Names << /EmbeddedFiles 2 0 R >> >> endobj', '/EmbeddedFiles'],
    ['1 0 obj << /S /J#61va#53cript >> endobj', '/JavaScript'],
    ['1 0 obj << /AcroForm << /XFA 5 0 R >> >> endobj', '/XFA'],
    ['1 0 obj << /S /SubmitForm /F (http://x) >> endobj', '/SubmitForm'],
  ])('refuses %s', (body, feature) => {
    expect(findPdfActiveContent(pdf(body), inflate)).toBe(feature);
  });

  it('looks into Flate-compressed streams (object streams), nested filter dictionaries included', () => {
    const hidden = deflateSync(Buffer.from('<< /S /JavaScript /JS (app.alert(1)) >>'));
    const file = Buffer.concat([
      Buffer.from(
        `%PDF-1.5\n3 0 obj << /Type /ObjStm /Filter /FlateDecode /DecodeParms << /Columns 4 >> /Length ${hidden.length} >>\nstream\n`,
      ),
      hidden,
      Buffer.from('\nendstream\nendobj\n%%EOF\n'),
    ]);
    expect(findPdfActiveContent(file, inflate)).toBe('/JavaScript');
    // An object stream that cannot be read is refused, not passed unread.
    expect(findPdfActiveContent(file, () => undefined)).toBe('/ObjStm (does not inflate)');
  });

  it('refuses an object stream under a filter it cannot look through (LZW, ASCII85…): it could hide actions', () => {
    const objstm = (filter: string) =>
      Buffer.from(
        `%PDF-1.5\n3 0 obj << /Type /ObjStm /N 1 /First 4 ${filter} /Length 5 >>\nstream\nxxxxx\nendstream\nendobj\n%%EOF\n`,
      );
    expect(findPdfActiveContent(objstm('/Filter /LZWDecode'), inflate)).toBe('/ObjStm /LZWDecode');
    expect(findPdfActiveContent(objstm('/Filter [/ASCII85Decode /FlateDecode]'), inflate)).toBe(
      '/ObjStm /ASCII85Decode',
    );
    // A content stream (a page's drawing) under another filter is only drawing: passed.
    const content = Buffer.from(
      '%PDF-1.5\n4 0 obj << /Filter /LZWDecode /Length 5 >>\nstream\nxxxxx\nendstream\nendobj\n%%EOF\n',
    );
    expect(findPdfActiveContent(content, inflate)).toBeUndefined();
  });
});
