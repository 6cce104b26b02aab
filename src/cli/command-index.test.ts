import { describe, expect, it } from 'vitest';
import type { Locale } from '../errors/codes.js';
import { commandNameOf, TOP_LEVEL_COMMANDS } from './command-index.js';
import { buildProgramFor, runEntry } from './entry.js';
import { buildProgram, main } from './main.js';
import type { Io } from './output.js';

const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

function capture(locale: Locale) {
  const out: string[] = [];
  const io: Io = { out: (s) => void out.push(s), err: (s) => void out.push(s), locale };
  return { io, text: () => out.join('') };
}

describe('the command index the executable starts from', () => {
  it.each(LOCALES)('lists the whole program’s commands in its order, usage and words (%s)', (locale) => {
    const program = buildProgram(capture(locale).io, () => {});
    const help = program.createHelp();
    expect(TOP_LEVEL_COMMANDS.map((c) => [c.name, c.term, c.description[locale]])).toEqual(
      program.commands.map((c) => [c.name(), help.subcommandTerm(c), c.description()]),
    );
  });

  it.each(LOCALES)('prints the same `huji --help` without loading a command (%s)', async (locale) => {
    const whole = capture(locale);
    const light = capture(locale);
    expect(await main(['--help'], whole.io)).toBe(0);
    expect(await runEntry(['--help'], light.io)).toBe(0);
    expect(light.text()).toBe(whole.text());
  });

  it('answers an unknown command as the whole program does: the suggestion and exit 2', async () => {
    const whole = capture('en');
    const light = capture('en');
    expect(await main(['regster', 'show'], whole.io)).toBe(2);
    expect(await runEntry(['regster', 'show'], light.io)).toBe(2);
    expect(light.text()).toBe(whole.text());
    expect(light.text()).toContain('register');
  });

  it('loads, for each command, the group that defines it', async () => {
    for (const entry of TOP_LEVEL_COMMANDS) {
      const program = await buildProgramFor([entry.name], capture('zh-CN').io, () => {});
      expect(program.commands.map((c) => c.name())).toContain(entry.name);
    }
  });

  it('runs a command through the entry exactly as through the whole program', async () => {
    const whole = capture('en');
    const light = capture('en');
    const argv = ['--lang', 'en', 'id', 'check', '110105194912310021'];
    expect(await runEntry(argv, light.io)).toBe(await main(argv, whole.io));
    expect(light.text()).toBe(whole.text());
    expect(light.text()).toContain('X');
  });

  it('finds the command word past options and the value of --lang', () => {
    expect(commandNameOf(['--lang', 'en', 'id', 'check', 'x'])).toBe('id');
    expect(commandNameOf(['--lang=en', 'policy', 'list'])).toBe('policy');
    expect(commandNameOf(['--help'])).toBeUndefined();
    expect(commandNameOf([])).toBeUndefined();
  });
});
