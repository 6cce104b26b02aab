/**
 * The officer's side of an application with family members, over HTTP on the real database: the
 * checklist asks papers of followers only when followers move; acceptance hands over a receipt the
 * officer and the resident can download; the approval preview runs the real approval and rolls it back
 * (nothing of it stays), under the approval's own role and jurisdiction rules, and says exactly what the
 * approval then writes; a refusal yields a notice with the article and the rights of appeal.
 */
import { pdfText as readPdfText } from '../../src/documents/testing/inspect-pdf.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';

const COUNTY = '330802';
const clerk: TestOfficer = { id: 'oa-clerk', countyCode: COUNTY, roles: ['window-clerk'] };
const reviewer: TestOfficer = { id: 'oa-reviewer', countyCode: COUNTY, roles: ['reviewer'] };
const approver: TestOfficer = { id: 'oa-approver', countyCode: COUNTY, roles: ['approver'] };
const neighbour: TestOfficer = { id: 'oa-approver-qj', countyCode: '330803', roles: ['approver'] };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

const facts = {
  place: { countyCode: COUNTY },
  hukou: { scope: 'same-city' },
  residence: { type: 'owned', townType: 'county-seat' },
};

/** A settlement into a new household: the applicant, and the followers given. */
function settlement(
  seq: number,
  followers: readonly { name: string; birthDate: string; sex: '1' | '2'; relationship: string }[],
) {
  const applicantId = composeCitizenId('330881', '1985-03-04', seq * 2 + 1);
  return {
    applicantId,
    body: {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name: `郑${seq}`, citizenId: applicantId },
        movers: [
          {
            name: `郑${seq}`,
            sex: '1',
            birthDate: '1985-03-04',
            citizenId: applicantId,
            relationship: '02',
            birthplace: '330881',
            ethnicity: '01',
          },
          ...followers.map((f, i) => ({
            ...f,
            citizenId: composeCitizenId('330881', f.birthDate, seq * 10 + i * 2 + (f.sex === '1' ? 1 : 2)),
            birthplace: null,
            ethnicity: '01',
            education: '21',
          })),
        ],
        fromDivision: '330881',
        destination: {
          newHousehold: { type: 'family', address: { text: `府山街道坊门街 ${seq} 号`, countyCode: COUNTY } },
        },
      },
      facts: {
        ...facts,
        family: followers.map((f) => ({
          relation: f.relationship.startsWith('1') ? 'spouse' : 'child',
          name: f.name,
          age: 2026 - Number(f.birthDate.slice(0, 4)),
          sex: f.sex === '1' ? 'male' : 'female',
          isCoResident: true,
          hasIncome: false,
        })),
      },
    },
  };
}

