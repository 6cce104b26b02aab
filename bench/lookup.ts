/**
 * `npm run bench:lookup [-- --persons N --connections C --seconds S]`: a person looked up by citizen id
 * over HTTP under load, with the register holding ≥ N persons (default 1,000,000) in PostgreSQL, beside
 * the same server's `/healthz` in the same run. Prints requests/s, latency percentiles and errors; it
 * asserts nothing about time and fails (exit 1) only if a lookup answers anything but the person asked for.
 *
 * Method: the register lives in the database `huji_bench_lookup` and is seeded once with the seeded
 * generator through the bulk import (`seedRegister`; a later run with the same or a smaller N reuses it).
 * The server is `huji serve` in a child process, so the load generator (autocannon, in this process) does
 * not share its event loop; the officer signs in for real (password and TOTP) and every request carries
 * the session cookie, so each lookup pays for session checking, the jurisdiction check, masking and JSON.
 * Each lookup asks for a different citizen id, drawn at random from 20,000 ids in the register. Both
 * targets are warmed up for 3 s, then measured for `--seconds` with the same number of connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, rowsOf } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadReferenceData } from '../src/db/reference-data.js';
import { seedRegister } from '../src/register/seed-register.js';
import {
  provisionTestOfficers,
  signIn,
  testTotpSecret,
  TEST_OFFICER_PASSWORD,
  type TestOfficer,
} from '../test/support/officer.js';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '15' },
  },
});
const persons = Number(args.persons);
const connections = Number(args.connections);
const seconds = Number(args.seconds);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = 'huji_bench_lookup';
const benchUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${benchDb}`;
  return u.toString();
})();
// A city-level registrar of Quzhou sees every county the generator fills.
const officer: TestOfficer = { id: 'bench-lookup', countyCode: '330800', roles: ['registrar'] };

async function prepareRegister(): Promise<string[]> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [benchDb]);
  if (exists.rowCount === 0) await admin.query(`create database ${benchDb}`);
  await admin.end();
  const handle = await openDatabase({ kind: 'postgres', url: benchUrl, poolSize: 4 });
  try {
    await migrateDatabase(handle.db);
    await loadReferenceData(handle.db);
    const count = async () =>
      Number(rowsOf<{ n: string }>(await handle.db.execute(sql`select count(*) as n from person`))[0]?.n);
    const before = await count();
    if (before < persons) {
      const started = performance.now();
      console.log(`seeding the register to ${persons.toLocaleString('en-US')} persons (once; reused later)…`);
      // The generator is deterministic: households already in the register are skipped.
      await seedRegister(handle, { city: 'quzhou', persons: Math.ceil(persons * 1.02), seed: 1 });
      console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    console.log(`register: ${(await count()).toLocaleString('en-US')} persons`);
    await provisionTestOfficers(handle.db, [officer]);
    return rowsOf<{ citizen_id: string }>(
      await handle.db.execute(
        sql`select citizen_id from person tablesample system (5) where county_code like '3308%' limit 20000`,
      ),
    ).map((r) => r.citizen_id);
  } finally {
    await handle.close();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/huji.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: benchUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start within 30 s');
}

type Result = autocannon.Result;

async function load(
  url: string,
  headers: Record<string, string>,
  duration: number,
  path: () => string,
): Promise<Result> {
  return autocannon({
    url,
    connections,
    duration,
    headers,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path() }) }],
  });
}

const ids = await prepareRegister();
if (ids.length < 1000) throw new Error(`only ${ids.length} citizen ids sampled`);
const port = await freePort();
const server = await startServer(port);
const base = `http://127.0.0.1:${port}`;
try {
  const headers = await signIn(base, {
    username: officer.id,
    password: TEST_OFFICER_PASSWORD,
    totpSecret: testTotpSecret(officer),
  });
  // Correctness first: a lookup answers the person asked for (masked id, same birth date digits).
  for (const id of ids.slice(0, 50)) {
    const res = await fetch(`${base}/api/v1/register/persons?citizenId=${id}`, { headers });
    const body = (await res.json()) as { items?: { citizenId: string }[] };
    const got = body.items?.[0]?.citizenId ?? '';
    if (res.status !== 200 || body.items?.length !== 1 || got.slice(0, 6) !== id.slice(0, 6)) {
      console.error(
        `lookup of ${id.slice(0, 6)}… answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`,
      );
      process.exitCode = 1;
    }
  }
  let next = 0;
  const lookupPath = () => `/api/v1/register/persons?citizenId=${ids[next++ % ids.length]}`;
  const healthPath = () => '/healthz';
  console.log(
    `bench:lookup — ${connections} connections, ${seconds} s each; ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  await load(base, headers, 3, healthPath);
  const health = await load(base, headers, seconds, healthPath);
  await load(base, headers, 3, lookupPath);
  const lookup = await load(base, headers, seconds, lookupPath);
  const row = (label: string, r: Result) =>
    `| ${label.padEnd(44)} | ${Math.round(r.requests.average).toLocaleString('en-US').padStart(9)} | ${String(r.latency.p50).padStart(7)} | ${String(r.latency.p99).padStart(7)} | ${String(r.errors + r.non2xx).padStart(6)} |`;
  console.log('');
  console.log('| target                                       | req/s     | p50 ms  | p99 ms  | errors |');
  console.log('| -------------------------------------------- | --------- | ------- | ------- | ------ |');
  console.log(row('GET /healthz (database ping)', health));
  console.log(row('GET /api/v1/register/persons?citizenId=…', lookup));
  console.log('');
  console.log(
    `lookup throughput is ${((lookup.requests.average / health.requests.average) * 100).toFixed(0)} % of /healthz on the same server`,
  );
  if (lookup.non2xx > 0 || lookup.errors > 0) {
    console.error(`${lookup.non2xx} non-2xx answers and ${lookup.errors} errors under load`);
    process.exitCode = 1;
  }
} finally {
  server.kill('SIGTERM');
}
