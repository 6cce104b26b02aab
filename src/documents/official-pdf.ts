/**
 * What every issued document shares: an A4 pdfkit document in the CJK font of cjk-font.ts (Source Han
 * Sans SC from npm, or `HUJI_CJK_FONT`), Chinese dates, a bordered
 * table that continues across pages with its header repeated, the verification QR code and the
 * "编号 · 第 n 页 共 N 页" footer.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { parseIsoDate, todayInChina } from '../standards/calendar.js';
import { BUNDLED_CJK_FONT, configuredCjkFont, type CjkFont } from './cjk-font.js';

export type { CjkFont } from './cjk-font.js';

export type Pdf = PDFKit.PDFDocument;

/** The font installed by npm (Source Han Sans SC), used when `HUJI_CJK_FONT` is unset. */
export const DEFAULT_CJK_FONT: CjkFont = BUNDLED_CJK_FONT;

/** The QR settings of every document; tests regenerate the matrix with them. */
export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, scale: 4 } as const;

export const PAGE = {
  width: 595.28,
  height: 841.89,
  margin: 50,
  /** Space kept free at the bottom of every page for the footer. */
  footer: 30,
} as const;

export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** The lowest y that body content may reach. */
export const CONTENT_BOTTOM = PAGE.height - PAGE.margin - PAGE.footer;

const FONT_NAME = 'cjk';

/** A character the font cannot draw: refused rather than printed as an empty box on an official paper. */
export class MissingGlyphError extends Error {
  readonly code = 'missing-glyph';
  readonly characters: readonly string[];
  readonly font: string;

  constructor(characters: readonly string[], font: string) {
    const list = characters.map((c) => `${c} (U+${c.codePointAt(0)?.toString(16).toUpperCase()})`).join(', ');
    super(`the font ${font} has no glyph for ${list}`);
    this.name = 'MissingGlyphError';
    this.characters = characters;
    this.font = font;
  }
}

// The font is 17 MB; read it once per process.
const fontFiles = new Map<string, Promise<Buffer>>();

function fontFile(path: string): Promise<Buffer> {
  let file = fontFiles.get(path);
  if (!file) {
    file = readFile(path);
    fontFiles.set(path, file);
    // A missing file must not stay cached: the next render may find it installed.
    file.catch(() => fontFiles.delete(path));
  }
  return file;
}

export interface OfficialPdf {
  readonly doc: Pdf;
  /** Throws MissingGlyphError when the font lacks a character of any of the texts. */
  checkGlyphs(texts: readonly string[]): void;
  /** Writes the footers, ends the document and returns its bytes. */
  finish(documentNumber: string): Promise<Buffer>;
}

export async function createOfficialPdf(options: {
  title: string;
  author: string;
  issuedAt: string;
  font?: CjkFont;
}): Promise<OfficialPdf> {
  const font = options.font ?? configuredCjkFont();
  const fontData = await fontFile(font.path);
  const issuedAt = new Date(options.issuedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    // Personal data stays out of the metadata: search indexes and mail scanners read it.
    info: {
      Title: options.title,
      Author: options.author,
      ...(Number.isNaN(issuedAt.getTime()) ? {} : { CreationDate: issuedAt }),
    },
  });
  const chunks: Buffer[] = [];
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT_NAME, fontData, font.family);
  doc.font(FONT_NAME);
  const hasGlyph = glyphLookup(doc);

  return {
    doc,
    checkGlyphs(texts) {
      if (!hasGlyph) return;
      const missing = new Set<string>();
      for (const text of texts) {
        for (const ch of text) {
          const cp = ch.codePointAt(0) ?? 0;
          if (cp >= 0x20 && !hasGlyph(cp)) missing.add(ch);
        }
      }
      if (missing.size > 0) throw new MissingGlyphError([...missing], font.family ?? basename(font.path));
    },
    async finish(documentNumber) {
      drawFooters(doc, documentNumber);
      doc.end();
      return ended;
    },
  };
}

/**
 * The glyph lookup of the current fontkit font. pdfkit does not expose it, so this reads its internals
 * defensively; the tests fail if a pdfkit upgrade moves them.
 */
