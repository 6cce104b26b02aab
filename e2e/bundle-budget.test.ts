/** The portal's first load ships at most 300 KB of gzipped JavaScript (measured on the build). */
import { describe, expect, it } from 'vitest';
import {
  kb,
  measurePortalFirstLoad,
  PORTAL_FIRST_LOAD_BUDGET,
  staticImportsOf,
} from '../scripts/check-web-budget.js';

describe('bundle budget', () => {
  it('finds static imports of a chunk, not lazy ones', () => {
    const code =
      'import{a as b}from"./runtime-1.js";import"./side.js";const p=()=>import("./page-2.js");export{c}from"./c.js"';
    expect(staticImportsOf(code)).toEqual(['./runtime-1.js', './side.js', './c.js']);
  });

  it('keeps the portal first load within 300 KB of gzipped JavaScript', () => {
    const load = measurePortalFirstLoad();
    console.log(`portal first load: ${kb(load.gzipBytes)} gzipped JavaScript in ${load.files.length} files`);
    expect(load.files.length).toBeGreaterThan(0);
    expect(load.gzipBytes).toBeLessThanOrEqual(PORTAL_FIRST_LOAD_BUDGET);
  });
});
