/**
 * 户口性质证明: proof of the hukou nature a person held before the reform (GA 324.1: 农业 / 非农业,
 * 家庭 / 集体). Since the reform everyone holds one resident hukou (居民户口), yet pensions, land rights
 * and compensation schemes still ask what the nature was, so the register keeps it and issues this proof.
 *
 * The subject's citizen id is printed in full: the proof is issued to the subject about the subject.
 */
import { codeLabel } from '../standards/code-tables.js';
import type { Household, Person } from '../register/model.js';
import { CONTENT_VERSION, addressLine, type ContentValue } from './document-content.js';
import {
  CONTENT_BOTTOM,
  CONTENT_WIDTH,
  PAGE,
  VERIFICATION_HEIGHT,
  chineseDate,
  createOfficialPdf,
  drawTable,
  drawVerification,
  type CjkFont,
} from './official-pdf.js';

export const LEGACY_HUKOU_NATURE_PROOF_TITLE = '户口性质证明';

export interface LegacyHukouNatureProofInput {
  readonly documentId: string;
  readonly person: Person;
  readonly household: Household;
  readonly issuer: { readonly code: string; readonly name: string };
  /** ISO date or instant; printed as the date in China. */
  readonly issuedAt: string;
  /** The policy article that ended the distinction, e.g. qz-final/7. */
  readonly reformArticle: { readonly id: string; readonly quote: string };
  /** `${baseUrl}/verify/${token}`, the token signed over legacyHukouNatureProofContent(input). */
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

/** The facts the proof states, hashed into its token's subjectHash. */
export function legacyHukouNatureProofContent(
  input: Omit<LegacyHukouNatureProofInput, 'verifyUrl' | 'font'>,
): ContentValue {
  const { person, household } = input;
  return {
    v: CONTENT_VERSION,
    kind: 'legacy-hukou-nature-proof',
    documentId: input.documentId,
    person: {
      name: person.name,
      formerNames: person.formerNames,
      sex: person.sex,
      birthDate: person.birthDate,
      citizenId: person.citizenId,
    },
    householdNumber: household.householdNumber,
    address: { text: household.address.text, countyCode: household.address.countyCode },
    legacyHukouNature: person.legacyHukouNature.map((p) => ({ type: p.type, from: p.from, to: p.to })),
    reformArticle: { id: input.reformArticle.id, quote: input.reformArticle.quote },
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

/** Renders the one-page A4 proof. Rejects with MissingGlyphError if the font cannot draw the name. */
export async function renderLegacyHukouNatureProof(input: LegacyHukouNatureProofInput): Promise<Buffer> {
  const { person, household, issuer, reformArticle } = input;
  const pdf = await createOfficialPdf({
    title: LEGACY_HUKOU_NATURE_PROOF_TITLE,
    author: issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;

  const address = addressLine(household.address);
  const periods = person.legacyHukouNature.map((p, i) => [
    String(i + 1),
    codeLabel('legacy-hukou-type', p.type, 'zh-CN'),
    chineseDate(p.from),
    chineseDate(p.to),
  ]);
  const conclusion =
    `依据 ${reformArticle.id}“${reformArticle.quote}”，户籍制度改革后不再区分农业户口与非农业户口，` +
    `${person.name}现登记为居民户口。`;
  pdf.checkGlyphs([
    person.name,
    ...person.formerNames,
    address,
    issuer.name,
    reformArticle.quote,
    input.documentId,
  ]);

  doc.fontSize(24).text(LEGACY_HUKOU_NATURE_PROOF_TITLE, PAGE.margin, PAGE.margin + 20, {
    width: CONTENT_WIDTH,
    align: 'center',
    characterSpacing: 6,
  });
  doc.moveDown(1.2);

  doc.fontSize(12).text('兹证明：', PAGE.margin, doc.y);
  doc.moveDown(0.5);
  const fields: readonly (readonly [string, string])[] = [
    ['姓名', person.name],
    // Records from before a change of name are found under the former one.
    ...(person.formerNames.length > 0 ? [['曾用名', person.formerNames.join('、')] as const] : []),
    ['性别', codeLabel('sex', person.sex, 'zh-CN')],
    ['出生日期', chineseDate(person.birthDate)],
    ['公民身份号码', person.citizenId],
    ['户号', household.householdNumber],
    ['户籍地址', address],
  ];
  const labelWidth = 96;
  for (const [label, value] of fields) {
    const y = doc.y;
    doc.text(`${label}：`, PAGE.margin + 24, y, { width: labelWidth });
    doc.text(value, PAGE.margin + 24 + labelWidth, y, { width: CONTENT_WIDTH - 24 - labelWidth });
    doc.moveDown(0.35);
  }
  doc.x = PAGE.margin;
  doc.moveDown(0.8);

  doc.fontSize(12).text('户籍制度改革前的户口性质登记情况如下：', PAGE.margin, doc.y);
  doc.moveDown(0.5);
  if (periods.length === 0) {
    doc.text('登记信息中无改革前户口性质记录。', PAGE.margin + 24, doc.y);
  } else {
    drawTable(
      doc,
      [
        { header: '序号', width: 50, align: 'center' },
        { header: '户口性质（GA 324.1）', width: CONTENT_WIDTH - 50 - 2 * 130 },
        { header: '起始日期', width: 130, align: 'center' },
        { header: '终止日期', width: 130, align: 'center' },
      ],
      periods,
      11,
    );
  }
  doc.moveDown(1);

  doc.fontSize(12).text(conclusion, PAGE.margin, doc.y, { width: CONTENT_WIDTH, indent: 24, lineGap: 4 });
  doc.moveDown(0.5);
  doc.text('特此证明。', PAGE.margin, doc.y, { indent: 24 });
  doc.moveDown(2);

  // Issuer and date on the right, the QR code at the foot of the page (of a new page if the body ran long).
  if (doc.y + 50 > CONTENT_BOTTOM - VERIFICATION_HEIGHT - 20) doc.addPage();
  const signatureX = PAGE.margin + CONTENT_WIDTH / 2;
  doc.fontSize(12).text(issuer.name, signatureX, doc.y, { width: CONTENT_WIDTH / 2, align: 'right' });
  doc.moveDown(0.3);
  doc.text(chineseDate(input.issuedAt), signatureX, doc.y, { width: CONTENT_WIDTH / 2, align: 'right' });

  await drawVerification(doc, input.verifyUrl, PAGE.margin, CONTENT_BOTTOM - VERIFICATION_HEIGHT);
  return pdf.finish(input.documentId);
}
