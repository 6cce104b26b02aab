/** When the browser journeys may install Chromium themselves, and when they must ask for it. */
import { describe, expect, it } from 'vitest';
import { chromiumPlan } from './global-setup.js';

describe('Chromium for the browser journeys', () => {
  const missing = '/nonexistent/chromium';
  it('uses the browser that is there', () => {
    expect(chromiumPlan(process.execPath, { isRoot: false, hasAptGet: false, isDefaultPath: true })).toBe(
      'present',
    );
  });
  it('installs it with apt-get only as root, with apt-get, at the default path', () => {
    expect(chromiumPlan(missing, { isRoot: true, hasAptGet: true, isDefaultPath: true })).toBe('install');
    expect(chromiumPlan(missing, { isRoot: false, hasAptGet: true, isDefaultPath: true })).toBe('ask');
    expect(chromiumPlan(missing, { isRoot: true, hasAptGet: false, isDefaultPath: true })).toBe('ask');
    expect(chromiumPlan(missing, { isRoot: true, hasAptGet: true, isDefaultPath: false })).toBe('ask');
  });
});
