/**
 * A PostgreSQL cluster of the test's own: `initdb` into a temporary directory, `pg_ctl start` on a free
 * port of 127.0.0.1 (trust authentication, no Unix socket in a shared place), stopped with any shutdown
 * mode and started again on the same data directory. The database-death drill kills it with
 * `pg_ctl stop -m immediate` under load (issue 14). PostgreSQL refuses to run as root, so when the tests
 * run as root the cluster's files belong to the `postgres` user and every command runs through `runuser`.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the PostgreSQL binaries are: HUJI_PG_BIN, else the newest Debian install found. */
export function postgresBinDir(): string | undefined {
  const candidates = [
    process.env.HUJI_PG_BIN,
    ...['17', '16', '15', '14'].map((v) => `/usr/lib/postgresql/${v}/bin`),
  ].filter((d): d is string => Boolean(d));
  return candidates.find((d) => existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'initdb')));
}

/** A free TCP port of 127.0.0.1 (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PrivatePostgres {
  readonly port: number;
  readonly dataDir: string;
  /** `postgres://postgres@127.0.0.1:port/<database>` */
  url(database?: string): string;
  /** `pg_ctl stop -m <mode>`: `immediate` is a crash (no checkpoint, backends killed). */
  stop(mode: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl start` on the same data directory (crash recovery after an immediate stop); waits until ready. */
  start(): Promise<void>;
  isRunning(): Promise<boolean>;
  /** Stops it (immediately) when running and removes its directory. */
  dispose(): Promise<void>;
}

/** Whether `postgres` binaries and, when we are root, a `postgres` user to run them exist. */
export function canStartPrivatePostgres(): boolean {
  if (!postgresBinDir()) return false;
  if (process.getuid?.() !== 0) return true;
  return existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser') || existsSync('/usr/bin/runuser');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries found (set HUJI_PG_BIN to the directory of pg_ctl)');
  const isRoot = process.getuid?.() === 0;
  const workDir = mkdtempSync(join(tmpdir(), 'huji-private-pg-'));
  const dataDir = join(workDir, 'data');
  const logFile = join(workDir, 'postgres.log');
  if (isRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(workDir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = async (command: string, args: readonly string[]) => {
    const file = join(bin, command);
    try {
      return isRoot
        ? await run('runuser', ['-u', 'postgres', '--', file, ...args], { timeout: 60_000 })
        : await run(file, [...args], { timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: error });
    }
  };
  await exec('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // Small and fast: no fsync (a crash of the server process still loses nothing committed: the OS keeps
  // the written pages), no Unix socket, enough connections for a pool of 10 and the test's own.
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=50',
    '-c shared_buffers=32MB',
  ].join(' ');
  const start = async () => {
    await exec('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', logFile, '-o', options]);
  };
  await start();
  return {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async (mode) => {
      await exec('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
    },
    start,
    isRunning: async () => {
      try {
        await exec('pg_ctl', ['status', '-D', dataDir]);
        return true;
      } catch {
        return false;
      }
    },
    dispose: async () => {
      await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30']).catch(
        () => undefined,
      );
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
