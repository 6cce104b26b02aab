import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { maskCitizenId } from '../standards/masking.js';
import { contentHash } from './document-content.js';
import { verifyDocumentToken } from './document-token.js';
import {
  householdExtractContent,
  renderHouseholdExtract,
  type HouseholdExtractInput,
} from './household-extract.js';
import { QR_OPTIONS } from './official-pdf.js';
import { inspectPdf, qrModulesOf } from './testing/inspect-pdf.js';
import { sampleCollective, sampleFamily } from './testing/sample-register.js';
import { sampleVerifyUrl } from './testing/sample-token.js';

const ISSUER = { code: '330802000000', name: '衢州市公安局柯城分局府山派出所' };

type Overrides = Partial<Omit<HouseholdExtractInput, 'verifyUrl'>> &
  Pick<HouseholdExtractInput, 'household' | 'members'>;

async function issue(overrides: Overrides) {
  const input = {
    documentId: 'HJ-330802-20250301-000124',
    asOf: '2025-03-01',
    issuer: ISSUER,
    issuedAt: '2025-03-01T09:30:00+08:00',
    maskCitizenIds: true,
    ...overrides,
  };
  const content = householdExtractContent(input);
  const signed = await sampleVerifyUrl({
    documentId: input.documentId,
    kind: 'household-extract',
    issuedAt: input.issuedAt,
    issuer: ISSUER.code,
    content,
  });
  const pdf = await renderHouseholdExtract({ ...input, verifyUrl: signed.verifyUrl });
  return { input, content, pdf, ...signed, inspection: await inspectPdf(pdf) };
}

describe('户口簿摘录 (household register extract)', () => {
  it('lists a small family on one page, head first, ids masked except the requester', async () => {
    const family = sampleFamily();
    const { inspection, input } = await issue({ ...family, requesterPersonId: family.head.id });
    const { text, pages } = inspection;
    expect(pages).toBe(1);
    for (const expected of [
      '户口簿摘录',
      '截至2025年3月1日',
      '户号：330802000000001',
      '户别：家庭户',
      '户主姓名：吉𠮷',
      '在户人数：4',
      '浙江省衢州市柯城区府山街道坊门街 18 号 2 单元 301 室',
      '与户主关系',
      '公民身份号码',
      '龚䶮',
      '吉明远',
      '回族',
      // The spouse's id is masked: her birth date is printed as year and month (ADR 0021).
      '1970年11月',
      '部分隐去',
      '衢州市公安局柯城分局府山派出所',
      '编号：HJ-330802-20250301-000124',
      '扫码或访问',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).toMatch(/1\s+吉𠮷\s+户主\s+男\s+汉族\s+1968年5月12日\s+330802196805120174/);
    expect(text).not.toContain('1970年11月3日');
    expect(text).toMatch(/2\s+龚䶮\s+妻\s+女\s+汉族\s+1970年11月\s+330/);
    expect(text).toMatch(/3\s+吉明远\s+长子/);
    expect(text).toMatch(/4\s+吉思涵\s+长女\s+女\s+回族/);
    for (const { person } of input.members) {
      if (person.id === family.head.id) continue;
      expect(text).toContain(maskCitizenId(person.citizenId));
      expect(text).not.toContain(person.citizenId);
    }
  });

  it('prints every id whole when masking is off', async () => {
    const family = sampleFamily();
    const { inspection } = await issue({ ...family, maskCitizenIds: false });
    for (const { person } of family.members) expect(inspection.text).toContain(person.citizenId);
    expect(inspection.text).not.toContain('部分隐去');
  });

  it('shows the household as of the date: leavers and later arrivals are left out', async () => {
    const family = sampleFamily();
    const [spouse, head, son, daughter] = family.members;
    if (!spouse || !head || !son || !daughter) throw new Error('fixture changed');
    const members = [
      head,
      spouse,
      { ...son, membership: { ...son.membership, validTo: '2020-09-01' } },
      { ...daughter, membership: { ...daughter.membership, validFrom: '2025-03-02' } },
    ];
    const { inspection, content } = await issue({ household: family.household, members });
    expect(inspection.text).toContain('在户人数：2');
    expect(inspection.text).not.toContain('吉明远');
    expect(inspection.text).not.toContain('吉思涵');
    expect(JSON.stringify(content)).not.toContain('吉明远');
  });

  it('runs a 40-person collective household over several pages with the header on each', async () => {
    const collective = sampleCollective(40);
    const { inspection } = await issue(collective);
    const { text, pages } = inspection;
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('户别：集体户');
    expect(text).toContain('户主姓名：（无）');
    expect(text).toContain('在户人数：40');
    expect(text.match(/公民身份号码/g)?.length).toBeGreaterThanOrEqual(pages);
    expect(text).toMatch(new RegExp(`第\\s*${pages}\\s*页\\s*共\\s*${pages}\\s*页`));
    const last = collective.members.at(-1)?.person;
    expect(text).toMatch(new RegExp(`40\\s+${last?.name ?? '?'}\\s+非亲属`));
    // Masked ids show the address code only: no full id, every row masked.
    for (const { person } of collective.members) expect(text).not.toContain(person.citizenId);
    expect(text.split(/\d{6}\*{12}/).length - 1).toBe(40);
  });

  it('carries a QR code of the verify URL whose token is genuine over this content', async () => {
    const family = sampleFamily();
    const { inspection, verifyUrl, token, verifier, content } = await issue(family);
    expect(inspection.text.replace(/\s+/g, '')).toContain(verifyUrl);
    const result = await verifyDocumentToken(verifier, token);
    expect(result.status === 'genuine' && result.claims).toMatchObject({
      kind: 'household-extract',
      subjectHash: contentHash(content),
    });
    // No QR decoder is installed: compare the embedded image's module grid with qrcode's matrix.
    const expected = QRCode.create(verifyUrl, {
      errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel,
    }).modules;
    const side = (expected.size + 2 * QR_OPTIONS.margin) * QR_OPTIONS.scale;
    const image = inspection.images.find((i) => i.width === side && i.pixels.some((p) => p < 128));
    if (!image) throw new Error('no QR image in the PDF');
    expect(qrModulesOf(image, QR_OPTIONS.scale, QR_OPTIONS.margin).dark).toEqual(
      Array.from(expected.data, (v) => v === 1),
    );
  });
});
