/**
 * Reads a rendered PDF back as a person or a scanner would see it — the text in reading order, the
 * page count and the embedded raster images — with pdf.js (`pdfjs-dist`, an npm package), so the
 * document tests need no system tools (they used poppler's pdftotext, pdfinfo and pdfimages).
 */
import { OPS, getDocument, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A raster image as luminance 0 (black) – 255 (white), row by row. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export interface PdfInspection {
  /** Text laid out like `pdftotext -layout`: one line per baseline, cells apart by spaces. */
  readonly text: string;
  readonly pages: number;
  /** Every image XObject painted, as pdf.js decodes it (a soft mask composed over white). */
  readonly images: readonly GrayImage[];
}

async function openPdf(bytes: Uint8Array) {
  return getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isOffscreenCanvasSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
}

interface Run {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly size: number;
}

/**
 * The page's text runs grouped into lines by baseline (top first) and ordered by x; a gap wider than
 * 0.6 em becomes spaces, one per half an em, as pdftotext -layout keeps columns apart (titles
 * spread by characterSpacing, 6 pt at 22 pt, stay one word).
 */
async function pageText(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  const runs: Run[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const [a = 0, b = 0, , , x = 0, y = 0] = item.transform as number[];
    // pdf.js writes a space into a run spread by characterSpacing (a title); the page shows none.
    const text = item.str.replace(/(?<=\p{Script=Han}) (?=\p{Script=Han})/gu, '');
    runs.push({ text, x, y, width: item.width, size: Math.hypot(a, b) || 10 });
  }
  runs.sort((p, q) => q.y - p.y || p.x - q.x);
  const lines: Run[][] = [];
  for (const run of runs) {
    const line = lines.at(-1);
    const first = line?.[0];
    if (line && first && Math.abs(first.y - run.y) < Math.min(first.size, run.size) / 2) line.push(run);
    else lines.push([run]);
  }
  return lines
    .map((line) => {
      line.sort((p, q) => p.x - q.x);
      let text = '';
      let end: number | undefined;
      for (const run of line) {
        const gap = end === undefined ? 0 : run.x - end;
        if (end !== undefined && gap > run.size * 0.6)
          text += ' '.repeat(Math.max(1, Math.round(gap / (run.size / 2))));
        text += run.text;
        end = run.x + run.width;
      }
      return text;
    })
    .join('\n');
}

/** pdf.js's image kinds: 1 bit grey, 8-bit RGB, 8-bit RGBA (alpha composed over white paper). */
function grayOf(image: {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}): GrayImage {
  const { width, height, kind, data } = image;
  const pixels = new Uint8Array(width * height);
  const rowBytes = Math.ceil(width / 8);
  for (let i = 0; i < width * height; i++) {
    if (kind === 1) {
      const x = i % width;
      const byte = data[Math.floor(i / width) * rowBytes + (x >> 3)] ?? 0;
      pixels[i] = (byte >> (7 - (x & 7))) & 1 ? 255 : 0;
    } else {
      const stride = kind === 3 ? 4 : 3;
      const [r, g, b] = [data[stride * i] ?? 0, data[stride * i + 1] ?? 0, data[stride * i + 2] ?? 0];
      const alpha = kind === 3 ? (data[stride * i + 3] ?? 255) / 255 : 1;
      pixels[i] = Math.round(alpha * (0.299 * r + 0.587 * g + 0.114 * b) + (1 - alpha) * 255);
    }
  }
  return { width, height, pixels };
}

async function pageImages(page: PDFPageProxy): Promise<GrayImage[]> {
  const operators = await page.getOperatorList();
  const images: GrayImage[] = [];
  for (let i = 0; i < operators.fnArray.length; i++) {
    if (operators.fnArray[i] !== OPS.paintImageXObject) continue;
    const [name] = operators.argsArray[i] as [string];
    const objects = name.startsWith('g_') ? page.commonObjs : page.objs;
    const image = await new Promise<unknown>((resolve) => {
      objects.get(name, (value: unknown) => resolve(value));
    });
    const decoded = image as { width: number; height: number; kind: number; data?: Uint8Array };
    if (!decoded.data) throw new Error(`image ${name} came back without its pixels`);
    images.push(grayOf({ ...decoded, data: decoded.data }));
  }
  return images;
}

export async function inspectPdf(bytes: Uint8Array): Promise<PdfInspection> {
  const doc = await openPdf(bytes);
  try {
    const texts: string[] = [];
    const images: GrayImage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      texts.push(await pageText(page));
      images.push(...(await pageImages(page)));
    }
    // Pages apart by a form feed, as pdftotext writes them.
    return { text: texts.join('\n\f'), pages: doc.numPages, images };
  } finally {
    await doc.destroy();
  }
}

/** The text of a PDF (see inspectPdf), for tests that only read what it says. */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await inspectPdf(bytes)).text;
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
