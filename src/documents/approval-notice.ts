/**
 * 准予落户通知书 / 审批通知书: the notice of an approved online application. It names the application
 * (受理编号, type), the applicant and whoever the decision covers with them, states the decision
 * ("准予……") with the pathway and every article it rests on (id and quoted sentence), and says what the
 * applicant does next (e.g. where the hukou goes: address and household).
 *
 * Settlement applications (`settlement/<pathway>`, `relatives-joining`) get the title 准予落户通知书;
 * other applications 审批通知书. The applicant's citizen id is printed in full: the notice is issued to
 * the applicant about the applicant.
 */
import { z } from 'zod';
import { codeLabel } from '../standards/code-tables.js';
import { CONTENT_VERSION, type ContentValue } from './document-content.js';
import {
  CertificateAddress,
  CitedArticle,
  citedArticleContent,
  CitizenIdText,
  IsoDate,
  type IssuingOffice,
  PathwayRef,
  PrintedText,
  citation,
  drawFields,
  drawIssuerAndVerification,
  drawNumbered,
  drawParagraph,
  drawTitle,
  printedAddress,
} from './certificate-layout.js';
import {
  chineseDate,
  createOfficialPdf,
  drawTable,
  CONTENT_WIDTH,
  PAGE,
  type CjkFont,
} from './official-pdf.js';

export const APPROVAL_NOTICE_TITLE = '审批通知书';
export const SETTLEMENT_APPROVAL_NOTICE_TITLE = '准予落户通知书';

/** The facts of an approval notice, as the approving code supplies them (issueCertificate's `content`). */
export const ApprovalNoticeContentInput = z.object({
  /** 受理编号 of the application. */
  referenceNumber: PrintedText(64),
  /** The application type: its catalogue id (`settlement/talent`, `residence-permit`) and label. */
  applicationType: z.object({ id: PrintedText(64), label: PrintedText(100) }),
  applicant: z.object({ name: PrintedText(64), citizenId: CitizenIdText }),
  /**
   * Others the decision covers (qz-final/5: co-resident spouse, minor children, parents), with their
   * relationship to the applicant as a GB/T 4761 code (10 spouse, 20 son, 30 daughter, 51 father …).
   */
  coApplicants: z
    .array(
      z.object({
        name: PrintedText(64),
        citizenId: CitizenIdText,
        relationship: z.string().regex(/^\d{2}$/),
      }),
    )
    .default([]),
  /** The decision, one sentence beginning with 准予 (准予在柯城区登记常住户口). */
  decision: PrintedText(300).refine((d) => d.startsWith('准予'), { message: 'an approval begins with 准予' }),
  /** The settlement pathway of the policy the decision applied, where there is one. */
  pathway: PathwayRef.optional(),
  /** The title of the policy applied (its version in words), where a policy decided. */
  policy: PrintedText(64).optional(),
  /** Every article the decision rests on, each with its quoted sentence. */
  articles: z.array(CitedArticle).min(1),
  /** Where the hukou goes: the address and the household (its number; null for a new household). */
  destination: z
    .object({
      address: CertificateAddress,
      householdNumber: z
        .string()
        .regex(/^\d{6,20}$/)
        .nullable(),
    })
    .optional(),
  /** What the applicant does next, one sentence each. */
  nextSteps: z.array(PrintedText(300)).min(1),
  /** Last day the notice may be used (ISO date, China), where it has a term. */
  validUntil: IsoDate.optional(),
  /** The issuing office's name as printed; by default the county's hukou office. */
  issuerName: PrintedText(100).optional(),
});
export type ApprovalNoticeContentInput = z.input<typeof ApprovalNoticeContentInput>;

