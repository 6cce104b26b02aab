/**
 * The officers' queue over HTTP on the real database (issue 13): ten applications submitted between
 * July and September 2026 in 柯城区 and 衢江区, read on Tuesday 1 September. Proves the page totals, each
 * filter (type, state, deadline band, county), the search (reference, name, a full id only for officers
 * who may see one), the three sorts, the jurisdiction (a county officer never sees another county's
 * items, a city officer filters by its counties and by nothing else), 400s naming the bad parameter,
 * the CSV and .xlsx export (read back; ids masked unless allowed; each export in the audit trail), and
 * that a role's to-do leaves the notifications once the application has moved on.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { maskCitizenId } from '../../src/standards/masking.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';
import { readXlsx } from '../support/xlsx.js';
import { ONE_PIXEL_PNG } from '../support/material-files.js';

const KC = '330802';
const QJ = '330803';
const HOUSEHOLD_NUMBER = '330802000930001';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
/** A photo slot takes an image only (本人相片). */
const PNG = ONE_PIXEL_PNG;

/** Tuesday 1 September 2026, 10:00 in China: the day the queue is read. */
const TODAY = new Date('2026-09-01T02:00:00Z');
const at = (day: string) => new Date(`${day}T02:00:00Z`);

const kcClerk: TestOfficer = { id: 'qu-clerk', countyCode: KC, roles: ['window-clerk'] };
const kcReviewer: TestOfficer = { id: 'qu-reviewer', countyCode: KC, roles: ['reviewer'] };
const kcClerk2: TestOfficer = { id: 'qu-clerk-2', countyCode: KC, roles: ['window-clerk'] };
const qjClerk: TestOfficer = { id: 'qu-clerk-qj', countyCode: QJ, roles: ['window-clerk'] };
const cityReviewer: TestOfficer = { id: 'qu-reviewer-qz', countyCode: '330800', roles: ['reviewer'] };

const facts = (county: string) => ({
  place: { countyCode: county },
  person: { age: 35, sex: 'male' },
  hukou: { scope: 'same-city' },
  residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
});

const idOf = (birthDate: string, seq: number) => composeCitizenId('330881', birthDate, seq);

function settlement(name: string, birthDate: string, seq: number, county = KC) {
  const citizenId = idOf(birthDate, seq);
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
                address: { text: '衢州市衢江区樟潭街道 5 号', countyCode: county },
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
      residenceAddress: { text: '衢州市柯城区白云街道花园路 20 号', countyCode: KC },
      livingSince: '2026-01-10',
    },
  };
}

interface Item {
  id: string;
  reference: string;
  countyCode: string;
  state: string;
  band: string;
  workingDaysToDeadline: number | null;
  applicant: { name: string; citizenId: string | null };
  type: { id: string };
}

