/**
 * Reporting schedules of a policy (lz/3: member units report the previous quarter's progress by the
 * 5th of each quarter's first month), as the due dates of a year.
 */
import type { Policy, Text } from './policy.js';

export interface DueDate {
  readonly schedule: string;
  readonly title: Text;
  readonly article: string;
  /** The quarter reported on, e.g. 2017-Q4 for the report due in January 2018. */
  readonly period: string;
  readonly due: string;
}

/**
 * @example dueDates(lanzhou, 2018)[0] // { period: '2017-Q4', due: '2018-01-05', … }
 */
export function dueDates(policy: Policy, year: number): DueDate[] {
  const out: DueDate[] = [];
  for (const s of policy.schedules) {
    // `kind` has one value today; a new kind of schedule gets its own branch here.
    for (let q = 0; q < 4; q++) {
      const month = q * 3 + 1;
      const period = q === 0 ? `${year - 1}-Q4` : `${year}-Q${q}`;
      const due = `${year}-${String(month).padStart(2, '0')}-${String(s.rule.dayOfFirstMonth).padStart(2, '0')}`;
      out.push({ schedule: s.id, title: s.title, article: s.article, period, due });
    }
  }
  return out.sort((a, b) => a.due.localeCompare(b.due));
}
