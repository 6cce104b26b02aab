/**
 * Runs every policy's golden cases and enforces their coverage: a case for every cited article and both
 * sides of every threshold; every article is one of the digest's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog, POLICIES_DIR } from '../server/policy-catalog.js';
import { DIGEST_ARTICLE_IDS } from './digest-articles.js';
import { checkGoldenCase, citedArticles, parseGoldenCases, uncoveredThresholds } from './golden-cases.js';

const catalog = loadPolicyCatalog();
const DIGEST = new URL('../../../shared/design/policy-digest.md', import.meta.url);

describe('policy catalog', () => {
  it('holds the three encoded versions', () => {
    expect(catalog.policies.map((p) => p.policy.id).sort()).toEqual([
      'lanzhou-2017',
      'quzhou-2017-draft',
      'quzhou-2017-final',
    ]);
  });

  it.runIf(existsSync(DIGEST))('lists exactly the digest article ids', () => {
    const ids = [
      ...readFileSync(DIGEST, 'utf8').matchAll(/^\| ((?:qz-draft|qz-final|lz)\/[0-9.]+) \|/gm),
    ].map((m) => m[1]);
    expect([...DIGEST_ARTICLE_IDS]).toEqual(ids);
  });
});

describe.each(catalog.policies.map((p) => ({ id: p.policy.id, policy: p.policy })))(
  '$id',
  ({ id, policy }) => {
    const file = `${POLICIES_DIR}${id}.cases.yaml`;
    const cases = existsSync(file) ? parseGoldenCases(readFileSync(file, 'utf8')) : { cases: [] };

    it('has a golden cases file', () => {
      expect(existsSync(file), file).toBe(true);
    });

    it('cites only articles of the digest, each with a quote', () => {
      for (const a of policy.articles) {
        expect(DIGEST_ARTICLE_IDS, a.id).toContain(a.id);
        expect(a.quote.length, a.id).toBeGreaterThan(5);
      }
    });

    it('has a golden case for every article its rules cite', () => {
      const covered = new Set(cases.cases.flatMap((c) => c.articles));
      const missing = [...citedArticles(policy)].filter((a) => !covered.has(a));
      expect(missing).toEqual([]);
    });

    it('has cases on both sides of every numeric threshold', () => {
      expect(uncoveredThresholds(policy, cases.cases)).toEqual([]);
    });

    it.runIf(cases.cases.length > 0).each(cases.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      expect(checkGoldenCase(policy, c).mismatches).toEqual([]);
    });
  },
);
