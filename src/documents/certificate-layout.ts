/**
 * What the certificates of online applications share (approval notice, permit to move in, residence
 * permit): the schemas of their common parts (cited articles, issuing office, addresses, dates), the
 * date arithmetic of their terms, and the blocks of their layout on an official PDF.
 */
import { z } from 'zod';
import { parseIsoDate } from '../standards/calendar.js';
import { addressLine } from './document-content.js';
import {
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  PAGE,
  VERIFICATION_HEIGHT,
  chineseDate,
  drawVerification,
  type Pdf,
} from './official-pdf.js';

/** A strict, real calendar date (YYYY-MM-DD). */
export const IsoDate = z.iso.date();

/** One line of text on an official paper: no control characters, no empty strings. */
export const PrintedText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u);

/**
 * An article a decision rests on: the digest id (`qz-final/1`, `lz/2.11`), its quoted sentence and its
 * title as people cite it (《…实施意见》第一条, policy/article-title.ts), which the paper prints; papers
 * issued before titles were recorded print the id.
 */
export const CitedArticle = z.object({
  id: PrintedText(64),
  quote: PrintedText(1000),
  title: PrintedText(300).optional(),
});
export type CitedArticle = z.infer<typeof CitedArticle>;

/** The article as the content hashed into a token states it (the title only where the paper has one). */
export function citedArticleContent(a: CitedArticle): { id: string; quote: string; title?: string } {
  return { id: a.id, quote: a.quote, ...(a.title ? { title: a.title } : {}) };
}

/** The issuing office: its code (the county, GB/T 2260) and its name as printed. */
export const IssuingOffice = z.object({ code: z.string().regex(/^\d{6}$/), name: PrintedText(100) });
export type IssuingOffice = z.infer<typeof IssuingOffice>;

/** An address as registered: the text under its county (the county names are printed before it). */
export const CertificateAddress = z.object({
  text: PrintedText(200),
  countyCode: z.string().regex(/^\d{6}$/),
});
export type CertificateAddress = z.infer<typeof CertificateAddress>;

/** A settlement pathway of the policy: its id and its Chinese label. */
export const PathwayRef = z.object({ id: PrintedText(64), label: PrintedText(100) });
export type PathwayRef = z.infer<typeof PathwayRef>;

export const CitizenIdText = z.string().regex(/^\d{17}[\dX]$/);

/** `《…》第一条“……”`: the way every decision cites its article (the digest id on older papers). */
export function citation(article: CitedArticle): string {
  return `${article.title ?? article.id}“${article.quote}”`;
}

/** The printed form of an address: province, city and county names, then the text. */
export function printedAddress(address: CertificateAddress): string {
  return addressLine(address);
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parsed(date: string): Date {
  const d = parseIsoDate(date);
  if (!d) throw new RangeError(`not an ISO date: ${date}`);
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

/** 2025-03-01 + 30 → 2025-03-31. */
export function addDays(date: string, days: number): string {
  const d = parsed(date);
  d.setUTCDate(d.getUTCDate() + days);
  return toIso(d);
}

/** The same day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const d = parsed(date);
  const target = new Date(Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return toIso(target);
}

/** The centred title, with an optional line under it (e.g. 电子准迁证). */
export function drawTitle(doc: Pdf, title: string, subtitle?: string): void {
  doc.fontSize(22).text(title, PAGE.margin, PAGE.margin + 10, {
    width: CONTENT_WIDTH,
    align: 'center',
    characterSpacing: 6,
  });
  if (subtitle !== undefined) {
    doc.moveDown(0.2);
    doc.fontSize(13).text(subtitle, PAGE.margin, doc.y, { width: CONTENT_WIDTH, align: 'center' });
  }
  doc.moveDown(0.8);
}

/** Label: value lines, the values wrapping in their own column. */
export function drawFields(
  doc: Pdf,
  fields: readonly (readonly [string, string])[],
  indent = 24,
  fontSize = 12,
): void {
  const labelWidth = 9 * fontSize;
  doc.fontSize(fontSize);
  for (const [label, value] of fields) {
    const y = doc.y;
    doc.text(`${label}：`, PAGE.margin + indent, y, { width: labelWidth });
    const labelBottom = doc.y;
    doc.text(value, PAGE.margin + indent + labelWidth, y, { width: CONTENT_WIDTH - indent - labelWidth });
    doc.y = Math.max(doc.y, labelBottom);
    doc.moveDown(0.2);
  }
  doc.x = PAGE.margin;
}

/** A paragraph over the full width, first line indented. */
export function drawParagraph(doc: Pdf, text: string, fontSize = 12): void {
  doc.fontSize(fontSize).text(text, PAGE.margin, doc.y, { width: CONTENT_WIDTH, indent: 24, lineGap: 3 });
  doc.moveDown(0.3);
}

/** 1. … 2. …, hanging under their numbers. */
export function drawNumbered(doc: Pdf, items: readonly string[], fontSize = 10.5): void {
  doc.fontSize(fontSize);
  items.forEach((item, i) => {
    const y = doc.y;
    doc.text(`${i + 1}.`, PAGE.margin + 24, y, { width: 20 });
    doc.text(item, PAGE.margin + 44, y, { width: CONTENT_WIDTH - 44, lineGap: 2 });
    doc.moveDown(0.2);
  });
  doc.x = PAGE.margin;
}

/**
 * The issuing office and date on the right, and the verification QR code at the foot of the page (of a
 * new page when the body ran long).
 */
export async function drawIssuerAndVerification(
  doc: Pdf,
  issuer: IssuingOffice,
  issuedAt: string,
  verifyUrl: string,
): Promise<void> {
  doc.moveDown(0.5);
  const signatureX = PAGE.margin + CONTENT_WIDTH / 2;
  doc.fontSize(12);
  const blockHeight =
    doc.heightOfString(issuer.name, { width: CONTENT_WIDTH / 2 }) + doc.currentLineHeight(true) * 1.3;
  if (doc.y + blockHeight > CONTENT_BOTTOM - VERIFICATION_HEIGHT - 12) doc.addPage();
  doc.text(issuer.name, signatureX, doc.y, { width: CONTENT_WIDTH / 2, align: 'right' });
  doc.moveDown(0.3);
  doc.text(chineseDate(issuedAt), signatureX, doc.y, { width: CONTENT_WIDTH / 2, align: 'right' });
  await drawVerification(doc, verifyUrl, PAGE.margin, CONTENT_BOTTOM - VERIFICATION_HEIGHT);
}
