import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { contentHash } from './document-content.js';
import {
  DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS,
  PermitToMoveInContentInput,
  permitToMoveInContent,
  renderPermitToMoveIn,
  type PermitToMoveInInput,
} from './permit-to-move-in.js';
import { ISSUED_AT, ISSUER, signAndRender } from './testing/sample-certificate.js';

const QZ_FINAL_2 = {
  id: 'qz-final/2',
  quote:
    '具有大专以上学历且具有初级以上专业技术职务；技师、高级技师相当职业资格人员；本科以上学历；省级以上专家及相应层次人才；本市、县（市、区）经济发展特别需要的高校和职业院校毕业生、紧缺工种技术工人、留学回国人员等特殊人才，可在当地申请登记常住户口。',
};

function sampleInput(overrides: Partial<Omit<PermitToMoveInInput, 'verifyUrl'>> = {}) {
  const {
    issuerName: _issuerName,
    validUntil: _validUntil,
    ...facts
  } = PermitToMoveInContentInput.parse({
    referenceNumber: 'SQ-330802-20250220-0011',
    movers: [
      {
        name: '龚䶮',
        sex: '2',
        birthDate: '1990-01-15',
        citizenId: composeCitizenId('620102', '1990-01-15', 26),
        relationship: '02',
      },
      {
        name: '吉明远',
        sex: '1',
        birthDate: '2015-02-28',
        citizenId: composeCitizenId('620102', '2015-02-28', 35),
        relationship: '20',
      },
    ],
    origin: { text: '酒泉路街道张掖路 12 号', countyCode: '620102' },
    destination: {
      address: { text: '府山街道坊门街 18 号 2 单元 301 室', countyCode: '330802' },
      householdNumber: '330802000000001',
    },
    reason: { pathway: { id: 'talent', label: '人才落户' }, articles: [QZ_FINAL_2] },
  });
  return {
    ...facts,
    documentId: '9a3c2b1d-0e6f-4a7b-8c9d-0e1f2a3b4c5d',
    issuer: ISSUER,
    issuedAt: ISSUED_AT,
    validUntil: '2025-03-31',
    ...overrides,
  } satisfies Omit<PermitToMoveInInput, 'verifyUrl'>;
}

async function issue(overrides: Partial<Omit<PermitToMoveInInput, 'verifyUrl'>> = {}) {
  const input = sampleInput(overrides);
  const content = permitToMoveInContent(input);
  const signed = await signAndRender({
    kind: 'permit-to-move-in',
    documentId: input.documentId,
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    validUntil: input.validUntil,
    content,
    render: (verifyUrl) => renderPermitToMoveIn({ ...input, verifyUrl }),
  });
  return { input, content, ...signed };
}

describe('准予迁入证明 (permit to move in)', () => {
  it('names the persons, from where to where, why, until when, the issuer and the date on one page', async () => {
    const { inspection, input, flatText } = await issue();
    expect(inspection.pages).toBe(1);
    for (const expected of [
      '准予迁入证明',
      '准迁证编号：9a3c2b1d-0e6f-4a7b-8c9d-0e1f2a3b4c5d',
      '受理编号：SQ-330802-20250220-0011',
      '龚䶮',
      '吉明远',
      '女',
      '男',
      '1990年1月15日',
      '2015年2月28日',
      input.movers[0]?.citizenId ?? '',
      '户主',
      '甘肃省兰州市城关区酒泉路街道张掖路 12 号',
      '浙江省衢州市柯城区府山街道坊门街 18 号 2 单元 301 室',
      '330802000000001',
      '人才落户',
      '2025年3月31日',
      '逾期作废',
      '衢州市公安局柯城分局',
      '2025年3月1日',
      '核验真伪',
    ]) {
      expect(inspection.text, expected).toContain(expected);
    }
    expect(inspection.text).toMatch(/1\s+龚䶮\s+女\s+1990年1月15日/);
    expect(flatText).toContain('准予下列2人的户口由甘肃省兰州市城关区迁入浙江省衢州市柯城区');
    expect(flatText).toContain(`qz-final/2“${QZ_FINAL_2.quote}”`);
    expect(inspection.text).not.toContain('电子准迁证');
    expect(inspection.text).not.toContain('（talent）');
  });

  it('prints the verify URL whose token is genuine, carrying the term', async () => {
    const { flatText, verifyUrl, verification, content } = await issue();
    expect(flatText).toContain(verifyUrl);
    expect(verification).toMatchObject({
      status: 'genuine',
      claims: { kind: 'permit-to-move-in', validUntil: '2025-03-31' },
    });
    expect(verification.status === 'genuine' && verification.claims.subjectHash).toBe(contentHash(content));
  });

  it('marks the cross-province electronic permit and names the origin office that cancels', async () => {
    const { inspection, flatText } = await issue({
      oneStop: { originOffice: { code: '620102', name: '兰州市公安局城关分局酒泉路派出所' } },
    });
    expect(inspection.text).toContain('电子准迁证');
    expect(inspection.text).toContain('户口迁移跨省通办');
    expect(flatText).toContain(
      '请兰州市公安局城关分局酒泉路派出所（620102）于1个工作日内为龚䶮、吉明远办理户口迁出（注销）手续',
    );
    expect(inspection.pages).toBe(1);
  });

  it('says 新立户 when the persons set up a new household', async () => {
    const { inspection } = await issue({
      destination: { address: { text: '府山街道坊门街 20 号', countyCode: '330802' }, householdNumber: null },
    });
    expect(inspection.text).toContain('新立户');
  });

  it('has a default term that is a documented default, not a legal figure', () => {
    expect(DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS).toBe(30);
    const base = { ...sampleInput() };
    expect(PermitToMoveInContentInput.safeParse({ ...base, movers: [] }).success).toBe(false);
    expect(
      PermitToMoveInContentInput.safeParse({ ...base, reason: { ...base.reason, articles: [] } }).success,
    ).toBe(false);
    expect(PermitToMoveInContentInput.safeParse({ ...base, validUntil: '2025-02-30' }).success).toBe(false);
  });
});
