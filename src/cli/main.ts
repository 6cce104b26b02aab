/**
 * The `huji` command line. Each command group lives in its own file and calls the same core functions
 * as the HTTP API. Messages are Chinese by default; `--lang en` or HUJI_LANG=en switches to English.
 */
import { Command, CommanderError } from 'commander';
import type { Locale } from '../errors/codes.js';
import { isHujiError } from '../errors/huji-error.js';
import { HUJI_VERSION } from '../server/version.js';
import { registerAccountCommands } from './account-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerDivisionCommands } from './division-commands.js';
import { registerDocumentCommands } from './document-commands.js';
import { registerIdCommands } from './id-commands.js';
import { registerExportCommand, registerImportCommands } from './import-commands.js';
import { registerPolicyCommands } from './policy-commands.js';
import { registerRegisterCommands } from './register-commands.js';
import { describeError, EXIT_NO, EXIT_OK, EXIT_USAGE, processIo, UsageError, type Io } from './output.js';
import { registerServerCommands } from './server-commands.js';
import { registerServiceCommands } from './service-commands.js';

/** The language of the messages: `--lang`, else HUJI_LANG, else Chinese (as `bin/huji.js` runs `main`). */
export function localeFrom(argv: readonly string[], env: NodeJS.ProcessEnv): Locale {
  const i = argv.indexOf('--lang');
  const value = (i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7)) ?? env.HUJI_LANG;
  return value?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('huji')
    .description(io.locale === 'zh-CN' ? 'Huji 户籍改革平台' : 'Huji household-registration platform')
    .version(HUJI_VERSION)
    .option('--lang <lang>', 'zh-CN | en')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  registerServerCommands(program, io, setExit);
  registerIdCommands(program, io, setExit);
  registerDivisionCommands(program, io, setExit);
  registerPolicyCommands(program, io, setExit);
  registerRegisterCommands(program, io, setExit);
  registerImportCommands(program, io, setExit);
  registerServiceCommands(program, io, setExit);
  registerDocumentCommands(program, io, setExit);
  registerExportCommand(program, io, setExit);
  registerAccountCommands(program, io, setExit);
  registerAuditCommands(program, io, setExit);
  // Every subcommand reports usage errors through exitOverride too.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub
        .exitOverride()
        .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
        .showHelpAfterError();
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets process.exitCode). */
export async function main(
  argv: readonly string[],
  io: Io = processIo(localeFrom(argv, process.env)),
): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
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
