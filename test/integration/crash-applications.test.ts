/**
 * "200 concurrent submissions while the server is killed with SIGKILL and restarted: every submission
 * that got a 2xx is present afterwards, none twice (idempotency keys replayed)" (issue 5), with real
 * processes, modelled on crash-server.test.ts: `huji serve` as a child process on an on-disk PGlite
 * directory and on PostgreSQL; ten residents sign in through the demo identity provider (the one-time
 * code read from the server's log); 200 residence-permit applications are submitted at once, each with
 * its own Idempotency-Key; the server is SIGKILLed at the 50th 2xx answer, restarted on the same
 * database, and every request is replayed with its key. Afterwards each application is in the database
 * exactly once with the body it was submitted with and its submission event; each acknowledged one
 * under the id it was acknowledged with; every replay answers 201 with that id.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/connection.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import {
  killHuji,
  sleep,
  spawnedDatabases,
  startHuji,
  startServer,
  type ServerProcess,
  type SpawnedDatabase,
} from '../support/spawned.js';

const COUNTY = '330802';
const RESIDENTS = Array.from({ length: 10 }, (_, i) => `1390000${String(2000 + i)}`);
const SUBMISSIONS = 200;
/** The server is killed as soon as the client has seen this many acknowledgements. */
const KILL_AFTER_ACKS = 50;
/** A claim of a request that died with the server is released when its lease (60 s) runs out. */
const REPLAY_DEADLINE_MS = 100_000;
/** The demo identity provider logs the one-time code at info level. */
/** Ten residents submit 20 each: above the default per-resident caps, which are not under test here. */
const SERVER_ENV = {
  HUJI_DEMO_DATA: 'false',
  LOG_LEVEL: 'info',
  HUJI_SUBMISSIONS_PER_HOUR: '1000',
  HUJI_SUBMISSIONS_PER_DAY: '10000',
};

interface Planned {
  readonly index: number;
  readonly key: string;
  readonly phone: string;
  readonly name: string;
  readonly citizenId: string;
  readonly body: {
    readonly typeId: string;
    readonly form: Record<string, unknown> & { readonly applicant: Record<string, unknown> };
  };
}

interface Answer {
  readonly status: number;
  readonly isReplayed: boolean;
  readonly body: Record<string, unknown>;
}

type Outcome = { readonly answer: Answer } | { readonly error: string };

/** Each resident's cookie and CSRF token on the running server. */
const sessions = new Map<string, Record<string, string>>();

/** The code the demo provider wrote to the log for this number after `since` characters of output. */
async function codeFromLog(server: ServerProcess, phone: string, since: number): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  for (let waited = 0; waited < 10_000; waited += 50) {
    for (const line of server.output().slice(since).split('\n')) {
      if (!line.includes('demo-one-time-code')) continue;
      let entry: { phone?: string; code?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue; // a line still being written
      }
      if (entry.phone === masked && entry.code) return entry.code;
    }
    await sleep(50);
  }
  throw new Error(`no one-time code for ${masked} in the server log`);
}

async function signInResidents(server: ServerProcess) {
  sessions.clear();
  for (const phone of RESIDENTS) {
    const since = server.output().length;
    const start = await fetch(`${server.url}/api/v1/resident-auth/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone }),
    });
    expect(start.status, await start.clone().text()).toBe(200);
    const { challenge } = (await start.json()) as { challenge: string };
    const code = await codeFromLog(server, phone, since);
    const verify = await fetch(`${server.url}/api/v1/resident-auth/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge, code }),
    });
    expect(verify.status, await verify.clone().text()).toBe(200);
    const cookie = verify.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await verify.json()) as { csrfToken: string };
    sessions.set(phone, { cookie, 'x-csrf-token': csrfToken });
  }
}

