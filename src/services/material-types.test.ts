import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sniffMaterial } from './material-types.js';

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const text = (s: string) => Uint8Array.from(Buffer.from(s));

describe('sniffing an upload by its bytes', () => {
  it('accepts JPEG, PNG and PDF by their signatures, whatever the name says', () => {
    expect(sniffMaterial(bytes('ffd8ffe000104a464946'))).toEqual({
      isAccepted: true,
      mediaType: 'image/jpeg',
    });
    expect(sniffMaterial(bytes('89504e470d0a1a0a0000000d49484452'))).toEqual({
      isAccepted: true,
      mediaType: 'image/png',
    });
    expect(sniffMaterial(text('%PDF-1.7\n'))).toEqual({ isAccepted: true, mediaType: 'application/pdf' });
  });

  it('names what it refuses, so the resident knows what was sent', () => {
    expect(sniffMaterial(text('<!DOCTYPE html><p>x'))).toEqual({ isAccepted: false, detected: 'HTML' });
    expect(sniffMaterial(text('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      isAccepted: false,
      detected: 'SVG',
    });
    expect(sniffMaterial(text('GIF89a'))).toEqual({ isAccepted: false, detected: 'GIF' });
    expect(sniffMaterial(bytes('504b0304'))).toEqual({ isAccepted: false, detected: 'ZIP / Office' });
    expect(sniffMaterial(text('MZ\x90\x00'))).toEqual({ isAccepted: false, detected: 'Windows executable' });
    expect(sniffMaterial(text('RIFF\x00\x00\x00\x00WEBPVP8 '))).toEqual({
      isAccepted: false,
      detected: 'WebP',
    });
    expect(sniffMaterial(text('姓名,身份号码\n'))).toEqual({ isAccepted: false, detected: 'text' });
    expect(sniffMaterial(new Uint8Array())).toEqual({ isAccepted: false, detected: 'empty file' });
    // A PDF signature that does not start the file is not a PDF (a polyglot trick).
    expect(sniffMaterial(text('<html>%PDF-1.4')).isAccepted).toBe(false);
  });

  it('accepts nothing that does not start with an accepted signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const sniffed = sniffMaterial(b);
        const head = Buffer.from(b).toString('latin1');
        const signed =
          head.startsWith('\xff\xd8\xff') || head.startsWith('\x89PNG\r\n\x1a\n') || head.startsWith('%PDF-');
        expect(sniffed.isAccepted).toBe(signed);
      }),
    );
  });
});
