/**
 * The other kinds of application, each carried to the register on the real database: a birth
 * registration allocates the child's citizen id on approval; a family settles into a new household
 * (the applicant heads it, the spouse follows); a "specially needed" talent goes through the county
 * government's approval step (it cannot be approved directly, and only it can be referred); a
 * household split makes a new household; a booklet replacement is recorded in the ledger.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { checkCitizenId, composeCitizenId } from '../../src/standards/citizen-id.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';
import { testResidents } from '../support/resident.js';
import { ONE_PIXEL_PNG } from '../support/material-files.js';

const COUNTY = '330802';
const HOUSEHOLD = '330802000920001';
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
/** A photo slot takes an image only (本人相片): a PNG signature is what the sniffer reads. */
const PNG = ONE_PIXEL_PNG;
const officer = (role: TestOfficer['roles'] & object, id: string): TestOfficer => ({
  id,
  countyCode: COUNTY,
  roles: role,
});
const clerk = officer(['window-clerk'], 'ak-clerk');
const reviewer = officer(['reviewer'], 'ak-reviewer');
const approver = officer(['approver'], 'ak-approver');
const registrar = officer(['registrar'], 'ak-registrar');

const father = { id: composeCitizenId(COUNTY, '1988-02-03', 31), name: '林父' };
const mother = { id: composeCitizenId(COUNTY, '1990-06-07', 42), name: '林母' };

