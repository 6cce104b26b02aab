/**
 * `npm run bench:services [-- --applications N --connections C --residents R]`: online applications
 * carried through their workflow over HTTP against PostgreSQL, step by step with autocannon, beside the
 * same server's `/healthz` in the same run. Prints requests/s, applications/s and latency percentiles per
 * step; it asserts nothing about time and fails (exit 1) only if a request answers anything but 2xx or
 * the database does not hold N approved applications at the end.
 *
 * Method: a fresh database `huji_bench_services` (dropped and created on every run), migrated with the
 * reference data; `huji serve` in a child process (the load generator does not share its event loop).
 * The type is the residence permit (first issue): it needs no household, so every application is a new
 * person with a citizen id of their own (`composeCitizenId`), submitted by one of R residents; approval
 * issues the signed residence-permit certificate in the same transaction. Untimed set-up: the residents'
 * sessions are opened in the database (what the demo identity provider's sign-in would leave: a
 * session row, its cookie and CSRF token), and the three officers (window clerk, reviewer, approver of
 * Kecheng, 330802) sign in for real with password and TOTP. Timed steps, each a separate autocannon run
 * with C connections and one request per application (per material for the uploads), every request
 * with its own Idempotency-Key and session headers:
 *   1. submit   POST /api/v1/my/applications                (resident; the policy engine evaluates it)
 *   2. upload   POST /api/v1/my/applications/:id/materials  (resident; 4 materials each, a small PDF)
 *   3. accept   POST /api/v1/applications/:id/accept        (window clerk; completeness checked)
 *   4. review   POST /api/v1/applications/:id/review        (reviewer)
 *   5. approve  POST /api/v1/applications/:id/approve       (approver; certificate issued)
 * then `GET /healthz` for 10 s with the same connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { DEFAULT_ACCOUNTS_CONFIG } from '../src/accounts/config.js';
import { openResidentSession } from '../src/accounts/resident-identity.js';
import { RESIDENT_COOKIE } from '../src/accounts/resident-routes.js';
import { csrfTokenOf } from '../src/accounts/secrets.js';
import { openDatabase, rowsOf } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadReferenceData } from '../src/db/reference-data.js';
import { composeCitizenId } from '../src/standards/citizen-id.js';
import {
  provisionTestOfficers,
  signIn,
  testTotpSecret,
  TEST_OFFICER_PASSWORD,
  type TestOfficer,
} from '../test/support/officer.js';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '32' },
    residents: { type: 'string', default: '100' },
  },
});
const total = Number(args.applications);
const connections = Number(args.connections);
const residentCount = Number(args.residents);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = 'huji_bench_services';
const benchUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${benchDb}`;
  return u.toString();
})();
const COUNTY = '330802';
const clerk: TestOfficer = { id: 'bench-clerk', countyCode: COUNTY, roles: ['window-clerk'] };
const reviewer: TestOfficer = { id: 'bench-reviewer', countyCode: COUNTY, roles: ['reviewer'] };
const approver: TestOfficer = { id: 'bench-approver', countyCode: COUNTY, roles: ['approver'] };
const MATERIALS = ['permit.id-card', 'permit.photo', 'permit.address', 'permit.job-or-study'] as const;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
/** The photo slot takes an image only (本人相片): a PNG signature is what the server reads. */
/** A whole 1 × 1 PNG (uploads must decode). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
const silent = { info: () => undefined, warn: () => undefined };

interface Planned {
  readonly resident: number;
  readonly body: string;
  id?: string;
}

/** The i-th applicant: a birth date per 500 applicants from 1970 on, a sequence within it. */
function applicant(i: number) {
  const birth = new Date(Date.UTC(1970, 0, 1) + Math.floor(i / 500) * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  const sequence = (i % 500) + 1;
  const citizenId = composeCitizenId('360102', birthDate, sequence);
  return { name: `测试${i}`, citizenId, sex: sequence % 2 === 1 ? '1' : '2', birthDate };
}

async function prepareDatabase(): Promise<Record<string, string>[]> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${benchDb} with (force)`);
  await admin.query(`create database ${benchDb}`);
  await admin.end();
  const handle = await openDatabase({ kind: 'postgres', url: benchUrl, poolSize: 4 });
  try {
    await migrateDatabase(handle.db);
    await loadReferenceData(handle.db);
    await provisionTestOfficers(handle.db, [clerk, reviewer, approver]);
    const ctx = { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => new Date(), log: silent };
    const sessions: Record<string, string>[] = [];
    for (let r = 0; r < residentCount; r++) {
      const phone = `139${String(10_000_000 + r).padStart(8, '0')}`;
      const { token } = await openResidentSession(handle.db, { provider: 'demo-phone', subject: phone }, ctx);
      sessions.push({ cookie: `${RESIDENT_COOKIE}=${token}`, 'x-csrf-token': csrfTokenOf(token) });
    }
    return sessions;
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
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start within 60 s');
}

type Result = autocannon.Result;

interface Step {
  readonly label: string;
  readonly requests: number;
  readonly result: Result;
}

let keys = 0;
const key = (step: string) => `bench-${step}-${++keys}`;

/**
 * Runs `count` requests, the n-th built by `build(n)`; `answered(n, status, body)` sees each answer
 * (a connection has one request in flight, so its context remembers which one it sent).
 */
async function run(
  url: string,
  count: number,
  build: (n: number) => { path: string; headers: Record<string, string>; body: string | Buffer },
  answered?: (n: number, status: number, body: string) => void,
): Promise<Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    amount: count,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const n = next++;
          (context as { n?: number }).n = n;
          const built = build(n % count);
          return { ...request, path: built.path, headers: built.headers, body: built.body };
        },
        ...(answered
          ? {
              onResponse: (status: number, body: string, context: unknown) =>
                answered((context as { n: number }).n % count, status, body),
            }
          : {}),
      },
    ],
  });
}

const residentSessions = await prepareDatabase();
const port = await freePort();
const server = await startServer(port);
const base = `http://127.0.0.1:${port}`;
const steps: Step[] = [];
const failures: string[] = [];
const noteFailure = (step: string) => (n: number, status: number, body: string) => {
  if (status < 200 || status >= 300) failures.push(`${step} #${n}: ${status} ${body.slice(0, 200)}`);
};
try {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log(
    `bench:services — ${total.toLocaleString('en-US')} residence-permit applications, ${connections} connections, ${residentCount} residents; ${cpus().length} cores, load ${load()}`,
  );
  const plan: Planned[] = Array.from({ length: total }, (_, i) => {
    const person = applicant(i);
    return {
      resident: i % residentCount,
      body: JSON.stringify({
        typeId: 'residence-permit',
        form: {
          kind: 'residence-permit',
          applicant: person,
          residenceAddress: { text: `衢州市柯城区测试路 ${i} 号`, countyCode: COUNTY },
          livingSince: '2024-01-01',
        },
      }),
    };
  });
  const json = { 'content-type': 'application/json', 'accept-language': 'en' };

  // 1. Submit.
  const submitted = await run(
    base,
    total,
    (n) => ({
      path: '/api/v1/my/applications',
      headers: { ...residentSessions[plan[n]!.resident]!, ...json, 'idempotency-key': key('submit') },
      body: plan[n]!.body,
    }),
    (n, status, body) => {
      if (status === 201) plan[n]!.id = (JSON.parse(body) as { id: string }).id;
      else noteFailure('submit')(n, status, body);
    },
  );
  steps.push({ label: 'submit   POST /my/applications', requests: total, result: submitted });
  const ready = plan.filter((p): p is Planned & { id: string } => p.id !== undefined);

  // 2. Upload the four materials of each.
  const uploads = ready.length * MATERIALS.length;
  const uploaded = await run(
    base,
    uploads,
    (n) => {
      const p = ready[Math.floor(n / MATERIALS.length)]!;
      const material = MATERIALS[n % MATERIALS.length]!;
      return {
        path: `/api/v1/my/applications/${p.id}/materials?key=${encodeURIComponent(material)}&fileName=${material}.${material === 'permit.photo' ? 'png' : 'pdf'}`,
        headers: {
          ...residentSessions[p.resident]!,
          'content-type': 'application/octet-stream',
          'idempotency-key': key('upload'),
        },
        body: material === 'permit.photo' ? PNG : PDF,
      };
    },
    noteFailure('upload'),
  );
  steps.push({ label: 'upload   POST …/materials (4 each)', requests: uploads, result: uploaded });

  // 3–5. The officers' steps.
  const officerStep = async (officer: TestOfficer, action: 'accept' | 'review' | 'approve', body: object) => {
    const headers = await signIn(base, {
      username: officer.id,
      password: TEST_OFFICER_PASSWORD,
      totpSecret: testTotpSecret(officer),
    });
    const text = JSON.stringify(body);
    const result = await run(
      base,
      ready.length,
      (n) => ({
        path: `/api/v1/applications/${ready[n]!.id}/${action}`,
        headers: { ...headers, ...json, 'idempotency-key': key(action) },
        body: text,
      }),
      noteFailure(action),
    );
    steps.push({
      label: `${action.padEnd(8)} POST /applications/:id/${action}`,
      requests: ready.length,
      result,
    });
  };
  await officerStep(clerk, 'accept', {});
  await officerStep(reviewer, 'review', { recommendation: 'approve' });
  await officerStep(approver, 'approve', {});

  // The peer: the same server's health check, same connections.
  const health = await autocannon({ url: `${base}/healthz`, connections, duration: 10 });

  const perApplication = (s: Step) => (s.label.startsWith('upload') ? MATERIALS.length : 1);
  const row = (label: string, requests: number, r: Result, perApp: number) => {
    const seconds = r.duration;
    const rps = requests / seconds;
    return `| ${label.padEnd(40)} | ${requests.toLocaleString('en-US').padStart(8)} | ${seconds.toFixed(1).padStart(6)} | ${Math.round(rps).toLocaleString('en-US').padStart(6)} | ${Math.round(
      rps / perApp,
    )
      .toLocaleString('en-US')
      .padStart(
        6,
      )} | ${String(r.latency.p50).padStart(6)} | ${String(r.latency.p99).padStart(6)} | ${String(r.errors + r.timeouts + r.non2xx).padStart(6)} |`;
  };
  console.log('');
  console.log(
    '| step                                     | requests | s      | req/s  | apps/s | p50 ms | p99 ms | errors |',
  );
  console.log(
    '| ---------------------------------------- | -------- | ------ | ------ | ------ | ------ | ------ | ------ |',
  );
  for (const s of steps) console.log(row(s.label, s.requests, s.result, perApplication(s)));
  const submitToApprove = steps.reduce((sum, s) => sum + s.result.duration, 0);
  console.log(
    `| ${'all five steps (wall clock of the runs)'.padEnd(40)} | ${''.padStart(8)} | ${submitToApprove.toFixed(1).padStart(6)} |        | ${Math.round(
      ready.length / submitToApprove,
    )
      .toLocaleString('en-US')
      .padStart(6)} |        |        |        |`,
  );
  console.log(
    `| ${'GET /healthz (database ping), 10 s'.padEnd(40)} | ${health.requests.total.toLocaleString('en-US').padStart(8)} | ${health.duration.toFixed(1).padStart(6)} | ${Math.round(health.requests.average).toLocaleString('en-US').padStart(6)} |        | ${String(health.latency.p50).padStart(6)} | ${String(health.latency.p99).padStart(6)} | ${String(health.errors + health.non2xx).padStart(6)} |`,
  );
  console.log('');
  console.log(`load average after the run: ${load()}`);

  // Correctness: every application approved, once.
  const handle = await openDatabase({ kind: 'postgres', url: benchUrl, poolSize: 1 });
  try {
    const states = rowsOf<{ state: string; n: number }>(
      await handle.db.execute(sql`select state, count(*)::int as n from application group by state`),
    );
    console.log(`applications by state: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`);
    if (states.length !== 1 || states[0]?.state !== 'approved' || states[0].n !== total) {
      console.error(`expected ${total} approved applications`);
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
  if (failures.length > 0) {
    console.error(
      `${failures.length} requests answered other than 2xx, e.g.:\n${failures.slice(0, 5).join('\n')}`,
    );
    process.exitCode = 1;
  }
} finally {
  server.kill('SIGTERM');
}
