import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import {
  AcceptanceReceiptContentInput,
  acceptanceReceiptContent,
  acceptanceSentence,
  renderAcceptanceReceipt,
  type AcceptanceReceiptInput,
} from './acceptance-receipt.js';
import { contentHash } from './document-content.js';
import { ISSUED_AT, ISSUER, signAndRender } from './testing/sample-certificate.js';

function sampleInput(overrides: Partial<Omit<AcceptanceReceiptInput, 'verifyUrl'>> = {}) {
  const { issuerName: _issuerName, ...facts } = AcceptanceReceiptContentInput.parse({
    referenceNumber: 'SQ20250301000007',
    applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
    applicant: { name: '吉𠮷', citizenId: composeCitizenId('330822', '1988-06-01', 17) },
    acceptedOn: '2025-03-03',
    timeLimit: { workingDays: 20, deadline: '2025-03-28' },
    materials: [
      { label: '居民身份证、居民户口簿', files: 2 },
      { label: '房屋所有权证（不动产权证书）或房屋租赁合同', files: 1 },
    ],
  });
  return {
    ...facts,
    documentId: '5b1d7d2f-9e2a-4f75-8b66-3c9dcf1b2d22',
    issuer: ISSUER,
    issuedAt: ISSUED_AT,
    ...overrides,
  } satisfies Omit<AcceptanceReceiptInput, 'verifyUrl'>;
}

async function issue(overrides: Partial<Omit<AcceptanceReceiptInput, 'verifyUrl'>> = {}) {
  const input = sampleInput(overrides);
  const content = acceptanceReceiptContent(input);
  const signed = await signAndRender({
    kind: 'acceptance-receipt',
    documentId: input.documentId,
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    content,
    suite: 'international',
    render: (verifyUrl) => renderAcceptanceReceipt({ ...input, verifyUrl }),
  });
  return { input, content, ...signed };
}

describe('受理回执 (acceptance receipt)', () => {
  it('names the reference, applicant, type, day accepted, time limit and deadline, materials and office', async () => {
    const { inspection, input, flatText } = await issue();
    expect(inspection.pages).toBe(1);
    for (const expected of [
      '受理回执',
      '受理编号：SQ20250301000007',
      '吉𠮷',
      input.applicant.citizenId,
      '有合法稳定住所落户',
      '2025年3月3日',
      '20个工作日',
      '2025年3月28日',
      '居民身份证、居民户口簿（2份）',
      '衢州市公安局柯城分局',
      '核验真伪',
    ])
      expect(inspection.text, expected).toContain(expected);
    expect(flatText).toContain('房屋所有权证（不动产权证书）或房屋租赁合同（1份）');
  });

  it('prints a verify URL whose token is genuine over this content; other content hashes differently', async () => {
    const { flatText, verifyUrl, verification, content, input } = await issue();
    expect(flatText).toContain(verifyUrl);
    expect(verification).toMatchObject({
      status: 'genuine',
      claims: { documentId: input.documentId, kind: 'acceptance-receipt', issuer: '330802' },
    });
    expect(verification.status === 'genuine' && verification.claims.subjectHash).toBe(contentHash(content));
    const later = acceptanceReceiptContent({
      ...input,
      timeLimit: { workingDays: 20, deadline: '2025-04-01' },
    });
    expect(contentHash(later)).not.toBe(contentHash(content));
  });

  it('says the promise in one sentence', () => {
    expect(
      acceptanceSentence({
        acceptedOn: '2025-03-03',
        timeLimit: { workingDays: 20, deadline: '2025-03-28' },
      }),
    ).toBe('你的申请已于2025年3月3日受理，办理时限为20个工作日，本机关将于2025年3月28日前作出决定。');
  });

  it('refuses a time limit that is not a whole number of days, or a date that is not one', () => {
    const base = { ...sampleInput(), issuer: undefined };
    expect(
      AcceptanceReceiptContentInput.safeParse({
        ...base,
        timeLimit: { workingDays: 0, deadline: '2025-03-28' },
      }).success,
    ).toBe(false);
    expect(AcceptanceReceiptContentInput.safeParse({ ...base, acceptedOn: '2025-02-30' }).success).toBe(
      false,
    );
  });
});
