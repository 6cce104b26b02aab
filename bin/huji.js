#!/usr/bin/env node
// The `huji` command. TypeScript sources run through tsx, so `npm install` is the only build step.
import { register } from 'tsx/esm/api';

register();
// `huji … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-member-access -- a Node stream error
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
