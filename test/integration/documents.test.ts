/**
 * Register documents end to end: an imported household, a proof of pre-reform hukou nature and a
 * household extract issued as real PDFs, and the public verify page telling genuine from forged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { pdfText } from '../../src/documents/testing/inspect-pdf.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const OFFICER: TestOfficer = { id: 'kc-7', countyCode: '330802' };
const QUJIANG: TestOfficer = { id: 'qj-1', countyCode: '330803' };

describe.each(testDatabases().slice(0, 1))('register documents', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const dir = mkdtempSync(join(tmpdir(), 'huji-docs-'));
  let personId = '';
  let householdId = '';

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, publicUrl: 'https://huji.example.gov.cn' });
    const common = {
      household_number: '330802000200001',
      household_type: '家庭户',
      address: '衢州市柯城区荷花街道 9 号',
      county_code: '330802',
    };
    const { household, problems } = householdFromRows([
      {
        line: 2,
        values: {
          ...common,
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1958-04-05', 15),
          name: '龚䶮',
          sex: '男',
          birth_date: '1958-04-05',
          legacy_hukou_type: '农业家庭户口',
          legacy_from: '1958-04-05',
          legacy_to: '2017-06-30',
        },
      },
      {
        line: 3,
        values: {
          ...common,
          relationship: '妻',
          citizen_id: composeCitizenId('330802', '1960-07-08', 26),
          name: '吉𠮷',
          sex: '女',
          birth_date: '1960-07-08',
        },
      },
    ]);
    expect(problems).toEqual([]);
    expect(
      (await importHousehold(database.db, household, { id: 'import', countyCode: '330802' }, 'test')).status,
    ).toBe('imported');
    personId = household.members[0]?.person.id ?? '';
    householdId = household.household.id;
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = pdfText;

  it('issues a proof of pre-reform hukou nature that a stranger can verify as genuine', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'proof-1' },
    });
    expect(issued.statusCode).toBe(201);
    const doc = issued.json();
    expect(doc.verifyUrl).toMatch(/^https:\/\/huji\.example\.gov\.cn\/verify\//);
    const pdf = await app.inject({
      method: 'GET',
      url: doc.pdfUrl,
      headers: await officerHeaders(app, OFFICER),
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const content = await text(pdf.rawPayload);
    expect(content).toContain('户口性质证明');
    expect(content).toContain('龚䶮');
    expect(content).toContain('农业家庭户口');
    expect(content).toContain('qz-final/7');

    const token = doc.verifyUrl.split('/verify/')[1];
    const page = await app.inject({ method: 'GET', url: `/verify/${token}` });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('真实有效');
    expect(page.body).not.toContain('龚䶮');
    const json = await app.inject({
      method: 'GET',
      url: `/verify/${token}`,
      headers: { accept: 'application/json' },
    });
    expect(json.json()).toMatchObject({
      status: 'genuine',
      kind: 'legacy-hukou-nature-proof',
      documentId: doc.documentId,
    });

    const retry = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'proof-1' },
    });
    expect(retry.json().documentId).toBe(doc.documentId);
  });

  it('shows on the verify page what to compare with the paper, never who the person is (issue 14, ADR 0019)', async () => {
    const proof = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'proof-disclosure' },
    });
    const extract = await app.inject({
      method: 'POST',
      url: `/api/v1/register/households/${householdId}/documents/extract`,
      payload: { asOf: '2026-01-15' },
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'extract-disclosure' },
    });
    const verify = async (verifyUrl: string, lang: string) => {
      const url = `/verify/${verifyUrl.split('/verify/')[1]}`;
      const page = await app.inject({ method: 'GET', url, headers: { 'accept-language': lang } });
      const json = await app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      return { page: page.body, json: json.json() };
    };
    const head = composeCitizenId('330802', '1958-04-05', 15);
    const spouse = composeCitizenId('330802', '1960-07-08', 26);
    const never = [
      '龚䶮',
      '吉𠮷',
      head,
      spouse,
      '330802********',
      head.slice(-4),
      '1958-04-05',
      '1958年4月5日',
      '330802000200001',
      '荷花街道',
    ];
    const proofPage = await verify(proof.json().verifyUrl, 'zh-CN');
    expect(proofPage.page).toContain('龚*');
    expect(proofPage.page).toContain('农业家庭户口');
    expect(proofPage.page).toContain(proof.json().documentId);
    expect(proofPage.json.facts).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'name', value: { zh: '龚*', en: '龚*' } })]),
    );
    const extractPage = await verify(extract.json().verifyUrl, 'en');
    expect(extractPage.page).toMatch(/Head of household \(partly hidden\)<\/th><td>龚\*</);
    expect(extractPage.page).toMatch(/Members<\/th><td>2</);
    expect(extractPage.page).toContain('2026-01-15');
    for (const { page, json } of [proofPage, extractPage]) {
      for (const secret of never) {
        expect(page).not.toContain(secret);
        expect(JSON.stringify(json)).not.toContain(secret);
      }
    }
  });

  it('reports an altered or invented token as not genuine', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/households/${householdId}/documents/extract`,
      payload: {},
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'extract-1' },
    });
    const token: string = issued.json().verifyUrl.split('/verify/')[1];
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    const forged = await app.inject({
      method: 'GET',
      url: `/verify/${flipped}`,
      headers: { accept: 'application/json' },
    });
    expect(forged.json().status).toBe('forged');
    const page = await app.inject({
      method: 'GET',
      url: '/verify/not-a-token',
      headers: { 'accept-language': 'en' },
    });
    expect(page.body).toContain('Not verified');
    const extract = await text(
      (
        await app.inject({
          method: 'GET',
          url: issued.json().pdfUrl,
          headers: await officerHeaders(app, OFFICER),
        })
      ).rawPayload,
    );
    expect(extract).toContain('户口簿摘录');
    expect(extract).toContain('吉𠮷');
    expect(extract).toMatch(/330802\*{8}/);
  });

  it('does not show documents to another county', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, QUJIANG)), 'idempotency-key': 'proof-x' },
    });
    expect(issued.statusCode).toBe(404);
  });

  it("answers another county's officer 404 for a document's PDF before rendering it", async () => {
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/register/persons/${personId}/documents/legacy-hukou-nature-proof`,
      headers: { ...(await officerHeaders(app, OFFICER)), 'idempotency-key': 'proof-render-order' },
    });
    expect(issued.statusCode).toBe(201);
    const { documentId, pdfUrl } = issued.json<{ documentId: string; pdfUrl: string }>();
    // A stored document that can no longer be rendered (its person gone from what it stated): rendering
    // it throws, so only a check made before rendering can answer the foreign officer 404 instead of 500.
    await database.db.execute(
      sql`update issued_document set input = input - 'person' where id = ${documentId}`,
    );
    const foreign = await app.inject({
      method: 'GET',
      url: pdfUrl,
      headers: await officerHeaders(app, QUJIANG),
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'HUJI_REGISTER_OUT_OF_JURISDICTION' });
    // The own county's officer does reach the renderer, which fails on the broken record.
    const own = await app.inject({ method: 'GET', url: pdfUrl, headers: await officerHeaders(app, OFFICER) });
    expect(own.statusCode).toBe(500);
  });
});