describe.each(testDatabases())('kinds of application on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const residents = testResidents();
  let n = 0;
  const key = () => `ak-${++n}`;

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false, residentIdentity: residents.provider });
    const common = {
      household_number: HOUSEHOLD,
      household_type: '家庭户',
      address: '衢州市柯城区信安街道 5 号',
      county_code: COUNTY,
    };
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          ...common,
          relationship: '户主',
          citizen_id: father.id,
          name: father.name,
          sex: '男',
          birth_date: '1988-02-03',
        },
      },
      {
        line: 3,
        values: {
          ...common,
          relationship: '妻',
          citizen_id: mother.id,
          name: mother.name,
          sex: '女',
          birth_date: '1990-06-07',
        },
      },
    ]);
    await importHousehold(database.db, household, { id: 'import', countyCode: COUNTY }, 'test');
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** Submits, uploads every checklist material, and returns the application id. */
  const apply = async (phone: string, body: { typeId: string; form: object; facts?: object }) => {
    const headers = await residents.headers(app, phone);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/my/applications',
      headers: { ...headers, 'idempotency-key': key() },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const types = await app.inject({ method: 'GET', url: `/api/v1/application-types?county=${COUNTY}` });
    const type = types.json().items.find((t: { id: string }) => t.id === body.typeId);
    for (const m of type.materials as { key: string; accepts: string[] }[]) {
      const isPdf = m.accepts.includes('application/pdf');
      const up = await app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(m.key)}&fileName=m.${isPdf ? 'pdf' : 'png'}`,
        headers: { ...headers, 'idempotency-key': key(), 'content-type': 'application/octet-stream' },
        payload: isPdf ? PDF : PNG,
      });
      expect(up.statusCode, up.body).toBe(201);
    }
    return { id, application: res.json() };
  };
  const act = async (who: TestOfficer, id: string, action: string, payload: object = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/${action}`,
      headers: { ...(await officerHeaders(app, who)), 'idempotency-key': key() },
      payload,
    });
    return res;
  };
  const through = async (id: string) => {
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    expect((await act(reviewer, id, 'review', { recommendation: 'approve' })).statusCode).toBe(200);
  };

  it('registers a birth and allocates the child’s citizen id on approval', async () => {
    const { id } = await apply('13900000101', {
      typeId: 'birth-registration',
      form: {
        kind: 'birth-registration',
        applicant: { name: father.name, citizenId: father.id },
        householdNumber: HOUSEHOLD,
        relationship: '20',
        child: { name: '林小', sex: '1', birthDate: '2026-11-20', birthplace: '330802', ethnicity: '01' },
        birthCertificateNumber: 'Q330123456',
      },
    });
    await through(id);
    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const [child] = rowsOf<{ citizen_id: string; name: string }>(
      await database.db.execute(sql`select citizen_id, name from person where name = '林小'`),
    );
    const parsed = checkCitizenId(child?.citizen_id ?? '');
    expect(parsed.isValid).toBe(true);
    if (parsed.isValid) expect(parsed.parsed).toMatchObject({ birthDate: '2026-11-20', sex: 'male' });
    expect(child?.citizen_id.slice(0, 6)).toBe(COUNTY);
  });

  it('settles a family into a new household headed by the applicant, with the spouse following', async () => {
    const applicant = {
      name: '沈海',
      sex: '1',
      birthDate: '1987-03-04',
      citizenId: composeCitizenId('330881', '1987-03-04', 51),
      relationship: '02',
      birthplace: '330881',
      ethnicity: '01',
      education: '21',
      maritalStatus: '20',
    };
    const spouse = {
      name: '韩雪',
      sex: '2',
      birthDate: '1989-08-09',
      citizenId: composeCitizenId('330881', '1989-08-09', 62),
      relationship: '10',
      birthplace: null,
      ethnicity: null,
    };
    const { id, application } = await apply('13900000102', {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name: applicant.name, citizenId: applicant.citizenId },
        movers: [applicant, spouse],
        fromDivision: '330881',
        destination: {
          newHousehold: { address: { text: '衢州市柯城区荷花街道 7 号 301 室', countyCode: COUNTY } },
        },
      },
      facts: {
        hukou: { scope: 'same-city' },
        residence: { type: 'owned', townType: 'county-seat' },
        family: [{ relation: 'spouse', age: 37, sex: 'female', isCoResident: true }],
      },
    });
    expect(application.decision.outcome).toBe('eligible');
    await through(id);
    const approved = await act(approver, id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().registerEventIds).toHaveLength(2);
    const members = rowsOf<{ name: string; relationship: string; household_number: string }>(
      await database.db.execute(sql`
        select p.name, m.relationship, h.household_number from membership m
        join person p on p.id = m.person_id join household h on h.id = m.household_id
        where p.name in ('沈海', '韩雪') and m.valid_to is null order by p.name desc`),
    );
    expect(members.map((m) => [m.name, m.relationship]).sort()).toEqual(
      [
        ['沈海', '02'],
        ['韩雪', '10'],
      ].sort(),
    );
    expect(members[0]?.household_number).toBe(members[1]?.household_number);
  });

  it('sends a specially needed talent through the county government before approval', async () => {
    const citizenId = composeCitizenId('330822', '1993-01-02', 71);
    const { id, application } = await apply('13900000103', {
      typeId: 'settlement/special-talent',
      form: {
        kind: 'settlement',
        applicant: { name: '钱工', citizenId },
        movers: [
          {
            name: '钱工',
            sex: '1',
            birthDate: '1993-01-02',
            citizenId,
            relationship: '99',
            birthplace: null,
            ethnicity: '01',
          },
        ],
        fromDivision: '330822',
        destination: { householdNumber: HOUSEHOLD },
      },
      facts: {
        education: { level: 'senior-high' },
        qualifications: { specialTalent: 'scarce-trade-worker' },
      },
    });
    expect(application.decision).toMatchObject({ pathway: 'special-talent', outcome: 'needs_approval' });
    expect(application.clock.workingDays).toBe(30);
    await through(id);
    const direct = await act(approver, id, 'approve');
    expect(direct.statusCode).toBe(409);
    expect(direct.json().code).toBe('HUJI_APPLICATION_TRANSITION');
    expect((await act(approver, id, 'refer-to-county')).json().state).toBe('county-approval');
    const recorded = await act(approver, id, 'record-county-approval', { document: '柯政〔2026〕12号' });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().state).toBe('approved');
    expect(recorded.json().registerEventIds).toHaveLength(1);
  });

  it('splits a household and records a booklet replacement in the ledger', async () => {
    const split = await apply('13900000104', {
      typeId: 'household-split',
      form: {
        kind: 'household-split',
        applicant: { name: mother.name, citizenId: mother.id },
        householdNumber: HOUSEHOLD,
        headCitizenId: mother.id,
        household: { address: { text: '衢州市柯城区信安街道 9 号', countyCode: COUNTY } },
      },
    });
    await through(split.id);
    const approved = await act(approver, split.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    const [heads] = rowsOf<{ n: string }>(
      await database.db.execute(sql`
        select count(distinct h.id) as n from household h join membership m on m.household_id = h.id
        join person p on p.id = m.person_id where p.citizen_id in (${father.id}, ${mother.id}) and m.valid_to is null`),
    );
    expect(Number(heads?.n)).toBe(2);

    const booklet = await apply('13900000105', {
      typeId: 'booklet-replacement',
      form: {
        kind: 'booklet-replacement',
        applicant: { name: father.name, citizenId: father.id },
        householdNumber: HOUSEHOLD,
        reason: 'replacement',
      },
    });
    await through(booklet.id);
    const done = await act(approver, booklet.id, 'approve');
    expect(done.statusCode, done.body).toBe(200);
    const [event] = rowsOf<{ type: string; source_application: string }>(
      await database.db.execute(
        sql`select type, source_application from register_event where id = ${done.json().registerEventIds[0]}`,
      ),
    );
    expect(event).toEqual({ type: 'booklet-issue', source_application: done.json().reference });
    expect((await act(registrar, booklet.id, 'complete')).json().state).toBe('done');
  });

  it('counts a material asked to be redone only once it is uploaded again', async () => {
    const citizenId = composeCitizenId('330881', '1992-02-02', 81);
    const phone = '13900000106';
    const { id } = await apply(phone, {
      typeId: 'settlement/legal-residence',
      form: {
        kind: 'settlement',
        applicant: { name: '许青', citizenId },
        movers: [
          {
            name: '许青',
            sex: '1',
            birthDate: '1992-02-02',
            citizenId,
            relationship: '99',
            birthplace: null,
            ethnicity: '01',
          },
        ],
        fromDivision: '330881',
        destination: { householdNumber: HOUSEHOLD },
      },
      facts: { hukou: { scope: 'same-city' }, residence: { type: 'owned', townType: 'county-seat' } },
    });
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
    const blurred = { zh: '复印件模糊，无法辨认', en: 'the copy is blurred' };
    const returned = await act(reviewer, id, 'return', {
      requests: [{ kind: 'redo', material: 'legal-residence#0', reason: blurred }],
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().requiredChanges).toEqual([
      expect.objectContaining({ kind: 'redo', material: 'legal-residence#0', reason: blurred }),
    ]);
    const headers = await residents.headers(app, phone);
    const resubmit = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/my/applications/${id}/resubmit`,
        headers: { ...headers, 'idempotency-key': key() },
        payload: {},
      });
    // Resubmitting without a new upload is refused, naming the item still to redo; nothing changes.
    const early = await resubmit();
    expect(early.statusCode, early.body).toBe(422);
    expect(early.json()).toMatchObject({ code: 'HUJI_APPLICATION_RETURN_OUTSTANDING' });
    expect(early.json().detail).toContain('退回补正的 1 项尚未重新上传');
    const inEnglish = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/resubmit`,
      headers: { ...headers, 'idempotency-key': key(), 'accept-language': 'en' },
      payload: {},
    });
    expect(inEnglish.statusCode).toBe(422);
    expect(inEnglish.json().detail).toContain('1 returned item(s) not provided again yet');
    expect(inEnglish.json().detail).not.toMatch(/[\u4e00-\u9fff]/);
    expect((await act(clerk, id, 'accept')).statusCode).toBe(409);
    const upload = await app.inject({
      method: 'POST',
      url: `/api/v1/my/applications/${id}/materials?key=legal-residence%230&fileName=clear.pdf`,
      headers: { ...headers, 'idempotency-key': key(), 'content-type': 'application/pdf' },
      payload: PDF,
    });
    expect(upload.statusCode).toBe(201);
    expect((await resubmit()).statusCode).toBe(200);
    expect((await act(clerk, id, 'accept')).statusCode).toBe(200);
  });
});
