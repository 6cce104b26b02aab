import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import {
  ApprovalNoticeContentInput,
  approvalNoticeContent,
  approvalNoticeTitle,
  renderApprovalNotice,
  type ApprovalNoticeInput,
} from './approval-notice.js';
import { contentHash } from './document-content.js';
import { MissingGlyphError } from './official-pdf.js';
import { ISSUED_AT, ISSUER, signAndRender } from './testing/sample-certificate.js';

const QZ_FINAL_1 = {
  id: 'qz-final/1',
  quote:
    '凡在我市县（市、区）人民政府驻地镇（街道）和其他建制镇（街道）有合法稳定住所（含租赁）的人员，本人及其共同居住生活的配偶、未成年子女（包括无生活来源的未婚子女，下同）、父母，均可在当地申请登记常住户口。',
};
const QZ_FINAL_5 = {
  id: 'qz-final/5',
  quote: '而与上述人员共同居住生活的配偶、未成年子女、父母，也可在当地申请登记常住户口。',
};

function sampleInput(overrides: Partial<Omit<ApprovalNoticeInput, 'verifyUrl'>> = {}) {
  const facts = ApprovalNoticeContentInput.parse({
    referenceNumber: 'SQ-330802-20250220-0007',
    applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
    applicant: { name: '吉𠮷', citizenId: composeCitizenId('330822', '1988-06-01', 17) },
    coApplicants: [
      { name: '龚䶮', citizenId: composeCitizenId('330822', '1990-01-15', 26), relationship: '10' },
      { name: '吉思涵', citizenId: composeCitizenId('330802', '2016-09-09', 48), relationship: '30' },
    ],
    decision: '准予吉𠮷及其随同人员在衢州市柯城区登记常住户口',
    pathway: { id: 'legal-residence', label: '有合法稳定住所（含租赁）落户' },
    policy: '衢州市进一步推进户籍制度改革实施意见（2017 年施行版）',
    articles: [QZ_FINAL_1, QZ_FINAL_5],
    destination: {
      address: { text: '府山街道坊门街 18 号 2 单元 301 室', countyCode: '330802' },
      householdNumber: null,
    },
    nextSteps: [
      '凭本通知书、居民身份证到迁入地派出所办理落户手续',
      '跨省迁入的，由迁入地派出所签发准予迁入证明',
    ],
  });
  const { issuerName: _issuerName, ...rest } = facts;
  return {
    ...rest,
    documentId: '4f0c6c1e-8d1f-4e64-9a55-2b8cbe0a1c11',
    issuer: ISSUER,
    issuedAt: ISSUED_AT,
    ...overrides,
  } satisfies Omit<ApprovalNoticeInput, 'verifyUrl'>;
}

async function issue(overrides: Partial<Omit<ApprovalNoticeInput, 'verifyUrl'>> = {}) {
  const input = sampleInput(overrides);
  const content = approvalNoticeContent(input);
  const signed = await signAndRender({
    kind: 'approval-notice',
    documentId: input.documentId,
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    content,
    suite: 'gm',
    ...(input.validUntil === undefined ? {} : { validUntil: input.validUntil }),
    render: (verifyUrl) => renderApprovalNotice({ ...input, verifyUrl }),
  });
  return { input, content, ...signed };
}

