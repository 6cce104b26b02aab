import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { dueDates } from './schedules.js';

describe('dueDates', () => {
  it('gives the four Lanzhou quarterly report dates of a year, each for the previous quarter (lz/3)', () => {
    const lanzhou = loadPolicyCatalog().find('lanzhou-2017')?.policy;
    expect(lanzhou).toBeDefined();
    const dates = dueDates(lanzhou!, 2018);
    expect(dates.map((d) => [d.period, d.due])).toEqual([
      ['2017-Q4', '2018-01-05'],
      ['2018-Q1', '2018-04-05'],
      ['2018-Q2', '2018-07-05'],
      ['2018-Q3', '2018-10-05'],
    ]);
    expect(dates.every((d) => d.article === 'lz/3')).toBe(true);
  });

  it('is empty for a policy without schedules', () => {
    const quzhou = loadPolicyCatalog().find('quzhou-2017-final')?.policy;
    expect(dueDates(quzhou!, 2018)).toEqual([]);
  });
});