async function post(server: ServerProcess, p: Planned): Promise<Answer> {
  const res = await fetch(`${server.url}/api/v1/my/applications`, {
    method: 'POST',
    headers: {
      ...sessions.get(p.phone),
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

/** Replays a request until it is no longer "in progress" (a claim left by the killed server). */
async function replay(server: ServerProcess, p: Planned, deadline: number): Promise<Answer> {
  for (;;) {
    const answer = await post(server, p);
    if (answer.status !== 409 || answer.body.code !== 'HUJI_IDEMPOTENCY_IN_PROGRESS' || Date.now() > deadline)
      return answer;
    await sleep(2_000);
  }
}

describe.each(spawnedDatabases())('acknowledged submissions survive SIGKILL on $name', ({ create }) => {
  let database: SpawnedDatabase | undefined;
  let server: ServerProcess | undefined;
  const plan: Planned[] = [];
  const first = new Map<number, Outcome>();
  const final = new Map<number, Answer>();

  beforeAll(async () => {
    database = await create();
    const migrate = startHuji(['db', 'migrate'], database.env);
    expect((await migrate.exited).code, migrate.output()).toBe(0);
    for (let i = 0; i < SUBMISSIONS; i++) {
      // A residence permit needs no household: each applicant is a new person with an id of their own.
      const birthDate = `19${70 + (i % 30)}-0${(i % 9) + 1}-1${i % 10}`;
      const sequence = 100 + i;
      const citizenId = composeCitizenId('360102', birthDate, sequence);
      const name = `崩溃${i}号`;
      plan.push({
        index: i,
        key: `crash-app-${i}-${Math.random().toString(36).slice(2)}`,
        phone: RESIDENTS[i % RESIDENTS.length]!,
        name,
        citizenId,
        body: {
          typeId: 'residence-permit',
          form: {
            kind: 'residence-permit',
            applicant: {
              name,
              citizenId,
              sex: sequence % 2 === 1 ? '1' : '2',
              birthDate,
              ethnicity: '01',
            },
            residenceAddress: { text: `衢州市柯城区崩溃测试路 ${i} 号`, countyCode: COUNTY },
            livingSince: '2024-01-01',
          },
        },
      });
    }
  });
  afterAll(async () => {
    await killHuji(server);
    await database?.dispose();
  });

  it('starts the server and signs ten residents in with codes from its log', async () => {
    server = await startServer({ ...database!.env, ...SERVER_ENV });
    await signInResidents(server);
    expect(sessions.size).toBe(RESIDENTS.length);
  });

  it(`fires ${SUBMISSIONS} concurrent submissions and SIGKILLs the server after ${KILL_AFTER_ACKS} acknowledgements`, async () => {
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
    // Anything answered before the kill was answered 201: no refusals, no 5xx.
    expect(outcomes.filter((o) => 'answer' in o && o.answer.status !== 201)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(failed.length).toBeGreaterThan(0);
    console.log(
      `[${database!.name}] before the kill: ${acknowledged.length} acknowledged, ${failed.length} without an answer`,
    );
  });

  it('restarts on the same database and replays every request with its key', async () => {
    server = await startServer({ ...database!.env, ...SERVER_ENV });
    await signInResidents(server);
    const running = server;
    const deadline = Date.now() + REPLAY_DEADLINE_MS;
    const answers = await Promise.all(plan.map((p) => replay(running, p, deadline)));
    plan.forEach((p, i) => final.set(p.index, answers[i]!));
    let committedUnanswered = 0;
    for (const p of plan) {
      const before = first.get(p.index)!;
      const after = final.get(p.index)!;
      expect(after.status, `${p.key}: ${JSON.stringify(after.body)}`).toBe(201);
      if ('answer' in before) {
        // Acknowledged before the crash: the same application, marked as a replay.
        expect(after.isReplayed, p.key).toBe(true);
        expect(after.body.id, p.key).toBe(before.answer.body.id);
        expect(after.body, p.key).toEqual(before.answer.body);
      } else if (after.isReplayed) {
        committedUnanswered++; // committed, but the answer was lost with the server
      }
    }
    // Once done, every key replays the same application, and replays change nothing.
    const again = await Promise.all(plan.map((p) => post(running, p)));
    again.forEach((a, i) => {
      expect(a.isReplayed).toBe(true);
      expect(a.body.id).toBe(final.get(plan[i]!.index)!.body.id);
    });
    console.log(
      `[${database!.name}] after the restart: ${committedUnanswered} unanswered submissions had been committed (replayed), the others ran on replay`,
    );
  }, 180_000);

  it('lists each resident’s applications once through the API', async () => {
    const running = server!;
    for (const phone of RESIDENTS) {
      const res = await fetch(`${running.url}/api/v1/my/applications`, { headers: sessions.get(phone) });
      expect(res.status).toBe(200);
      const items = ((await res.json()) as { items: { id: string; applicant: { name: string } }[] }).items;
      const expected = plan.filter((p) => p.phone === phone);
      expect(items.map((a) => a.id).sort()).toEqual(
        expected.map((p) => final.get(p.index)!.body.id as string).sort(),
      );
    }
  });

  it('stops cleanly; the database holds each submission once, with its body and its submission event', async () => {
    const running = server!;
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    const handle = await database!.open();
    try {
      // The suite's own database without demo data: every application and event is this suite's.
      const applications = rowsOf<{
        id: string;
        applicant_name: string;
        applicant_citizen_id: string;
        applicant_subject: string;
        state: string;
        form: unknown;
      }>(
        await handle.db.execute(
          sql`select id, applicant_name, applicant_citizen_id, applicant_subject, state, form from application`,
        ),
      );
      expect(applications).toHaveLength(SUBMISSIONS);
      const byName = new Map<string, typeof applications>();
      for (const a of applications)
        byName.set(a.applicant_name, [...(byName.get(a.applicant_name) ?? []), a]);
      expect([...byName.values()].filter((list) => list.length !== 1)).toEqual([]);
      for (const p of plan) {
        const [row] = byName.get(p.name) ?? [];
        expect(row, p.name).toBeDefined();
        expect(row!.id, p.name).toBe(final.get(p.index)!.body.id);
        const o = first.get(p.index)!;
        if ('answer' in o) expect(row!.id, `${p.name} acknowledged before the crash`).toBe(o.answer.body.id);
        expect(row!.applicant_citizen_id).toBe(p.citizenId);
        expect(row!.applicant_subject).toBe(p.phone);
        expect(row!.state).toBe('submitted');
        // The body as submitted, nothing added.
        const form = typeof row!.form === 'string' ? JSON.parse(row!.form) : row!.form;
        expect(form, p.name).toMatchObject(p.body.form);
      }
      const events = rowsOf<{ application_id: string; seq: number; type: string }>(
        await handle.db.execute(sql`select application_id, seq, type from application_event`),
      );
      // One submission event per application, none without its application, none twice.
      expect(events).toHaveLength(SUBMISSIONS);
      const ids = new Set(applications.map((a) => a.id));
      expect(events.filter((e) => !ids.has(e.application_id))).toEqual([]);
      expect(new Set(events.map((e) => e.application_id)).size).toBe(SUBMISSIONS);
      expect(events.filter((e) => e.type !== 'application.submitted' || Number(e.seq) !== 1)).toEqual([]);
      const keys = rowsOf<{ status: string; n: number }>(
        await handle.db.execute(sql`
          select status, count(*)::int as n from idempotency_key where key like 'crash-app-%' group by status`),
      );
      expect(keys).toEqual([{ status: 'done', n: SUBMISSIONS }]);
    } finally {
      await handle.close();
    }
  });
});
