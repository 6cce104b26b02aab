import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { addDays, addYears } from './certificate-layout.js';
import { contentHash } from './document-content.js';
import {
  DEFAULT_RESIDENCE_PERMIT_TERM_YEARS,
  ResidencePermitContentInput,
  renderResidencePermit,
  residencePermitContent,
  type ResidencePermitInput,
} from './residence-permit.js';
import { ISSUED_AT, signAndRender } from './testing/sample-certificate.js';

const LZ_2_11 = {
  id: 'lz/2.11',
  quote:
    '按照《甘肃省实施〈居住证暂行条例〉办法》, 对离开常住户口所在地,到其他城市居住半年以上,具备有合法稳定就业、合法稳定住所、连续就读三者条件之一的,一律办理居住证,使其享受教育、就业、医疗、养老、住房保障等方面的权益和公共服务。',
};
const ISSUER = { code: '620102', name: '兰州市公安局城关分局' };

function sampleInput(overrides: Partial<Omit<ResidencePermitInput, 'verifyUrl'>> = {}) {
  const parsed = ResidencePermitContentInput.parse({
    holder: {
      name: '吉𠮷',
      sex: '1',
      ethnicity: '03',
      birthDate: '1988-06-01',
      citizenId: composeCitizenId('330822', '1988-06-01', 17),
    },
    residenceAddress: { text: '酒泉路街道张掖路 12 号 3 单元 502 室', countyCode: '620102' },
    basis: LZ_2_11,
  });
  const { issuerName: _i, validFrom: _f, validUntil: _u, ...facts } = parsed;
  return {
    ...facts,
    documentId: '0b9f5d8e-2a41-4c6e-9d3b-7e8f1a2b3c4d',
    issuer: ISSUER,
    issuedAt: ISSUED_AT,
    validFrom: '2025-03-01',
    validUntil: '2026-02-28',
    ...overrides,
  } satisfies Omit<ResidencePermitInput, 'verifyUrl'>;
}

async function issue(overrides: Partial<Omit<ResidencePermitInput, 'verifyUrl'>> = {}) {
  const input = sampleInput(overrides);
  const content = residencePermitContent(input);
  const signed = await signAndRender({
    kind: 'residence-permit',
    documentId: input.documentId,
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    validUntil: input.validUntil,
    content,
    suite: 'gm',
    render: (verifyUrl) => renderResidencePermit({ ...input, verifyUrl }),
  });
  return { input, content, ...signed };
}

describe('居住证 (residence permit, first issue)', () => {
  it('states the holder, address, issuer, date of issue and term on one page', async () => {
    const { inspection, input, flatText } = await issue();
    expect(inspection.pages).toBe(1);
    for (const expected of [
      '居住证',
      '首次签发',
      '证件编号：0b9f5d8e-2a41-4c6e-9d3b-7e8f1a2b3c4d',
      '吉𠮷',
      '男',
      '回族',
      '1988年6月1日',
      input.holder.citizenId,
      '甘肃省兰州市城关区酒泉路街道张掖路 12 号 3 单元 502 室',
      '兰州市公安局城关分局',
      '2025年3月1日至2026年2月28日',
      '核验真伪',
    ]) {
      expect(inspection.text, expected).toContain(expected);
    }
    expect(inspection.text).toMatch(/签发日期：\s+2025年3月1日/);
    expect(flatText).toContain(`签发依据：lz/2.11“${LZ_2_11.quote.replace(/\s+/g, '')}”`);
    expect(flatText).toContain('每满一年之日前一个月内办理签注');
  });

  it('prints the verify URL whose SM2 token is genuine over this content and carries the term', async () => {
    const { flatText, verifyUrl, verification, content } = await issue();
    expect(flatText).toContain(verifyUrl);
    expect(verification).toMatchObject({
      status: 'genuine',
      suite: 'gm',
      claims: { kind: 'residence-permit', validUntil: '2026-02-28', issuer: '620102' },
    });
    expect(verification.status === 'genuine' && verification.claims.subjectHash).toBe(contentHash(content));
  });

  it('runs the default term to the day before the first anniversary (a default, one year)', () => {
    expect(DEFAULT_RESIDENCE_PERMIT_TERM_YEARS).toBe(1);
    expect(addDays(addYears('2025-03-01', 1), -1)).toBe('2026-02-28');
    expect(addDays(addYears('2024-02-29', 1), -1)).toBe('2025-02-27');
    expect(addDays(addYears('2023-03-01', 1), -1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', 30)).toBe('2025-03-31');
  });

  it('accepts GB/T 2261.1 sexes and two-digit ethnicity codes only', () => {
    const base = {
      holder: sampleInput().holder,
      residenceAddress: sampleInput().residenceAddress,
      basis: LZ_2_11,
    };
    expect(ResidencePermitContentInput.safeParse(base).success).toBe(true);
    expect(
      ResidencePermitContentInput.safeParse({ ...base, holder: { ...base.holder, sex: 'M' } }).success,
    ).toBe(false);
    expect(
      ResidencePermitContentInput.safeParse({ ...base, holder: { ...base.holder, ethnicity: '汉' } }).success,
    ).toBe(false);
  });
});
