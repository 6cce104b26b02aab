/**
 * "An acknowledged command survives a crash of the server" (issue 4), with real processes: `huji serve`
 * as a child process on an on-disk PGlite directory and on PostgreSQL, 200 concurrent register commands
 * over real HTTP, SIGKILL part-way through, a restart on the same database, and a replay of every request
 * with its Idempotency-Key. Every command the client saw acknowledged (2xx) is in the register exactly
 * once and replays the same answer; nothing is recorded twice; the ledger chains verify.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/connection.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { officerHeaders, provisionTestOfficers, type TestOfficer } from '../support/officer.js';
import {
  killHuji,
  sleep,
  spawnedDatabases,
  startHuji,
  startServer,
  type ServerProcess,
  type SpawnedDatabase,
} from '../support/spawned.js';

const KECHENG: TestOfficer = { id: 'crash-officer-kc', countyCode: '330802' };
const QUJIANG: TestOfficer = { id: 'crash-officer-qj', countyCode: '330803' };
const OFFICERS = [KECHENG, QUJIANG] as const;
const HOUSEHOLDS_PER_COUNTY = 4;
const COMMANDS = 200;
/** The server is killed as soon as the client has seen this many acknowledgements. */
const KILL_AFTER_ACKS = 50;
/** A claim of a request that died with the server is released when its lease (60 s) runs out. */
const REPLAY_DEADLINE_MS = 100_000;

interface Planned {
  readonly index: number;
  readonly key: string;
  readonly type: 'birth-registration' | 'move-in';
  readonly officer: TestOfficer;
  readonly name: string;
  readonly householdId?: string;
  readonly body: Record<string, unknown>;
}

interface Answer {
  readonly status: number;
  readonly isReplayed: boolean;
  readonly body: Record<string, unknown>;
}

type Outcome = { readonly answer: Answer } | { readonly error: string };

/** Each officer's request headers for the running server: signed in once, before any burst. */
const sessions = new Map<string, Record<string, string>>();
async function signInOfficers(server: ServerProcess) {
  sessions.clear();
  for (const officer of OFFICERS) sessions.set(officer.id, await officerHeaders(server.url, officer));
}
const headersOf = (officer: TestOfficer) => sessions.get(officer.id)!;

