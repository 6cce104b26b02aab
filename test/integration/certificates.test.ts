/**
 * Certificates of online applications end to end: each kind issued through issueCertificate in a
 * transaction under both suites (gm: SM2, international: Ed25519), the public /verify page of the built
 * app telling genuine, forged, expired and revoked apart, the officer's PDF, and documents issued before a
 * change of suite staying genuine after it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { issuedDocument } from '../../src/db/schema.js';
import { pdfText } from '../../src/documents/testing/inspect-pdf.js';
import type { DocumentCheck } from '../../src/register/issue-document.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import {
  issueCertificate,
  renderCertificate,
  type AcceptanceReceiptContentInput,
  type ApprovalNoticeContentInput,
  type CertificateKind,
  type CertificateRequest,
  type PermitToMoveInContentInput,
  type RefusalNoticeContentInput,
  type ResidencePermitContentInput,
} from '../../src/services/certificates.js';
import { todayInChina } from '../../src/standards/calendar.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const PUBLIC_URL = 'https://huji.example.gov.cn';
const OFFICER: TestOfficer = { id: 'kc-cert', countyCode: '330802' };
const QUJIANG: TestOfficer = { id: 'qj-cert', countyCode: '330803' };

const QZ_FINAL_1 = {
  id: 'qz-final/1',
  quote:
    '凡在我市县（市、区）人民政府驻地镇（街道）和其他建制镇（街道）有合法稳定住所（含租赁）的人员，本人及其共同居住生活的配偶、未成年子女（包括无生活来源的未婚子女，下同）、父母，均可在当地申请登记常住户口。',
};

const approvalNotice: ApprovalNoticeContentInput = {
  referenceNumber: 'SQ-330802-20250220-0007',
  applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
  applicant: { name: '吉𠮷', citizenId: composeCitizenId('620102', '1988-06-01', 17) },
  decision: '准予吉𠮷在衢州市柯城区登记常住户口',
  pathway: { id: 'legal-residence', label: '有合法稳定住所（含租赁）落户' },
  policy: 'quzhou-2017-final@1',
  articles: [QZ_FINAL_1],
  destination: { address: { text: '府山街道坊门街 18 号', countyCode: '330802' }, householdNumber: null },
  nextSteps: ['凭本通知书到迁入地派出所办理落户手续'],
};

const permitToMoveIn: PermitToMoveInContentInput = {
  referenceNumber: 'SQ-330802-20250220-0007',
  movers: [
    {
      name: '吉𠮷',
      sex: '1',
      birthDate: '1988-06-01',
      citizenId: composeCitizenId('620102', '1988-06-01', 17),
      relationship: '02',
    },
  ],
  origin: { text: '酒泉路街道张掖路 12 号', countyCode: '620102' },
  destination: { address: { text: '府山街道坊门街 18 号', countyCode: '330802' }, householdNumber: null },
  reason: {
    pathway: { id: 'legal-residence', label: '有合法稳定住所（含租赁）落户' },
    articles: [QZ_FINAL_1],
  },
  oneStop: { originOffice: { code: '620102', name: '兰州市公安局城关分局酒泉路派出所' } },
};

const residencePermit: ResidencePermitContentInput = {
  holder: {
    name: '龚䶮',
    sex: '2',
    ethnicity: '01',
    birthDate: '1990-01-15',
    citizenId: composeCitizenId('620102', '1990-01-15', 26),
  },
  residenceAddress: { text: '府山街道坊门街 18 号', countyCode: '330802' },
  basis: {
    id: 'qz-draft/2.3',
    quote: '（测试条文：依照《居住证暂行条例》实行居住证制度。）',
  },
};

const acceptanceReceipt: AcceptanceReceiptContentInput = {
  referenceNumber: 'SQ-330802-20250220-0007',
  applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
  applicant: { name: '吉𠮷', citizenId: composeCitizenId('620102', '1988-06-01', 17) },
  acceptedOn: '2025-02-21',
  timeLimit: { workingDays: 20, deadline: '2025-03-21' },
  materials: [{ label: '居民身份证、居民户口簿', files: 2 }],
};

const refusalNotice: RefusalNoticeContentInput = {
  referenceNumber: 'SQ-330802-20250220-0007',
  applicationType: { id: 'settlement/legal-residence', label: '有合法稳定住所落户' },
  applicant: { name: '吉𠮷', citizenId: composeCitizenId('620102', '1988-06-01', 17) },
  stage: 'approval',
  article: QZ_FINAL_1,
  reason: '所申报住所不在建制镇',
};

function request(kind: CertificateKind, suite: 'gm' | 'international'): CertificateRequest {
  const common = { applicationId: randomUUID(), countyCode: '330802', officerId: OFFICER.id, suite };
  switch (kind) {
    case 'approval-notice':
      return { ...common, kind, content: approvalNotice };
    case 'permit-to-move-in':
      return { ...common, kind, content: permitToMoveIn };
    case 'residence-permit':
      return { ...common, kind, content: residencePermit };
    case 'acceptance-receipt':
      return { ...common, kind, content: acceptanceReceipt };
    case 'refusal-notice':
      return { ...common, kind, content: refusalNotice };
  }
}

const KINDS = [
  'approval-notice',
  'permit-to-move-in',
  'residence-permit',
  'acceptance-receipt',
  'refusal-notice',
] as const;
const TITLES = {
  'approval-notice': '准予落户通知书',
  'permit-to-move-in': '准予迁入证明',
  'residence-permit': '居住证',
  'acceptance-receipt': '受理回执',
  'refusal-notice': '不予批准决定书',
};

describe.each(testDatabases())('certificates on $name', ({ open }) => {
  let database: DatabaseHandle;
  let international: FastifyInstance;
  let gm: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'huji-certificates-'));

  beforeAll(async () => {
    database = await open();
    international = await buildApp({ database, logger: false, publicUrl: PUBLIC_URL });
    gm = await buildApp({ database, logger: false, publicUrl: PUBLIC_URL, cryptoSuite: 'gm' });
  });
  afterAll(async () => {
    await international.close();
    await gm.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const issue = (kind: CertificateKind, suite: 'gm' | 'international', content?: object) =>
    database.db.transaction((tx) =>
      issueCertificate(
        tx,
        content === undefined
          ? request(kind, suite)
          : ({ ...request(kind, suite), content } as CertificateRequest),
        PUBLIC_URL,
      ),
    );
  const check = async (app: FastifyInstance, token: string): Promise<DocumentCheck> =>
    (
      await app.inject({ method: 'GET', url: `/verify/${token}`, headers: { accept: 'application/json' } })
    ).json<DocumentCheck>();

  for (const suite of ['international', 'gm'] as const) {
    const app = () => (suite === 'gm' ? gm : international);

    it.each(KINDS)(`issues a %s under ${suite} that the verify page calls genuine`, async (kind) => {
      const issued = await issue(kind, suite);
      expect(issued).toMatchObject({ kind, verifyUrl: `${PUBLIC_URL}/verify/${issued.token}` });
      expect(issued.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      const header = JSON.parse(Buffer.from(issued.token.split('.')[0] ?? '', 'base64url').toString('utf8'));
      expect(header).toMatchObject({ alg: suite === 'gm' ? 'SM2' : 'EdDSA', suite });

      const [row] = await database.db.select().from(issuedDocument).where(eq(issuedDocument.id, issued.id));
      expect(row).toMatchObject({ kind, token: issued.token, issuerCode: '330802', officerId: OFFICER.id });
      expect(row?.applicationId).toMatch(/^[0-9a-f-]{36}$/);

      expect(await check(app(), issued.token)).toMatchObject({
        status: 'genuine',
        kind,
        documentId: issued.id,
        issuer: '330802',
        issuerName: '柯城区公安局户籍管理部门',
        suite,
        ...(issued.validUntil === undefined ? {} : { validUntil: issued.validUntil }),
      });
      const page = await app().inject({ method: 'GET', url: `/verify/${issued.token}` });
      expect(page.headers['content-type']).toContain('text/html');
      for (const expected of [
        '真实有效',
        'Genuine and valid',
        TITLES[kind],
        '柯城区公安局户籍管理部门',
        '签发日期',
      ])
        expect(page.body, expected).toContain(expected);
      if (issued.validUntil !== undefined) expect(page.body).toContain('有效期至');
      // No personal data on the public page.
      expect(page.body).not.toMatch(/吉𠮷|龚䶮|620102198/);

      const rendered = await renderCertificate(database.db, issued.id, PUBLIC_URL);
      expect(rendered?.kind).toBe(kind);
      const text = await pdfText(rendered?.pdf ?? Buffer.alloc(0));
      expect(text).toContain(TITLES[kind]);
      expect(text.replace(/\s+/g, '')).toContain(issued.verifyUrl);
    });
  }

  it('gives defaults for the terms: a permit to move in 30 days, a residence permit one year', async () => {
    const today = todayInChina();
    const permit = await issue('permit-to-move-in', 'gm');
    const residence = await issue('residence-permit', 'international');
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    expect(days(today, permit.validUntil ?? '')).toBe(30);
    expect(days(today, residence.validUntil ?? '')).toBeGreaterThanOrEqual(364);
    expect(days(today, residence.validUntil ?? '')).toBeLessThanOrEqual(365);
    expect((await issue('approval-notice', 'gm')).validUntil).toBeUndefined();
  });

  it.each(['international', 'gm'] as const)(
    'reports a token with one character of its payload changed as forged or malformed (%s)',
    async (suite) => {
      const issued = await issue('approval-notice', suite);
      const [h, p, s] = issued.token.split('.') as [string, string, string];
      for (const i of [5, Math.floor(p.length / 2), p.length - 3]) {
        const changed = `${h}.${p.slice(0, i)}${p[i] === 'A' ? 'B' : 'A'}${p.slice(i + 1)}.${s}`;
        const result = await check(suite === 'gm' ? gm : international, changed);
        expect(['forged', 'malformed'], `${i}: ${JSON.stringify(result)}`).toContain(result.status);
      }
      const page = await international.inject({
        method: 'GET',
        url: `/verify/${h}.${p.slice(0, 8)}${p[8] === 'A' ? 'B' : 'A'}${p.slice(9)}.${s}`,
        headers: { 'accept-language': 'en' },
      });
      expect(page.body).toContain('Not verified');
      expect(page.body).toContain('无法核实');
    },
  );

  it('reports a certificate past its validUntil as genuine but expired', async () => {
    const issued = await issue('permit-to-move-in', 'gm', { ...permitToMoveIn, validUntil: todayInChina() });
    expect((await check(gm, issued.token)).status).toBe('genuine');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 86_400_000);
    expect(await check(gm, issued.token)).toMatchObject({ status: 'expired', validUntil: issued.validUntil });
    const page = await gm.inject({ method: 'GET', url: `/verify/${issued.token}` });
    expect(page.body).toContain('真实，但已过有效期');
    expect(page.body).toContain('Genuine but expired');
    expect(page.body).toContain('data-status="expired"');
  });

  it('reports a revoked certificate as revoked, before any expiry', async () => {
    const issued = await issue('residence-permit', 'gm');
    await database.db
      .update(issuedDocument)
      .set({ revokedAt: new Date() })
      .where(eq(issuedDocument.id, issued.id));
    expect((await check(gm, issued.token)).status).toBe('revoked');
    expect((await gm.inject({ method: 'GET', url: `/verify/${issued.token}` })).body).toContain(
      '真实，但已作废',
    );
  });

  it('keeps documents issued under international genuine after the deployment switches to gm', async () => {
    const before = await issue('residence-permit', 'international');
    const after = await issue('residence-permit', 'gm');
    expect(before.token.split('.')[0]).not.toBe(after.token.split('.')[0]);
    for (const app of [gm, international]) {
      expect(await check(app, before.token)).toMatchObject({ status: 'genuine', suite: 'international' });
      expect(await check(app, after.token)).toMatchObject({ status: 'genuine', suite: 'gm' });
    }
  });

  it('refuses content that breaks its schema or is expired on issue, and writes nothing', async () => {
    await expect(issue('approval-notice', 'gm', { ...approvalNotice, decision: '不予落户' })).rejects.toThrow(
      TypeError,
    );
    await expect(
      issue('permit-to-move-in', 'gm', { ...permitToMoveIn, validUntil: '2020-01-01' }),
    ).rejects.toThrow(/already expired/);
    await expect(
      database.db.transaction((tx) =>
        issueCertificate(
          tx,
          { ...request('residence-permit', 'gm'), applicationId: 'not-a-uuid' },
          PUBLIC_URL,
        ),
      ),
    ).rejects.toThrow(TypeError);
  });

  it('serves the PDF to officers of the issuing county only', async () => {
    const issued = await issue('approval-notice', 'gm');
    const pdf = await gm.inject({
      method: 'GET',
      url: `/api/v1/register/documents/${issued.id}.pdf`,
      headers: await officerHeaders(gm, OFFICER),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('准予落户通知书');
    expect(text).toContain('qz-final/1');
    const other = await gm.inject({
      method: 'GET',
      url: `/api/v1/register/documents/${issued.id}.pdf`,
      headers: await officerHeaders(gm, QUJIANG),
    });
    expect(other.statusCode).toBe(404);
  });

  it('signs the register documents under the deployment suite too', async () => {
    const { household, problems } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: '330802000300001',
          household_type: '家庭户',
          address: '衢州市柯城区荷花街道 11 号',
          county_code: '330802',
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1970-03-04', 15),
          name: '吉明远',
          sex: '男',
          birth_date: '1970-03-04',
        },
      },
    ]);
    expect(problems).toEqual([]);
    await importHousehold(database.db, household, { id: 'import', countyCode: '330802' }, 'test');
    const issued = await gm.inject({
      method: 'POST',
      url: `/api/v1/register/households/${household.household.id}/documents/extract`,
      payload: {},
      headers: { ...(await officerHeaders(gm, OFFICER)), 'idempotency-key': 'gm-extract-1' },
    });
    expect(issued.statusCode).toBe(201);
    const token = issued.json<{ verifyUrl: string }>().verifyUrl.split('/verify/')[1] ?? '';
    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'))).toMatchObject({
      alg: 'SM2',
      suite: 'gm',
    });
    expect(await check(international, token)).toMatchObject({ status: 'genuine', kind: 'household-extract' });
  });
});