function glyphLookup(doc: Pdf): ((codePoint: number) => boolean) | undefined {
  const embedded: unknown = Reflect.get(doc, '_font');
  if (typeof embedded !== 'object' || embedded === null) return undefined;
  const fontkitFont: unknown = Reflect.get(embedded, 'font');
  if (typeof fontkitFont !== 'object' || fontkitFont === null) return undefined;
  const has: unknown = Reflect.get(fontkitFont, 'hasGlyphForCodePoint');
  if (typeof has !== 'function') return undefined;
  return (codePoint) => {
    const result: unknown = Reflect.apply(has, fontkitFont, [codePoint]);
    return result === true;
  };
}

function drawFooters(doc: Pdf, documentNumber: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Text below the bottom margin would make pdfkit start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - PAGE.margin - 12;
    doc.fontSize(9).fillColor('#444444');
    doc.text(`编号：${documentNumber}`, PAGE.margin, y, { width: CONTENT_WIDTH / 2, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, PAGE.margin + CONTENT_WIDTH / 2, y, {
      width: CONTENT_WIDTH / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.fillColor('black');
}

/** 2025-03-01 → 2025年3月1日; an instant is read as its date in China Standard Time. */
export function chineseDate(value: string | null): string {
  if (value === null) return '未记载';
  const date = parseIsoDate(value) ?? parseIsoDate(todayInChina(new Date(value)));
  return date ? `${date.year}年${date.month}月${date.day}日` : value;
}

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align?: 'left' | 'center';
}

const CELL_PADDING = 4;

/**
 * Draws a bordered table from doc.y down, starting a new page (and repeating the header) whenever a row
 * would reach the footer. Cells wrap, so long names grow their row instead of overflowing.
 */
export function drawTable(
  doc: Pdf,
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  fontSize = 10,
): void {
  doc.fontSize(fontSize);
  const rowHeight = (cells: readonly string[]) =>
    Math.max(
      ...columns.map((c, i) => doc.heightOfString(cells[i] ?? '', { width: c.width - 2 * CELL_PADDING })),
    ) +
    2 * CELL_PADDING;
  const headers = columns.map((c) => c.header);
  const headerHeight = rowHeight(headers);

  const drawRow = (cells: readonly string[], height: number, isHeader: boolean) => {
    let x = PAGE.margin;
    const y = doc.y;
    columns.forEach((column, i) => {
      if (isHeader) doc.rect(x, y, column.width, height).fillAndStroke('#eeeeee', 'black').fillColor('black');
      else doc.rect(x, y, column.width, height).stroke();
      doc.text(cells[i] ?? '', x + CELL_PADDING, y + CELL_PADDING, {
        width: column.width - 2 * CELL_PADDING,
        align: isHeader ? 'center' : (column.align ?? 'left'),
      });
      x += column.width;
    });
    doc.x = PAGE.margin;
    doc.y = y + height;
  };

  doc.lineWidth(0.6);
  if (doc.y + headerHeight + rowHeight(rows[0] ?? headers) > CONTENT_BOTTOM) doc.addPage();
  drawRow(headers, headerHeight, true);
  for (const row of rows) {
    const height = rowHeight(row);
    if (doc.y + height > CONTENT_BOTTOM) {
      doc.addPage();
      drawRow(headers, headerHeight, true);
    }
    drawRow(row, height, false);
  }
}

/** Height of the verification block drawn by drawVerification. */
export const VERIFICATION_HEIGHT = 100;

/** The QR code of the verify URL with the sentence telling a reader what to do with it, at (x, y). */
export async function drawVerification(doc: Pdf, verifyUrl: string, x: number, y: number): Promise<void> {
  const png = await QRCode.toBuffer(verifyUrl, { ...QR_OPTIONS, type: 'png' });
  doc.image(png, x, y, { width: VERIFICATION_HEIGHT, height: VERIFICATION_HEIGHT });
  const textX = x + VERIFICATION_HEIGHT + 12;
  const width = PAGE.margin + CONTENT_WIDTH - textX;
  doc.fontSize(10).text('扫码或访问以下网址核验真伪：', textX, y + 8, { width });
  doc.fontSize(7).text(verifyUrl, textX, doc.y + 4, { width });
  doc.x = PAGE.margin;
}
