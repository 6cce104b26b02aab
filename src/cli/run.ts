/**
 * What every way of running the `huji` command shares: the base program (name, version, `--lang`,
 * output through `Io`, usage errors as exit 2) and the run loop that turns an outcome into an exit code.
 * Kept free of command modules so that the executable (`entry.ts`) can load only the command it runs.
 */
import { Command, CommanderError } from 'commander';
import type { Locale } from '../errors/codes.js';
import { isHujiError } from '../errors/huji-error.js';
import { HUJI_VERSION } from '../server/version.js';
import { describeError, EXIT_NO, EXIT_OK, EXIT_USAGE, UsageError, type Io } from './output.js';

export function localeFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const i = argv.indexOf('--lang');
  const value = (i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7)) ?? env.HUJI_LANG;
  return value?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** The program before any command is added to it. */
export function baseProgram(io: Io): Command {
  return new Command('huji')
    .description(io.locale === 'zh-CN' ? 'Huji 户籍改革平台' : 'Huji household-registration platform')
    .version(HUJI_VERSION)
    .option('--lang <lang>', 'zh-CN | en')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
}

/** Every subcommand reports usage errors through exitOverride and writes through `io` too. */
export function inheritOutput(cmd: Command, io: Io): void {
  for (const sub of cmd.commands) {
    sub
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
      .showHelpAfterError();
    inheritOutput(sub, io);
  }
}

/** Parses and runs `argv` on the program `build` makes, and returns the exit code. */
export async function runProgram(
  argv: readonly string[],
  io: Io,
  build: (io: Io, setExit: (code: number) => void) => Command | Promise<Command>,
): Promise<number> {
  let exitCode = EXIT_OK;
  try {
    const program = await build(io, (code) => (exitCode = code));
    await program.parseAsync([...argv], { from: 'user' });
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.err(describeError(error, io.locale));
    if (error instanceof UsageError) return EXIT_USAGE;
    if (isHujiError(error) && error.code === 'HUJI_CONFIG_INVALID') return EXIT_USAGE;
    return EXIT_NO;
  }
}
