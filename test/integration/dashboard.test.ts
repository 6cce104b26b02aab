/**
 * The officer dashboard over HTTP on the real database: applications in every state, some decided in
 * time and some late (the clock moves two months between the steps), counted exactly by type and
 * state, by time-limit standing and by county — with the register's move-ins beside the approved
 * settlements. A county officer sees only the county's figures and gets 404 for another area; a city
 * officer sees the city's counties; a date range narrows applications by submission day and move-ins
 * by the day the ledger recorded them.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';
import { ONE_PIXEL_PNG } from '../support/material-files.js';

const KC = '330802';
const QJ = '330803';
const HOUSEHOLD_NUMBER = '330802000920001';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
/** A photo slot takes an image only (本人相片). */
const PNG = ONE_PIXEL_PNG;

/** Tuesday 1 September 2026, 10:00 in China; then Monday 2 November, long past every time limit. */
/** A date column as PGlite and node-postgres return it. */
const isoDay = (v: string | Date) =>
  v instanceof Date
    ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
    : v.slice(0, 10);
const T0 = new Date('2026-09-01T02:00:00Z');
const T1 = new Date('2026-11-02T02:00:00Z');

const kc = (roles: TestOfficer['roles'], id: string): TestOfficer => ({ id, countyCode: KC, roles });
const clerk = kc(['window-clerk'], 'db-clerk');
const reviewer = kc(['reviewer'], 'db-reviewer');
const approver = kc(['approver'], 'db-approver');
const registrar = kc(['registrar'], 'db-registrar');
const qjClerk: TestOfficer = { id: 'db-clerk-qj', countyCode: QJ, roles: ['window-clerk'] };
const qjReviewer: TestOfficer = { id: 'db-reviewer-qj', countyCode: QJ, roles: ['reviewer'] };
const qjApprover: TestOfficer = { id: 'db-approver-qj', countyCode: QJ, roles: ['approver'] };
const qjRegistrar: TestOfficer = { id: 'db-registrar-qj', countyCode: QJ, roles: ['registrar'] };
const cityReform: TestOfficer = { id: 'db-reform-qz', countyCode: '330800', roles: ['reform-office'] };

const facts = (county: string) => ({
  place: { countyCode: county },
  person: { age: 35, sex: 'male' },
  hukou: { scope: 'same-city' },
  residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
});

/** A settlement application for one mover (odd sequence: male), into the fixture household or a new one. */
function settlement(name: string, birthDate: string, seq: number, county = KC) {
  const citizenId = composeCitizenId('330881', birthDate, seq);
  return {
    typeId: 'settlement/legal-residence',
    form: {
      kind: 'settlement',
      applicant: { name, citizenId },
      movers: [
        { name, sex: '1', birthDate, citizenId, relationship: '99', birthplace: null, ethnicity: null },
      ],
      fromDivision: '330881',
      destination:
        county === KC
          ? { householdNumber: HOUSEHOLD_NUMBER }
          : {
              newHousehold: {
                type: 'family',
                address: { text: '衢州市衢江区樟潭街道 3 号', countyCode: county },
              },
            },
    },
    facts: facts(county),
  };
}

function residencePermit(name: string, seq: number) {
  return {
    typeId: 'residence-permit',
    form: {
      kind: 'residence-permit',
      applicant: {
        name,
        citizenId: composeCitizenId('620102', '1996-03-08', seq),
        sex: '2',
        birthDate: '1996-03-08',
        ethnicity: '01',
      },
      residenceAddress: { text: '衢州市柯城区白云街道花园路 18 号', countyCode: KC },
      livingSince: '2026-01-10',
    },
  };
}