describe.each(testDatabases())('the officers’ queue on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let now = TODAY;
  const residents = testResidents();
  let keys = 0;
  const key = () => `qu-${++keys}`;
  let phones = 0;
  /** Application ids by label. */
  const ids = new Map<string, string>();
  const refs = new Map<string, string>();

  const apply = async (
    label: string,
    day: string,
    body: { typeId: string; form: object },
    withhold: readonly string[] = [],
  ) => {
    now = at(day);
    const phone = `1360000${String(++phones).padStart(4, '0')}`;
    const headers = await residents.headers(app, phone);
    const submitted = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...headers, 'idempotency-key': key() },
      payload: body,
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id, countyCode, reference } = submitted.json<{
      id: string;
      countyCode: string;
      reference: string;
    }>();
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
    ids.set(label, id);
    refs.set(label, reference);
  };

  const act = async (officer: TestOfficer, label: string, action: string, payload: object = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${ids.get(label)}/${action}`,
      headers: { ...(await officerHeaders(app, officer)), 'idempotency-key': key() },
      payload,
    });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  };

  const get = async (officer: TestOfficer, url: string) =>
    app.inject({ method: 'GET', url, headers: await officerHeaders(app, officer) });
  const queue = async (officer: TestOfficer, query = '') => {
    const res = await get(officer, `/api/v1/applications/queue?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{
      items: Item[];
      total: number;
      page: number;
      pageSize: number;
      choices: { counties: { code: string; name: string }[] };
    }>();
  };
  const labelsOf = (items: readonly Item[]) =>
    items.map((i) => [...ids.entries()].find(([, id]) => id === i.id)?.[0] ?? i.id);

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, clock: () => now, residentIdentity: residents.provider });
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: HOUSEHOLD_NUMBER,
          household_type: '家庭户',
          address: '衢州市柯城区府山街道 30 号',
          county_code: KC,
          relationship: '户主',
          citizen_id: composeCitizenId(KC, '1961-02-03', 41),
          name: '队列户主',
          sex: '男',
          birth_date: '1961-02-03',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: KC }, 'test');
    // Deadlines (20 working days for this settlement type): 29 Jul, 2 Sep, 3 Sep, 17 Sep, 28 Sep.
    await apply('overdue', '2026-07-01', settlement('程一', '1990-01-01', 11));
    await apply('soon1', '2026-08-05', settlement('程二', '1990-01-02', 13));
    await apply('soon2', '2026-08-06', settlement('王三', '1990-01-03', 15));
    await apply('later', '2026-08-20', settlement('王四', '1990-01-04', 17));
    await apply('permit-returned', '2026-08-20', residencePermit('马七', 64), ['residence-permit#2']);
    await apply('accepted', '2026-08-31', settlement('李五', '1990-01-05', 19));
    await apply('permit', '2026-08-31', residencePermit('马六', 62));
    await apply('newest', '2026-08-31', settlement('赵八', '1990-01-06', 21));
    await apply('qj-soon', '2026-08-05', settlement('钱九', '1990-01-07', 23, QJ));
    await apply('qj-later', '2026-08-31', settlement('钱十', '1990-01-08', 25, QJ));
    now = TODAY;
    await act(kcClerk, 'accepted', 'accept');
    await act(kcClerk, 'permit-returned', 'return', { requests: [] });
    // Ten submissions with their uploads: minutes on a busy machine.
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  it('pages the clerk’s queue with a total over all pages, overdue first and due-soon marked', async () => {
    const mine = await queue(kcClerk);
    // The clerk's own work by default: submitted applications of the county, not another county's.
    expect(labelsOf(mine.items)).toEqual(['overdue', 'soon1', 'soon2', 'later', 'permit', 'newest']);
    expect(mine).toMatchObject({ total: 6, page: 1, pageSize: 20 });
    expect(mine.items.map((i) => i.band)).toEqual([
      'overdue',
      'dueSoon',
      'dueSoon',
      'onTime',
      'onTime',
      'onTime',
    ]);
    expect(mine.items[1]?.workingDaysToDeadline).toBe(1);
    const all = 'onlyActionable=false&includeWaiting=true&pageSize=3';
    const pages = await Promise.all([1, 2, 3, 4].map((p) => queue(kcClerk, `${all}&page=${p}`)));
    expect(pages.map((p) => p.total)).toEqual([8, 8, 8, 8]);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 2, 0]);
    const seen = pages.flatMap((p) => labelsOf(p.items));
    expect(new Set(seen).size).toBe(8);
    expect(seen.at(-1)).toBe('permit-returned'); // waiting for the applicant: last
  });

  it('filters by type, state, deadline band and county, and combines them', async () => {
    const base = 'onlyActionable=false&includeWaiting=true';
    expect(labelsOf((await queue(kcClerk, `${base}&type=residence-permit`)).items)).toEqual([
      'permit',
      'permit-returned',
    ]);
    expect(labelsOf((await queue(kcClerk, `${base}&state=accepted`)).items)).toEqual(['accepted']);
    expect(labelsOf((await queue(kcClerk, `${base}&state=accepted,returned`)).items)).toEqual([
      'accepted',
      'permit-returned',
    ]);
    expect(labelsOf((await queue(kcClerk, `${base}&band=overdue`)).items)).toEqual(['overdue']);
    expect(labelsOf((await queue(kcClerk, `${base}&band=dueSoon`)).items)).toEqual(['soon1', 'soon2']);
    expect(labelsOf((await queue(kcClerk, `${base}&band=paused`)).items)).toEqual(['permit-returned']);
    const onTime = await queue(kcClerk, `${base}&band=onTime&pageSize=2`);
    expect(onTime.total).toBe(4);
    const soonOrOnTime = labelsOf(
      (await queue(kcClerk, `${base}&band=onTime,dueSoon&type=settlement/legal-residence`)).items,
    );
    // The last two share a deadline and a submission time: their order is the ids'.
    expect(soonOrOnTime.slice(0, 3)).toEqual(['soon1', 'soon2', 'later']);
    expect(new Set(soonOrOnTime.slice(3))).toEqual(new Set(['accepted', 'newest']));
    expect((await queue(kcClerk, `${base}&county=${KC}`)).total).toBe(8);
  });

  it('finds by reference or name; a full citizen id only for an officer who may see full ids', async () => {
    const base = 'onlyActionable=false&includeWaiting=true';
    expect(labelsOf((await queue(kcClerk, `${base}&q=${encodeURIComponent('程')}`)).items)).toEqual([
      'overdue',
      'soon1',
    ]);
    const ref = refs.get('soon2') ?? '';
    expect(labelsOf((await queue(kcReviewer, `${base}&q=${ref.toLowerCase()}`)).items)).toEqual(['soon2']);
    // LIKE wildcards are matched as typed.
    expect((await queue(kcClerk, `${base}&q=%25`)).total).toBe(0);
    const fullId = idOf('1990-01-04', 17);
    const byId = await queue(kcClerk, `${base}&q=${fullId}`);
    expect(labelsOf(byId.items)).toEqual(['later']);
    // The list itself masks ids, whoever reads it.
    expect(byId.items[0]?.applicant.citizenId).toBe(maskCitizenId(fullId));
    const refused = await get(kcReviewer, `/api/v1/applications/queue?q=${fullId}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'HUJI_QUEUE_SEARCH_FULL_ID',
      errors: [{ path: 'querystring.q', code: 'HUJI_QUEUE_SEARCH_FULL_ID' }],
    });
  });

  it('sorts by deadline, submission or state, either way', async () => {
    const base = 'onlyActionable=false&includeWaiting=true';
    expect(labelsOf((await queue(kcClerk, `${base}&sort=deadline&order=desc`)).items).slice(0, 1)).toEqual([
      'permit-returned',
    ]);
    const newestFirst = labelsOf((await queue(kcClerk, `${base}&sort=submitted&order=desc`)).items);
    expect(newestFirst.slice(-1)).toEqual(['overdue']);
    expect(new Set(newestFirst.slice(0, 3))).toEqual(new Set(['accepted', 'permit', 'newest']));
    const byState = (await queue(kcClerk, `${base}&sort=state`)).items.map((i) => i.state);
    expect(byState).toEqual([...Array(6).fill('submitted'), 'returned', 'accepted']);
    const byStateDesc = (await queue(kcClerk, `${base}&sort=state&order=desc`)).items.map((i) => i.state);
    expect(byStateDesc[0]).toBe('accepted');
  });

  it('keeps to the jurisdiction: a county officer sees only the county, a city officer filters by its counties', async () => {
    const base = 'onlyActionable=false&includeWaiting=true';
    const qj = await queue(qjClerk, base);
    expect(labelsOf(qj.items)).toEqual(['qj-soon', 'qj-later']);
    expect(qj.items.every((i) => i.countyCode === QJ)).toBe(true);
    expect(qj.choices.counties).toEqual([{ code: QJ, name: '衢江区' }]);
    const kc = await queue(kcClerk, base);
    expect(kc.items.some((i) => i.countyCode === QJ)).toBe(false);
    // Asking for another county is a bad parameter, not an empty list.
    const outside = await get(qjClerk, `/api/v1/applications/queue?county=${KC}`);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors).toEqual([
      expect.objectContaining({ path: 'querystring.county', code: 'HUJI_QUEUE_COUNTY_OUTSIDE' }),
    ]);
    const city = await queue(cityReviewer, base);
    expect(city.total).toBe(10);
    const counties = city.choices.counties.map((c: { code: string }) => c.code);
    expect(counties).toEqual(expect.arrayContaining([KC, QJ]));
    expect(counties.every((c: string) => c.startsWith('3308'))).toBe(true);
    expect(labelsOf((await queue(cityReviewer, `${base}&county=${QJ}`)).items)).toEqual([
      'qj-soon',
      'qj-later',
    ]);
    expect((await queue(cityReviewer, `${base}&county=${QJ}&band=dueSoon`)).total).toBe(1);
    const elsewhere = await get(cityReviewer, '/api/v1/applications/queue?county=620102');
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors[0].path).toBe('querystring.county');
    // The reviewer's own work: the accepted application only.
    expect(labelsOf((await queue(cityReviewer)).items)).toEqual(['accepted']);
  });

  it.each([
    ['page=0', 'querystring.page'],
    ['pageSize=101', 'querystring.pageSize'],
    ['pageSize=ten', 'querystring.pageSize'],
    ['sort=name', 'querystring.sort'],
    ['order=up', 'querystring.order'],
    ['band=late', 'querystring.band'],
    ['state=done', 'querystring.state'],
    ['type=%3Cscript%3E', 'querystring.type'],
    ['county=3308', 'querystring.county'],
    [`q=${'长'.repeat(51)}`, 'querystring.q'],
  ])('answers 400 problem+json naming the parameter for %s', async (query, path) => {
    const res = await get(kcClerk, `/api/v1/applications/queue?${encodeURI(query)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('HUJI_VALIDATION');
    expect(res.json().errors.map((e: { path: string }) => e.path.split('.').slice(0, 2).join('.'))).toContain(
      path,
    );
  });

  it('exports the filtered queue as CSV (UTF-8 with BOM, Chinese headers; full ids for the clerk)', async () => {
    const res = await get(kcClerk, '/api/v1/applications/queue/export?format=csv&band=dueSoon');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="queue-202609011000\.csv"/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '受理编号,申请事项,申请人,公民身份号码,办理县（市、区）,办理状态,提交时间（北京时间）,办理时限,剩余工作日,时限情况',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([refs.get('soon1'), refs.get('soon2')]);
    expect(lines[1]).toContain(idOf('1990-01-02', 13));
    expect(lines[1]).toContain('2026-08-05 10:00');
    expect(lines[1]).toContain('2026-09-02');
    expect(lines[1]).toContain('3 个工作日内到期');
  });

  it('exports an .xlsx that reads back, ids masked for an officer who may not see them, each export audited', async () => {
    const res = await get(
      kcReviewer,
      '/api/v1/applications/queue/export?format=xlsx&onlyActionable=false&includeWaiting=true&sort=submitted',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const book = readXlsx(res.rawPayload);
    expect(book.sheetName).toBe('待办队列');
    expect(book.rows[0]?.[0]).toBe('受理编号');
    expect(book.rows).toHaveLength(9);
    expect(book.rows[1]?.[0]).toBe(refs.get('overdue'));
    expect(book.rows[1]?.[2]).toBe('程一');
    expect(book.rows[1]?.[3]).toBe(maskCitizenId(idOf('1990-01-01', 11)));
    expect(book.rows[1]?.[4]).toBe('柯城区（330802）');
    expect(book.rows[1]?.[9]).toBe('已超期');
    const ids = book.rows.slice(1).map((r) => r[3] ?? '');
    expect(ids.every((id) => id.includes('*'))).toBe(true);
    const missing = await get(kcReviewer, '/api/v1/applications/queue/export');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe('querystring.format');
    const entries = rowsOf<{
      actor_id: string;
      object_type: string;
      object_id: string;
      outcome: string;
      details: unknown;
    }>(
      await database.db.execute(
        sql`select actor_id, object_type, object_id, outcome, details from audit_entry
            where object_type = 'queue-export' order by at, seq`,
      ),
    );
    // Recorded under the route's action (application.read), named by its object: format and rows.
    expect(entries.map((e) => [e.object_id, e.outcome])).toEqual(
      expect.arrayContaining([
        ['csv:2', 'success'],
        ['xlsx:8', 'success'],
      ]),
    );
    expect(JSON.stringify(entries.map((e) => e.details))).toContain('"format":"xlsx"');
  });

  it('keeps each officer’s read state of a role’s to-dos their own; the work done removes it for all', async () => {
    type Todos = {
      items: { id: string; applicationId: string; readAt: string | null }[];
      unread: number;
    };
    const todos = async (officer: TestOfficer) => {
      const res = await get(officer, '/api/v1/notifications');
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Todos>();
    };
    const markRead = async (officer: TestOfficer, payload: object) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/notifications/read',
        headers: await officerHeaders(app, officer),
        payload,
      });
    const before = await todos(kcClerk);
    expect(before.unread).toBe(before.items.length);
    expect(before.items.every((n) => n.readAt === null)).toBe(true);
    const first = before.items.find((n) => n.applicationId === ids.get('later'));
    expect(first).toBeDefined();
    const marked = await markRead(kcClerk, { ids: [first?.id] });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ marked: 1, unread: before.unread - 1 });
    // Read again: nothing more to mark, the first read time stays.
    const again = await markRead(kcClerk, { ids: [first?.id] });
    expect(again.json()).toEqual({ marked: 0, unread: before.unread - 1 });
    const mine = await todos(kcClerk);
    expect(mine.unread).toBe(before.unread - 1);
    expect(mine.items.find((n) => n.id === first?.id)?.readAt).toBe(now.toISOString());
    // The other clerk of the county still has it unread; the reviewer cannot mark the clerk's to-do.
    const other = await todos(kcClerk2);
    expect(other.unread).toBe(before.unread);
    expect(other.items.find((n) => n.id === first?.id)?.readAt).toBeNull();
    expect((await markRead(kcReviewer, { ids: [first?.id] })).json()).toMatchObject({ marked: 0 });
    // Another county's clerk marks nothing of 柯城区.
    expect((await markRead(qjClerk, { ids: [first?.id] })).json()).toMatchObject({ marked: 0 });
    const all = await markRead(kcClerk, { all: true });
    expect(all.json()).toEqual({ marked: before.unread - 1, unread: 0 });
    expect((await todos(kcClerk2)).unread).toBe(before.unread);
    // The work done: accepting removes the to-do for every clerk, read or not.
    await act(kcClerk2, 'later', 'accept');
    expect((await todos(kcClerk)).items.map((n) => n.applicationId)).not.toContain(ids.get('later'));
    const otherAfter = await todos(kcClerk2);
    expect(otherAfter.items.map((n) => n.applicationId)).not.toContain(ids.get('later'));
    expect(otherAfter.unread).toBe(before.unread - 1);
    for (const payload of [
      {},
      { ids: [] },
      { ids: ['not-a-uuid'] },
      { all: false },
      { all: true, ids: [] },
    ]) {
      const bad = await markRead(kcClerk, payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('keeps a role’s to-do only while the application awaits that role', async () => {
    const todo = async (officer: TestOfficer) => {
      const res = await get(officer, '/api/v1/notifications');
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json<{ items: { applicationId: string }[] }>()
        .items.map((n) => [...ids.entries()].find(([, id]) => id === n.applicationId)?.[0]);
    };
    const clerkBefore = await todo(kcClerk);
    // Accepted and returned applications are no longer the clerk's to do; another county's never were.
    // ('later' was accepted by the test before.)
    expect(new Set(clerkBefore)).toEqual(new Set(['overdue', 'soon1', 'soon2', 'permit', 'newest']));
    expect(clerkBefore).toHaveLength(5);
    expect(new Set(await todo(kcReviewer))).toEqual(new Set(['accepted', 'later']));
    await act(kcClerk, 'soon1', 'accept');
    expect(await todo(kcClerk)).not.toContain('soon1');
    expect(new Set(await todo(kcReviewer))).toEqual(new Set(['accepted', 'later', 'soon1']));
    await act(kcReviewer, 'soon1', 'return', {
      requests: [
        {
          kind: 'correction',
          label: { zh: '现住址', en: 'current address' },
          reason: { zh: '门牌号不清', en: 'the house number is unclear' },
        },
      ],
    });
    expect(new Set(await todo(kcReviewer))).toEqual(new Set(['accepted', 'later']));
    expect(await todo(kcClerk)).not.toContain('soon1');
  });
});
