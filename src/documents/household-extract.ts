/**
 * 户口簿摘录: an extract of a household's register page as of a date: household number, type, address,
 * head, and one row per member. Citizen ids are masked (PIPL, security.md) unless the purpose needs them;
 * the requester's own id may stay whole.
 */
import { codeLabel, optionalCodeLabel } from '../standards/code-tables.js';
import { maskBirthDate, maskCitizenId } from '../standards/masking.js';
import type { Household, Membership, Person } from '../register/model.js';
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

export const HOUSEHOLD_EXTRACT_TITLE = '户口簿摘录';

export interface HouseholdExtractMember {
  readonly person: Person;
  readonly membership: Membership;
}

export interface HouseholdExtractInput {
  readonly documentId: string;
  readonly household: Household;
  /** Memberships of the household; those not in force on `asOf` are left out. */
  readonly members: readonly HouseholdExtractMember[];
  /** ISO date the extract describes. */
  readonly asOf: string;
  readonly issuer: { readonly code: string; readonly name: string };
  /** ISO date or instant; printed as the date in China. */
  readonly issuedAt: string;
  readonly maskCitizenIds: boolean;
  /** The person who asked for the extract: their own id is printed whole even when masking. */
  readonly requesterPersonId?: string;
  /** `${baseUrl}/verify/${token}`, the token signed over householdExtractContent(input). */
  readonly verifyUrl: string;
  readonly font?: CjkFont;
}

type ContentInput = Omit<HouseholdExtractInput, 'verifyUrl' | 'font'>;

interface ExtractRow {
  readonly person: Person;
  readonly relationship: string;
  readonly citizenId: string;
  /** Whether the id is printed masked: the birth date is then printed as year and month (ADR 0021). */
  readonly isMasked: boolean;
}

/**
 * Memberships are half-open: in force from validFrom up to, not including, validTo (the day the person
 * left). The head comes first, the others in the order given.
 */
function extractRows(input: ContentInput): ExtractRow[] {
  const inForce = input.members.filter(
    ({ membership: m }) =>
      m.householdId === input.household.id &&
      m.validFrom <= input.asOf &&
      (m.validTo === null || m.validTo > input.asOf),
  );
  const headFirst = [
    ...inForce.filter((m) => m.person.id === input.household.headPersonId),
    ...inForce.filter((m) => m.person.id !== input.household.headPersonId),
  ];
  return headFirst.map(({ person, membership }) => {
    const isMasked = input.maskCitizenIds && person.id !== input.requesterPersonId;
    return {
      person,
      relationship: membership.relationship,
      citizenId: isMasked ? maskCitizenId(person.citizenId) : person.citizenId,
      isMasked,
    };
  });
}

function headName(input: ContentInput): string | null {
  const head = input.members.find((m) => m.person.id === input.household.headPersonId);
  return head?.person.name ?? null;
}

/** The facts the extract states (ids as printed), hashed into its token's subjectHash. */
export function householdExtractContent(input: ContentInput): ContentValue {
  const { household } = input;
  return {
    v: CONTENT_VERSION,
    kind: 'household-extract',
    documentId: input.documentId,
    asOf: input.asOf,
    household: {
      number: household.householdNumber,
      type: household.type,
      address: { text: household.address.text, countyCode: household.address.countyCode },
      head: headName(input),
    },
    members: extractRows(input).map((r) => ({
      name: r.person.name,
      relationship: r.relationship,
      sex: r.person.sex,
      ethnicity: r.person.ethnicity,
      birthDate: r.person.birthDate,
      citizenId: r.citizenId,
    })),
    issuer: { code: input.issuer.code, name: input.issuer.name },
    issuedAt: input.issuedAt,
  };
}

const HOUSEHOLD_TYPE_LABELS: Readonly<Record<Household['type'], string>> = {
  family: '家庭户',
  collective: '集体户',
};

