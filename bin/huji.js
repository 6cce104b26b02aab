#!/usr/bin/env node
// The `huji` command. `npm install` compiles it to .huji-build/cli (scripts/build-cli.ts) so a command
// starts in a fraction of a second; while any of its source files is newer than that build (or there is
// none), the TypeScript sources run through tsx instead, so an edit never runs stale code.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call --
   a plain-JavaScript launcher: the build stamp is JSON and the entry module is chosen at run time */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function freshBuild() {
  try {
    const build = JSON.parse(readFileSync(`${root}.huji-build/cli/build.json`, 'utf8'));
    if (build.root !== root) return undefined;
    for (const input of build.inputs) if (statSync(root + input).mtimeMs > build.builtAt) return undefined;
    return `${root}.huji-build/cli/entry.js`;
  } catch {
    return undefined;
  }
}

// `huji … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
let entry = freshBuild();
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli/entry.ts';
}
const { runEntry } = await import(entry);
process.exitCode = await runEntry(process.argv.slice(2));
