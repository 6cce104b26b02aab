/**
 * Issue 13, corrections of the form over HTTP on the real database: the clerk returns fields of the
 * form (a mover's birthplace and education, an answer to an eligibility question) with a reason each;
 * the resident cannot resubmit until every returned item is redone (the answer names which, in zh-CN and
 * en), cannot change a field nobody returned, and a bad value is refused naming the field. On
 * resubmission the decision is made again on the corrected facts, the history records the correction
 * before → after, and approval writes the corrected values into the register, not the original ones.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const COUNTY = '330802';
const clerk: TestOfficer = { id: 'co-clerk', countyCode: COUNTY, roles: ['window-clerk'] };
const reviewer: TestOfficer = { id: 'co-reviewer', countyCode: COUNTY, roles: ['reviewer'] };
const approver: TestOfficer = { id: 'co-approver', countyCode: COUNTY, roles: ['approver'] };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const PHONE = '13900000071';

const applicantId = composeCitizenId('360102', '1987-04-05', 15);
const applicant = {
  name: '韩立',
  citizenId: applicantId,
  sex: '1',
  birthDate: '1987-04-05',
  relationship: '02',
  birthplace: '330802', // a slip: born in 南昌, not in the destination county
  ethnicity: '01',
  education: '90', // a slip: 其他, where 高中 was meant
  maritalStatus: '20',
};
const body = {
  typeId: 'settlement/legal-residence',
  form: {
    kind: 'settlement',
    applicant: { name: applicant.name, citizenId: applicantId },
    movers: [applicant],
    fromDivision: '360102',
    destination: {
      newHousehold: {
        type: 'family',
        address: { text: '衢州市柯城区府山街道北街 7 号', countyCode: COUNTY },
      },
    },
  },
  facts: {
    hukou: { scope: 'other-province' },
    // A slip too: the rented flat is in the county seat (县城), not in a township (乡).
    residence: { type: 'private-rental', townType: 'township', leaseMonths: 12 },
  },
};
const reason = (zh: string, en: string) => ({ zh, en });

describe.each(testDatabases())('corrections of the form on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  let keys = 0;
  const key = () => `co-${++keys}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const act = async (officer: TestOfficer, id: string, action: string, payload: object = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
      payload,
    });
  const resubmit = async (id: string, payload: object, lang = 'zh-CN') =>
    app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/resubmit`,
      headers: {
        ...(await residents.headers(app, PHONE)),
        'idempotency-key': key(),
        'accept-language': lang,
      },
      payload,
    });

  it('returns fields, holds the resubmission until each is corrected, and registers the corrected values', async () => {
    const headers = await residents.headers(app, PHONE);
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...headers, 'idempotency-key': key() },
      payload: body,
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    const before = submitted.json().decision;
    expect(before.outcome).toBe('not_eligible');
    const type = (await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` }))
      .json()
      .items.find((t: { id: string }) => t.id === body.typeId);
    for (const m of type.materials as { key: string }[]) {
      const up = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m.key)}&fileName=m.pdf`,
        headers: { ...headers, 'idempotency-key': key(), 'content-type': 'application/octet-stream' },
        payload: PDF,
      });
      expect(up.statusCode, up.body).toBe(201);
    }

    // The officer's page offers the fields a return may name: the mover's, 迁出地, the questions used.
    const page = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, clerk),
    });
    const fields = page.json().correctableFields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'movers.0.birthplace',
        'movers.0.education',
        'fromDivision',
        'facts.residence.townType',
      ]),
    );
    // A field the form does not have cannot be returned.
    const wrong = await act(clerk, id, 'return', {
      requests: [{ kind: 'field', field: 'movers.3.name', reason: reason('无此人', 'nobody') }],
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('HUJI_APPLICATION_RETURN_INVALID');

    const returned = await act(clerk, id, 'return', {
      requests: [
        {
          kind: 'field',
          field: 'movers.0.birthplace',
          reason: reason('出生地与身份证不符', 'birthplace differs from the id'),
        },
        {
          kind: 'field',
          field: 'movers.0.education',
          reason: reason('学历与毕业证不符', 'education differs from the diploma'),
        },
        {
          kind: 'field',
          field: 'facts.residence.townType',
          reason: reason('住所在城关镇，不是乡', 'the flat is in the county seat, not a township'),
        },
      ],
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().requiredChanges).toEqual([
      expect.objectContaining({
        kind: 'field',
        field: 'movers.0.birthplace',
        label: { zh: '申请人（韩立）：出生地', en: 'applicant (韩立): place of birth' },
      }),
      expect.objectContaining({ kind: 'field', field: 'movers.0.education' }),
      expect.objectContaining({ kind: 'field', field: 'facts.residence.townType' }),
    ]);

    // Nothing redone: refused, naming every item still missing, in Chinese and in English.
    const early = await resubmit(id, {});
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json().code).toBe('HUJI_APPLICATION_RETURN_OUTSTANDING');
    expect(early.json().detail).toContain('退回补正的 3 项尚未重新上传或更正');
    expect(early.json().detail).toContain('申请人（韩立）：出生地');
    expect(early.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'body.corrections.movers.0.birthplace',
      'body.corrections.movers.0.education',
      'body.corrections.facts.residence.townType',
    ]);
    // One done, two still missing: the answer names the two.
    const partly = await resubmit(
      id,
      { corrections: [{ field: 'movers.0.birthplace', value: '360102' }] },
      'en',
    );
    expect(partly.statusCode).toBe(422);
    expect(partly.json().detail).toContain('2 returned item(s)');
    expect(partly.json().detail).toContain('applicant (韩立): education');
    expect(partly.json().detail).not.toContain('place of birth');
    expect(partly.json().detail).not.toMatch(/[\u4e00-\u9fff]{3}/u);
    // A value left as it was is not a correction.
    const same = await resubmit(id, {
      corrections: [
        { field: 'movers.0.birthplace', value: '360102' },
        { field: 'movers.0.education', value: '90' },
        { field: 'facts.residence.townType', value: 'county-seat' },
      ],
    });
    expect(same.statusCode).toBe(422);
    expect(same.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'body.corrections.movers.0.education',
    ]);
    // A field nobody returned cannot change (the server's check, whatever the page allows).
    const sneaky = await resubmit(id, {
      corrections: [
        { field: 'movers.0.birthplace', value: '360102' },
        { field: 'movers.0.education', value: '61' },
        { field: 'facts.residence.townType', value: 'county-seat' },
        { field: 'movers.0.name', value: '韩丽' },
      ],
    });
    expect(sneaky.statusCode).toBe(422);
    expect(sneaky.json().code).toBe('HUJI_APPLICATION_FIELD_NOT_RETURNED');
    expect(sneaky.json().detail).toContain('申请人（韩立）：姓名');
    expect(sneaky.json().errors[0].path).toBe('body.corrections.movers.0.name');
    // A bad value is refused naming the field.
    const bad = await resubmit(id, {
      corrections: [
        { field: 'movers.0.birthplace', value: '3601' },
        { field: 'movers.0.education', value: '61' },
        { field: 'facts.residence.townType', value: 'county-seat' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'body.corrections.movers.0.birthplace',
    ]);
    expect((await act(clerk, id, 'accept')).statusCode).toBe(409);

    const done = await resubmit(id, {
      corrections: [
        { field: 'movers.0.birthplace', value: '360102' },
        { field: 'movers.0.education', value: '61' },
        { field: 'facts.residence.townType', value: 'county-seat' },
      ],
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('submitted');
    expect(done.json().form.movers[0]).toMatchObject({ birthplace: '360102', education: '61', name: '韩立' });
    // Decided again on the corrected facts, with its articles.
    expect(done.json().facts.residence.townType).toBe('county-seat');
    expect(done.json().decision.outcome).toBe('eligible');
    expect(done.json().decision.articles.length).toBeGreaterThan(0);

    // The officer sees before → after, and the history records the correction.
    const officerPage = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, clerk),
    });
    const [correction] = officerPage.json().corrections;
    expect(correction.changes).toEqual([
      {
        field: 'movers.0.birthplace',
        label: { zh: '申请人（韩立）：出生地', en: 'applicant (韩立): place of birth' },
        before: { zh: '浙江省衢州市柯城区', en: '浙江省衢州市柯城区' },
        after: { zh: '江西省南昌市东湖区', en: '江西省南昌市东湖区' },
      },
      expect.objectContaining({
        field: 'movers.0.education',
        before: expect.objectContaining({ zh: '其他' }),
      }),
      expect.objectContaining({ field: 'facts.residence.townType' }),
    ]);
    const resubmitted = officerPage
      .json()
      .history.find((e: { action?: { type: string } }) => e.action?.type === 'resubmit');
    expect(resubmitted.action.corrections).toHaveLength(3);

    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const officer = await officerHeaders(app, approver);
    const found = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons?citizenId=${applicantId}`,
      headers: officer,
    });
    const person = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons/${found.json().items[0].id}`,
      headers: officer,
    });
    // The corrected values, not the declared slips.
    expect(person.json().person).toMatchObject({ birthplace: '360102', education: '61' });
  });
});
