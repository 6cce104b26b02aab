/**
 * 准予迁入证明 (准迁证): the destination's permit for one or more persons to move their hukou in. The
 * origin's hukou office moves them out on seeing it (domain-facts.md, hukou office services). It names
 * the persons (name, sex, birth date, citizen id, relationship to the destination household's head), where
 * they come from and go to, why (the settlement pathway and its articles, quoted) and until when it may be
 * used.
 *
 * Cross-province one-stop migration (跨省通办): the destination issues an electronic permit, marked
 * 电子准迁证, naming the origin office that cancels the hukou there (within 1 working day, domain-facts.md).
 *
 * Term: neither domain-facts.md nor the policy digest gives one. DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS is a
 * default of this code, not a legal figure; a deployment passes its own `validUntil`.
 */
import { z } from 'zod';
import { codeLabel } from '../standards/code-tables.js';
import { findDivision } from '../standards/divisions.js';
import { CONTENT_VERSION, type ContentValue } from './document-content.js';
import {
  CertificateAddress,
  CitedArticle,
  citedArticleContent,
  CitizenIdText,
  IsoDate,
  IssuingOffice,
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
  CONTENT_WIDTH,
  PAGE,
  chineseDate,
  createOfficialPdf,
  drawTable,
  type CjkFont,
} from './official-pdf.js';

export const PERMIT_TO_MOVE_IN_TITLE = '准予迁入证明';
export const ELECTRONIC_PERMIT_MARK = '电子准迁证';

/**
 * Days a permit may be used after the day of issue, when the issuer gives no `validUntil`. A default
 * (no figure in domain-facts.md or the policy digest), to be set per deployment.
 */
export const DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS = 30;

export const PermitToMoveInMover = z.object({
  name: PrintedText(64),
  /** GB/T 2261.1. */
  sex: z.enum(['0', '1', '2', '9']),
  birthDate: IsoDate,
  citizenId: CitizenIdText,
  /** Relationship to the head of the destination household, GB/T 4761 (02 head, 10 spouse, 20 son …). */
  relationship: z.string().regex(/^\d{2}$/),
});
export type PermitToMoveInMover = z.infer<typeof PermitToMoveInMover>;

/** The facts of a permit to move in, as the approving code supplies them (issueCertificate's `content`). */
export const PermitToMoveInContentInput = z.object({
  /** 受理编号 of the application the permit answers, where there is one. */
  referenceNumber: PrintedText(64).optional(),
  movers: z.array(PermitToMoveInMover).min(1),
  /** The hukou's current place: the address as registered there and its county (GB/T 2260). */
  origin: CertificateAddress,
  /** Where it goes: the address and the household (its number; null when a new household is set up). */
  destination: z.object({
    address: CertificateAddress,
    householdNumber: z
      .string()
      .regex(/^\d{6,20}$/)
      .nullable(),
  }),
  /** Why: the settlement pathway and the articles the approval rests on. */
  reason: z.object({ pathway: PathwayRef, articles: z.array(CitedArticle).min(1) }),
  /** Last day it may be used (ISO date, China); by default DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS after issue. */
  validUntil: IsoDate.optional(),
  /** Cross-province one-stop migration: the electronic permit, and the origin office that cancels. */
  oneStop: z.object({ originOffice: IssuingOffice }).optional(),
  /** The issuing office's name as printed; by default the county's hukou office. */
  issuerName: PrintedText(100).optional(),
});
export type PermitToMoveInContentInput = z.input<typeof PermitToMoveInContentInput>;

export interface PermitToMoveInInput extends Omit<
  z.output<typeof PermitToMoveInContentInput>,
  'issuerName' | 'validUntil'
