/**
 * The `huji` command line, whole: every command group registered (each lives in its own file and calls
 * the same core functions as the HTTP API). Tests run commands in process through `main` / `buildProgram`;
 * the executable goes through `entry.ts`, which loads only the group of the command it runs.
 * Messages are Chinese by default; `--lang en` or HUJI_LANG=en switches to English.
 */
import type { Command } from 'commander';
import { registerAccountCommands } from './account-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerDivisionCommands } from './division-commands.js';
import { registerDocumentCommands } from './document-commands.js';
import { registerIdCommands } from './id-commands.js';
import { registerExportCommand, registerImportCommands } from './import-commands.js';
import { processIo, type Io } from './output.js';
import { registerPolicyCommands } from './policy-commands.js';
import { registerRegisterCommands } from './register-commands.js';
import { baseProgram, inheritOutput, localeFrom, runProgram } from './run.js';
import { registerServerCommands } from './server-commands.js';
import { registerServiceCommands } from './service-commands.js';

/** The command groups in the order `huji --help` lists them (command-index.ts follows this order). */
export const COMMAND_GROUPS = [
  registerServerCommands,
  registerIdCommands,
  registerDivisionCommands,
  registerPolicyCommands,
  registerRegisterCommands,
  registerImportCommands,
  registerServiceCommands,
  registerDocumentCommands,
  registerExportCommand,
  registerAccountCommands,
  registerAuditCommands,
] as const;

/** The language of the messages (`--lang`, else HUJI_LANG, else Chinese), for callers that run `main`. */
export { localeFrom };

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = baseProgram(io);
  for (const register of COMMAND_GROUPS) register(program, io, setExit);
  inheritOutput(program, io);
  return program;
}

/** Runs the CLI and returns the exit code (the caller sets process.exitCode). */
export async function main(
  argv: readonly string[],
  io: Io = processIo(localeFrom(argv, process.env)),
): Promise<number> {
  return runProgram(argv, io, buildProgram);
}
