/**
 * Issue 13 over HTTP on the real database: after approval the register holds exactly what the
 * applicants declared — birthplace, ethnicity, education, marital status, occupation, and a declared
 * unknown (null) as unknown, never the destination county nor 汉族 — and the move-in event records 迁出地
 * with its name, the application's reference and the article the approval rests on. A second
 * application for the same person, or one for a person already registered in the city, is refused at
 * submission (and at acceptance) in the request's language, the id masked, no household number shown.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { eventsOf } from '../../src/register/repository.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { maskCitizenId } from '../../src/standards/masking.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const COUNTY = '330802';
/** A household of 衢江区 (330803): the same city (3308) as the destination, another county. */
const NEIGHBOUR_HOUSEHOLD = '330803000920001';
const clerk: TestOfficer = { id: 'dr-clerk', countyCode: COUNTY, roles: ['window-clerk'] };
const reviewer: TestOfficer = { id: 'dr-reviewer', countyCode: COUNTY, roles: ['reviewer'] };
const approver: TestOfficer = { id: 'dr-approver', countyCode: COUNTY, roles: ['approver'] };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

// Born in 南昌 (东湖区 360102), moving to 柯城区 with a wife born in 新建区 and a son whose birthplace
// and ethnicity are declared unknown (不详).
const applicantId = composeCitizenId('360102', '1988-03-15', 13); // odd sequence: male
const spouseId = composeCitizenId('360112', '1990-07-01', 22);
const sonId = composeCitizenId('360102', '2015-09-09', 31);
const applicant = {
  name: '熊思远',
  citizenId: applicantId,
  sex: '1',
  birthDate: '1988-03-15',
  relationship: '02',
  birthplace: '360102',
  ethnicity: '01',
  education: '61', // 普通高中毕业
  maritalStatus: '20', // 已婚
  occupation: '软件工程师',
};
const spouse = {
  name: '万丽',
  citizenId: spouseId,
  sex: '2',
  birthDate: '1990-07-01',
  relationship: '10', // 配偶
  birthplace: '360112',
  ethnicity: '03', // 回族
  education: '21', // 大学本科毕业
  maritalStatus: '20',
  occupation: '教师',
};
const son = {
  name: '熊小远',
  citizenId: sonId,
  sex: '1',
  birthDate: '2015-09-09',
  relationship: '20', // 子
  birthplace: null,
  ethnicity: null,
  education: '80', // 小学教育
  maritalStatus: '10', // 未婚
  occupation: '学生',
};
const settlement = (movers: object[], applicantRef = { name: applicant.name, citizenId: applicantId }) => ({
  typeId: 'settlement/legal-residence',
  form: {
    kind: 'settlement',
    applicant: applicantRef,
    movers,
    fromDivision: '360102',
    destination: {
      newHousehold: {
        type: 'family',
        address: { text: '衢州市柯城区府山街道南街 12 号', countyCode: COUNTY },
      },
    },
  },
  facts: {
    place: { countyCode: COUNTY },
    person: { age: 38, sex: 'male' },
    hukou: { scope: 'other-province' },
    residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
  },
});

