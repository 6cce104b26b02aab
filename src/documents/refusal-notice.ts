/**
 * 不予受理决定书 / 不予批准决定书: the written refusal of an online application. It names the
 * application and the applicant, states the decision with the article it rests on (id and quoted
 * sentence) and the officer's reason, and tells the applicant how to challenge it: administrative
 * reconsideration within 60 days (《中华人民共和国行政复议法》) or a lawsuit within six months
 * (《中华人民共和国行政诉讼法》). 不予受理 when refused at the window, 不予批准 after acceptance.
 */
import { z } from 'zod';
import { CONTENT_VERSION, type ContentValue } from './document-content.js';
import {
  CitedArticle,
  citedArticleContent,
  CitizenIdText,
  type IssuingOffice,
  PrintedText,
  citation,
  drawFields,
  drawIssuerAndVerification,
  drawNumbered,
  drawParagraph,
  drawTitle,
} from './certificate-layout.js';
import { createOfficialPdf, CONTENT_WIDTH, PAGE, type CjkFont } from './official-pdf.js';

export const REFUSAL_STAGES = ['acceptance', 'approval'] as const;
export type RefusalStage = (typeof REFUSAL_STAGES)[number];

export const REFUSAL_NOTICE_TITLES = {
  acceptance: '不予受理决定书',
  approval: '不予批准决定书',
} as const satisfies Record<RefusalStage, string>;

/** The rights of appeal every refusal states (行政复议法 art. 20: 60 days; 行政诉讼法 art. 46: 6 months). */
export const APPEAL_RIGHTS = [
  '如不服本决定，可以自收到本决定书之日起六十日内，依照《中华人民共和国行政复议法》申请行政复议；',
  '或者自收到本决定书之日起六个月内，依照《中华人民共和国行政诉讼法》向人民法院提起行政诉讼。',
] as const;

export const RefusalNoticeContentInput = z.object({
  referenceNumber: PrintedText(64),
  applicationType: z.object({ id: PrintedText(64), label: PrintedText(100) }),
  applicant: z.object({ name: PrintedText(64), citizenId: CitizenIdText }),
  stage: z.enum(REFUSAL_STAGES),
  /** The article the refusal rests on, with its quoted sentence. */
  article: CitedArticle,
  /** Why, in the officer's words (Chinese). */
  reason: PrintedText(500),
  issuerName: PrintedText(100).optional(),
});
export type RefusalNoticeContentInput = z.input<typeof RefusalNoticeContentInput>;

export interface RefusalNoticeInput extends Omit<z.output<typeof RefusalNoticeContentInput>, 'issuerName'> {
  readonly documentId: string;
  readonly issuer: IssuingOffice;
  readonly issuedAt: string;
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** The decision sentence: 决定不予受理 / 决定不予批准 your application for …. */
export function refusalDecision(input: Pick<RefusalNoticeInput, 'stage' | 'applicationType'>): string {
  return `决定对你的${input.applicationType.label}申请${input.stage === 'acceptance' ? '不予受理' : '不予批准'}。`;
}

/** The facts the notice states, hashed into its token's subjectHash. */
export function refusalNoticeContent(input: Omit<RefusalNoticeInput, 'verifyUrl' | 'font'>): ContentValue {
  return {
    v: CONTENT_VERSION,
    kind: 'refusal-notice',
    documentId: input.documentId,
    referenceNumber: input.referenceNumber,
    applicationType: { id: input.applicationType.id, label: input.applicationType.label },
    applicant: { name: input.applicant.name, citizenId: input.applicant.citizenId },
    stage: input.stage,
    decision: refusalDecision(input),
    article: citedArticleContent(input.article),
    reason: input.reason,
    appeal: [...APPEAL_RIGHTS],
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** Renders the notice on A4. Rejects with MissingGlyphError if the font cannot draw a name. */
export async function renderRefusalNotice(input: RefusalNoticeInput): Promise<Buffer> {
  const title = REFUSAL_NOTICE_TITLES[input.stage];
  const pdf = await createOfficialPdf({
    title,
    author: input.issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;
  pdf.checkGlyphs([
    input.applicant.name,
    input.applicationType.label,
    citation(input.article),
    input.reason,
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
  drawParagraph(doc, `你提交的${input.applicationType.label}申请，经审查，不符合下列规定：`);
  drawNumbered(doc, [citation(input.article)]);
  drawFields(doc, [['理由', input.reason]], 24, 11);
  drawParagraph(doc, `根据上述规定，${refusalDecision(input)}`);
  doc.moveDown(0.2);
  drawParagraph(doc, APPEAL_RIGHTS.join(''), 11);
  doc.fontSize(12).text('特此通知。', PAGE.margin, doc.y, { indent: 24 });
  await drawIssuerAndVerification(doc, input.issuer, input.issuedAt, input.verifyUrl);
  return pdf.finish(input.documentId);
}
