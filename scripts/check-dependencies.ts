/**
 * The dependency review that works offline, from package-lock.json alone (issue 14; ADR 0020): `npm
 * audit` needs the registry's advisory endpoint, which this workplace and its CI cannot reach. Every
 * package the lockfile installs must
 *
 * - carry a licence of the allow-list (or a reviewed exception naming where its licence is stated);
 * - come from a registry as a tarball with an sha512 integrity (no git, file or plain-http URLs);
 * - admit the project's lowest Node version (`engines.node` of package.json) in its own `engines.node`,
 *   unless it is an optional platform binary that is not installed on this platform: `npm ci` printed
 *   EBADENGINE for cookie@2 and content-disposition@3, which ask for Node 22;
 * - not run an install script unless package.json's `allowScripts` names it.
 *
 *   tsx scripts/check-dependencies.ts   # one line per problem; exit 1 when there is one
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

/** Licences whose terms allow use in a government deployment without opening the platform's code. */
export const ALLOWED_LICENCES = [
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'ISC',
  'MIT',
  // File-level copyleft: used unmodified (the fonts' and the PDF reader's dependencies), nothing to publish.
  'MPL-2.0',
  // The CJK font (Source Han Sans SC): embedding in documents is allowed.
  'OFL-1.1',
] as const;

/** Packages whose lockfile entry names no licence, reviewed by hand: name@version → where it is stated. */
export const LICENCE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'png-js@2.0.0': 'MIT: the LICENSE file of the package (its package.json has no licence field)',
};

export interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly license?: string;
  readonly engines?: Readonly<Record<string, string>> | readonly string[];
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
  readonly hasInstallScript?: boolean;
  readonly link?: boolean;
}

export interface Lockfile {
  readonly packages: Readonly<Record<string, LockEntry>>;
}

export interface ReviewInput {
  readonly lockfile: Lockfile;
  /** package.json's engines.node, e.g. `>=20.19`. */
  readonly projectNode: string;
  /** package.json's allowScripts: names whose install scripts may run. */
  readonly allowScripts: readonly string[];
  /** The platform the optional binaries are chosen for (default this process's). */
  readonly platform?: { readonly os: string; readonly cpu: string };
}

/** `MIT`, `(MIT AND Zlib)`, `MIT OR Apache-2.0`: every licence of an AND, one of an OR, allowed. */
export function isLicenceAllowed(expression: string): boolean {
  const allowed = new Set<string>([...ALLOWED_LICENCES, 'Zlib']);
  const bare = expression.replace(/[()]/g, ' ').trim();
  return bare
    .split(/\s+OR\s+/)
    .some((alternative) => alternative.split(/\s+AND\s+/).every((id) => allowed.has(id.trim())));
}

const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** One line per problem, sorted; none when the lockfile passes. */
export function reviewLockfile(input: ReviewInput): string[] {
  const problems: string[] = [];
  const lowest = semver.minVersion(input.projectNode);
  if (!lowest) return [`package.json engines.node "${input.projectNode}" is not a version range`];
  const platform = input.platform ?? { os: process.platform, cpu: process.arch };
  const fits = (list: readonly string[] | undefined, value: string) =>
    list === undefined ||
    (list.some((v) => !v.startsWith('!')) ? list.includes(value) : !list.includes(`!${value}`));
  for (const [path, entry] of Object.entries(input.lockfile.packages)) {
    if (path === '' || entry.link) continue;
    const name = nameOf(path);
    const id = `${name}@${entry.version ?? '?'}`;
    // An optional binary for another platform is never installed here: its licence still counts.
    const isInstalled = !entry.optional || (fits(entry.os, platform.os) && fits(entry.cpu, platform.cpu));
    if (entry.license === undefined) {
      if (LICENCE_EXCEPTIONS[id] === undefined) problems.push(`${id}: no licence in the lockfile`);
    } else if (!isLicenceAllowed(entry.license)) {
      problems.push(`${id}: licence ${entry.license} is not on the allow-list`);
    }
    // npm leaves `resolved` out of the lockfile where the registry is the configured one (as here); where
    // it is written it must be a registry tarball over https, never git, a file or plain http.
    if (entry.resolved !== undefined && !/^https:\/\/[^/]+\/.+\.tgz$/.test(entry.resolved))
      problems.push(`${id}: not a registry tarball (${entry.resolved})`);
    if (!entry.integrity?.startsWith('sha512-')) problems.push(`${id}: no sha512 integrity`);
    const node = Array.isArray(entry.engines) ? undefined : (entry.engines as { node?: string })?.node;
    if (isInstalled && node !== undefined && semver.validRange(node) !== null) {
      if (!semver.satisfies(lowest, node))
        problems.push(
          `${id}: engines.node "${node}" refuses Node ${lowest.version}, the lowest the project supports (${input.projectNode})`,
        );
    }
    if (entry.hasInstallScript && isInstalled && !input.allowScripts.includes(name))
      problems.push(`${id}: runs an install script and is not in package.json allowScripts`);
  }
  return problems.sort();
}

function main(): number {
  const root = new URL('../', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    engines?: { node?: string };
    allowScripts?: Record<string, boolean>;
  };
  const lockfile = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as Lockfile;
  const problems = reviewLockfile({
    lockfile,
    projectNode: pkg.engines?.node ?? '*',
    allowScripts: Object.entries(pkg.allowScripts ?? {})
      .filter(([, allowed]) => allowed)
      .map(([name]) => name),
  });
  for (const problem of problems) console.error(`dependency review: ${problem}`);
  const count = Object.keys(lockfile.packages).length - 1;
  console.log(
    problems.length === 0
      ? `dependency review: ${count} packages pass (licences, registry and integrity, engines, install scripts)`
      : `dependency review: ${problems.length} problem(s) in ${count} packages`,
  );
  return problems.length === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
