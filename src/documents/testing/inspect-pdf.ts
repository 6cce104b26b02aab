/**
 * Reads a rendered PDF back with poppler (pdftotext, pdfinfo, pdfimages), as a person or a scanner
 * would see it: the text in reading order, the page count and the embedded raster images.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A raster image as luminance 0 (black) – 255 (white), row by row. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export interface PdfInspection {
  readonly file: string;
  /** `pdftotext -layout`. */
  readonly text: string;
  readonly pages: number;
  /** Every image XObject as `pdfimages` extracts it (soft masks included). */
  readonly images: readonly GrayImage[];
}

export async function inspectPdf(bytes: Buffer, name = 'document.pdf'): Promise<PdfInspection> {
  const dir = await mkdtemp(join(tmpdir(), 'huji-documents-'));
  const file = join(dir, name);
  await writeFile(file, bytes);
  const [{ stdout: text }, { stdout: info }] = await Promise.all([
    run('pdftotext', ['-layout', file, '-'], { maxBuffer: 16 * 1024 * 1024 }),
    run('pdfinfo', [file]),
  ]);
  const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1] ?? Number.NaN);

  const imageDir = await mkdtemp(join(dir, 'images-'));
  await run('pdfimages', [file, join(imageDir, 'img')]);
  const names = (await readdir(imageDir)).sort();
  const images = await Promise.all(names.map(async (n) => parsePnm(await readFile(join(imageDir, n)))));
  return { file, text, pages, images };
}

/** Binary PBM (P4), PGM (P5) and PPM (P6), 8-bit: the formats pdfimages writes by default. */
export function parsePnm(data: Buffer): GrayImage {
  const header: string[] = [];
  let offset = 0;
  const expected = data.subarray(0, 2).toString('ascii') === 'P4' ? 3 : 4;
  while (header.length < expected) {
    while (/\s/.test(String.fromCharCode(data[offset] ?? 0x20)) && offset < data.length) offset++;
    if (data[offset] === 0x23) {
      while (data[offset] !== 0x0a && offset < data.length) offset++;
      continue;
    }
    const start = offset;
    while (!/\s/.test(String.fromCharCode(data[offset] ?? 0x20)) && offset < data.length) offset++;
    header.push(data.subarray(start, offset).toString('ascii'));
  }
  offset++; // the single whitespace before the raster
  const [magic, w, h] = header;
  const width = Number(w);
  const height = Number(h);
  const raster = data.subarray(offset);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (magic === 'P4') {
        const byte = raster[y * Math.ceil(width / 8) + (x >> 3)] ?? 0;
        pixels[i] = (byte >> (7 - (x & 7))) & 1 ? 0 : 255;
      } else if (magic === 'P5') {
        pixels[i] = raster[i] ?? 0;
      } else if (magic === 'P6') {
        const [r, g, b] = [raster[3 * i] ?? 0, raster[3 * i + 1] ?? 0, raster[3 * i + 2] ?? 0];
        pixels[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      } else {
        throw new Error(`not a binary PNM image: ${magic}`);
      }
    }
  }
  return { width, height, pixels };
}

/**
 * The module grid of a QR image drawn at `scale` pixels per module with a quiet zone of `margin`
 * modules: dark (true) or light for each module, row by row, read at the module centres. This reads the
 * grid only; it is not a QR decoder (no format, mask or error-correction decoding).
 */
export function qrModulesOf(
  image: GrayImage,
  scale: number,
  margin: number,
): { size: number; dark: boolean[] } {
  const size = image.width / scale - 2 * margin;
  const dark: boolean[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = Math.floor((col + margin + 0.5) * scale);
      const y = Math.floor((row + margin + 0.5) * scale);
      dark.push((image.pixels[y * image.width + x] ?? 255) < 128);
    }
  }
  return { size, dark };
}
