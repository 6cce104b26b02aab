/**
 * `npm run bench:db-kill [-- --concurrency C --kill-after K --residents R]`: the database-kill drill of
 * issue 14, on both databases, printing acknowledged / present / duplicated counts. It fails (exit 1)
 * when an acknowledged submission is missing, a submission is stored twice, a retry does not end 201, or
 * (PostgreSQL) the server process died with its database.
 *
 * Both runs: residents keep C settlement submissions in flight through the real HTTP API of a
 * `huji serve` child process, each with its own Idempotency-Key; after K acknowledgements the database
 * dies under them; every submission is then retried with its key until it is answered 201, and the
 * database is counted against what the client was told.
 *
 * - PostgreSQL: a private cluster (initdb into a temporary directory, own port; PostgreSQL's binaries
 *   from HUJI_PG_BIN or /usr/lib/postgresql/<version>/bin; as root, run as the `postgres` user) killed
 *   with `pg_ctl stop -m immediate`, then started again. The same server process must survive, answer
 *   503 problem+json with Retry-After meanwhile, and serve again by itself.
 * - The embedded database (PGlite) lives inside the server process: its equivalent is killing that
 *   process (SIGKILL) and starting a new one on the same data directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.js';
import {
  burstAndKill,
  MAX_SUBMISSIONS,
  request,
  retryUntilDone,
  seedDrillDatabase,
  settlementSubmission,
  submit,
  tallyDrill,
  type BurstResult,
  type ResidentHeaders,
  type Tally,
} from '../test/support/db-kill-drill.js';
import { canStartPrivatePostgres, startPrivatePostgres } from '../test/support/private-postgres.js';

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '24' },
    'kill-after': { type: 'string', default: '6' },
    residents: { type: 'string', default: '6' },
  },
});
const concurrency = Number(args.concurrency);
const killAfter = Number(args['kill-after']);
const residents = Number(args.residents);
const HUJI_BIN = new URL('../bin/huji.js', import.meta.url).pathname;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Server {
  readonly url: string;
  isRunning(): boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** `huji serve` on a free port; resolves once /healthz answers 200. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [HUJI_BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HUJI_DEMO_DATA: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  let running = true;
  child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), (output += d.toString())));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && running) {
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    if (url && (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200) {
      return { url, isRunning: () => running, exited, kill: (s) => child.kill(s) };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`huji serve did not start:\n${output}`);
}

async function waitHealthy(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`${url} did not become healthy in ${timeoutMs} ms`);
}

interface Row {
  readonly database: string;
  readonly burst: BurstResult;
  readonly tally: Tally;
  readonly survived: string;
  readonly outage: string;
  readonly retriesNot201: number;
  readonly replaysWrote: number;
}

/** Retries everything until 201, then once more: a second retry must replay, never write. */
async function retryAll(url: string, burst: BurstResult): Promise<{ not201: number; wrote: number }> {
  const deadline = Date.now() + 90_000;
  const finals = await Promise.all(burst.submissions.map((s) => retryUntilDone(url, s, deadline)));
  const not201 = finals.filter((a) => typeof a === 'string' || a.status !== 201).length;
  const again = await Promise.all(burst.submissions.map((s) => submit(url, s)));
  const wrote = again.filter((a) => !a.isReplayed).length;
  return { not201, wrote };
}