/** Renders the extract on as many A4 pages as the members need, the table header repeated on each. */
export async function renderHouseholdExtract(input: HouseholdExtractInput): Promise<Buffer> {
  const { household, issuer } = input;
  const pdf = await createOfficialPdf({
    title: HOUSEHOLD_EXTRACT_TITLE,
    author: issuer.name,
    issuedAt: input.issuedAt,
    ...(input.font ? { font: input.font } : {}),
  });
  const { doc } = pdf;

  const rows = extractRows(input);
  const address = addressLine(household.address);
  const head = headName(input) ?? '（无）';
  pdf.checkGlyphs([...rows.map((r) => r.person.name), head, address, issuer.name, input.documentId]);

  doc.fontSize(22).text(HOUSEHOLD_EXTRACT_TITLE, PAGE.margin, PAGE.margin + 10, {
    width: CONTENT_WIDTH,
    align: 'center',
    characterSpacing: 6,
  });
  doc.fontSize(11).text(`（截至${chineseDate(input.asOf)}）`, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(1);

  const half = CONTENT_WIDTH / 2;
  const line = (left: string, right?: string) => {
    const y = doc.y;
    doc.fontSize(11).text(left, PAGE.margin, y, { width: right === undefined ? CONTENT_WIDTH : half - 10 });
    const leftBottom = doc.y;
    if (right !== undefined) doc.text(right, PAGE.margin + half, y, { width: half });
    doc.y = Math.max(leftBottom, doc.y);
    doc.moveDown(0.3);
  };
  line(`户号：${household.householdNumber}`, `户别：${HOUSEHOLD_TYPE_LABELS[household.type]}`);
  line(`户主姓名：${head}`, `在户人数：${rows.length}`);
  line(`住址：${address}`);
  doc.moveDown(0.5);

  drawTable(
    doc,
    [
      { header: '序号', width: 30, align: 'center' },
      { header: '姓名', width: 95 },
      { header: '与户主关系', width: 70, align: 'center' },
      { header: '性别', width: 35, align: 'center' },
      { header: '民族', width: 55, align: 'center' },
      { header: '出生日期', width: 85, align: 'center' },
      { header: '公民身份号码', width: CONTENT_WIDTH - 370, align: 'center' },
    ],
    rows.map((r, i) => [
      String(i + 1),
      r.person.name,
      codeLabel('relationship', r.relationship, 'zh-CN'),
      codeLabel('sex', r.person.sex, 'zh-CN'),
      optionalCodeLabel('ethnicity', r.person.ethnicity, 'zh-CN'),
      // Beside a masked id the day would give the hidden digits back (src/standards/masking.ts).
      r.isMasked ? chineseYearMonth(r.person.birthDate) : chineseDate(r.person.birthDate),
      r.citizenId,
    ]),
    10,
  );
  doc.moveDown(0.8);

  const notes = [
    `本摘录记载截至${chineseDate(input.asOf)}在本户登记的人员。`,
    ...(input.maskCitizenIds ? ['依个人信息保护要求，公民身份号码部分隐去。'] : []),
  ];
  // The notes, the issuer and the QR code stay together, on a new page if they do not fit.
  if (doc.y + 60 + VERIFICATION_HEIGHT + 20 > CONTENT_BOTTOM) doc.addPage();
  doc.fontSize(9).text(notes.join(''), PAGE.margin, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(1);
  const signatureX = PAGE.margin + half;
  doc.fontSize(12).text(issuer.name, signatureX, doc.y, { width: half, align: 'right' });
  doc.moveDown(0.3);
  doc.text(chineseDate(input.issuedAt), signatureX, doc.y, { width: half, align: 'right' });

  await drawVerification(doc, input.verifyUrl, PAGE.margin, CONTENT_BOTTOM - VERIFICATION_HEIGHT);
  return pdf.finish(input.documentId);
}

/** 1984-04-26 → 1984年4月 (a birth date printed beside a masked id). */
function chineseYearMonth(isoDate: string): string {
  const [year, month] = maskBirthDate(isoDate).split('-');
  return `${year}年${Number(month)}月`;
}
