import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPolicyCatalog, POLICIES_DIR, PolicyCatalogError } from './policy-catalog.js';

let dir = '';
const copy = () => {
  dir = mkdtempSync(join(tmpdir(), 'huji-policies-'));
  cpSync(POLICIES_DIR, dir, { recursive: true });
  return dir;
};
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const failure = (d: string) => {
  try {
    loadPolicyCatalog(d);
  } catch (error) {
    return error as PolicyCatalogError;
  }
  throw new Error('loaded');
};

describe('policy catalog', () => {
  it('loads the committed policies', () => {
    const catalog = loadPolicyCatalog();
    expect(catalog.find('quzhou-2017-final')?.policy.version).toBe(3);
    expect(catalog.find('nope')).toBeUndefined();
  });

  it('refuses a published version whose content changed', () => {
    const d = copy();
    const file = join(d, 'quzhou-2017-final.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('value: 100000', 'value: 200000'));
    const error = failure(d);
    expect(error).toBeInstanceOf(PolicyCatalogError);
    expect(error.errors[0]).toMatchObject({ file: 'quzhou-2017-final.yaml', rule: 'published-immutable' });
  });

  it('refuses a published version missing from the lock', () => {
    const d = copy();
    writeFileSync(join(d, 'published.lock.json'), '{}');
    expect(failure(d).errors.map((e) => e.rule)).toEqual([
      'published-locked',
      'published-locked',
      'published-locked',
    ]);
  });

  it('refuses a file whose id does not match its name', () => {
    const d = copy();
    cpSync(join(d, 'quzhou-2017-final.yaml'), join(d, 'quzhou-copy.yaml'));
    expect(failure(d).errors[0]).toMatchObject({ file: 'quzhou-copy.yaml', rule: 'file-name' });
  });
});
