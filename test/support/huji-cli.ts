/**
 * The `huji` command in tests: `runHuji` runs the real command as a user does (a process: its output
 * and exit code, on the embedded database); `runHujiInProcess` runs the same in this process.
 */
import { spawn } from 'node:child_process';
import { localeFrom, main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';

const BIN = new URL('../../bin/huji.js', import.meta.url).pathname;

export interface HujiRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runHuji(args: string[], env: Record<string, string> = {}): Promise<HujiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', HUJI_LANG: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `huji` in this process, as `bin/huji.js` does (`main` with the language it would pick, output
 * lines ended as a terminal gets them), with the environment a spawned run would have: the same result
 * as `runHuji` without a new Node process and its start-up (seconds each on a loaded 2-core machine).
 * Commands run one at a time: the environment is the process's own while one runs. Exit codes, signals
 * and pipes of the real process stay with `runHuji`.
 */
export async function runHujiInProcess(args: string[], env: Record<string, string> = {}): Promise<HujiRun> {
  const saved = process.env;
  process.env = { ...saved, DATABASE_URL: '', HUJI_LANG: '', ...env };
  let stdout = '';
  let stderr = '';
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  try {
    const io: Io = {
      out: (text) => (stdout += line(text)),
      err: (text) => (stderr += line(text)),
      locale: localeFrom(args, process.env),
    };
    const code = await main(args, io);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}
