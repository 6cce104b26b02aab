/**
 * The `huji` executable's program: only the command group of the command being run is loaded
 * (`command-index.ts`), so `huji id check` starts without the database, the server or pdfkit. For
 * `huji`, `huji --help`, `--version` or an unknown word, the program lists every command from the index
 * without loading any. Behaviour is that of `main.ts` (the same groups, options and exit codes).
 */
import { Help, type Command } from 'commander';
import { TOP_LEVEL_COMMANDS, commandNameOf } from './command-index.js';
import { processIo, type Io } from './output.js';
import { baseProgram, inheritOutput, localeFrom, runProgram } from './run.js';

export async function buildProgramFor(
  argv: readonly string[],
  io: Io,
  setExit: (code: number) => void,
): Promise<Command> {
  const program = baseProgram(io);
  const name = commandNameOf(argv);
  const wanted = TOP_LEVEL_COMMANDS.find((c) => c.name === name);
  if (wanted) {
    const registerGroup = await wanted.load();
    registerGroup(program, io, setExit);
  } else {
    // Only the help, the version or commander's "unknown command" (with its suggestion) can follow.
    for (const c of TOP_LEVEL_COMMANDS) program.command(c.name).description(c.description[io.locale]);
    const terms = new Map(TOP_LEVEL_COMMANDS.map((c) => [c.name, c.term]));
    program.configureHelp({
      subcommandTerm: (cmd) => terms.get(cmd.name()) ?? Help.prototype.subcommandTerm.call(new Help(), cmd),
    });
  }
  inheritOutput(program, io);
  return program;
}

export async function runEntry(
  argv: readonly string[],
  io: Io = processIo(localeFrom(argv, process.env)),
): Promise<number> {
  return runProgram(argv, io, (io, setExit) => buildProgramFor(argv, io, setExit));
}
