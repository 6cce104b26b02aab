/**
 * 居住证 (first issue): the residence permit of a person who left the hukou place and lives in the city
 * (Interim Regulations on Residence Permits, State Council Decree 663; domain-facts.md). It states the
 * holder (name, sex, ethnicity, birth date, citizen id), the residence address, the issuing office, the
 * date of issue and the term, and the article the issue rests on (e.g. lz/2.11, quoted).
 *
 * Term: neither domain-facts.md nor the policy digest gives a validity period. What they give is the
 * yearly endorsement (签注) in the month before each anniversary, a missed one making the permit lapse.
 * So the default term runs to the day before the first anniversary (DEFAULT_RESIDENCE_PERMIT_TERM_YEARS),
 * a default of this code, not a legal figure; an endorsement is a new term, out of this document's scope.
 */
import { z } from 'zod';
import { codeLabel, optionalCodeLabel } from '../standards/code-tables.js';
import { CONTENT_VERSION, type ContentValue } from './document-content.js';
import {
  CertificateAddress,
  CitedArticle,
  citedArticleContent,
  CitizenIdText,
  IsoDate,
  type IssuingOffice,
  PrintedText,
  citation,
  drawFields,
  drawIssuerAndVerification,
  drawParagraph,
  drawTitle,
  printedAddress,
} from './certificate-layout.js';
import { CONTENT_WIDTH, PAGE, chineseDate, createOfficialPdf, type CjkFont } from './official-pdf.js';

export const RESIDENCE_PERMIT_TITLE = '居住证';

/**
 * Years of the first term when the issuer gives no `validUntil`: one, up to the first endorsement. A
 * default (no validity period in domain-facts.md or the policy digest), to be set per deployment.
 */
export const DEFAULT_RESIDENCE_PERMIT_TERM_YEARS = 1;

/** The facts of a residence permit, as the approving code supplies them (issueCertificate's `content`). */
export const ResidencePermitContentInput = z.object({
  holder: z.object({
    name: PrintedText(64),
    /** GB/T 2261.1. */
    sex: z.enum(['0', '1', '2', '9']),
    /** GB 3304 (01 汉 …), 97 / 98 as many systems add. */
    /** null: declared unknown (不详). */
    ethnicity: z
      .string()
      .regex(/^\d{2}$/)
      .nullable(),
    birthDate: IsoDate,
    citizenId: CitizenIdText,
  }),
  /** Where the holder lives in the city. */
  residenceAddress: CertificateAddress,
  /** The article the issue rests on, quoted (lz/2.11 in Lanzhou; the national regulation elsewhere). */
  basis: CitedArticle,
  /** First day of the term (ISO date, China); by default the day of issue. */
  validFrom: IsoDate.optional(),
  /** Last day of the term; by default the day before the first anniversary of validFrom. */
  validUntil: IsoDate.optional(),
  /** The issuing office's name as printed; by default the county's hukou office. */
  issuerName: PrintedText(100).optional(),
});
export type ResidencePermitContentInput = z.input<typeof ResidencePermitContentInput>;

export interface ResidencePermitInput extends Omit<
  z.output<typeof ResidencePermitContentInput>,
  'issuerName' | 'validFrom' | 'validUntil'
> {
  readonly documentId: string;
  readonly issuer: IssuingOffice;
  /** ISO instant; printed as the date in China. */
  readonly issuedAt: string;
  readonly validFrom: string;
  readonly validUntil: string;
  /** `${baseUrl}/verify/${token}`, the token signed over residencePermitContent(input). */
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** The facts the permit states, hashed into its token's subjectHash. */
export function residencePermitContent(
  input: Omit<ResidencePermitInput, 'verifyUrl' | 'font'>,
): ContentValue {
  const { holder } = input;
  return {
    v: CONTENT_VERSION,
    kind: 'residence-permit',
    documentId: input.documentId,
    holder: {
      name: holder.name,
      sex: holder.sex,
      ethnicity: holder.ethnicity,
      birthDate: holder.birthDate,
      citizenId: holder.citizenId,
    },
    residenceAddress: { text: input.residenceAddress.text, countyCode: input.residenceAddress.countyCode },
    basis: citedArticleContent(input.basis),
    validFrom: input.validFrom,
    validUntil: input.validUntil,
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** Renders the permit on A4. Rejects with MissingGlyphError if the font cannot draw the name. */
export async function renderResidencePermit(input: ResidencePermitInput): Promise<Buffer> {
  const { holder } = input;
  const pdf = await createOfficialPdf({
    title: RESIDENCE_PERMIT_TITLE,
    author: input.issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;
  const address = printedAddress(input.residenceAddress);
  pdf.checkGlyphs([holder.name, address, input.issuer.name, citation(input.basis)]);

  drawTitle(doc, RESIDENCE_PERMIT_TITLE, '（首次签发）');
  doc.fontSize(12).text(`证件编号：${input.documentId}`, PAGE.margin, doc.y, {
    width: CONTENT_WIDTH,
    align: 'right',
  });
  doc.moveDown(0.8);

  drawFields(doc, [
    ['姓名', holder.name],
    ['性别', codeLabel('sex', holder.sex, 'zh-CN')],
    ['民族', optionalCodeLabel('ethnicity', holder.ethnicity, 'zh-CN')],
    ['出生日期', chineseDate(holder.birthDate)],
    ['公民身份号码', holder.citizenId],
    ['居住地址', address],
    ['签发机关', input.issuer.name],
    ['签发日期', chineseDate(input.issuedAt)],
    ['有效期限', `${chineseDate(input.validFrom)}至${chineseDate(input.validUntil)}`],
  ]);
  doc.moveDown(0.8);

  drawParagraph(doc, `签发依据：${citation(input.basis)}`, 11);
  drawParagraph(
    doc,
    '持证人在居住地连续居住的，应当在居住每满一年之日前一个月内办理签注；' +
      '逾期未办理签注的，居住证使用功能中止（《居住证暂行条例》）。',
    11,
  );

  await drawIssuerAndVerification(doc, input.issuer, input.issuedAt, input.verifyUrl);
  return pdf.finish(input.documentId);
}