describe('准予落户通知书 / 审批通知书 (approval notice)', () => {
  it('names the application, applicant, decision, pathway, every article quoted and what to do next', async () => {
    const { inspection, input, flatText } = await issue();
    expect(inspection.pages).toBe(1);
    for (const expected of [
      '准予落户通知书',
      '受理编号：SQ-330802-20250220-0007',
      '吉𠮷',
      input.applicant.citizenId,
      '有合法稳定住所落户',
      '准予吉𠮷及其随同人员在衢州市柯城区登记常住户口',
      '有合法稳定住所（含租赁）落户',
      '衢州市进一步推进户籍制度改革实施意见（2017 年施行版）',
      '随同落户人员',
      '龚䶮',
      '配偶',
      '吉思涵',
      '浙江省衢州市柯城区府山街道坊门街 18 号 2 单元 301 室',
      '新立户',
      '请按以下事项办理',
      '特此通知',
      '衢州市公安局柯城分局',
      '2025年3月1日',
      '编号：4f0c6c1e-8d1f-4e64-9a55-2b8cbe0a1c11',
      '核验真伪',
    ]) {
      expect(inspection.text, expected).toContain(expected);
    }
    // No internal id on the paper: the pathway and the policy by their titles only.
    expect(inspection.text).not.toMatch(/legal-residence|quzhou-2017/);
    // Quotes wrap over lines: compare without white space.
    for (const article of [QZ_FINAL_1, QZ_FINAL_5]) {
      expect(flatText).toContain(`${article.id}“${article.quote}”`.replace(/\s+/g, ''));
    }
    expect(flatText).toContain('凭本通知书、居民身份证到迁入地派出所办理落户手续');
    expect(flatText).toContain('决定：准予吉𠮷及其随同人员在衢州市柯城区登记常住户口。');
  });

  it('prints the verify URL whose token (SM2) is genuine over this content', async () => {
    const { flatText, verifyUrl, verification, content, input } = await issue();
    expect(flatText).toContain(verifyUrl);
    expect(verification).toMatchObject({
      status: 'genuine',
      suite: 'gm',
      claims: { documentId: input.documentId, kind: 'approval-notice', issuer: '330802' },
    });
    expect(verification.status === 'genuine' && verification.claims.subjectHash).toBe(contentHash(content));
    const altered = approvalNoticeContent({ ...input, decision: '准予在衢州市区登记常住户口' });
    expect(contentHash(altered)).not.toBe(contentHash(content));
  });

  it('is an 审批通知书 for other applications, without destination or co-applicants, with a term', async () => {
    const { inspection, verification } = await issue({
      applicationType: { id: 'household-split', label: '分户' },
      coApplicants: [],
      decision: '准予分户。',
      articles: [{ id: '户口登记条例', quote: '（测试条文）' }],
      destination: undefined,
      pathway: undefined,
      policy: undefined,
      validUntil: '2025-03-31',
    });
    expect(inspection.text).toContain('审批通知书');
    expect(inspection.text).not.toContain('准予落户通知书');
    expect(inspection.text).not.toContain('随同落户人员');
    expect(inspection.text).not.toContain('落户途径');
    expect(inspection.text).toContain('决定：准予分户。');
    expect(inspection.text).toContain('有效期至：');
    expect(inspection.text).toContain('2025年3月31日');
    expect(verification.status === 'genuine' && verification.claims.validUntil).toBe('2025-03-31');
  });

  it('titles settlement kinds 准予落户通知书 and the rest 审批通知书', () => {
    expect(approvalNoticeTitle('settlement/talent')).toBe('准予落户通知书');
    expect(approvalNoticeTitle('relatives-joining')).toBe('准予落户通知书');
    expect(approvalNoticeTitle('residence-permit')).toBe('审批通知书');
  });

  it('accepts only approvals citing at least one article, with a next step', () => {
    const base = { ...sampleInput(), issuer: undefined };
    expect(ApprovalNoticeContentInput.safeParse({ ...base, decision: '不予落户' }).success).toBe(false);
    expect(ApprovalNoticeContentInput.safeParse({ ...base, articles: [] }).success).toBe(false);
    expect(ApprovalNoticeContentInput.safeParse({ ...base, nextSteps: [] }).success).toBe(false);
    expect(
      ApprovalNoticeContentInput.safeParse({ ...base, applicant: { name: '吉𠮷', citizenId: '12345' } })
        .success,
    ).toBe(false);
  });

  it('refuses a name the font cannot draw', async () => {
    await expect(
      issue({ applicant: { name: '吉\u{30000}', citizenId: composeCitizenId('330822', '1988-06-01', 17) } }),
    ).rejects.toBeInstanceOf(MissingGlyphError);
  });
});
