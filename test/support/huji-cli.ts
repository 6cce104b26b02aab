/** Runs the real `huji` command as a user does: its output and exit code, on the embedded database. */
import { spawn } from 'node:child_process';

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
