/**
 * Issue 14: a signed-in resident must not learn, through the application for a proof of pre-reform hukou
 * nature, whether a citizen id is registered, nor in which county. The submission answers alike for a
 * registered id, an id registered in another county and an unregistered one; the officer finds out at
 * approval (and in its preview).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const KC = '330802';
const QJ = '330803';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
/** Born with a 柯城 id: one registered in 柯城, one registered in 衢江, one never registered. */
const IN_KECHENG = composeCitizenId(KC, '1970-03-04', 17);
const IN_QUJIANG = composeCitizenId(KC, '1970-03-04', 19);
const UNREGISTERED = composeCitizenId(KC, '1970-03-04', 21);

const kc = (roles: TestOfficer['roles'], id: string): TestOfficer => ({ id, countyCode: KC, roles });
const clerk = kc(['window-clerk'], 'np-clerk');
const reviewer = kc(['reviewer'], 'np-reviewer');
const approver = kc(['approver'], 'np-approver');

describe.each(testDatabases())('the nature-proof application as an oracle on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  let keys = 0;
  const key = () => `np-${++keys}`;

  const register = async (householdNumber: string, county: string, citizenId: string, name: string) => {
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: householdNumber,
          household_type: '家庭户',
          address: `衢州市测试路 ${householdNumber.slice(-2)} 号`,
          county_code: county,
          relationship: '户主',
          citizen_id: citizenId,
          name,
          sex: '男',
          birth_date: `${citizenId.slice(6, 10)}-${citizenId.slice(10, 12)}-${citizenId.slice(12, 14)}`,
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: county }, 'test');
  };

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
    await register('330802000930001', KC, IN_KECHENG, '柯城人');
    await register('330803000930002', QJ, IN_QUJIANG, '衢江人');
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const submit = (citizenId: string) =>
    residents.headers(app, '13700009001').then((headers) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/my/applications',
        headers: { ...headers, 'idempotency-key': key() },
        payload: {
          typeId: 'legacy-nature-proof',
          form: { kind: 'legacy-nature-proof', applicant: { name: '试探', citizenId } },
        },
      }),
    );

  /** What differs between two answers once the values that differ anyway (ids, times, the id asked) go. */
  const shapeOf = (body: string, citizenId: string) =>
    body
      .replaceAll(citizenId, '<id>')
      .replaceAll(`${citizenId.slice(0, 6)}********${citizenId.slice(-4)}`, '<masked id>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/SQ\d{14}/g, '<reference>')
      .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<instant>');

  it('answers a registered, an elsewhere-registered and an unregistered id alike', async () => {
    const answers = [];
    for (const id of [IN_KECHENG, IN_QUJIANG, UNREGISTERED]) {
      const res = await submit(id);
      answers.push({
        status: res.statusCode,
        county: res.json<{ countyCode: string }>().countyCode,
        shape: shapeOf(res.body, id),
      });
    }
    // The old code answered 201 in 330802, 201 in 330803 (the register's county) and 400 "not in the register".
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers.map((a) => a.county)).toEqual([KC, KC, KC]);
    expect(answers[1]?.shape).toBe(answers[0]?.shape);
    expect(answers[2]?.shape).toBe(answers[0]?.shape);
    expect(JSON.stringify(answers)).not.toContain(QJ);
  });

  it('lets the applicant name the county office, and the officer finds out at approval', async () => {
    const approve = async (citizenId: string) => {
      const submitted = await submit(citizenId);
      expect(submitted.statusCode, submitted.body).toBe(201);
      const { id } = submitted.json<{ id: string }>();
      const upload = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=nature-proof.id-card&fileName=id.pdf`,
        headers: {
          ...(await residents.headers(app, '13700009001')),
          'idempotency-key': key(),
          'content-type': 'application/pdf',
        },
        payload: PDF,
      });
      expect(upload.statusCode, upload.body).toBe(201);
      const act = async (officer: TestOfficer, action: string, payload: object = {}) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/applications/${id}/${action}`,
          headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
          payload,
        });
      expect((await act(clerk, 'accept')).statusCode).toBe(200);
      expect((await act(reviewer, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
      const preview = await app.inject({
        method: 'GET',
        url: `/api/v1/applications/${id}/approval-preview`,
        headers: await officerHeaders(app, approver),
      });
      return { preview, approval: await act(approver, 'approve') };
    };
    const registered = await approve(IN_KECHENG);
    expect(registered.preview.statusCode, registered.preview.body).toBe(200);
    expect(registered.approval.statusCode, registered.approval.body).toBe(200);
    for (const id of [UNREGISTERED, IN_QUJIANG]) {
      const { preview, approval } = await approve(id);
      expect(preview.statusCode, preview.body).toBe(422);
      expect(approval.statusCode, approval.body).toBe(422);
      expect(approval.body).toContain('本县（市、区）户籍登记中没有此人');
      expect(approval.body).not.toContain('330803000930002');
    }
    // The applicant names the office: an application to 衢江 is handled there.
    const headers = await residents.headers(app, '13700009001');
    const toQujiang = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...headers, 'idempotency-key': key() },
      payload: {
        typeId: 'legacy-nature-proof',
        form: {
          kind: 'legacy-nature-proof',
          applicant: { name: '衢江人', citizenId: IN_QUJIANG },
          countyCode: QJ,
        },
      },
    });
    expect(toQujiang.statusCode, toQujiang.body).toBe(201);
    expect(toQujiang.json().countyCode).toBe(QJ);
  });
});
