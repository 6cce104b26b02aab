/**
 * The real server for browser journeys: `huji serve` as a child process on a free port of 127.0.0.1,
 * over a fresh database — an empty PGlite directory, or, when DATABASE_URL is set (as in CI), a new
 * PostgreSQL database — with the demo data loaded, so the first start prints the demo officers'
 * initial passwords and TOTP secrets, which the console journeys sign in with.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabaseName } from '../../test/support/paths.js';
import { killHuji, startServer, type ServerProcess } from '../../test/support/spawned.js';

export interface DemoOfficer {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
}

export interface E2eServer {
  readonly url: string;
  readonly database: 'pglite' | 'postgres';
  readonly process: ServerProcess;
  /** The demo officers printed on the first start, by username. */
  readonly officers: ReadonlyMap<string, DemoOfficer>;
  stop(): Promise<void>;
}

async function admin(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Parses "demo officer NAME (…): initial password P  TOTP secret S  otpauth://…" lines. */
export function demoOfficersIn(output: string): Map<string, DemoOfficer> {
  const found = new Map<string, DemoOfficer>();
  const line = /demo officer (\S+) \(.*?\): initial password (\S+) {2}TOTP secret ([A-Z2-7]+)/g;
  for (const m of output.matchAll(line)) {
    const [, username = '', password = '', totpSecret = ''] = m;
    found.set(username, { username, password, totpSecret });
  }
  return found;
}

/**
 * For iterating on a journey: HUJI_E2E_URL points at a server already running (its first-start output,
 * with the demo officers, in the file HUJI_E2E_SERVER_LOG); nothing is started or stopped.
 */
function runningServer(url: string): E2eServer {
  const log = process.env.HUJI_E2E_SERVER_LOG;
  return {
    url,
    database: 'pglite',
    process: undefined as unknown as ServerProcess,
    officers: demoOfficersIn(log ? readFileSync(log, 'utf8') : ''),
    stop: async () => undefined,
  };
}

/** `env` adds to the server's environment (e.g. LOG_LEVEL=info for the demo one-time codes). */
export async function startE2eServer(env: Readonly<Record<string, string>> = {}): Promise<E2eServer> {
  if (process.env.HUJI_E2E_URL) return runningServer(process.env.HUJI_E2E_URL);
  const workDir = mkdtempSync(join(tmpdir(), 'huji-e2e-'));
  const baseUrl = process.env.DATABASE_URL;
  let dbEnv: Record<string, string>;
  let dropDatabase = async () => undefined as void;
  if (baseUrl) {
    const name = `huji_e2e_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin(baseUrl, `create database ${name}`);
    // Its own data directory too: the signed audit anchors live there, and belong to this database alone.
    dbEnv = {
      DATABASE_URL: withDatabaseName(baseUrl, name),
      HUJI_DATA_DIR: join(workDir, 'data'),
      HUJI_DEMO_DATA: 'true',
    };
    dropDatabase = () => admin(baseUrl, `drop database if exists ${name} with (force)`);
  } else {
    dbEnv = { DATABASE_URL: '', HUJI_DATA_DIR: join(workDir, 'data'), HUJI_DEMO_DATA: 'true' };
  }
  let server: ServerProcess;
  try {
    server = await startServer({ ...dbEnv, HUJI_LANG: 'zh-CN', ...env }, 170_000);
  } catch (error) {
    await dropDatabase();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    database: baseUrl ? 'postgres' : 'pglite',
    process: server,
    officers: demoOfficersIn(server.stdout()),
    stop: async () => {
      await killHuji(server);
      await dropDatabase();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