describe.each(testDatabases())('the officer’s application page on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  const dir = mkdtempSync(join(tmpdir(), 'huji-officer-application-'));
  let keys = 0;
  const key = () => `oa-${++keys}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const pdfText = async (pdf: Buffer) => (await readPdfText(pdf)).replace(/\s+/g, '');
  const asResident = (phone: string) => residents.headers(app, phone);
  const act = async (officer: TestOfficer, id: string, action: string, payload: object = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
      payload,
    });
  const detail = async (officer: TestOfficer, id: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, officer),
    });
  const submit = async (phone: string, body: object, materials: readonly string[]) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...(await asResident(phone)), 'idempotency-key': key() },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    for (const m of materials) {
      const up = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m)}&fileName=${encodeURIComponent(`${m}.pdf`)}`,
        headers: {
          ...(await asResident(phone)),
          'idempotency-key': key(),
          'content-type': 'application/pdf',
        },
        payload: PDF,
      });
      expect(up.statusCode, up.body).toBe(201);
    }
    return id;
  };
  const counts = async () =>
    rowsOf<Record<string, number>>(
      await database.db.execute(sql`select
        (select count(*)::int from person) as persons,
        (select count(*)::int from household) as households,
        (select count(*)::int from membership) as memberships,
        (select count(*)::int from register_event) as events,
        (select count(*)::int from issued_document) as documents,
        (select count(*)::int from application_event) as application_events,
        (select count(*)::int from notification) as notifications,
        (select count(*)::int from outbox_message) as outbox`),
    )[0];

  it('asks the paper of followers only when followers move', async () => {
    const alone = settlement(1, []);
    const aloneId = await submit('13900001001', alone.body, ['legal-residence#0', 'legal-residence#1']);
    const aloneDetail = (await detail(clerk, aloneId)).json();
    expect(aloneDetail.completeness).toMatchObject({ isComplete: true, missing: [] });
    expect((await act(clerk, aloneId, 'accept')).statusCode).toBe(200);

    const family = settlement(2, [{ name: '王芳', birthDate: '1987-08-09', sex: '2', relationship: '10' }]);
    const familyId = await submit('13900001002', family.body, ['legal-residence#0', 'legal-residence#1']);
    const familyDetail = (await detail(clerk, familyId)).json();
    expect(familyDetail.completeness.missing.map((c: { material: string }) => c.material)).toEqual([
      'legal-residence#2',
    ]);
    const refused = await act(clerk, familyId, 'accept');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('HUJI_APPLICATION_INCOMPLETE');
  });

  it('shows what was applied for, names the places, and hands over a receipt on acceptance', async () => {
    const family = settlement(3, [
      { name: '王芳', birthDate: '1987-08-09', sex: '2', relationship: '10' },
      { name: '郑小雨', birthDate: '2015-02-03', sex: '2', relationship: '30' },
    ]);
    const id = await submit('13900001003', family.body, [
      'legal-residence#0',
      'legal-residence#1',
      'legal-residence#2',
    ]);
    const before = (await detail(clerk, id)).json();
    // The household plan: every mover, ids masked, and the names of the places.
    expect(before.form.movers.map((m: { name: string }) => m.name)).toEqual(['郑3', '王芳', '郑小雨']);
    expect(JSON.stringify(before.form)).not.toContain(family.applicantId);
    expect(before.form.movers[1].citizenId).toMatch(/^330881\*{12}$/);
    expect(before.placeNames['330881']).toBe('浙江省衢州市江山市');
    expect(before.placeNames[COUNTY]).toBe('浙江省衢州市柯城区');

    const accepted = await act(clerk, id, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    const [receipt] = accepted.json().certificates as { id: string; kind: string }[];
    expect(receipt?.kind).toBe('acceptance-receipt');

    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/certificates/${receipt?.id}.pdf?download=1`,
      headers: await officerHeaders(app, clerk),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(
      /^attachment; filename="acceptance-receipt-SQ\d+\.pdf"; filename\*=UTF-8''%E5%8F%97%E7%90%86%E5%9B%9E%E6%89%A7-SQ\d+\.pdf$/,
    );
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      '受理回执',
      before.reference,
      '郑3',
      '落户：合法稳定住所落户',
      '20个工作日',
      '居民身份证、居民户口簿（1份）',
    ])
      expect(text, expected).toContain(expected);
    // The deadline printed is the one the application's clock keeps.
    const [y, m, d] = (accepted.json().clock.deadline as string).split('-').map(Number);
    expect(text).toContain(`${y}年${m}月${d}日前作出决定`);

    // The resident finds it among the certificates of their application and downloads it too.
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}`,
      headers: await asResident('13900001003'),
    });
    expect(mine.json().certificates.map((c: { kind: string }) => c.kind)).toEqual(['acceptance-receipt']);
    const theirs = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}/certificates/${receipt?.id}.pdf`,
      headers: await asResident('13900001003'),
    });
    expect(theirs.statusCode).toBe(200);
    // Another county's officer cannot fetch it.
    const other = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/certificates/${receipt?.id}.pdf`,
      headers: await officerHeaders(app, neighbour),
    });
    expect(other.statusCode).toBe(404);
  });

  it('previews the approval by running it and rolling it back, then approves exactly that', async () => {
    const family = settlement(4, [
      { name: '李静', birthDate: '1986-01-02', sex: '2', relationship: '10' },
      { name: '郑小明', birthDate: '2016-04-05', sex: '1', relationship: '20' },
    ]);
    const id = await submit('13900001004', family.body, [
      'legal-residence#0',
      'legal-residence#1',
      'legal-residence#2',
    ]);
    const preview = async (officer: TestOfficer) =>
      app.inject({
        method: 'GET',
        url: `/api/v1/applications/${id}/approval-preview`,
        headers: await officerHeaders(app, officer),
      });
    // Not yet reviewed: the approval's own refusal (409); other roles 403; another county 404.
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await preview(approver)).statusCode).toBe(409);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
    expect((await preview(clerk)).statusCode).toBe(403);
    expect((await preview(neighbour)).statusCode).toBe(404);

    const before = await counts();
    const state = (await detail(approver, id)).json();
    const answer = await preview(approver);
    expect(answer.statusCode, answer.body).toBe(200);
    const shown = answer.json();
    expect(shown.action).toBe('approve');
    expect(shown.persons.map((p: { name: string }) => p.name)).toEqual(['郑4', '李静', '郑小明']);
    expect(shown.persons[0]).toMatchObject({
      citizenId: `${family.applicantId.slice(0, 6)}************`,
      sex: '1',
      birthDate: '1985-03',
      relationship: '02',
    });
    expect(shown.persons[1]).toMatchObject({ relationship: '10', education: '21', ethnicity: '01' });
    expect(JSON.stringify(shown)).not.toContain(family.applicantId);
    expect(shown.households).toEqual([
      {
        isNew: true,
        householdNumber: expect.stringMatching(/^330802\d{9}$/),
        address: { text: '府山街道坊门街 4 号', countyCode: COUNTY },
      },
    ]);
    expect(shown.events.map((e: { type: string; personNames: string[] }) => [e.type, e.personNames])).toEqual(
      [
        ['move-in', ['郑4']],
        ['move-in', ['李静']],
        ['move-in', ['郑小明']],
      ],
    );
    expect(shown.certificates).toEqual(['approval-notice', 'permit-to-move-in']);

    // Rolled back: nothing of it stays, and the application has not moved.
    expect(await counts()).toEqual(before);
    const after = (await detail(approver, id)).json();
    expect(after).toMatchObject({ state: 'reviewed', version: state.version, registerEventId: null });
    const registered = rowsOf<{ n: number }>(
      await database.db.execute(
        sql`select count(*)::int as n from person where citizen_id = ${family.applicantId}`,
      ),
    )[0]?.n;
    expect(registered).toBe(0);

    // The approval writes what the preview showed.
    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    // The household number is taken from a counter row the rollback undid: the same number is drawn.
    const household = await app.inject({
      method: 'GET',
      url: `/api/v1/register/households/by-number/${shown.households[0].householdNumber}`,
      headers: await officerHeaders(app, { id: 'oa-registrar', countyCode: COUNTY }),
    });
    expect(household.statusCode, household.body).toBe(200);
    const persons = rowsOf<{ name: string; education: string | null }>(
      await database.db.execute(sql`
        select p.name, p.education from register_event e join person p on p.id = any(e.person_ids)
        where e.id = any(${`{${(approved.json().registerEventIds as string[]).join(',')}}`}::uuid[])
        order by e.seq`),
    );
    expect(persons).toEqual(
      shown.persons.map((p: { name: string; education: string | null }) => ({
        name: p.name,
        education: p.education,
      })),
    );
    for (const name of ['郑4', '李静', '郑小明']) expect(household.body).toContain(name);
    // The certificates of a new household print the number it was given, not 新立户.
    const issued = approved.json().certificates as { id: string; kind: string }[];
    for (const kind of ['approval-notice', 'permit-to-move-in']) {
      const certificate = issued.find((c) => c.kind === kind);
      const printed = await app.inject({
        method: 'GET',
        url: `/api/v1/applications/${id}/certificates/${certificate?.id}.pdf`,
        headers: await officerHeaders(app, approver),
      });
      expect(printed.statusCode, kind).toBe(200);
      const text = await pdfText(printed.rawPayload);
      expect(text, kind).toContain(shown.households[0].householdNumber);
      expect(text, kind).not.toContain('新立户');
    }
  });

  it('refusing yields a 不予批准决定书 with the article and the rights of appeal', async () => {
    const alone = settlement(5, []);
    const id = await submit('13900001005', alone.body, ['legal-residence#0', 'legal-residence#1']);
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'refuse' })).statusCode).toBe(200);
    const refused = await act(approver, id, 'refuse', {
      reason: {
        article: 'qz-final/1',
        quote: '有合法稳定住所（含租赁）的人员',
        explanation: { zh: '所申报住所\n不在建制镇', en: 'not in an organised town' },
      },
    });
    expect(refused.statusCode, refused.body).toBe(200);
    const notice = (refused.json().certificates as { id: string; kind: string }[]).find(
      (c) => c.kind === 'refusal-notice',
    );
    expect(notice).toBeDefined();
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/certificates/${notice?.id}.pdf`,
      headers: await officerHeaders(app, approver),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-disposition']).toMatch(/^inline;/);
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      '不予批准决定书',
      '《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第一条“有合法稳定住所（含租赁）的人员”',
      '所申报住所不在建制镇',
      '行政复议',
      '六十日内',
      '《中华人民共和国行政诉讼法》',
      '六个月内',
    ])
      expect(text, expected).toContain(expected);
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}`,
      headers: await asResident('13900001005'),
    });
    expect(
      mine
        .json()
        .certificates.map((c: { kind: string }) => c.kind)
        .sort(),
    ).toEqual(['acceptance-receipt', 'refusal-notice']);
  });

  it('declining at the window (不予受理) ends the application with a 不予受理决定书 the applicant holds', async () => {
    const alone = settlement(6, []);
    const id = await submit('13900001006', alone.body, ['legal-residence#0', 'legal-residence#1']);
    const reason = {
      article: 'qz-final/1',
      quote: '有合法稳定住所（含租赁）的人员',
      explanation: { zh: '申请事项不属于本机关职权范围', en: 'not within this office’s remit' },
    };
    // Only the window clerk declines, and only before acceptance.
    expect((await act(reviewer, id, 'decline', { reason })).statusCode).toBe(403);
    const declined = await act(clerk, id, 'decline', { reason });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ state: 'not-accepted', stateLabel: { zh: '不予受理' } });
    expect((await act(clerk, id, 'accept')).statusCode).toBe(409);
    const notice = (declined.json().certificates as { id: string; kind: string }[]).find(
      (c) => c.kind === 'refusal-notice',
    );
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/certificates/${notice?.id}.pdf`,
      headers: await officerHeaders(app, clerk),
    });
    expect(pdf.statusCode).toBe(200);
    const text = await pdfText(pdf.rawPayload);
    for (const expected of [
      '不予受理决定书',
      '不予受理。',
      '申请事项不属于本机关职权范围',
      '行政复议',
      '六个月内',
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toContain('不予批准');
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}`,
      headers: await asResident('13900001006'),
    });
    expect(mine.json()).toMatchObject({ state: 'not-accepted', refusal: { article: 'qz-final/1' } });
    expect(mine.json().certificates.map((c: { kind: string }) => c.kind)).toEqual(['refusal-notice']);
  });
});
