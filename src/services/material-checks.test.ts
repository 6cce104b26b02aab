import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
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
    // Without looking inside, the file looks passive.
    expect(findPdfActiveContent(file, () => undefined)).toBeUndefined();
  });
});
