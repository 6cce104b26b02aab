/**
 * 受理回执: what the window clerk hands over when an online application is accepted. It names the
 * application (受理编号, type), the applicant, the day it was accepted, the time limit in working days
 * and the last day of it, every material received, and the office — so the applicant holds, on paper,
 * the promise of a decision by a date (lz/2.1 网上受理、限时办结).
 */
import { z } from 'zod';
import { CONTENT_VERSION, type ContentValue } from './document-content.js';
import {
  CitizenIdText,
  IsoDate,
  type IssuingOffice,
  PrintedText,
  drawFields,
  drawIssuerAndVerification,
  drawNumbered,
  drawParagraph,
  drawTitle,
} from './certificate-layout.js';
import { chineseDate, createOfficialPdf, CONTENT_WIDTH, PAGE, type CjkFont } from './official-pdf.js';

export const ACCEPTANCE_RECEIPT_TITLE = '受理回执';

/** The facts of a receipt, as the accepting code supplies them (issueCertificate's `content`). */
export const AcceptanceReceiptContentInput = z.object({
  referenceNumber: PrintedText(64),
  applicationType: z.object({ id: PrintedText(64), label: PrintedText(100) }),
  applicant: z.object({ name: PrintedText(64), citizenId: CitizenIdText }),
  /** The day the application was accepted (ISO date, China). */
  acceptedOn: IsoDate,
  /** The statutory time limit, in working days, and the last working day of it (ISO date, China). */
  timeLimit: z.object({ workingDays: z.number().int().min(1).max(365), deadline: IsoDate }),
  /** Each material received: the checklist label and how many files answered it. */
  materials: z.array(z.object({ label: PrintedText(200), files: z.number().int().min(1).max(100) })),
  issuerName: PrintedText(100).optional(),
});
export type AcceptanceReceiptContentInput = z.input<typeof AcceptanceReceiptContentInput>;

export interface AcceptanceReceiptInput extends Omit<
  z.output<typeof AcceptanceReceiptContentInput>,
  'issuerName'
> {
  readonly documentId: string;
  readonly issuer: IssuingOffice;
  /** ISO instant; printed as the date in China. */
  readonly issuedAt: string;
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** The facts the receipt states, hashed into its token's subjectHash. */
export function acceptanceReceiptContent(
  input: Omit<AcceptanceReceiptInput, 'verifyUrl' | 'font'>,
): ContentValue {
  return {
    v: CONTENT_VERSION,
    kind: 'acceptance-receipt',
    documentId: input.documentId,
    referenceNumber: input.referenceNumber,
    applicationType: { id: input.applicationType.id, label: input.applicationType.label },
    applicant: { name: input.applicant.name, citizenId: input.applicant.citizenId },
    acceptedOn: input.acceptedOn,
    timeLimit: { workingDays: input.timeLimit.workingDays, deadline: input.timeLimit.deadline },
    materials: input.materials.map((m) => ({ label: m.label, files: m.files })),
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** The receipt's sentence of promise: accepted on …, decided within N working days, by …. */
export function acceptanceSentence(input: Pick<AcceptanceReceiptInput, 'acceptedOn' | 'timeLimit'>): string {
  return (
    `你的申请已于${chineseDate(input.acceptedOn)}受理，办理时限为${input.timeLimit.workingDays}个工作日，` +
    `本机关将于${chineseDate(input.timeLimit.deadline)}前作出决定。`
  );
}

/** Renders the receipt on A4. Rejects with MissingGlyphError if the font cannot draw a name. */
export async function renderAcceptanceReceipt(input: AcceptanceReceiptInput): Promise<Buffer> {
  const pdf = await createOfficialPdf({
    title: ACCEPTANCE_RECEIPT_TITLE,
    author: input.issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;
  pdf.checkGlyphs([
    input.applicant.name,
    input.applicationType.label,
    ...input.materials.map((m) => m.label),
    input.issuer.name,
    input.referenceNumber,
  ]);
  drawTitle(doc, ACCEPTANCE_RECEIPT_TITLE);
  doc.fontSize(11).text(`受理编号：${input.referenceNumber}`, PAGE.margin, doc.y, {
    width: CONTENT_WIDTH,
    align: 'right',
  });
  doc.moveDown(0.3);
  doc
    .fontSize(12)
    .text(`${input.applicant.name}（公民身份号码：${input.applicant.citizenId}）：`, PAGE.margin, doc.y);
  doc.moveDown(0.3);
  drawParagraph(doc, `你提交的${input.applicationType.label}申请，材料齐全，符合法定形式，本机关决定受理。`);
  drawParagraph(doc, acceptanceSentence(input));
  drawFields(
    doc,
    [
      ['申请事项', input.applicationType.label],
      ['受理日期', chineseDate(input.acceptedOn)],
      ['办理时限', `${input.timeLimit.workingDays}个工作日`],
      ['办结期限', chineseDate(input.timeLimit.deadline)],
    ],
    24,
    11,
  );
  doc.moveDown(0.2);
  doc.fontSize(12).text('已收到的材料：', PAGE.margin, doc.y);
  doc.moveDown(0.2);
  drawNumbered(
    doc,
    input.materials.length > 0
      ? input.materials.map((m) => `${m.label}（${m.files}份）`)
      : ['本事项无需提交材料'],
  );
  doc.moveDown(0.2);
  drawParagraph(doc, '请凭受理编号查询办理进度。', 11);
  await drawIssuerAndVerification(doc, input.issuer, input.issuedAt, input.verifyUrl);
  return pdf.finish(input.documentId);
}