describe.each(testDatabases())('the officer dashboard on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let now = T0;
  const residents = testResidents();
  let keys = 0;
  const key = () => `db-${++keys}`;
  let phones = 0;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, clock: () => now, residentIdentity: residents.provider });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: HOUSEHOLD_NUMBER,
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 12 号',
          county_code: KC,
          relationship: '户主',
          citizen_id: composeCitizenId(KC, '1960-02-03', 31),
          name: '统计户主',
          sex: '男',
          birth_date: '1960-02-03',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: KC }, 'test');
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** Submits as a new resident and uploads every checklist material but `withhold`; answers id and phone. */
  const apply = async (body: { typeId: string; form: object }, withhold: readonly string[] = []) => {
    const phone = `1370000${String(++phones).padStart(4, '0')}`;
    const headers = await residents.headers(app, phone);
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...headers, 'idempotency-key': key() },
      payload: body,
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id, countyCode } = submitted.json<{ id: string; countyCode: string }>();
    const types = await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${countyCode}` });
    const type = types.json().items.find((t: { id: string }) => t.id === body.typeId);
    for (const { key: material, accepts } of type.materials as { key: string; accepts: string[] }[]) {
      if (withhold.includes(material)) continue;
      const isPdf = accepts.includes('application/pdf');
      const uploaded = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(material)}&fileName=m.${isPdf ? 'pdf' : 'png'}`,
        headers: { ...headers, 'idempotency-key': key(), 'content-type': 'application/octet-stream' },
        payload: isPdf ? PDF : PNG,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
    }
    return { id, headers };
  };

  const act = async (officer: TestOfficer, id: string, action: string, payload: object = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
      payload,
    });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  };
  const toApproval = async (id: string, officers = { clerk, reviewer }) => {
    await act(officers.clerk, id, 'accept');
    await act(officers.reviewer, id, 'review', { recommendation: 'approve' });
  };

  const dashboard = async (officer: TestOfficer, query = '') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/stats/dashboard${query}`,
      headers: await officerHeaders(app, officer),
    });

  it('counts a county’s applications by type and state, its time limits and its settlements', async () => {
    // 1 September: submissions, and what is decided on the day.
    const inTime = await apply(settlement('甲一', '1990-01-01', 11));
    await toApproval(inTime.id);
    await act(approver, inTime.id, 'approve');
    // The register's move-in takes effect on the approval day of the application's clock.
    const moveIns = rowsOf<{ effective_date: string | Date }>(
      await database.db.execute(
        sql`select effective_date from register_event where source_application = (select reference from application where id = ${inTime.id})`,
      ),
    );
    expect(moveIns.length).toBeGreaterThan(0);
    for (const e of moveIns) expect(String(isoDay(e.effective_date))).toBe('2026-09-01');
    await act(registrar, inTime.id, 'complete');
    const late = await apply(settlement('甲二', '1990-01-02', 13));
    await toApproval(late.id);
    const waiting = await apply(settlement('甲三', '1990-01-03', 15));
    await toApproval(waiting.id);
    const refused = await apply(settlement('甲四', '1990-01-04', 17));
    await act(clerk, refused.id, 'accept');
    await act(reviewer, refused.id, 'review', { recommendation: 'refuse' });
    await act(approver, refused.id, 'refuse', {
      reason: {
        article: 'qz-final/1',
        quote: '有合法稳定住所（含租赁）的人员',
        explanation: { zh: '租赁期限不足', en: 'the lease is too short' },
      },
    });
    await apply(residencePermit('乙一', 62)); // left untouched: overdue by November
    const returned = await apply(residencePermit('乙二', 64), ['residence-permit#2']);
    await act(clerk, returned.id, 'return', { requests: [] });
    const withdrawn = await apply(residencePermit('乙三', 66));
    const gone = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${withdrawn.id}/withdraw`,
      headers: { ...withdrawn.headers, 'idempotency-key': key() },
      payload: {},
    });
    expect(gone.statusCode, gone.body).toBe(200);
    // Another county: a settlement into a new household of 衢江区, approved on the day.
    const neighbour = await apply(settlement('丙一', '1990-01-05', 19, QJ));
    await toApproval(neighbour.id, { clerk: qjClerk, reviewer: qjReviewer });
    await act(qjApprover, neighbour.id, 'approve');

    // 2 November: the late decisions, and two fresh submissions.
    now = T1;
    await act(approver, late.id, 'approve');
    await act(registrar, late.id, 'complete');
    await act(approver, waiting.id, 'approve');
    await apply({
      typeId: 'legacy-nature-proof',
      form: {
        kind: 'legacy-nature-proof',
        applicant: { name: '统计户主', citizenId: composeCitizenId(KC, '1960-02-03', 31) },
      },
    });
    await apply(settlement('甲五', '1990-01-06', 21));

    const res = await dashboard(approver);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.scope).toEqual({ area: KC, areaName: '柯城区', from: null, to: null, asOf: '2026-11-02' });
    expect(d.totals).toEqual({
      applications: 9,
      open: 5,
      finished: 3,
      withdrawn: 1,
      overdue: 2,
      settlementsApproved: 3,
      personsMovedIn: 3,
    });
    const byType = Object.fromEntries(
      d.byType.map((t: { typeId: string; label: { zh: string }; total: number; counts: object }) => [
        t.typeId,
        {
          label: t.label.zh,
          total: t.total,
          counts: Object.fromEntries(Object.entries(t.counts).filter(([, n]) => n !== 0)),
        },
      ]),
    );
    expect(byType).toEqual({
      'settlement/legal-residence': {
        label: '落户：合法稳定住所落户',
        total: 5,
        counts: { submitted: 1, approved: 1, done: 2, refused: 1 },
      },
      'residence-permit': {
        label: '居住证首次申领',
        total: 3,
        counts: { submitted: 1, returned: 1, withdrawn: 1 },
      },
      'legacy-nature-proof': { label: '户口性质证明', total: 1, counts: { submitted: 1 } },
    });
    expect(d.states.map((s: { label: { zh: string } }) => s.label.zh)).toContain('退回补正');
    // Decided the same day: within; approved and completed two months on: after. Open: the approval
    // waiting for completion and the untouched permit are overdue, the one-day proof is due tomorrow,
    // the fresh settlement has 20 working days, the returned permit's clock is paused.
    expect(d.compliance).toEqual({
      dueSoonWorkingDays: 3,
      finished: { withinLimit: 2, afterLimit: 1 },
      open: { onTime: 1, dueSoon: 1, overdue: 2, paused: 1 },
    });
    expect(d.counties).toEqual([
      { countyCode: KC, name: '柯城区', settlementsApproved: 3, personsMovedIn: 3 },
    ]);
    expect(d.areas).toEqual([{ code: KC, name: '柯城区' }]);
    // Aggregates only: no name or id number of anyone involved.
    for (const word of ['甲一', '乙一', '统计户主', '330881199001011']) expect(res.body).not.toContain(word);
  });

  it('shows a city officer every county of the city, and one county on request', async () => {
    const city = (await dashboard(cityReform)).json();
    expect(city.scope.areaName).toBe('衢州市');
    expect(city.totals).toMatchObject({
      applications: 10,
      overdue: 3,
      settlementsApproved: 4,
      personsMovedIn: 4,
    });
    expect(city.counties).toEqual([
      { countyCode: KC, name: '柯城区', settlementsApproved: 3, personsMovedIn: 3 },
      { countyCode: QJ, name: '衢江区', settlementsApproved: 1, personsMovedIn: 1 },
    ]);
    expect(city.areas[0]).toEqual({ code: '330800', name: '衢州市' });
    expect(city.areas).toContainEqual({ code: QJ, name: '衢江区' });
    const one = (await dashboard(cityReform, `?county=${QJ}`)).json();
    expect(one.totals).toMatchObject({ applications: 1, open: 1, overdue: 1, settlementsApproved: 1 });
    expect(one.counties).toEqual([
      { countyCode: QJ, name: '衢江区', settlementsApproved: 1, personsMovedIn: 1 },
    ]);
  });

  it('never shows an officer another county’s figures', async () => {
    const qj = await dashboard(qjRegistrar);
    expect(qj.statusCode).toBe(200);
    expect(qj.json().totals).toMatchObject({ applications: 1, settlementsApproved: 1, personsMovedIn: 1 });
    expect(qj.json().counties.map((c: { countyCode: string }) => c.countyCode)).toEqual([QJ]);
    for (const area of [KC, '330800', '620102']) {
      const refused = await dashboard(qjRegistrar, `?county=${area}`);
      expect(refused.statusCode, area).toBe(404);
      expect(refused.json().code).toBe('HUJI_STATS_OUT_OF_JURISDICTION');
    }
    const clerkTry = await dashboard(clerk);
    expect(clerkTry.statusCode).toBe(403);
  });

  it('narrows to a date range: applications by submission day, move-ins by the day they were recorded', async () => {
    const november = (await dashboard(approver, '?from=2026-11-01&to=2026-11-30')).json();
    expect(november.scope).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    // The two submitted on 2 November; the two settled that day were submitted in September.
    expect(november.totals).toEqual({
      applications: 2,
      open: 2,
      finished: 0,
      withdrawn: 0,
      overdue: 0,
      settlementsApproved: 0,
      personsMovedIn: 2,
    });
    const september = (await dashboard(approver, '?from=2026-09-01&to=2026-09-01')).json();
    expect(september.totals).toMatchObject({ applications: 7, settlementsApproved: 3, personsMovedIn: 1 });
    expect(september.compliance.finished).toEqual({ withinLimit: 2, afterLimit: 1 });
    const before = (await dashboard(approver, '?to=2026-08-31')).json();
    expect(before.totals.applications).toBe(0);
    expect(before.byType).toEqual([]);

    const backwards = await dashboard(approver, '?from=2026-11-30&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toContainEqual(
      expect.objectContaining({ path: 'querystring.to', code: 'HUJI_STATS_RANGE' }),
    );
    const english = await app.inject({
      method: 'GET',
      url: '/api/v1/stats/dashboard?from=2026-11-30&to=2026-11-01',
      headers: { ...(await officerHeaders(app, approver)), 'accept-language': 'en' },
    });
    expect(JSON.stringify(english.json().errors)).toContain(
      'The start date 2026-11-30 is after the end date',
    );
  });
});
