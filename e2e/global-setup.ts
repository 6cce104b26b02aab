/**
 * Before the browser journeys: the web app is built when its sources are newer than the build, and
 * Debian's Chromium is there. Chromium cannot come from npm here (no browser downloads), so when it is
 * missing the setup installs it itself where it may (root, with apt-get, as .ci/run does) and otherwise
 * stops with one line giving the command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildWebIfStale } from '../scripts/build-web.js';
import { CHROMIUM_PATH } from './support/browser.js';

export const CHROMIUM_INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

/** What to do about Chromium: nothing, install it with apt-get (as root), or tell the user how. */
export function chromiumPlan(
  path: string,
  env: { readonly isRoot: boolean; readonly hasAptGet: boolean; readonly isDefaultPath: boolean },
): 'present' | 'install' | 'ask' {
  if (existsSync(path)) return 'present';
  // HUJI_CHROMIUM names a browser of the user's choice: not ours to install.
  return env.isRoot && env.hasAptGet && env.isDefaultPath ? 'install' : 'ask';
}

function ensureChromium(): void {
  const plan = chromiumPlan(CHROMIUM_PATH, {
    isRoot: process.getuid?.() === 0,
    hasAptGet: spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0,
    isDefaultPath: process.env.HUJI_CHROMIUM === undefined,
  });
  if (plan === 'present') return;
  if (plan === 'install') {
    console.log('e2e: Chromium is missing; installing it: apt-get install -y chromium');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install =
      update.status === 0
        ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
        : update;
    if (install.status === 0 && existsSync(CHROMIUM_PATH)) return;
  }
  // One line, not a stack: it says what to run.
  console.error(
    `no Chromium at ${CHROMIUM_PATH}; the browser tests need it: run \`${CHROMIUM_INSTALL_COMMAND}\` (or set HUJI_CHROMIUM to a Chromium binary)`,
  );
  process.exit(1);
}

export default async function setup() {
  ensureChromium();
  const result = await buildWebIfStale();
  console.log(result.built ? `web app built in ${result.ms} ms` : 'web app build is up to date');
}
