/**
 * The README's `huji` block, run as written: every example command is parsed from README.md (so the
 * README and this test cannot drift) and run in process (buildProgram through `main`) against an
 * embedded database directory holding the demo data that `npm start` loads on its first start, with
 * the example files of `examples/`. Each must end with the exit code the README promises: 0, or the
 * one its comment names as "(exit N)". The few commands that cannot run here are listed with why.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFileInfo } from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { readConfig } from '../../src/server/config.js';
import { prepareDatabase } from '../../src/server/start.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface ReadmeCommand {
  /** The command as the README writes it (continuation lines joined). */
  readonly text: string;
  readonly args: readonly string[];
  readonly expectedExit: number;
}

/** The commands of the README's `huji` block: `npx huji …` lines, `\` continuations joined. */
function readmeCommands(readme: string): ReadmeCommand[] {
  const block = /## The `huji` command\n\n```sh\n([\s\S]*?)\n```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no ```sh block under "## The `huji` command"');
  const commands: ReadmeCommand[] = [];
  let pending = '';
  for (const line of block.split('\n')) {
    const joined = pending ? `${pending} ${line.trim()}` : line;
    if (/\\\s*$/.test(joined.split(/\s#\s/)[0] ?? '')) {
      pending = joined.replace(/\\\s*$/, '');
      continue;
    }
    pending = '';
    if (!joined.startsWith('npx huji ')) continue; // a comment carried on to the next line
    const [command = '', ...comment] = joined.split(/\s{2,}#\s|\s#\s/);
    const text = command.trim();
    const args = text.slice('npx huji '.length).split(/\s+/);
    const exit = /\(exit (\d)\)/.exec(comment.join(' '))?.[1];
    commands.push({ text, args, expectedExit: exit ? Number(exit) : 0 });
  }
  return commands;
}

/** Commands the block shows that this test does not run, each with why (and where it is tested). */
const NOT_RUN: readonly { readonly matches: (args: readonly string[]) => boolean; readonly why: string }[] = [
  { matches: (a) => a[0] === 'serve', why: 'runs until stopped (cli.test.ts: serve answers real HTTP)' },
  {
    matches: (a) => a[0] === 'seed',
    why: 'writes 20,000–100,000 persons, minutes on the CI machine (cli.test.ts seeds 300–400)',
  },
  {
    matches: (a) => a.some((x) => /^synthetic:.*:1000000:/.test(x)),
    why: 'a million synthetic persons (cli.test.ts simulates 5,000)',
  },
  { matches: (a) => a.includes('DOCUMENT-ID'), why: 'DOCUMENT-ID stands for the id of an issued document' },
];

const captureIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), locale: 'zh-CN' };
  return { io, out, err };
};

describe('files made while following the README', () => {
  it('leaves the files a user makes in the project root out of the format check, and checks examples/', async () => {
    const ignorePath = join(ROOT, '.prettierignore');
    const ignored = async (file: string) => (await getFileInfo(join(ROOT, file), { ignorePath })).ignored;
    for (const file of ['facts.json', 'form.json', 'quzhou.csv', 'people.csv', 'legacy.csv.rejects.csv'])
      expect(await ignored(file), file).toBe(true);
    for (const file of ['package.json', 'tsconfig.json', 'examples/form.json', 'examples/facts.json'])
      expect(await ignored(file), file).toBe(false);
  });
});

describe('the README’s huji examples', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = readmeCommands(readme);
  const work = mkdtempSync(join(tmpdir(), 'huji-readme-'));
  const saved = { ...process.env };

  beforeAll(async () => {
    // What `npm start` leaves behind on its first start: a migrated directory with the demo data.
    process.env.DATABASE_URL = '';
    process.env.HUJI_LANG = '';
    process.env.HUJI_DATA_DIR = join(work, 'data');
    delete process.env.HUJI_DEMO_DATA;
    const database = await prepareDatabase(readConfig(), () => undefined);
    await database.close();
    // The example files, copied so the commands' outputs (rejects file, export) land outside the tree.
    cpSync(join(ROOT, 'examples'), join(work, 'examples'), { recursive: true });
  }, 180_000);
  afterAll(() => {
    process.env = saved;
    rmSync(work, { recursive: true, force: true });
  });

  it('parses the block: every command is either run below or listed with why not', () => {
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.map((c) => c.args[0])).toEqual(
      expect.arrayContaining(['register', 'household', 'apply']),
    );
    const apply = commands.find((c) => c.args[0] === 'apply');
    expect(apply?.args).toContain('legal-residence#1=examples/lease.pdf');
  });

  it('runs every example that the demo data and examples/ can answer, with the promised exit code', async () => {
    const results: { text: string; code: number; stdout: string; stderr: string }[] = [];
    for (const command of commands) {
      if (NOT_RUN.some((n) => n.matches(command.args))) continue;
      // Relative files (examples/…, --out quzhou.csv) resolve in the scratch directory, not the tree.
      const args = command.args.map((a, i) =>
        a.startsWith('examples/') || command.args[i - 1] === '--out'
          ? join(work, a)
          : a.includes('=examples/')
            ? a.replace('=examples/', `=${join(work, 'examples')}/`)
            : a,
      );
      const { io, out, err } = captureIo();
      const code = await main(args, io);
      results.push({ text: command.text, code, stdout: out.join(''), stderr: err.join('') });
      expect({ command: command.text, code, stderr: err.join('') }).toMatchObject({
        command: command.text,
        code: command.expectedExit,
      });
    }
    const ran = (prefix: string) => results.find((r) => r.text.startsWith(`npx huji ${prefix}`));
    // The person and household examples are in the demo data.
    expect(ran('register show')?.stdout).toContain('王建国');
    expect(ran('household show')?.stdout).toContain('330802000800001');
    // The lease went to the checklist's lease slot: only the ID card and the family proofs are missing.
    expect(ran('apply')?.stdout).toContain('尚缺材料');
    expect(ran('apply')?.stdout).not.toContain('租赁合同');
    expect(results.length).toBeGreaterThan(20);
  }, 300_000);
});
