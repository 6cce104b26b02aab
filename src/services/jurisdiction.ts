/**
 * Which policy an application is decided under: the published policy whose jurisdiction covers the
 * handling county and which is in force on the day of submission (the latest to take effect, when
 * several are). The application keeps `policyId@version`, so a later version never changes a decision
 * already made. Pure.
 */
import { coversCounty } from '../accounts/roles.js';
import type { Policy } from '../policy/policy.js';
import type { IsoDate } from '../standards/calendar.js';

/**
 * @example policyInForce(policies, '330802', '2026-12-02')?.id // 'quzhou-2017-final'
 */
export function policyInForce(
  policies: readonly Policy[],
  countyCode: string,
  today: IsoDate,
): Policy | undefined {
  return policies
    .filter(
      (p) =>
        p.status === 'published' &&
        coversCounty(p.jurisdiction, countyCode) &&
        p.effective.from <= today &&
        (p.effective.to === null || today <= p.effective.to),
    )
    .sort((a, b) =>
      a.effective.from === b.effective.from
        ? b.version - a.version
        : a.effective.from < b.effective.from
          ? 1
          : -1,
    )[0];
}
