/**
 * Online applications end to end over HTTP on the real database: a resident submits a settlement
 * application (the engine's decision stored with it), uploads materials (type read from the bytes),
 * the window clerk cannot accept it incomplete and returns it with the whole list, the resident
 * resubmits, review and approval follow, and approval puts the mover into the household in the same
 * transaction. Also: roles outside the table (403), states outside it (409), refusals that must cite
 * the policy (422), another county's officers (404), idempotent replays, and the notifications.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { pdfText as readPdfText } from '../../src/documents/testing/inspect-pdf.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';
import { ONE_PIXEL_PNG } from '../support/material-files.js';

const COUNTY = '330802';
const HOUSEHOLD_NUMBER = '330802000910001';
const clerk: TestOfficer = { id: 'ap-clerk', countyCode: COUNTY, roles: ['window-clerk'] };
const reviewer: TestOfficer = { id: 'ap-reviewer', countyCode: COUNTY, roles: ['reviewer'] };
const approver: TestOfficer = { id: 'ap-approver', countyCode: COUNTY, roles: ['approver'] };
const registrar: TestOfficer = { id: 'ap-registrar', countyCode: COUNTY, roles: ['registrar'] };
const neighbour: TestOfficer = { id: 'ap-clerk-qj', countyCode: '330803', roles: ['window-clerk'] };

const PNG = ONE_PIXEL_PNG;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');

const moverId = composeCitizenId('330881', '1990-05-06', 13); // odd sequence: male
const mover = {
  name: '程远',
  sex: '1',
  birthDate: '1990-05-06',
  citizenId: moverId,
  relationship: '99',
  birthplace: '330881',
  ethnicity: '01',
};
const settlementBody = {
  typeId: 'settlement/legal-residence',
  form: {
    kind: 'settlement',
    applicant: { name: '程远', citizenId: moverId },
    movers: [mover],
    fromDivision: '330881',
    destination: { householdNumber: HOUSEHOLD_NUMBER },
  },
  facts: {
    place: { countyCode: COUNTY },
    person: { age: 36, sex: 'male' },
    hukou: { scope: 'same-city' },
    residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
  },
};

describe.each(testDatabases())('online applications on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  let keys = 0;
  const key = () => `ap-${++keys}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: HOUSEHOLD_NUMBER,
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 8 号',
          county_code: COUNTY,
          relationship: '户主',
          citizen_id: composeCitizenId(COUNTY, '1962-01-02', 21),
          name: '程父',
          sex: '男',
          birth_date: '1962-01-02',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: COUNTY }, 'test');
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const asResident = (phone = '13900000001') => residents.headers(app, phone);
  const act = async (officer: TestOfficer, id: string, action: string, payload: object = {}) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
      payload,
    });
  const upload = async (
    id: string,
    materialKey: string,
    fileName: string,
    bytes: Buffer,
    type = 'application/octet-stream',
    phone?: string,
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(materialKey)}&fileName=${encodeURIComponent(fileName)}`,
      headers: { ...(await asResident(phone)), 'idempotency-key': key(), 'content-type': type },
      payload: bytes,
    });

  it('takes only an image in a photo slot (本人相片), on the bytes, and says so (issue 13)', async () => {
    const types = await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` });
    const permitType = types.json().items.find((t: { id: string }) => t.id === 'residence-permit');
    const photo = permitType.materials.find((m: { key: string }) => m.key === 'residence-permit#1');
    expect(photo.accepts).toEqual(['image/jpeg', 'image/png']);
    expect(
      permitType.materials.find((m: { key: string }) => m.key === 'residence-permit#2').accepts,
    ).toContain('application/pdf');
    const phone = '13900000042';
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...(await asResident(phone)), 'idempotency-key': key() },
      payload: {
        typeId: 'residence-permit',
        form: {
          kind: 'residence-permit',
          applicant: {
            name: '叶知秋',
            citizenId: composeCitizenId('620102', '1996-03-08', 42),
            sex: '2',
            birthDate: '1996-03-08',
            ethnicity: '01',
          },
          residenceAddress: { text: '柯城区白云街道花园路 20 号', countyCode: COUNTY },
          livingSince: '2026-01-10',
        },
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    // A PDF named .png is still a PDF: refused in the photo slot, in the page's language.
    const pdfPhoto = await upload(id, 'residence-permit#1', 'photo.png', PDF, 'image/png', phone);
    expect(pdfPhoto.statusCode).toBe(415);
    expect(pdfPhoto.json()).toMatchObject({ code: 'HUJI_MATERIAL_IMAGE_ONLY' });
    expect(pdfPhoto.json().detail).toContain('本人相片');
    expect(pdfPhoto.json().detail).toContain('PDF');
    expect((await upload(id, 'residence-permit#1', 'photo.png', PNG, undefined, phone)).statusCode).toBe(201);
    // The other slots still take a scan as a PDF.
    expect((await upload(id, 'residence-permit#2', 'lease.pdf', PDF, undefined, phone)).statusCode).toBe(201);
  });

  it('issues the residence permit in 柯城区 under qz-draft/2.3, to the resident and the officer (issues 13, 16)', async () => {
    const phone = '13900000043';
    const citizenId = composeCitizenId('360102', '1993-04-17', 58);
    const submit = async (facts: object, id = citizenId) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/my/applications',
        headers: { ...(await asResident(phone)), 'idempotency-key': key() },
        payload: {
          typeId: 'residence-permit',
          form: {
            kind: 'residence-permit',
            applicant: { name: '龚晓岚', citizenId: id, sex: '2', birthDate: '1993-04-17', ethnicity: '01' },
            residenceAddress: { text: '柯城区荷花街道荷三路 9 号', countyCode: COUNTY },
            livingSince: '2025-11-01',
          },
          facts,
        },
      });
    // From this city's other county: not "another city" (《居住证暂行条例》 art. 2), so the engine says no.
    const local = await submit(
      {
        place: { countyCode: COUNTY },
        hukou: { scope: 'same-city' },
        months: { residence: 8 },
        employment: { status: 'stable' },
      },
      composeCitizenId('330881', '1993-04-17', 62),
    );
    expect(local.statusCode, local.body).toBe(201);
    expect(local.json().decision).toMatchObject({ programme: 'residence-permit', outcome: 'not_eligible' });

    const submitted = await submit({
      place: { countyCode: COUNTY },
      person: { age: 33, sex: 'female' },
      hukou: { scope: 'other-province' },
      months: { residence: 8 },
      employment: { status: 'stable' },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    const decision = submitted.json().decision;
    expect(decision).toMatchObject({
      policy: 'quzhou-2017-final@3',
      programme: 'residence-permit',
      pathway: 'residence-permit',
      outcome: 'eligible',
    });
    expect(decision.basis.map((a: { id: string }) => a.id)).toEqual(['qz-draft/2.3']);
    expect(decision.basis[0].quote).toContain('按照国务院《居住证暂行条例》');
    for (const [slot, name, bytes] of [
      ['residence-permit#0', 'id-card.pdf', PDF],
      ['residence-permit#1', 'photo.png', PNG],
      ['residence-permit#2', 'lease.pdf', PDF],
      ['residence-permit#3', 'contract.pdf', PDF],
    ] as const)
      expect((await upload(id, slot, name, bytes, undefined, phone)).statusCode).toBe(201);

    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const permit = (approved.json().certificates as { id: string; kind: string }[]).find(
      (c) => c.kind === 'residence-permit',
    );
    expect(permit).toBeDefined();

    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}/certificates/${permit!.id}.pdf`,
      headers: await asResident(phone),
    });
    const officers = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/certificates/${permit!.id}.pdf`,
      headers: await officerHeaders(app, approver),
    });
    for (const pdf of [mine, officers]) {
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
    }
    const text = (await readPdfText(mine.rawPayload)).replace(/\s+/g, '');
    for (const expected of [
      '居住证',
      '龚晓岚',
      citizenId,
      '柯城区荷花街道荷三路9号',
      '1993年4月17日',
      '《衢州市人民政府关于进一步推进户籍制度改革的实施意见（送审稿）》第二部分第（三）项',
    ])
      expect(text, expected).toContain(expected);
  });

  it('lists the types a county offers, with their checklists and time limits', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` });
    expect(res.statusCode).toBe(200);
    const type = res.json().items.find((t: { id: string }) => t.id === 'settlement/legal-residence');
    expect(type.materials.map((m: { key: string }) => m.key)).toEqual([
      'legal-residence#0',
      'legal-residence#1',
      'legal-residence#2',
    ]);
    expect(type.timeLimit.workingDays).toBe(20);
    // A deployment's own limits (HUJI_TIME_LIMITS) replace the defaults and say so.
    const configured = await buildApp({ database, logger: false, timeLimits: { 'residence-permit': 30 } });
    const permit = (
      await configured.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` })
    )
      .json()
      .items.find((t: { id: string }) => t.id === 'residence-permit');
    expect(permit.timeLimit).toMatchObject({ workingDays: 30, isOverridden: true });
    await configured.close();
    const check = await app.inject({
      method: 'POST',
      url: '/api/v1/application-types/completeness',
      payload: { county: COUNTY, typeId: 'settlement/legal-residence', materials: ['legal-residence#1'] },
    });
    expect(check.json().missing.map((c: { material: string }) => c.material)).toEqual([
      'legal-residence#0',
      'legal-residence#2',
    ]);
  });

  it('carries a settlement application from submission to the register', async () => {
    const headers = { ...(await asResident()), 'idempotency-key': 'ap-submit-1' };
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers,
      payload: settlementBody,
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const application = submitted.json();
    expect(application).toMatchObject({
      state: 'submitted',
      reference: expect.stringMatching(/^SQ\d{14}$/),
      decision: { policy: 'quzhou-2017-final@3', pathway: 'legal-residence', outcome: 'eligible' },
      clock: { state: 'running', workingDays: 20, isOverdue: false },
    });
    expect(application.decision.articles.map((a: { id: string }) => a.id)).toContain('qz-final/1');
    // The applicant's id is masked in the answer.
    expect(application.applicant.citizenId).toBe(`${moverId.slice(0, 6)}************`);
    expect(JSON.stringify(application.form)).not.toContain(moverId);

    // The same key replays; the same key with another body is refused.
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers,
      payload: settlementBody,
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(application.id);
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers,
      payload: { ...settlementBody, typeId: 'settlement/talent' },
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('HUJI_IDEMPOTENCY_MISMATCH');

    const id = application.id as string;
    // Incomplete: the clerk cannot accept, and is told everything that is missing at once.
    const early = await act(clerk, id, 'accept');
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('HUJI_APPLICATION_INCOMPLETE');

    // Uploads: the type comes from the bytes. A PNG named .pdf is a PNG; HTML named .jpg is refused.
    const png = await upload(id, 'legal-residence#0', 'lease.pdf', PNG, 'application/pdf');
    expect(png.statusCode, png.body).toBe(201);
    expect(png.json()).toMatchObject({ mediaType: 'image/png', byteSize: PNG.length });
    expect(png.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const html = await upload(id, 'legal-residence#1', 'photo.jpg', HTML, 'image/jpeg');
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({ code: 'HUJI_MATERIAL_TYPE' });
    expect(html.json().detail).toContain('HTML');
    const offList = await upload(id, 'land-contract', 'x.pdf', PDF);
    expect(offList.statusCode).toBe(422);
    expect(offList.json().code).toBe('HUJI_MATERIAL_KEY');
    const huge = await upload(
      id,
      'legal-residence#1',
      'big.pdf',
      Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]),
    );
    expect(huge.statusCode).toBe(413);

    // The clerk returns it: the missing material is listed without being named by the clerk, plus the
    // clerk's own correction. The applicant moves alone, so no paper of followers (legal-residence#2).
    const returned = await act(clerk, id, 'return', {
      requests: [
        {
          kind: 'correction',
          label: { zh: '迁出地', en: 'place of origin' },
          reason: { zh: '请核对迁出地', en: 'check the place of origin' },
        },
      ],
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().state).toBe('returned');
    expect(
      returned.json().requiredChanges.map((c: { kind: string; material?: string }) => c.material ?? c.kind),
    ).toEqual(['legal-residence#1', 'correction']);
    expect(returned.json().clock.state).toBe('paused');

    const resubmittedTooEarly = await act(clerk, id, 'accept');
    expect(resubmittedTooEarly.statusCode).toBe(409);

    expect((await upload(id, 'legal-residence#1', 'id.pdf', PDF)).statusCode).toBe(201);
    expect((await upload(id, 'legal-residence#2', 'booklet.pdf', PDF)).statusCode).toBe(201);
    const resubmit = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/resubmit`,
      headers: { ...(await asResident()), 'idempotency-key': key() },
      payload: {},
    });
    expect(resubmit.statusCode, resubmit.body).toBe(200);
    expect(resubmit.json().state).toBe('submitted');

    // Roles outside the table answer 403; steps outside it 409; another county 404.
    const reviewerAccepts = await act(reviewer, id, 'accept');
    expect(reviewerAccepts.statusCode).toBe(403);
    expect(reviewerAccepts.json().code).toBe('HUJI_APPLICATION_ROLE');
    expect((await act(neighbour, id, 'accept')).statusCode).toBe(404);
    const neighbourRead = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, neighbour),
    });
    expect(neighbourRead.statusCode).toBe(404);

    const accepted = await act(clerk, id, 'accept');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect((await act(clerk, id, 'accept')).statusCode).toBe(409);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);

    // The officer sees the facts, the engine's explanation and the materials beside them.
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, approver),
    });
    expect(detail.json().decision.explanation.pathways.length).toBeGreaterThan(3);
    expect(detail.json().materials).toHaveLength(3);
    expect(detail.json().actions.map((a: { action: string }) => a.action)).toEqual(['approve', 'refuse']);
    const material = detail.json().materials[0];
    const file = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}/materials/${material.id}`,
      headers: await officerHeaders(app, approver),
    });
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);

    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().state).toBe('approved');
    expect(approved.json().registerEventIds).toHaveLength(1);
    // Approval issued the approval notice and the permit to move in, each verifiable without login.
    expect(approved.json().certificates.map((c: { kind: string }) => c.kind)).toEqual([
      'approval-notice',
      'permit-to-move-in',
    ]);
    const mineDetail = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}`,
      headers: await asResident(),
    });
    // The receipt of acceptance, then the approval's two.
    expect(
      mineDetail
        .json()
        .certificates.map((c: { kind: string }) => c.kind)
        .sort(),
    ).toEqual(['acceptance-receipt', 'approval-notice', 'permit-to-move-in']);
    const CERTIFICATE_TITLES: Record<string, string> = {
      'acceptance-receipt': '受理回执',
      'approval-notice': '准予落户通知书',
      'permit-to-move-in': '准予迁入证明',
    };
    for (const certificate of mineDetail.json().certificates as {
      id: string;
      kind: string;
      verifyUrl: string;
    }[]) {
      const pdf = await app.inject({
        method: 'GET',
        url: `/api/v1/my/applications/${id}/certificates/${certificate.id}.pdf`,
        headers: await asResident(),
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      // Named as printed, with the reference (RFC 5987), not by a UUID (issue 13).
      const disposition = String(pdf.headers['content-disposition']);
      expect(disposition).not.toContain(certificate.id);
      const named = /filename\*=UTF-8''([^;]+)$/.exec(disposition)?.[1];
      expect(decodeURIComponent(named ?? '')).toBe(
        `${CERTIFICATE_TITLES[certificate.kind]}-${application.reference}.pdf`,
      );
      expect(disposition).toMatch(/^inline; filename="[a-z-]+-SQ\d+\.pdf"; /);
      if (certificate.kind === 'approval-notice') {
        // The article by its title as the policy names it; only what the decision rests on: this
        // applicant comes from another county of the city, so not the within-county clause 2.1.6.
        const text = (await readPdfText(pdf.rawPayload)).replace(/\s+/g, '');
        expect(text).toContain('《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第一条');
        expect(text).not.toContain('qz-final/1');
        expect(text).not.toContain('2.1.6');
      }
      const verified = await app.inject({ method: 'GET', url: new URL(certificate.verifyUrl).pathname });
      expect(verified.body).toContain('真实有效');
    }
    const notMine = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}/certificates/${mineDetail.json().certificates[0].id}.pdf`,
      headers: await asResident('13900000009'),
    });
    expect(notMine.statusCode).toBe(404);

    // The household now holds the mover, recorded with the application's reference.
    const household = await app.inject({
      method: 'GET',
      url: `/api/v1/register/households/by-number/${HOUSEHOLD_NUMBER}`,
      headers: await officerHeaders(app, registrar),
    });
    expect(household.statusCode, household.body).toBe(200);
    expect(JSON.stringify(household.json())).toContain('程远');
    const [event] = rowsOf<{ source_application: string }>(
      await database.db.execute(
        sql`select source_application from register_event where id = ${approved.json().registerEventIds[0]}`,
      ),
    );
    expect(event?.source_application).toBe(application.reference);

    // Every step is in the audit trail, naming the application (the submission too, whose path cannot).
    const audited = rowsOf<{ action: string; actor_kind: string }>(
      await database.db.execute(
        sql`select action, actor_kind from audit_entry where object_id = ${id} and outcome = 'success' order by at, seq`,
      ),
    );
    expect(audited[0]).toEqual({ action: 'POST /api/v1/my/applications', actor_kind: 'resident' });
    expect(audited.filter((a) => a.action === 'application.act').length).toBeGreaterThanOrEqual(4);
    const done = await act(registrar, id, 'complete');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'done', clock: { state: 'stopped' } });

    // Every change told the applicant, in the app and by SMS through the outbox.
    const mine = await app.inject({
      method: 'GET',
      url: '/api/v1/my/notifications',
      headers: await asResident(),
    });
    expect(mine.json().items.length).toBe(7);
    const [sms] = rowsOf<{ n: string }>(
      await database.db.execute(
        sql`select count(*) as n from outbox_message where recipient = '13900000001'`,
      ),
    );
    expect(Number(sms?.n)).toBe(7);

    // Reading them: only the applicant's own are marked, once; a stranger's attempt marks nothing.
    const ids = (mine.json().items as { id: string; readAt: string | null }[]).map((n) => n.id);
    expect(mine.json().items.every((n: { readAt: string | null }) => n.readAt === null)).toBe(true);
    const markRead = async (phone: string, which: string[]) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/my/notifications/read',
        headers: await asResident(phone),
        payload: { ids: which },
      });
    expect((await markRead('13900000003', ids.slice(0, 2))).json()).toEqual({ marked: 0 });
    expect((await markRead('13900000001', ids.slice(0, 2))).json()).toEqual({ marked: 2 });
    expect((await markRead('13900000001', ids.slice(0, 2))).json()).toEqual({ marked: 0 });
    const bad = await markRead('13900000001', ['not-an-id']);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.ids.0');
    const after = await app.inject({
      method: 'GET',
      url: '/api/v1/my/notifications',
      headers: await asResident(),
    });
    const unread = (after.json().items as { readAt: string | null }[]).filter((n) => n.readAt === null);
    expect(unread.length).toBe(5);
  });

  it('refuses only with a cited article and its quoted sentence', async () => {
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...(await asResident('13900000002')), 'idempotency-key': key() },
      payload: {
        ...settlementBody,
        form: {
          ...settlementBody.form,
          applicant: { name: '程二', citizenId: composeCitizenId('330881', '1991-05-06', 15) },
          movers: [
            {
              ...mover,
              name: '程二',
              birthDate: '1991-05-06',
              citizenId: composeCitizenId('330881', '1991-05-06', 15),
            },
          ],
        },
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/materials?key=legal-residence%230&fileName=a.pdf`,
      headers: {
        ...(await asResident('13900000002')),
        'idempotency-key': key(),
        'content-type': 'application/pdf',
      },
      payload: PDF,
    });
    for (const k of ['legal-residence#1', 'legal-residence#2'])
      await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(k)}&fileName=a.pdf`,
        headers: {
          ...(await asResident('13900000002')),
          'idempotency-key': key(),
          'content-type': 'application/pdf',
        },
        payload: PDF,
      });
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'refuse' })).statusCode).toBe(200);
    const explanation = { zh: '租赁住所不在建制镇', en: 'the rented home is not in an organised town' };
    const invented = await act(approver, id, 'refuse', {
      reason: { article: 'qz-final/1', quote: '必须拥有自有住房', explanation },
    });
    expect(invented.statusCode).toBe(422);
    expect(invented.json().code).toBe('HUJI_APPLICATION_CITATION');
    const refused = await act(approver, id, 'refuse', {
      reason: { article: 'qz-final/1', quote: '有合法稳定住所（含租赁）的人员', explanation },
    });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ state: 'refused', refusal: { article: 'qz-final/1' } });
    const mine = await app.inject({
      method: 'GET',
      url: '/api/v1/my/notifications',
      headers: await asResident('13900000002'),
    });
    expect(mine.json().items[0].body.zh).toContain('qz-final/1');
    // Another resident cannot see it.
    const stranger = await app.inject({
      method: 'GET',
      url: `/api/v1/my/applications/${id}`,
      headers: await asResident('13900000003'),
    });
    expect(stranger.statusCode).toBe(404);
  });

  it('approves against the engine only with a cited article, which the certificate then rests on', async () => {
    // No facts stated: the engine decides on the defaults, and finds the pathway not met.
    const citizenId = composeCitizenId('330881', '1993-07-08', 17);
    const { facts: _facts, ...withoutFacts } = settlementBody;
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...(await asResident('13900000004')), 'idempotency-key': key() },
      payload: {
        ...withoutFacts,
        form: {
          ...settlementBody.form,
          applicant: { name: '程三', citizenId },
          movers: [{ ...mover, name: '程三', birthDate: '1993-07-08', citizenId }],
        },
      },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const id = submitted.json().id as string;
    expect(submitted.json().decision.outcome).toBe('not_eligible');
    for (const k of ['legal-residence#0', 'legal-residence#1', 'legal-residence#2'])
      await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(k)}&fileName=a.pdf`,
        headers: {
          ...(await asResident('13900000004')),
          'idempotency-key': key(),
          'content-type': 'application/pdf',
        },
        payload: PDF,
      });
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);

    const bare = await act(approver, id, 'approve');
    expect(bare.statusCode).toBe(422);
    expect(bare.json().code).toBe('HUJI_APPLICATION_NOT_ELIGIBLE');
    expect(bare.json().detail).toContain('（legal-residence）');
    const explanation = {
      zh: '经核实租赁合同和居住登记，申请人在县城租赁居住满一年',
      en: 'the lease and the residence registration show a year of rented residence in the county seat',
    };
    const invented = await act(approver, id, 'approve', {
      justification: { article: 'qz-final/1', quote: '人人都可以落户', explanation },
    });
    expect(invented.statusCode).toBe(422);
    expect(invented.json().code).toBe('HUJI_APPLICATION_CITATION');
    // Neither refusal wrote anything: the application waits for approval, the mover is not registered.
    const waiting = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, approver),
    });
    expect(waiting.json().state, waiting.body).toBe('reviewed');
    const registered = async () =>
      rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from person where citizen_id = ${citizenId}`),
      )[0]?.n;
    expect(await registered()).toBe(0);

    const quote = '有合法稳定住所（含租赁）的人员';
    const approved = await act(approver, id, 'approve', {
      justification: { article: 'qz-final/1', quote, explanation },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().state).toBe('approved');
    expect(await registered()).toBe(1);
    const detail = await app.inject({
      method: 'GET',
      url: `/api/v1/applications/${id}`,
      headers: await officerHeaders(app, approver),
    });
    const approval = (detail.json().history as { action?: { type: string; justification?: unknown } }[]).find(
      (e) => e.action?.type === 'approve',
    );
    expect(approval?.action?.justification).toEqual({ article: 'qz-final/1', quote, explanation });
    expect(approval).toMatchObject({
      label: { zh: '审批通过' },
      stateLabel: { zh: '已批准' },
      by: { zh: '测试 ap-approver（审批）' },
    });
    const [notice] = rowsOf<{ input: unknown }>(
      await database.db.execute(
        sql`select input from issued_document where application_id = ${id} and kind = 'approval-notice'`,
      ),
    );
    const input = typeof notice?.input === 'string' ? JSON.parse(notice.input) : notice?.input;
    expect(JSON.stringify(input)).toContain(JSON.stringify({ id: 'qz-final/1', quote }).slice(0, -1));
  });

  it('orders the clerk’s queue by deadline and names what each application awaits', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/applications/queue',
      headers: await officerHeaders(app, clerk),
    });
    expect(res.statusCode).toBe(200);
    for (const item of res.json().items)
      expect(item.actions.map((a: { action: string }) => a.action)).toContain('accept');
    const neighbourQueue = await app.inject({
      method: 'GET',
      url: '/api/v1/applications/queue',
      headers: await officerHeaders(app, neighbour),
    });
    expect(neighbourQueue.json().items).toEqual([]);
  });
});