describe.each(testDatabases())('the register after approval on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  let keys = 0;
  const key = () => `dr-${++keys}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: NEIGHBOUR_HOUSEHOLD,
          household_type: '家庭户',
          address: '衢州市衢江区樟潭街道 3 号',
          county_code: '330803',
          relationship: '户主',
          citizen_id: composeCitizenId('330803', '1970-02-03', 41),
          name: '邵建国',
          sex: '男',
          birth_date: '1970-02-03',
          birthplace: '330803',
          ethnicity: '汉族',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: '330803' }, 'test');
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const submit = async (body: object, phone = '13900000013', lang = 'zh-CN') =>
    app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: {
        ...(await residents.headers(app, phone)),
        'idempotency-key': key(),
        'accept-language': lang,
      },
      payload: body,
    });
  const act = async (
    officer: TestOfficer,
    id: string,
    action: string,
    payload: object = {},
    lang = 'zh-CN',
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key(), 'accept-language': lang },
      payload,
    });

  let applicationId = '';
  let reference = '';

  it('refuses at submission a mover without the birthplace and ethnicity keys, naming the field', async () => {
    const { birthplace: _b, ethnicity: _e, ...undeclared } = son;
    const res = await submit(settlement([applicant, spouse, undeclared]));
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((p: { path: string }) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.form.movers.2.birthplace', 'body.form.movers.2.ethnicity']),
    );
    const bad = await submit(settlement([applicant, spouse, { ...son, ethnicity: '99' }]), undefined, 'en');
    expect(bad.statusCode).toBe(400);
    const problem = bad
      .json()
      .errors.find((p: { path: string }) => p.path === 'body.form.movers.2.ethnicity');
    expect(problem.message).toBe('Must be a code of the Ethnicity table (GB 3304-1991); "99" is not.');
  });

  it('writes into the register exactly what was declared, and the move-in records where from, which application and which article', async () => {
    const submitted = await submit(settlement([applicant, spouse, son]));
    expect(submitted.statusCode, submitted.body).toBe(201);
    applicationId = submitted.json().id;
    reference = submitted.json().reference;
    expect(submitted.json().decision.outcome).toBe('eligible');
    const article = submitted.json().decision.articles[0] as { id: string; quote: string };

    const type = (await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` }))
      .json()
      .items.find((t: { id: string }) => t.id === 'settlement/legal-residence');
    for (const m of type.materials as { key: string }[]) {
      const up = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${applicationId}/materials?key=${encodeURIComponent(m.key)}&fileName=m.pdf`,
        headers: {
          ...(await residents.headers(app, '13900000013')),
          'idempotency-key': key(),
          'content-type': 'application/octet-stream',
        },
        payload: PDF,
      });
      expect(up.statusCode, up.body).toBe(201);
    }
    expect((await act(clerk, applicationId, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, applicationId, 'review', { recommendation: 'approve' })).statusCode).toBe(
      200,
    );
    const approved = await act(approver, applicationId, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const eventIds = approved.json().registerEventIds as string[];
    expect(eventIds).toHaveLength(3);

    const officer = await officerHeaders(app, approver);
    for (const declared of [applicant, spouse, son]) {
      const found = await app.inject({
        method: 'GET',
        url: `/api/v1/register/persons?citizenId=${declared.citizenId}`,
        headers: officer,
      });
      const [hit] = found.json().items as { id: string }[];
      expect(hit, declared.name).toBeDefined();
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/register/persons/${hit!.id}`,
        headers: officer,
      });
      expect(res.statusCode).toBe(200);
      const { person, history } = res.json();
      expect(person).toMatchObject({
        name: declared.name,
        sex: declared.sex,
        // Shown beside the masked id as year and month (ADR 0021).
        birthDate: declared.birthDate.slice(0, 7),
        // As declared: 南昌's code, not 330802; the son's unknowns stay unknown (null), not 汉族.
        birthplace: declared.birthplace,
        ethnicity: declared.ethnicity,
        education: declared.education,
        maritalStatus: declared.maritalStatus,
        occupation: declared.occupation,
        countyCode: COUNTY,
        status: 'active',
      });
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        type: 'move-in',
        fromDivision: { code: '360102', name: '江西省南昌市东湖区' },
        sourceApplication: reference,
        basis: { article: article.id, quote: article.quote },
      });
      expect(eventIds).toContain(history[0].id);
    }
    // The ledger event itself holds the same: 迁出地 and its name, the application, the article.
    const sonRow = await app.inject({
      method: 'GET',
      url: `/api/v1/register/persons?citizenId=${sonId}`,
      headers: officer,
    });
    const [event] = await eventsOf(database.db, { personId: sonRow.json().items[0].id });
    expect(event?.sourceApplication).toBe(reference);
    expect(event?.payload).toMatchObject({
      type: 'move-in',
      fromDivision: '360102',
      fromDivisionName: '江西省南昌市东湖区',
      basis: { article: article.id, quote: article.quote },
      person: { birthplace: null, ethnicity: null, education: '80' },
    });
  });

  it('refuses a second application for a person already registered in the city, in the asked language, masked', async () => {
    // The applicant is registered now (approved above): a new settlement naming them is refused.
    for (const lang of ['zh-CN', 'en'] as const) {
      const res = await submit(settlement([applicant]), '13900000013', lang);
      expect(res.statusCode, res.body).toBe(409);
      const body = res.json();
      expect(body.code).toBe('HUJI_APPLICATION_PERSON_REGISTERED');
      expect(body.detail).toContain(maskCitizenId(applicantId));
      expect(body.detail).toContain('衢州市');
      expect(body.detail).toMatch(
        lang === 'zh-CN' ? /已在本市/ : /already registered as a permanent resident/,
      );
      expect(res.body).not.toContain(applicantId);
      expect(res.body).not.toMatch(/\d{15}/); // no household number
      expect(body.errors[0].path).toBe('body.form.movers.0.citizenId');
    }
    // Registered in another county of the same city (衢江区): refused too, its household number unsaid.
    const neighbourId = composeCitizenId('330803', '1970-02-03', 41);
    const neighbour = {
      name: '邵建国',
      citizenId: neighbourId,
      sex: '1',
      birthDate: '1970-02-03',
      relationship: '02',
      birthplace: '330803',
      ethnicity: '01',
    };
    const res = await submit(
      settlement([neighbour], { name: '邵建国', citizenId: neighbourId }),
      '13900000014',
    );
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('HUJI_APPLICATION_PERSON_REGISTERED');
    expect(res.body).not.toContain(NEIGHBOUR_HOUSEHOLD);
    expect(res.body).not.toContain(neighbourId);
  });

  it('refuses a second open application for the same person at submission, and lets them apply again once it is withdrawn', async () => {
    const otherId = composeCitizenId('360102', '1992-11-20', 53);
    const other = {
      name: '邓文',
      citizenId: otherId,
      sex: '1',
      birthDate: '1992-11-20',
      relationship: '02',
      birthplace: '360102',
      ethnicity: '01',
    };
    const body = settlement([other], { name: '邓文', citizenId: otherId });
    const first = await submit(body, '13900000015');
    expect(first.statusCode, first.body).toBe(201);
    for (const lang of ['zh-CN', 'en'] as const) {
      const second = await submit(body, '13900000016', lang);
      expect(second.statusCode, second.body).toBe(409);
      expect(second.json().code).toBe('HUJI_APPLICATION_PERSON_PENDING');
      expect(second.json().detail).toContain(first.json().reference);
      expect(second.json().detail).toContain(maskCitizenId(otherId));
      expect(second.json().detail).toMatch(lang === 'zh-CN' ? /正在办理/ : /already in an open/);
      expect(second.body).not.toContain(otherId);
    }
    // Once withdrawn, the person may apply again.
    const withdrawn = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${first.json().id}/withdraw`,
      headers: { ...(await residents.headers(app, '13900000015')), 'idempotency-key': key() },
      payload: {},
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const again = await submit(body, '13900000016');
    expect(again.statusCode, again.body).toBe(201);
  });

  /** The register's own move-in by a 衢江区 officer (not through an application). */
  const registerDirectly = async (person: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/register/move-in',
      headers: {
        ...(await officerHeaders(app, { id: 'dr-qj', countyCode: '330803' })),
        'idempotency-key': key(),
      },
      payload: {
        person: { ...person, relationship: undefined },
        permitNumber: 'ZQ-QJ-1',
        fromDivision: '360102',
        newHousehold: { address: { text: '衢州市衢江区樟潭街道 9 号', countyCode: '330803' } },
        relationship: '02',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const person = (name: string, birthDate: string, seq: number) => ({
    name,
    citizenId: composeCitizenId('360102', birthDate, seq),
    sex: seq % 2 === 1 ? '1' : '2',
    birthDate,
    relationship: '02',
    birthplace: '360102',
    ethnicity: '01',
  });

  it('re-checks at acceptance: a mover registered in the city since the submission is refused then', async () => {
    const late = person('龚晚', '1994-04-04', 71);
    const submitted = await submit(
      settlement([late], { name: late.name, citizenId: late.citizenId }),
      '13900000017',
    );
    expect(submitted.statusCode, submitted.body).toBe(201);
    await registerDirectly(late);
    const accepted = await act(clerk, submitted.json().id, 'accept', {}, 'en');
    expect(accepted.statusCode, accepted.body).toBe(409);
    expect(accepted.json().code).toBe('HUJI_APPLICATION_PERSON_REGISTERED');
    expect(accepted.json().detail).toContain(maskCitizenId(late.citizenId));
    expect(accepted.body).not.toContain(late.citizenId);
  });

  it('answers a refusal of the register at approval in Chinese to a Chinese request, ids masked', async () => {
    const racing = person('龚迟', '1995-05-05', 73);
    const submitted = await submit(
      settlement([racing], { name: racing.name, citizenId: racing.citizenId }),
      '13900000018',
    );
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    const type = (await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` }))
      .json()
      .items.find((t: { id: string }) => t.id === 'settlement/legal-residence');
    for (const m of type.materials as { key: string }[])
      await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m.key)}&fileName=m.pdf`,
        headers: {
          ...(await residents.headers(app, '13900000018')),
          'idempotency-key': key(),
          'content-type': 'application/octet-stream',
        },
        payload: PDF,
      });
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
    // Registered by the register itself after acceptance: the approval's own check refuses.
    await registerDirectly(racing);
    const zh = await act(approver, id, 'approve', {}, 'zh-CN');
    expect(zh.statusCode, zh.body).toBe(422);
    expect(zh.json().code).toBe('HUJI_APPLICATION_REGISTER_REFUSED');
    // Registered in another county: said without naming it or its household (issue 14).
    expect(zh.json().detail).toMatch(
      /^户口登记未能完成，申请未批准：公民身份号码 360102\*{12} 已在其他县（市、区）登记常住户口/,
    );
    expect(zh.json().detail).not.toMatch(/[A-Za-z]{4,}/); // no English internal text
    expect(zh.body).not.toContain(racing.citizenId);
    const en = await act(approver, id, 'approve', {}, 'en');
    expect(en.json().detail).toContain('is registered in another county');
  });
});
