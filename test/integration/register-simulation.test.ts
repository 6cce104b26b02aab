/**
 * The policy workbench's simulation over the register's own population, through the HTTP API on the
 * real database: the persons counted are the current members of active households in the officer's
 * jurisdiction (a moved-out person is not), the facts the register holds decide the pathways they
 * inform (a registered bachelor's degree meets the Quzhou talent pathway, qz-final/2), a city officer
 * sees every county of the city, and another city's officer or prefix finds nothing.
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

const KECHENG: TestOfficer = { id: 'sim-kc', countyCode: '330802' };
const QUZHOU_CITY: TestOfficer = { id: 'sim-qz', countyCode: '330800', roles: ['reform-office'] };
const LANZHOU: TestOfficer = { id: 'sim-lz', countyCode: '620102' };
const CLERK: TestOfficer = { id: 'sim-clerk', countyCode: '330802', roles: ['window-clerk'] };

interface Member {
  readonly relationship: string;
  readonly name: string;
  readonly sex: '男' | '女';
  readonly birthDate: string;
  readonly education?: string;
  readonly maritalStatus?: string;
  readonly seq: number;
}

const household = (county: string, number: string, members: readonly Member[]) =>
  householdFromRows(
    members.map((m, i) => ({
      line: i + 2,
      values: {
        household_number: number,
        household_type: '家庭户',
        address: '衢州市某区某街道 1 号',
        county_code: county,
        relationship: m.relationship,
        citizen_id: composeCitizenId(county, m.birthDate, m.seq),
        name: m.name,
        sex: m.sex,
        birth_date: m.birthDate,
        ...(m.education ? { education: m.education } : {}),
        ...(m.maritalStatus ? { marital_status: m.maritalStatus } : {}),
      },
    })),
  );

describe.each(testDatabases())('simulation over the register on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let movedOutId = '';

  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false });
    const kecheng = household('330802', '330802000700001', [
      // A bachelor's degree (GB/T 4658 21) meets the talent pathway on its own.
      {
        relationship: '户主',
        name: '周学士',
        sex: '男',
        birthDate: '1990-02-03',
        education: '21',
        maritalStatus: '20',
        seq: 11,
      },
      {
        relationship: '妻',
        name: '吴小学',
        sex: '女',
        birthDate: '1991-04-05',
        education: '81',
        maritalStatus: '20',
        seq: 12,
      },
      { relationship: '子', name: '周小', sex: '男', birthDate: '2020-06-07', seq: 13 },
      { relationship: '女', name: '周迁', sex: '女', birthDate: '2000-08-09', education: '61', seq: 14 },
    ]);
    const qujiang = household('330803', '330803000700001', [
      { relationship: '户主', name: '郑硕士', sex: '女', birthDate: '1985-01-02', education: '14', seq: 22 },
    ]);
    for (const { household: h, problems } of [kecheng, qujiang]) {
      expect(problems).toEqual([]);
      const outcome = await importHousehold(
        database.db,
        h,
        { id: 'import', countyCode: h.household.address.countyCode },
        'test',
      );
      expect(outcome).toMatchObject({ status: 'imported' });
    }
    movedOutId = kecheng.household.members[3]!.person.id;
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/register/move-out',
      headers: { ...(await officerHeaders(app, KECHENG)), 'idempotency-key': 'sim-move-out' },
      payload: { personId: movedOutId, toDivision: '110105', effectiveDate: '2025-01-01' },
    });
    expect(out.statusCode, out.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const simulate = async (officer: TestOfficer, body: object) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/register/simulations',
      headers: await officerHeaders(app, officer),
      payload: body,
    });

  it("counts the county's current members and decides the talent pathway from the registered degree", async () => {
    const res = await simulate(KECHENG, { policy: 'quzhou-2017-final', compareWith: 'quzhou-2017-draft' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.countyPrefix).toBe('330802');
    expect(body.registerFacts).toContainEqual({
      path: 'education.level',
      label: { zh: expect.any(String), en: expect.any(String) },
    });
    const { report } = body;
    // Three current members; the daughter who moved out is not in the register's population any more.
    expect(report.persons).toBe(3);
    expect(Object.keys(report.counties)).toEqual(['330802']);
    const { eligible, needs_approval, not_eligible } = report.outcomes;
    expect(eligible + needs_approval + not_eligible).toBe(3);
    const talent = report.pathways.find((p: { id: string }) => p.id === 'talent');
    expect(talent.met).toBe(1);
    expect(
      report.comparison.outcomes.eligible +
        report.comparison.outcomes.needs_approval +
        report.comparison.outcomes.not_eligible,
    ).toBe(3);
  });

  it('lets a city officer simulate over every county of the city, or one of them', async () => {
    const all = await simulate(QUZHOU_CITY, { policy: 'quzhou-2017-final' });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().countyPrefix).toBe('3308');
    expect(all.json().report.persons).toBe(4);
    expect(Object.keys(all.json().report.counties).sort()).toEqual(['330802', '330803']);
    const talent = all.json().report.pathways.find((p: { id: string }) => p.id === 'talent');
    expect(talent.met).toBe(2);
    const one = await simulate(QUZHOU_CITY, { policy: 'quzhou-2017-final', countyPrefix: '330803' });
    expect(one.json().report.persons).toBe(1);
  });

  it("finds nothing outside the officer's or the policy's jurisdiction", async () => {
    const otherCity = await simulate(LANZHOU, { policy: 'quzhou-2017-final' });
    expect(otherCity.statusCode).toBe(404);
    expect(otherCity.json().code).toBe('HUJI_REGISTER_OUT_OF_JURISDICTION');
    const neighbour = await simulate(KECHENG, { policy: 'quzhou-2017-final', countyPrefix: '330803' });
    expect(neighbour.statusCode).toBe(404);
    const lanzhouPolicy = await simulate(KECHENG, { policy: 'lanzhou-2017' });
    expect(lanzhouPolicy.statusCode).toBe(404);
  });

  it('names the field and the rule of a bad request, and refuses roles without register counts', async () => {
    const unknown = await simulate(KECHENG, { policy: 'nowhere-2030' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('HUJI_POLICY_UNKNOWN');
    const badPrefix = await simulate(KECHENG, { policy: 'quzhou-2017-final', countyPrefix: '33x' });
    expect(badPrefix.statusCode).toBe(400);
    expect(badPrefix.body).toContain('countyPrefix');
    const programme = await simulate(KECHENG, { policy: 'quzhou-2017-final', programme: 'nothing' });
    expect(programme.statusCode).toBe(404);
    expect(programme.json().code).toBe('HUJI_PROGRAMME_UNKNOWN');
    const clerk = await simulate(CLERK, { policy: 'quzhou-2017-final' });
    expect(clerk.statusCode).toBe(403);
  });
});
