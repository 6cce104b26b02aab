/**
 * Real `huji` processes for crash tests: the databases a spawned process can open (an on-disk PGlite
 * directory always; a PostgreSQL database cloned from the migrated template when DATABASE_URL is set),
 * and helpers to start `huji` commands and the HTTP server as child processes.
 *
 *   describe.each(spawnedDatabases())('… on $name', ({ create }) => { … })
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { withDatabaseName } from './paths.js';

export const HUJI_BIN = new URL('../../bin/huji.js', import.meta.url).pathname;

/** A database that child processes open through their environment, and the test opens to check. */
export interface SpawnedDatabase {
  readonly name: 'pglite' | 'postgres';
  /** A scratch directory for the test's files, removed with the database. */
  readonly workDir: string;
  /** Environment for a `huji` child process (DATABASE_URL or HUJI_DATA_DIR). */
  readonly env: Readonly<Record<string, string>>;
  /** Opens the database in the test process; for PGlite only while no child holds the directory. */
  open(): Promise<DatabaseHandle>;
  /** Drops the database and removes the scratch directory. */
  dispose(): Promise<void>;
}

export interface SpawnedDatabaseKind {
  readonly name: 'pglite' | 'postgres';
  readonly create: () => Promise<SpawnedDatabase>;
}

export function spawnedDatabases(): SpawnedDatabaseKind[] {
  const list: SpawnedDatabaseKind[] = [{ name: 'pglite', create: async () => pgliteDirectory() }];
  const template = inject('postgresTemplate');
  const url = process.env.DATABASE_URL;
  if (template && url) list.push({ name: 'postgres', create: () => postgresClone(url, template) });
  return list;
}

function pgliteDirectory(): SpawnedDatabase {
  const workDir = mkdtempSync(join(tmpdir(), 'huji-crash-'));
  const dir = join(workDir, 'data');
  return {
    name: 'pglite',
    workDir,
    env: { DATABASE_URL: '', HUJI_DATA_DIR: dir },
    open: () => openDatabase({ kind: 'pglite', dataDir: dir }),
    dispose: async () => rmSync(workDir, { recursive: true, force: true }),
  };
}

async function postgresClone(url: string, template: string): Promise<SpawnedDatabase> {
  // The name pattern of test/support/databases.ts, so the global teardown drops leftovers too.
  const name = `huji_t_${template.split('_').at(-1)}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name} template ${template}`);
  const databaseUrl = withDatabaseName(url, name);
  const workDir = mkdtempSync(join(tmpdir(), 'huji-crash-'));
  return {
    name: 'postgres',
    workDir,
    env: { DATABASE_URL: databaseUrl },
    open: () => openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 }),
    dispose: async () => {
      rmSync(workDir, { recursive: true, force: true });
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A running `huji` child process. */
export interface HujiProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  stdout(): string;
  /** Resolves when the process has exited (with its code, or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
}

export function startHuji(args: readonly string[], env: Readonly<Record<string, string>>): HujiProcess {
  const child = spawn(process.execPath, [HUJI_BIN, ...args], {
    env: { ...process.env, HUJI_LANG: 'en', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  let running = true;
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.on('error', () => {
      running = false;
      resolve({ code: null, signal: null });
    });
  });
  return { child, output: () => output, stdout: () => stdout, exited, isRunning: () => running };
}

/** Kills a child that may still run (afterAll, failed tests) and waits for it to be gone. */
export async function killHuji(huji: HujiProcess | undefined): Promise<void> {
  if (!huji?.isRunning()) return;
  huji.child.kill('SIGKILL');
  await huji.exited;
}

export interface ServerProcess extends HujiProcess {
  readonly url: string;
}

/** `huji serve` on a free port of 127.0.0.1; resolves once /healthz answers 200. */
export async function startServer(
  env: Readonly<Record<string, string>>,
  timeoutMs = 90_000,
): Promise<ServerProcess> {
  const server = startHuji(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline) {
    if (!server.isRunning()) throw new Error(`huji serve exited before listening:\n${server.output()}`);
    url ??= /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout())?.[1];
    if (url) {
      const health = await fetch(`${url}/healthz`).catch(() => undefined);
      if (health?.status === 200) return { ...server, url };
    }
    await sleep(100);
  }
  await killHuji(server);
  throw new Error(`huji serve did not become healthy in ${timeoutMs} ms:\n${server.output()}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