> {
  readonly documentId: string;
  readonly issuer: IssuingOffice;
  /** ISO instant; printed as the date in China. */
  readonly issuedAt: string;
  readonly validUntil: string;
  /** `${baseUrl}/verify/${token}`, the token signed over permitToMoveInContent(input). */
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** The facts the permit states, hashed into its token's subjectHash. */
export function permitToMoveInContent(input: Omit<PermitToMoveInInput, 'verifyUrl' | 'font'>): ContentValue {
  const address = (a: { text: string; countyCode: string }) => ({ text: a.text, countyCode: a.countyCode });
  return {
    v: CONTENT_VERSION,
    kind: 'permit-to-move-in',
    documentId: input.documentId,
    referenceNumber: input.referenceNumber ?? null,
    movers: input.movers.map((m) => ({
      name: m.name,
      sex: m.sex,
      birthDate: m.birthDate,
      citizenId: m.citizenId,
      relationship: m.relationship,
    })),
    origin: address(input.origin),
    destination: {
      address: address(input.destination.address),
      householdNumber: input.destination.householdNumber,
    },
    reason: {
      pathway: { id: input.reason.pathway.id, label: input.reason.pathway.label },
      articles: input.reason.articles.map(citedArticleContent),
    },
    validUntil: input.validUntil,
    oneStop: input.oneStop
      ? { originOffice: { code: input.oneStop.originOffice.code, name: input.oneStop.originOffice.name } }
      : null,
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** The county of an address as printed: 浙江省衢州市柯城区 (the code itself when unknown). */
function countyName(countyCode: string): string {
  const county = findDivision(countyCode);
  return county ? [...county.path.map((p) => p.name), county.name].join('') : countyCode;
}

/** Renders the permit on A4. Rejects with MissingGlyphError if the font cannot draw a name. */
export async function renderPermitToMoveIn(input: PermitToMoveInInput): Promise<Buffer> {
  const isElectronic = input.oneStop !== undefined;
  const pdf = await createOfficialPdf({
    title: isElectronic ? `${PERMIT_TO_MOVE_IN_TITLE}（${ELECTRONIC_PERMIT_MARK}）` : PERMIT_TO_MOVE_IN_TITLE,
    author: input.issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;
  const origin = printedAddress(input.origin);
  const destination = printedAddress(input.destination.address);
  const { pathway, articles } = input.reason;
  pdf.checkGlyphs([
    ...input.movers.map((m) => m.name),
    origin,
    destination,
    pathway.label,
    ...articles.map(citation),
    input.issuer.name,
    input.oneStop?.originOffice.name ?? '',
    input.referenceNumber ?? '',
  ]);

  drawTitle(
    doc,
    PERMIT_TO_MOVE_IN_TITLE,
    isElectronic ? `${ELECTRONIC_PERMIT_MARK}（户口迁移跨省通办）` : undefined,
  );
  doc.fontSize(12).text(`准迁证编号：${input.documentId}`, PAGE.margin, doc.y, {
    width: CONTENT_WIDTH,
    align: 'right',
  });
  if (input.referenceNumber !== undefined) {
    doc.text(`受理编号：${input.referenceNumber}`, PAGE.margin, doc.y, {
      width: CONTENT_WIDTH,
      align: 'right',
    });
  }
  doc.moveDown(0.6);

  const names = input.movers.map((m) => m.name).join('、');
  drawParagraph(
    doc,
    `经审核，准予下列${input.movers.length}人的户口由${countyName(input.origin.countyCode)}迁入${countyName(input.destination.address.countyCode)}：`,
  );
  drawTable(
    doc,
    [
      { header: '序号', width: 40, align: 'center' },
      { header: '姓名', width: 90 },
      { header: '性别', width: 40, align: 'center' },
      { header: '出生日期', width: 100, align: 'center' },
      { header: '公民身份号码', width: CONTENT_WIDTH - 40 - 90 - 40 - 100 - 70, align: 'center' },
      { header: '与户主关系', width: 70, align: 'center' },
    ],
    input.movers.map((m, i) => [
      String(i + 1),
      m.name,
      codeLabel('sex', m.sex, 'zh-CN'),
      chineseDate(m.birthDate),
      m.citizenId,
      codeLabel('relationship', m.relationship, 'zh-CN'),
    ]),
    10,
  );
  doc.moveDown(0.8);

  drawFields(doc, [
    ['迁出地', origin],
    ['迁入地址', destination],
    ['迁入户户号', input.destination.householdNumber ?? '新立户'],
    ['迁移原因', pathway.label],
    ['有效期至', `${chineseDate(input.validUntil)}（逾期作废）`],
  ]);
  doc.moveDown(0.4);
  doc.fontSize(12).text('准予迁入依据：', PAGE.margin, doc.y);
  doc.moveDown(0.4);
  drawNumbered(doc, articles.map(citation));
  doc.moveDown(0.4);

  if (input.oneStop) {
    const office = input.oneStop.originOffice;
    drawParagraph(
      doc,
      `本证为${ELECTRONIC_PERMIT_MARK}，由迁入地户口登记机关签发并经网上传送迁出地。` +
        `请${office.name}（${office.code}）于1个工作日内为${names}办理户口迁出（注销）手续，` +
        '并于1个工作日内告知申请人；申请人无需往返迁出地。',
    );
  } else {
    drawParagraph(
      doc,
      `请凭本证于有效期内到迁出地户口登记机关办理户口迁出手续，再到迁入地户口登记机关办理迁入落户。`,
    );
  }

  await drawIssuerAndVerification(doc, input.issuer, input.issuedAt, input.verifyUrl);
  return pdf.finish(input.documentId);
}