export interface ApprovalNoticeInput extends Omit<z.output<typeof ApprovalNoticeContentInput>, 'issuerName'> {
  readonly documentId: string;
  readonly issuer: IssuingOffice;
  /** ISO instant; printed as the date in China. */
  readonly issuedAt: string;
  /** `${baseUrl}/verify/${token}`, the token signed over approvalNoticeContent(input). */
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** 准予落户通知书 for settlement applications, 审批通知书 for the others. */
export function approvalNoticeTitle(applicationTypeId: string): string {
  return applicationTypeId.startsWith('settlement') || applicationTypeId === 'relatives-joining'
    ? SETTLEMENT_APPROVAL_NOTICE_TITLE
    : APPROVAL_NOTICE_TITLE;
}

/** The facts the notice states, hashed into its token's subjectHash. */
export function approvalNoticeContent(input: Omit<ApprovalNoticeInput, 'verifyUrl' | 'font'>): ContentValue {
  return {
    v: CONTENT_VERSION,
    kind: 'approval-notice',
    documentId: input.documentId,
    referenceNumber: input.referenceNumber,
    applicationType: { id: input.applicationType.id, label: input.applicationType.label },
    applicant: { name: input.applicant.name, citizenId: input.applicant.citizenId },
    coApplicants: input.coApplicants.map((c) => ({
      name: c.name,
      citizenId: c.citizenId,
      relationship: c.relationship,
    })),
    decision: input.decision,
    pathway: input.pathway ? { id: input.pathway.id, label: input.pathway.label } : null,
    policy: input.policy ?? null,
    articles: input.articles.map(citedArticleContent),
    destination: input.destination
      ? {
          address: { text: input.destination.address.text, countyCode: input.destination.address.countyCode },
          householdNumber: input.destination.householdNumber,
        }
      : null,
    nextSteps: [...input.nextSteps],
    validUntil: input.validUntil ?? null,
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** Renders the notice on A4. Rejects with MissingGlyphError if the font cannot draw a name. */
export async function renderApprovalNotice(input: ApprovalNoticeInput): Promise<Buffer> {
  const title = approvalNoticeTitle(input.applicationType.id);
  const pdf = await createOfficialPdf({
    title,
    author: input.issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;
  const destination = input.destination ? printedAddress(input.destination.address) : undefined;
  pdf.checkGlyphs([
    input.applicant.name,
    ...input.coApplicants.map((c) => c.name),
    input.applicationType.label,
    input.decision,
    input.pathway?.label ?? '',
    ...input.articles.map(citation),
    ...input.nextSteps,
    destination ?? '',
    input.issuer.name,
    input.referenceNumber,
  ]);

  drawTitle(doc, title);
  doc.fontSize(11).text(`受理编号：${input.referenceNumber}`, PAGE.margin, doc.y, {
    width: CONTENT_WIDTH,
    align: 'right',
  });
  doc.moveDown(0.3);
  doc
    .fontSize(12)
    .text(`${input.applicant.name}（公民身份号码：${input.applicant.citizenId}）：`, PAGE.margin, doc.y);
  doc.moveDown(0.3);
  drawParagraph(doc, `你提交的${input.applicationType.label}申请，经审查，符合下列规定：`);
  drawNumbered(doc, input.articles.map(citation));
  doc.moveDown(0.2);
  drawParagraph(doc, `决定：${input.decision.replace(/。$/, '')}。`);

  const fields: [string, string][] = [];
  // The pathway and the policy by their titles: a paper never carries internal ids (newcomer trial).
  if (input.pathway) fields.push(['落户途径', input.pathway.label]);
  if (input.policy) fields.push(['适用政策', input.policy]);
  if (input.destination && destination) {
    fields.push(['迁入地址', destination]);
    fields.push(['户号', input.destination.householdNumber ?? '新立户']);
  }
  if (input.validUntil) fields.push(['有效期至', chineseDate(input.validUntil)]);
  drawFields(doc, fields, 24, 11);

  if (input.coApplicants.length > 0) {
    doc.moveDown(0.2);
    doc.fontSize(11).text('随同落户人员：', PAGE.margin + 24, doc.y);
    doc.moveDown(0.2);
    drawTable(
      doc,
      [
        { header: '序号', width: 50, align: 'center' },
        { header: '姓名', width: 120 },
        { header: '与申请人关系', width: 110, align: 'center' },
        { header: '公民身份号码', width: CONTENT_WIDTH - 280, align: 'center' },
      ],
      input.coApplicants.map((c, i) => [
        String(i + 1),
        c.name,
        codeLabel('relationship', c.relationship, 'zh-CN'),
        c.citizenId,
      ]),
      10,
    );
  }

  doc.moveDown(0.5);
  doc.fontSize(12).text('请按以下事项办理：', PAGE.margin, doc.y);
  doc.moveDown(0.2);
  drawNumbered(doc, input.nextSteps);
  doc.moveDown(0.2);
  doc.fontSize(12).text('特此通知。', PAGE.margin, doc.y, { indent: 24 });

  await drawIssuerAndVerification(doc, input.issuer, input.issuedAt, input.verifyUrl);
  return pdf.finish(input.documentId);
}