async function post(server: ServerProcess, p: Planned): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1/register/${p.type}`, {
    method: 'POST',
    headers: {
      ...headersOf(p.officer),
      'content-type': 'application/json',
      'accept-language': 'en',
      'idempotency-key': p.key,
    },
    body: JSON.stringify(p.body),
  });
  return {
    status: res.status,
    isReplayed: res.headers.get('idempotent-replayed') === 'true',
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function get(server: ServerProcess, officer: TestOfficer, path: string) {
  const res = await fetch(`${server.url}${path}`, { headers: headersOf(officer) });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** Replays a request until it is no longer "in progress" (a claim left by the killed server). */
async function replay(server: ServerProcess, p: Planned, deadline: number): Promise<Answer> {
  for (;;) {
    const answer = await post(server, p);
    if (answer.status !== 409 || answer.body.code !== 'HUJI_IDEMPOTENCY_IN_PROGRESS' || Date.now() > deadline)
      return answer;
    await sleep(2_000);
  }
}

const address = (county: string, text: string) => ({ text, countyCode: county });

describe.each(spawnedDatabases())('acknowledged register commands survive SIGKILL on $name', ({ create }) => {
  let database: SpawnedDatabase | undefined;
  let server: ServerProcess | undefined;
  const households = new Map<string, string[]>();
  const plan: Planned[] = [];
  const first = new Map<number, Outcome>();
  const final = new Map<number, Answer>();
  let replayedAfterCrash = 0;

  beforeAll(async () => {
    database = await create();
    // The officers' accounts exist before the server opens the database (PGlite: one process at a time).
    const migrate = startHuji(['db', 'migrate'], database.env);
    expect((await migrate.exited).code, migrate.output()).toBe(0);
    const handle = await database.open();
    try {
      await provisionTestOfficers(handle.db, OFFICERS);
    } finally {
      await handle.close();
    }
  });
  afterAll(async () => {
    await killHuji(server);
    await database?.dispose();
  });

  it('starts the server and founds a few households in two counties', async () => {
    server = await startServer({ ...database!.env, HUJI_DEMO_DATA: 'false' });
    await signInOfficers(server);
    let n = 0;
    for (const officer of OFFICERS) {
      const ids: string[] = [];
      for (let h = 0; h < HOUSEHOLDS_PER_COUNTY; h++) {
        n++;
        const birthDate = `1980-01-${String(n).padStart(2, '0')}`;
        const res = await post(server, {
          index: -n,
          key: `setup-${n}`,
          type: 'move-in',
          officer,
          name: `户主${n}`,
          body: {
            person: {
              name: `户主${n}`,
              sex: '1',
              birthDate,
              citizenId: composeCitizenId('360102', birthDate, 11),
              birthplace: '360102',
              ethnicity: '01',
            },
            permitNumber: `SETUP-${n}`,
            fromDivision: '360102',
            newHousehold: { address: address(officer.countyCode, `衢州崩溃测试路 ${n} 号`) },
            relationship: '02',
            effectiveDate: '2024-01-01',
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        ids.push((res.body.householdIds as string[])[0]!);
      }
      households.set(officer.countyCode, ids);
    }
  });

  it(`fires ${COMMANDS} concurrent commands and SIGKILLs the server after ${KILL_AFTER_ACKS} acknowledgements`, async () => {
    for (let i = 0; i < COMMANDS; i++) {
      const officer = OFFICERS[i % 2]!;
      const name = `压测${i}号`;
      const key = `crash-${i}-${Math.random().toString(36).slice(2)}`;
      if (i % 4 === 3) {
        // A move-in founding a new household: takes a household number and claims a citizen id.
        const birthDate = '1990-03-15';
        const sequence = i + 1;
        plan.push({
          index: i,
          key,
          type: 'move-in',
          officer,
          name,
          body: {
            person: {
              name,
              sex: sequence % 2 === 1 ? '1' : '2',
              birthDate,
              citizenId: composeCitizenId('360102', birthDate, sequence),
              birthplace: null,
              ethnicity: null,
            },
            permitNumber: `ZQ-CRASH-${i}`,
            fromDivision: '360102',
            newHousehold: { address: address(officer.countyCode, `衢州崩溃测试新村 ${i} 号`) },
            relationship: '02',
          },
        });
      } else {
        // A birth into an existing household: allocates a citizen id.
        const own = households.get(officer.countyCode)!;
        const householdId = own[i % own.length]!;
        const sex = i % 3 === 0 ? '2' : '1';
        plan.push({
          index: i,
          key,
          type: 'birth-registration',
          officer,
          name,
          householdId,
          body: {
            householdId,
            relationship: sex === '1' ? '20' : '30',
            person: {
              name,
              sex,
              birthDate: `2024-0${(i % 9) + 1}-1${i % 10}`,
              birthplace: '330802',
              ethnicity: '01',
            },
            birthCertificateNumber: `N-CRASH-${i}`,
          },
        });
      }
    }
    const running = server!;
    let acks = 0;
    await Promise.all(
      plan.map(async (p) => {
        try {
          const answer = await post(running, p);
          first.set(p.index, { answer });
          if (answer.status >= 200 && answer.status < 300 && ++acks === KILL_AFTER_ACKS)
            running.child.kill('SIGKILL');
        } catch (error) {
          first.set(p.index, { error: String(error) });
        }
      }),
    );
    const exit = await running.exited;
    expect(exit.signal).toBe('SIGKILL');
    const outcomes = [...first.values()];
    const acknowledged = outcomes.filter((o) => 'answer' in o && o.answer.status < 300);
    const failed = outcomes.filter((o) => 'error' in o);
    // Anything answered was answered 201: no refusals, no 5xx, before the kill.
    expect(outcomes.filter((o) => 'answer' in o && o.answer.status !== 201)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // The kill really interrupted the burst.
    expect(failed.length).toBeGreaterThan(0);
    console.log(
      `[${database!.name}] before the kill: ${acknowledged.length} acknowledged, ${failed.length} without an answer`,
    );
  });

  it('restarts on the same database and replays every request with its key', async () => {
    server = await startServer({ ...database!.env, HUJI_DEMO_DATA: 'false' });
    await signInOfficers(server);
    const running = server;
    const deadline = Date.now() + REPLAY_DEADLINE_MS;
    const answers = await Promise.all(plan.map((p) => replay(running, p, deadline)));
    plan.forEach((p, i) => final.set(p.index, answers[i]!));
    for (const p of plan) {
      const before = first.get(p.index)!;
      const after = final.get(p.index)!;
      expect(after.status, `${p.key}: ${JSON.stringify(after.body)}`).toBe(201);
      if ('answer' in before) {
        // Acknowledged before the crash: the same answer, marked as a replay.
        expect(after.isReplayed, p.key).toBe(true);
        expect(after.body, p.key).toEqual(before.answer.body);
      } else if (after.isReplayed) {
        replayedAfterCrash++; // committed, but the answer was lost with the server
      }
    }
    // Once done, every key replays, and replays change nothing.
    const again = await Promise.all(plan.map((p) => post(running, p)));
    again.forEach((a, i) => {
      expect(a.isReplayed).toBe(true);
      expect(a.body).toEqual(final.get(plan[i]!.index)!.body);
    });
    console.log(
      `[${database!.name}] after the restart: ${replayedAfterCrash} unanswered commands had been committed (replayed), the others ran on replay`,
    );
  }, 180_000);

  it('shows every command exactly once through the API, and the ledger chains verify', async () => {
    const running = server!;
    for (const p of plan) {
      const body = final.get(p.index)!.body;
      const personId = (body.personIds as string[])[0]!;
      const person = await get(running, p.officer, `/api/v1/register/persons/${personId}`);
      expect((person.person as { name: string }).name).toBe(p.name);
      expect((person.history as { type: string }[]).map((h) => h.type)).toEqual([p.type]);
    }
    for (const officer of OFFICERS) {
      for (const householdId of households.get(officer.countyCode)!) {
        const view = await get(running, officer, `/api/v1/register/households/${householdId}`);
        const names = (view.members as { person: { name: string } }[])
          .map((m) => m.person.name)
          .filter((name) => name.startsWith('压测'));
        const expected = plan.filter((p) => p.householdId === householdId).map((p) => p.name);
        expect(names.sort()).toEqual(expected.sort());
      }
      const verify = await get(running, officer, `/api/v1/register/ledger/${officer.countyCode}/verify`);
      expect(verify).toMatchObject({
        isIntact: true,
        events: HOUSEHOLDS_PER_COUNTY + plan.filter((p) => p.officer === officer).length,
      });
    }
  });

  it('stops cleanly and the database holds each command once', async () => {
    const running = server!;
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    const handle = await database!.open();
    try {
      const names = rowsOf<{ name: string; n: number }>(
        await handle.db.execute(
          sql`select name, count(*)::int as n from person where name like '压测%' group by name`,
        ),
      );
      expect(names).toHaveLength(COMMANDS);
      expect(names.filter((r) => r.n !== 1)).toEqual([]);
      // The suite's own database without demo data: every event and key is this suite's.
      const events = rowsOf<{ type: string; n: number }>(
        await handle.db.execute(
          sql`select type, count(*)::int as n from register_event group by type order by type`,
        ),
      );
      expect(events).toEqual([
        { type: 'birth-registration', n: plan.filter((p) => p.type === 'birth-registration').length },
        { type: 'move-in', n: plan.filter((p) => p.type === 'move-in').length + 2 * HOUSEHOLDS_PER_COUNTY },
      ]);
      const keys = rowsOf<{ status: string; n: number }>(
        await handle.db.execute(sql`
          select status, count(*)::int as n from idempotency_key
          where key like 'setup-%' or key like 'crash-%' group by status`),
      );
      expect(keys).toEqual([{ status: 'done', n: COMMANDS + 2 * HOUSEHOLDS_PER_COUNTY }]);
      // Every person the client was told about before the crash is there under the id it was told.
      const acknowledged = plan.flatMap((p) => {
        const o = first.get(p.index);
        return o && 'answer' in o ? [{ id: (o.answer.body.personIds as string[])[0]!, name: p.name }] : [];
      });
      const found = rowsOf<{ id: string; name: string }>(
        await handle.db.execute(sql`select id, name from person where name like '压测%'`),
      );
      const byId = new Map(found.map((r) => [r.id, r.name]));
      for (const a of acknowledged) expect(byId.get(a.id), a.name).toBe(a.name);
    } finally {
      await handle.close();
    }
  });
});
