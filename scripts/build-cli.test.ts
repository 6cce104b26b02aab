import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../src/errors/codes.js';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/output.js';
import { buildCli } from './build-cli.js';

type RunEntry = (argv: readonly string[], io: Io) => Promise<number>;

function capture(locale: Locale) {
  const out: string[] = [];
  const io: Io = { out: (s) => void out.push(s), err: (s) => void out.push(s), locale };
  return { io, text: () => out.join('') };
}

describe('the compiled executable (npm install’s prepare step)', () => {
  let dir: string;
  let runEntry: RunEntry;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'huji-cli-build-'));
    expect(await buildCli(dir)).toBeGreaterThan(50);
    ({ runEntry } = (await import(pathToFileURL(join(dir, 'entry.js')).href)) as { runEntry: RunEntry });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // Each reads something found relative to its source file: the divisions data, the policy files,
  // package.json — the paths a bundle in another folder would get wrong.
  it.each([
    [['id', 'check', '110105194912310021']],
    [['divisions', 'show', '3308', '--json']],
    [['policy', 'list', '--json']],
    [['--version']],
    [['--help']],
  ])('answers %j exactly as the sources do', async (argv) => {
    const compiled = capture('zh-CN');
    const sources = capture('zh-CN');
    const code = await runEntry(argv, compiled.io);
    expect(code).toBe(await main(argv, sources.io));
    expect(compiled.text()).toBe(sources.text());
    expect(compiled.text().trim()).not.toBe('');
  });
});