async function withHandle<T>(open: () => Promise<DatabaseHandle>, use: (h: DatabaseHandle) => Promise<T>) {
  const handle = await open();
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

async function drillPostgres(): Promise<Row> {
  const cluster = await startPrivatePostgres();
  let server: Server | undefined;
  try {
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('create database huji');
    await admin.end();
    const open = () => openDatabase({ kind: 'postgres', url: cluster.url('huji'), poolSize: 2 });
    const sessions = await withHandle(open, (h) => seedDrillDatabase(h, residents));
    server = await startServer({ DATABASE_URL: cluster.url('huji') });
    const running = server;
    const burst = await burstAndKill({
      baseUrl: () => running.url,
      sessions,
      run: 'bench-pg',
      concurrency,
      killAfterAcks: killAfter,
      kill: () => cluster.stop('immediate'),
    });
    await sleep(500);
    const outage = await probeOutage(running.url, sessions);
    const startedAgain = Date.now();
    await cluster.start();
    await waitHealthy(running.url, 60_000);
    const resumedMs = Date.now() - startedAgain;
    const retried = await retryAll(running.url, burst);
    const tally = await withHandle(open, (h) => tallyDrill(h, burst.submissions, burst.first));
    return {
      database: 'PostgreSQL (pg_ctl stop -m immediate)',
      burst,
      tally,
      survived: running.isRunning()
        ? `yes (the same process served again ${(resumedMs / 1000).toFixed(1)} s after pg_ctl start was issued)`
        : 'NO',
      outage,
      retriesNot201: retried.not201,
      replaysWrote: retried.wrote,
    };
  } finally {
    server?.kill('SIGKILL');
    await cluster.dispose();
  }
}

/** What the server answers while the database is away: a new submission and a read. */
async function probeOutage(url: string, sessions: readonly ResidentHeaders[]): Promise<string> {
  const post = await submit(url, settlementSubmission(MAX_SUBMISSIONS - 1, sessions, 'probe')).catch(
    (e: unknown) => String(e),
  );
  const list = await request(url, '/api/v1/my/applications', { headers: sessions[0] }).catch((e: unknown) =>
    String(e),
  );
  const show = (a: typeof post) =>
    typeof a === 'string' ? a : `${a.status} ${String(a.body.code)} Retry-After ${a.retryAfter ?? '-'}`;
  return `POST ${show(post)}; GET ${show(list)}`;
}

async function drillPglite(): Promise<Row> {
  const workDir = mkdtempSync(join(tmpdir(), 'huji-db-kill-'));
  const dataDir = join(workDir, 'data');
  const open = () => openDatabase({ kind: 'pglite', dataDir });
  let server: Server | undefined;
  try {
    const sessions = await withHandle(open, (h) => seedDrillDatabase(h, residents));
    const env = { DATABASE_URL: '', HUJI_DATA_DIR: dataDir };
    server = await startServer(env);
    const first = server;
    const burst = await burstAndKill({
      baseUrl: () => first.url,
      sessions,
      run: 'bench-pglite',
      concurrency,
      killAfterAcks: killAfter,
      kill: async () => {
        first.kill('SIGKILL');
        await first.exited;
      },
    });
    const restarted = Date.now();
    server = await startServer(env);
    const resumedMs = Date.now() - restarted;
    const retried = await retryAll(server.url, burst);
    server.kill('SIGTERM');
    await server.exited;
    server = undefined;
    const tally = await withHandle(open, (h) => tallyDrill(h, burst.submissions, burst.first));
    return {
      database: 'PGlite (huji serve SIGKILLed, restarted on the same directory)',
      burst,
      tally,
      survived: `n/a (a new process served ${(resumedMs / 1000).toFixed(1)} s after the kill)`,
      outage: 'n/a (the database is the process)',
      retriesNot201: retried.not201,
      replaysWrote: retried.wrote,
    };
  } finally {
    server?.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  }
}

console.log(
  `bench:db-kill — ${concurrency} submissions in flight, database killed after ${killAfter} acknowledgements, ${residents} residents; ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const rows: Row[] = [];
if (canStartPrivatePostgres()) rows.push(await drillPostgres());
else console.log('PostgreSQL: skipped (no binaries found; set HUJI_PG_BIN)');
rows.push(await drillPglite());
let isFailed = false;
for (const r of rows) {
  const t = r.tally;
  console.log(`\n${r.database}`);
  console.log(`  submitted ${t.submitted}, in flight at the kill ${r.burst.inFlightAtKill}`);
  console.log(`  acknowledged ${t.acknowledged} / present ${t.present} / duplicated ${t.duplicated}`);
  console.log(`  missing ${t.missing}, stored under another id ${t.wrongId}`);
  console.log(`  retries not ending 201: ${r.retriesNot201}; second retries that wrote: ${r.replaysWrote}`);
  console.log(`  server process survived: ${r.survived}`);
  console.log(`  during the outage: ${r.outage}`);
  if (
    t.missing > 0 ||
    t.duplicated > 0 ||
    t.wrongId > 0 ||
    r.retriesNot201 > 0 ||
    r.replaysWrote > 0 ||
    r.survived === 'NO'
  )
    isFailed = true;
}
if (isFailed) {
  console.error('\nFAILED: see above');
  process.exitCode = 1;
}
