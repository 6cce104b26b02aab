import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLicenceAllowed, reviewLockfile, type LockEntry, type Lockfile } from './check-dependencies.js';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  allowScripts: Record<string, boolean>;
};

const entry = (over: Partial<LockEntry> = {}): LockEntry => ({
  version: '1.0.0',
  resolved: 'https://registry.npmjs.org/x/-/x-1.0.0.tgz',
  integrity: 'sha512-AAAA',
  license: 'MIT',
  ...over,
});
const review = (packages: Record<string, LockEntry>) =>
  reviewLockfile({
    lockfile: { packages: { '': {}, ...packages } },
    projectNode: '>=20.19',
    allowScripts: ['esbuild'],
    platform: { os: 'linux', cpu: 'x64' },
  });

describe('the offline dependency review (issue 14)', () => {
  it('passes the lockfile as committed: every package fits Node 20.19, the registry and the licences', () => {
    const lockfile = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as Lockfile;
    expect(
      reviewLockfile({
        lockfile,
        projectNode: pkg.engines.node,
        allowScripts: Object.keys(pkg.allowScripts),
        platform: { os: 'linux', cpu: 'x64' },
      }),
    ).toEqual([]);
  });

  it('names a package that asks for a newer Node than the project declares', () => {
    expect(review({ 'node_modules/cookie': entry({ version: '2.0.2', engines: { node: '>=22' } }) })).toEqual(
      ['cookie@2.0.2: engines.node ">=22" refuses Node 20.19.0, the lowest the project supports (>=20.19)'],
    );
    expect(review({ 'node_modules/a': entry({ engines: { node: '^20.19.0 || >=22.12.0' } }) })).toEqual([]);
    // An optional binary for another platform is never installed here.
    const darwin = { optional: true, os: ['darwin'], engines: { node: '>=22' } };
    expect(review({ 'node_modules/@x/darwin': entry(darwin) })).toEqual([]);
  });

  it('names a licence off the allow-list, a package from elsewhere and an install script not allowed', () => {
    expect(
      review({
        'node_modules/gpl': entry({ license: 'GPL-3.0-only' }),
        'node_modules/gitdep': entry({ resolved: 'git+ssh://git@example.com/x.git', integrity: undefined }),
        'node_modules/builder': entry({ hasInstallScript: true }),
        'node_modules/esbuild': entry({ hasInstallScript: true }),
        'node_modules/nolicence': entry({ license: undefined }),
      }),
    ).toEqual([
      'builder@1.0.0: runs an install script and is not in package.json allowScripts',
      'gitdep@1.0.0: no sha512 integrity',
      'gitdep@1.0.0: not a registry tarball (git+ssh://git@example.com/x.git)',
      'gpl@1.0.0: licence GPL-3.0-only is not on the allow-list',
      'nolicence@1.0.0: no licence in the lockfile',
    ]);
  });

  it('reads SPDX expressions', () => {
    expect(isLicenceAllowed('(MIT AND Zlib)')).toBe(true);
    expect(isLicenceAllowed('MIT OR GPL-3.0')).toBe(true);
    expect(isLicenceAllowed('MIT AND GPL-3.0')).toBe(false);
    expect(isLicenceAllowed('SSPL-1.0')).toBe(false);
  });
});
