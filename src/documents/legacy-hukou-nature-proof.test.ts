import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { contentHash } from './document-content.js';
import { verifyDocumentToken } from './document-token.js';
import {
  legacyHukouNatureProofContent,
  renderLegacyHukouNatureProof,
  type LegacyHukouNatureProofInput,
} from './legacy-hukou-nature-proof.js';
import { MissingGlyphError, QR_OPTIONS } from './official-pdf.js';
import { inspectPdf, qrModulesOf, type PdfInspection } from './testing/inspect-pdf.js';
import { sampleFamily, sampleHousehold, samplePerson } from './testing/sample-register.js';
import { sampleVerifyUrl } from './testing/sample-token.js';

const ISSUER = { code: '330802000000', name: '衢州市公安局柯城分局府山派出所' };

async function issue(overrides: Partial<Omit<LegacyHukouNatureProofInput, 'verifyUrl'>> = {}) {
  const family = sampleFamily();
  const input = {
    documentId: 'HJ-330802-20250301-000123',
    person: family.head,
    household: family.household,
    issuer: ISSUER,
    issuedAt: '2025-03-01T09:30:00+08:00',
    reformArticle: { id: 'qz-final/7', quote: '取消户口性质区分统一登记为居民户口。' },
    ...overrides,
  };
  const content = legacyHukouNatureProofContent(input);
  const signed = await sampleVerifyUrl({
    documentId: input.documentId,
    kind: 'legacy-hukou-nature-proof',
    issuedAt: input.issuedAt,
    issuer: ISSUER.code,
    content,
  });
  const pdf = await renderLegacyHukouNatureProof({ ...input, verifyUrl: signed.verifyUrl });
  return { input, content, pdf, ...signed, inspection: await inspectPdf(pdf) };
}

/** The embedded QR image, read module by module, and the matrix qrcode makes for the URL. */
function qrGrids(inspection: PdfInspection, url: string) {
  const expected = QRCode.create(url, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel }).modules;
  const side = (expected.size + 2 * QR_OPTIONS.margin) * QR_OPTIONS.scale;
  const candidates = inspection.images.filter((i) => i.width === side && i.height === side);
  // pdfkit stores the PNG's alpha as a separate, all-white soft mask of the same size.
  const image = candidates.find((i) => i.pixels.some((p) => p < 128));
  if (!image) throw new Error(`no ${side}×${side} QR image among ${inspection.images.length} images`);
  const read = qrModulesOf(image, QR_OPTIONS.scale, QR_OPTIONS.margin);
  return { read, expected: { size: expected.size, dark: Array.from(expected.data, (v) => v === 1) } };
}

describe('户口性质证明 (legacy hukou nature proof)', () => {
  it('states who, what nature when, the reform article and the issuer on one A4 page', async () => {
    const { inspection, input } = await issue();
    const { text, pages } = inspection;
    expect(pages).toBe(1);
    for (const expected of [
      '户口性质证明',
      '吉𠮷',
      '男',
      '1968年5月12日',
      input.person.citizenId,
      '浙江省衢州市柯城区府山街道坊门街 18 号 2 单元 301 室',
      '户口性质（GA 324.1）',
      '农业家庭户口',
      '非农业家庭户口',
      '1990年8月1日',
      '2017年6月30日',
      'qz-final/7',
      '取消户口性质区分统一登记为居民户口',
      '居民户口',
      '特此证明',
      '衢州市公安局柯城分局府山派出所',
      '2025年3月1日',
      '编号：HJ-330802-20250301-000123',
      '扫码或访问',
      '核验真伪',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).toMatch(/1\s+农业家庭户口\s+1968年5月12日\s+1990年8月1日/);
    expect(text).toMatch(/2\s+非农业家庭户口\s+1990年8月1日\s+2017年6月30日/);
  });

  it('prints the verify URL, whose token verifies as genuine over this content', async () => {
    const { inspection, verifyUrl, token, verifier, content, input } = await issue();
    expect(inspection.text.replace(/\s+/g, '')).toContain(verifyUrl);
    expect(verifyUrl).toBe(`https://huji.quzhou.gov.cn/verify/${token}`);
    const result = await verifyDocumentToken(verifier, token);
    expect(result).toMatchObject({
      status: 'genuine',
      claims: { documentId: input.documentId, kind: 'legacy-hukou-nature-proof', issuer: ISSUER.code },
    });
    expect(result.status === 'genuine' && result.claims.subjectHash).toBe(contentHash(content));
    // An altered statement no longer matches the signed hash.
    const altered = legacyHukouNatureProofContent({
      ...input,
      person: { ...input.person, legacyHukouNature: [{ type: '1', from: '1968-05-12', to: '2017-06-30' }] },
    });
    expect(result.status === 'genuine' && result.claims.subjectHash).not.toBe(contentHash(altered));
  });

  it('embeds a QR image whose module grid is the one qrcode makes for the verify URL', async () => {
    // No QR decoder is installed: this compares grids, it does not decode the image.
    const { inspection, verifyUrl } = await issue();
    const { read, expected } = qrGrids(inspection, verifyUrl);
    expect(read.size).toBe(expected.size);
    expect(read.dark).toEqual(expected.dark);
    const other = qrGrids(
      inspection,
      verifyUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect(other.expected.dark).not.toEqual(read.dark);
  });

  it('renders Extension A names, former names, and cites the article it is given', async () => {
    const person = {
      ...samplePerson({
        name: '龚䶮',
        sex: '2',
        birthDate: '1970-11-03',
        sequence: 26,
        legacyHukouNature: [{ type: '3', from: null, to: '2015-01-01' }],
      }),
      formerNames: ['龚燕'],
    };
    const { inspection } = await issue({
      person,
      household: sampleHousehold('collective', null),
      // The renderer prints what it is given; this quote is a placeholder, not the draft's wording.
      reformArticle: { id: 'qz-draft/2.2.1', quote: '（测试条文）' },
    });
    for (const expected of [
      '龚䶮',
      '女',
      '非农业集体户口',
      '未记载',
      '2015年1月1日',
      'qz-draft/2.2.1',
      '居民户口',
    ]) {
      expect(inspection.text, expected).toContain(expected);
    }
    expect(inspection.pages).toBe(1);
  });

  it('says so when the register holds no pre-reform nature', async () => {
    const person = samplePerson({ name: '吉明远', sex: '1', birthDate: '1995-02-28', sequence: 35 });
    const { inspection } = await issue({ person });
    expect(inspection.text).toContain('登记信息中无改革前户口性质记录');
  });

  it('refuses a name the font cannot draw instead of printing an empty box', async () => {
    // U+30000 (Extension G) is not in Noto Sans CJK.
    const person = samplePerson({ name: '吉\u{30000}', sex: '1', birthDate: '1968-05-12', sequence: 17 });
    const failure = issue({ person });
    await expect(failure).rejects.toBeInstanceOf(MissingGlyphError);
    await expect(failure).rejects.toMatchObject({ characters: ['\u{30000}'] });
  });
});
