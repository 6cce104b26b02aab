import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { contentHash } from './document-content.js';
import {
  APPEAL_RIGHTS,
  RefusalNoticeContentInput,
  refusalDecision,
  refusalNoticeContent,
  renderRefusalNotice,
  type RefusalNoticeInput,
} from './refusal-notice.js';
import { ISSUED_AT, ISSUER, signAndRender } from './testing/sample-certificate.js';

const QZ_FINAL_1 = {
  id: 'qz-final/1',
  quote:
    '凡在我市县（市、区）人民政府驻地镇（街道）和其他建制镇（街道）有合法稳定住所（含租赁）的人员，本人及其共同居住生活的配偶、未成年子女（包括无生活来源的未婚子女，下同）、父母，均可在当地申请登记常住户口。',
};

function sampleInput(overrides: Partial<Omit<RefusalNoticeInput, 'verifyUrl'>> = {}) {
  const { issuerName: _issuerName, ...facts } = RefusalNoticeContentInput.parse({
    referenceNumber: 'SQ20250301000007',
    applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
    applicant: { name: '吉𠮷', citizenId: composeCitizenId('330822', '1988-06-01', 17) },
    stage: 'approval',
    article: QZ_FINAL_1,
    reason: '所申报住所位于农村地区，不在建制镇',
  });
  return {
    ...facts,
    documentId: '6c2e8e3a-af3b-4086-9c77-4daedf2c3e33',
    issuer: ISSUER,
    issuedAt: ISSUED_AT,
    ...overrides,
  } satisfies Omit<RefusalNoticeInput, 'verifyUrl'>;
}

async function issue(overrides: Partial<Omit<RefusalNoticeInput, 'verifyUrl'>> = {}) {
  const input = sampleInput(overrides);
  const content = refusalNoticeContent(input);
  const signed = await signAndRender({
    kind: 'refusal-notice',
    documentId: input.documentId,
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    content,
    suite: 'gm',
    render: (verifyUrl) => renderRefusalNotice({ ...input, verifyUrl }),
  });
  return { input, content, ...signed };
}

describe('不予受理 / 不予批准决定书 (refusal notice)', () => {
  it('states the decision, the article with its sentence, the reason and both rights of appeal', async () => {
    const { inspection, flatText, input } = await issue();
    expect(inspection.pages).toBe(1);
    for (const expected of [
      '不予批准决定书',
      '受理编号：SQ20250301000007',
      '吉𠮷',
      input.applicant.citizenId,
      '所申报住所位于农村地区，不在建制镇',
      '衢州市公安局柯城分局',
      '核验真伪',
    ])
      expect(inspection.text, expected).toContain(expected);
    expect(flatText).toContain(`${QZ_FINAL_1.id}“${QZ_FINAL_1.quote}”`.replace(/\s+/g, ''));
    expect(flatText).toContain('决定对你的有合法稳定住所落户申请不予批准。');
    for (const right of [
      '六十日内',
      '《中华人民共和国行政复议法》',
      '行政复议',
      '六个月内',
      '《中华人民共和国行政诉讼法》',
      '行政诉讼',
    ])
      expect(flatText, right).toContain(right);
  });

  it('is a 不予受理决定书 when refused at the window', async () => {
    const { inspection, flatText } = await issue({ stage: 'acceptance' });
    expect(inspection.text).toContain('不予受理决定书');
    expect(inspection.text).not.toContain('不予批准决定书');
    expect(flatText).toContain('不予受理。');
  });

  it('signs the decision, the article and the appeal rights into its token', async () => {
    const { verification, content, input } = await issue();
    expect(verification).toMatchObject({
      status: 'genuine',
      claims: { kind: 'refusal-notice', issuer: '330802' },
    });
    expect(verification.status === 'genuine' && verification.claims.subjectHash).toBe(contentHash(content));
    expect(content).toMatchObject({ decision: refusalDecision(input), appeal: [...APPEAL_RIGHTS] });
    const otherArticle = refusalNoticeContent({ ...input, article: { id: 'qz-final/2', quote: '（测试）' } });
    expect(contentHash(otherArticle)).not.toBe(contentHash(content));
  });

  it('refuses a notice without an article or a reason', () => {
    const base = { ...sampleInput(), issuer: undefined };
    expect(RefusalNoticeContentInput.safeParse({ ...base, reason: '' }).success).toBe(false);
    expect(
      RefusalNoticeContentInput.safeParse({ ...base, article: { id: 'qz-final/1', quote: '' } }).success,
    ).toBe(false);
    expect(RefusalNoticeContentInput.safeParse({ ...base, stage: 'review' }).success).toBe(false);
  });
});
