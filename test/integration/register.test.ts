/**
 * The population register through its HTTP API on the real database: a family's life in the ledger,
 * the household as it was on past dates, refusals with reasons, idempotent retries, jurisdictions,
 * search and the tamper-evident chain.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { householdFromRows } from '../../src/register/import-csv.js';
import { importHousehold } from '../../src/register/import-households.js';
import { buildApp } from '../../src/server/app.js';
import { checkCitizenId, composeCitizenId } from '../../src/standards/citizen-id.js';
import { todayInChina } from '../../src/standards/calendar.js';
import { testDatabases } from '../support/databases.js';
import { officerHeaders, type TestOfficer } from '../support/officer.js';

const KECHENG: TestOfficer = { id: 'officer-kc-1', countyCode: '330802' };
const QUJIANG: TestOfficer = { id: 'officer-qj-1', countyCode: '330803' };
const address = { text: '衢州市柯城区府山街道蛟池街 8 号', countyCode: '330802', townCode: '330802006' };

describe.each(testDatabases())('register on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let keySeq = 0;
  beforeAll(async () => {
    database = await open();
    app = await buildApp({ database, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const command = (type: string, body: object, officer: TestOfficer = KECHENG, key = `k-${++keySeq}`) =>
    officerHeaders(app, officer).then((headers) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/register/${type}`,
        payload: body,
        headers: { ...headers, 'idempotency-key': key },
      }),
    );
  const get = async (url: string, officer: TestOfficer = KECHENG) =>
    app.inject({ method: 'GET', url, headers: await officerHeaders(app, officer) });

  const ids: Record<string, string> = {};

  it('registers a family: a move-in founds the household, a spouse moves in, a child is born', async () => {
    const zhang = await command('move-in', {
      person: {
        name: '张三',
        sex: '1',
        birthDate: '1990-05-01',
        citizenId: composeCitizenId('360102', '1990-05-01', 13),
        birthplace: '360102',
        ethnicity: '01',
      },
      permitNumber: 'ZQ2024001',
      fromDivision: '360102',
      newHousehold: { address },
      relationship: '02',
      effectiveDate: '2024-03-01',
    });
    expect(zhang.statusCode).toBe(201);
    const z = zhang.json();
    ids.zhang = z.personIds[0];
    ids.household = z.householdIds[0];
    expect(z.householdNumbers[0]).toMatch(/^330802\d{9}$/);

    const li = await command('move-in', {
      person: {
        name: '李四',
        sex: '2',
        birthDate: '1992-08-15',
        citizenId: composeCitizenId('330802', '1992-08-15', 24),
        birthplace: '330802',
        ethnicity: '01',
      },
      permitNumber: 'ZQ2024002',
      fromDivision: '330803',
      householdId: ids.household,
      relationship: '12',
      effectiveDate: '2024-06-01',
    });
    expect(li.statusCode).toBe(201);
    ids.li = li.json().personIds[0];

    const baby = await command('birth-registration', {
      householdId: ids.household,
      relationship: '30',
      person: { name: '张小花', sex: '2', birthDate: '2025-01-10', birthplace: '330802', ethnicity: '01' },
      birthCertificateNumber: 'N330802250001',
    });
    expect(baby.statusCode).toBe(201);
    const b = baby.json();
    ids.baby = b.personIds[0];
    // The command answers the allocated id masked (ADR 0021); the full number is the separate read.
    expect(b.citizenId).toBe('330802************');
    const allocated = (await get(`/api/v1/register/persons/${ids.baby}/citizen-id`)).json()
      .citizenId as string;
    expect(allocated.slice(0, 14)).toBe('33080220250110');
    expect(Number(allocated.slice(14, 17)) % 2).toBe(0);
    expect(checkCitizenId(allocated).isValid).toBe(true);
  });

  it('shows the household today and as it was before the birth and before the spouse moved in', async () => {
    const today = (await get(`/api/v1/register/households/${ids.household}`)).json();
    expect(today.members.map((m: { person: { name: string } }) => m.person.name)).toEqual([
      '张三',
      '李四',
      '张小花',
    ]);
    expect(today.members[0].relationship).toBe('02');
    expect(today.members[0].person.citizenId).toMatch(/^360102\*{12}$/);
    const before = (await get(`/api/v1/register/households/${ids.household}?at=2024-12-31`)).json();
    expect(before.members.map((m: { person: { name: string } }) => m.person.name)).toEqual(['张三', '李四']);
    const early = (await get(`/api/v1/register/households/${ids.household}?at=2024-04-01`)).json();
    expect(early.members.map((m: { person: { name: string } }) => m.person.name)).toEqual(['张三']);
  });

  it('corrects a name without losing the old one, and time travel shows the old name', async () => {
    const res = await command('correction', {
      personId: ids.baby,
      field: 'name',
      value: '张晓华',
      reason: '出生医学证明姓名录入错误',
      evidence: '出生医学证明 N330802250001',
    });
    expect(res.statusCode).toBe(201);
    const now = (await get(`/api/v1/register/persons/${ids.baby}`)).json();
    expect(now.person).toMatchObject({ name: '张晓华', formerNames: ['张小花'] });
    expect(now.history.map((h: { type: string }) => h.type)).toEqual(['birth-registration', 'correction']);
    const yesterday = new Date(Date.parse(`${todayInChina()}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const then = (await get(`/api/v1/register/persons/${ids.baby}?at=${yesterday}`)).json();
    expect(then.person.name).toBe('张小花');
  });

  it('refuses a correction that would contradict the citizen id, naming the field', async () => {
    const res = await command(
      'correction',
      {
        personId: ids.baby,
        field: 'birthDate',
        value: '2025-01-11',
        reason: '录入错误',
        evidence: '出生医学证明',
      },
      KECHENG,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('HUJI_REGISTER_ID_INCONSISTENT');
  });

  it('will not let the head die without naming a successor, then closes the membership and makes the spouse head', async () => {
    const refused = await command('death-cancellation', {
      personId: ids.zhang,
      dateOfDeath: '2025-06-01',
      deathCertificateNumber: 'D2025-1',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('HUJI_REGISTER_HEAD_REQUIRED');
    const ok = await command('death-cancellation', {
      personId: ids.zhang,
      dateOfDeath: '2025-06-01',
      deathCertificateNumber: 'D2025-1',
      newHeadPersonId: ids.li,
    });
    expect(ok.statusCode).toBe(201);
    const household = (await get(`/api/v1/register/households/${ids.household}`)).json();
    expect(
      household.members.map((m: { person: { name: string }; relationship: string }) => [
        m.person.name,
        m.relationship,
      ]),
    ).toEqual([
      ['李四', '02'],
      ['张晓华', '30'],
    ]);
    const may = (await get(`/api/v1/register/households/${ids.household}?at=2025-05-31`)).json();
    expect(may.members.map((m: { person: { name: string } }) => m.person.name)).toContain('张三');
  });

  it('refuses to move a deceased person, with the reason', async () => {
    const res = await command('move-out', { personId: ids.zhang, toDivision: '110105' }, KECHENG);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'HUJI_REGISTER_NOT_ACTIVE' });
    expect(res.json().detail).toBe('张三 的户口状态为“已死亡注销”，不能办理迁出。');
    // In English the status and the action are English words too (they were Chinese in English text).
    const en = await officerHeaders(app, KECHENG).then((headers) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/register/move-out',
        payload: { personId: ids.zhang, toDivision: '110105' },
        headers: { ...headers, 'idempotency-key': `k-${++keySeq}`, 'accept-language': 'en' },
      }),
    );
    expect(en.json().detail).toBe('张三 is deceased; move out is not possible.');
  });

  it('splits a household: the mother and child form a new household', async () => {
    const res = await command('household-split', {
      fromHouseholdId: ids.household,
      headPersonId: ids.li,
      members: [{ personId: ids.baby, relationship: '30' }],
      household: { address: { ...address, text: '衢州市柯城区府山街道蛟池街 10 号' } },
    });
    expect(res.statusCode).toBe(201);
    const [newHousehold, oldHousehold] = res.json().householdIds;
    const fresh = (await get(`/api/v1/register/households/${newHousehold}`)).json();
    expect(fresh.members.map((m: { person: { name: string } }) => m.person.name)).toEqual(['李四', '张晓华']);
    const old = (await get(`/api/v1/register/households/${oldHousehold}`)).json();
    expect(old.household.status).toBe('closed');
    ids.split = newHousehold;
  });

  it('changes the head only with the former head given a new relationship (never two heads)', async () => {
    const unsaid = await command('head-change', { householdId: ids.split, newHeadPersonId: ids.baby });
    expect(unsaid.statusCode).toBe(400);
    expect(unsaid.json().code).toBe('HUJI_VALIDATION');
    const twoHeads = await command('head-change', {
      householdId: ids.split,
      newHeadPersonId: ids.baby,
      relationships: [{ personId: ids.li, relationship: '02' }],
    });
    expect(twoHeads.statusCode).toBe(400);
    const ok = await command('head-change', {
      householdId: ids.split,
      newHeadPersonId: ids.baby,
      relationships: [{ personId: ids.li, relationship: '52' }],
    });
    expect(ok.statusCode).toBe(201);
    const view = (await get(`/api/v1/register/households/${ids.split}`)).json();
    expect(
      view.members.map((m: { person: { name: string }; relationship: string }) => [
        m.person.name,
        m.relationship,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['张晓华', '02'],
        ['李四', '52'],
      ]),
    );
    expect(view.household.headPersonId).toBe(ids.baby);
  });

  it('replays a retried command with the same key and refuses the key for a different body', async () => {
    const body = {
      person: {
        name: '王五',
        sex: '1',
        birthDate: '1985-02-03',
        citizenId: composeCitizenId('330881', '1985-02-03', 51),
        birthplace: '330881',
        ethnicity: '01',
      },
      permitNumber: 'ZQ2025009',
      fromDivision: '330881',
      newHousehold: { address: { text: '衢州市柯城区荷花街道 1 号', countyCode: '330802' } },
      relationship: '02',
    };
    const first = await command('move-in', body, KECHENG, 'same-key');
    const retry = await command('move-in', body, KECHENG, 'same-key');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    const other = await command('move-in', { ...body, permitNumber: 'ZQ2025010' }, KECHENG, 'same-key');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('HUJI_IDEMPOTENCY_MISMATCH');
    const found = (await get('/api/v1/register/persons?name=王五')).json();
    expect(found.items).toHaveLength(1);
    ids.wang = found.items[0].id;
  });

  it('refuses a second registration of the same citizen id', async () => {
    const res = await command('move-in', {
      person: {
        name: '王五',
        sex: '1',
        birthDate: '1985-02-03',
        citizenId: composeCitizenId('330881', '1985-02-03', 51),
        birthplace: '330881',
        ethnicity: '01',
      },
      permitNumber: 'X',
      fromDivision: '330881',
      householdId: ids.household,
      relationship: '99',
    });
    expect(res.json().code).toBe('HUJI_REGISTER_CITIZEN_ID_TAKEN');
  });

  it('finds persons by pinyin and masks their id numbers; the full number is a separate read', async () => {
    const found = (await get('/api/v1/register/persons?name=wang%20wu')).json();
    expect(found.items.map((p: { name: string }) => p.name)).toEqual(['王五']);
    expect(found.items[0].citizenId).toMatch(/^\d{6}\*{12}$/);
    const joined = (await get('/api/v1/register/persons?name=wangwu')).json();
    expect(joined.items).toHaveLength(1);
    const full = (await get(`/api/v1/register/persons/${ids.wang}/citizen-id`)).json();
    expect(full.citizenId).toBe(composeCitizenId('330881', '1985-02-03', 51));
  });

  it('hides records of another county from its officers (404), and refuses commands there', async () => {
    expect((await get(`/api/v1/register/persons/${ids.wang}`, QUJIANG)).statusCode).toBe(404);
    expect((await get('/api/v1/register/persons?name=王五', QUJIANG)).json().items).toEqual([]);
    const res = await command('move-out', { personId: ids.wang, toDivision: '110105' }, QUJIANG);
    expect(res.statusCode).toBe(404);
    const city: TestOfficer = { id: 'city-1', countyCode: '330800' };
    expect((await get(`/api/v1/register/persons/${ids.wang}`, city)).statusCode).toBe(200);
  });

  it('asks for the officer and the idempotency key, and names bad fields', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/register/persons?name=x' })).statusCode).toBe(
      401,
    );
    const noKey = await app.inject({
      method: 'POST',
      url: '/api/v1/register/booklet-issue',
      payload: { householdId: ids.household, reason: 'first' },
      headers: await officerHeaders(app, KECHENG),
    });
    expect(noKey.json().code).toBe('HUJI_IDEMPOTENCY_KEY_REQUIRED');
    const bad = await command('relationship-change', {
      householdId: ids.household,
      personId: ids.baby,
      relationship: '19',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.relationship');
  });

  it('keeps the town an address names, and refuses a town of another county naming the field', async () => {
    const split = (await get(`/api/v1/register/households/${ids.split}`)).json();
    expect(split.household.address).toMatchObject({ countyCode: '330802', townCode: '330802006' });
    const elsewhere = await command('household-establishment', {
      headPersonId: ids.baby,
      household: {
        // 樟潭街道 is a sub-district of 衢江区 (330803), not of 柯城区.
        address: { text: '衢州市柯城区府山街道蛟池街 12 号', countyCode: '330802', townCode: '330803001' },
      },
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().errors).toEqual([
      expect.objectContaining({
        path: 'body.household.address.townCode',
        code: 'HUJI_FIELD_TOWN_CODE',
      }),
    ]);
  });

  it('counts a county on past dates from the membership intervals', async () => {
    const counts = (await get('/api/v1/register/counties/330802/counts?at=2025-03-01')).json();
    expect(counts).toMatchObject({ persons: 3, households: 1 });
  });

  it('keeps an intact hash chain, and detects an edited event', async () => {
    const intact = (await get('/api/v1/register/ledger/330802/verify')).json();
    expect(intact).toMatchObject({ isIntact: true });
    // Eight commands succeeded; refusals write nothing.
    expect(intact.events).toBe(8);
    await expect(
      database.db.execute(sql`update register_event set type = 'x' where county_code = '330802' and seq = 2`),
    ).rejects.toThrow();
    // An attacker with the database owner's rights can disable the trigger; the chain still tells.
    await database.db.execute(sql`alter table register_event disable trigger register_event_no_change`);
    await database.db.execute(
      sql`update register_event set payload = jsonb_set(payload, '{permitNumber}', '"FORGED"') where county_code = '330802' and seq = 2`,
    );
    await database.db.execute(sql`alter table register_event enable trigger register_event_no_change`);
    const broken = (await get('/api/v1/register/ledger/330802/verify')).json();
    expect(broken).toMatchObject({ isIntact: false, brokenAt: 2, reason: 'hash' });
  });

  it('gives every concurrent birth its own number and keeps the chain intact', async () => {
    const household = (
      await command(
        'move-in',
        {
          person: {
            name: '赵六',
            sex: '1',
            birthDate: '1980-01-01',
            citizenId: composeCitizenId('330803', '1980-01-01', 71),
            birthplace: '330803',
            ethnicity: '01',
          },
          permitNumber: 'P1',
          fromDivision: '330803',
          newHousehold: { address: { text: '衢州市衢江区 1 号', countyCode: '330803' } },
          relationship: '02',
        },
        QUJIANG,
      )
    ).json().householdIds[0];
    const births = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        command(
          'birth-registration',
          {
            householdId: household,
            relationship: '20',
            person: {
              name: `赵${i}`,
              sex: '1',
              birthDate: '2025-09-09',
              birthplace: '330803',
              ethnicity: '01',
            },
            birthCertificateNumber: `B${i}`,
          },
          QUJIANG,
        ),
      ),
    );
    expect(births.map((b) => b.statusCode)).toEqual(Array(12).fill(201));
    const allocated = await Promise.all(
      births.map(
        async (b) =>
          (
            await get(
              `/api/v1/register/persons/${b.json<{ personIds: string[] }>().personIds[0]}/citizen-id`,
              QUJIANG,
            )
          ).json<{
            citizenId: string;
          }>().citizenId,
      ),
    );
    expect(new Set(allocated).size).toBe(12);
    expect((await get('/api/v1/register/ledger/330803/verify', QUJIANG)).json()).toMatchObject({
      isIntact: true,
      events: 13,
    });
  });
  it('numbers a new household past the numbers imported households brought with them', async () => {
    const { household } = householdFromRows([
      {
        line: 2,
        values: {
          household_number: '330802000000777',
          household_type: '家庭户',
          address: '衢州市柯城区导入路 7 号',
          county_code: '330802',
          relationship: '户主',
          citizen_id: composeCitizenId('330802', '1970-07-07', 77),
          name: '钱导入',
          sex: '男',
          birth_date: '1970-07-07',
        },
      },
    ]);
    expect(
      await importHousehold(database.db, household, { id: 'import', countyCode: '330802' }, 'test'),
    ).toMatchObject({ status: 'imported' });
    const res = await command('move-in', {
      person: {
        name: '孙新户',
        sex: '1',
        birthDate: '1988-08-08',
        citizenId: composeCitizenId('330103', '1988-08-08', 81),
        birthplace: '330103',
        ethnicity: '01',
      },
      permitNumber: 'ZQ-777',
      fromDivision: '330103',
      newHousehold: { address: { text: '衢州市柯城区新户路 8 号', countyCode: '330802' } },
      relationship: '02',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().householdNumbers[0]).toBe('330802000000778');
  });
});
