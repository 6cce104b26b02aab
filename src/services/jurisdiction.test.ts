import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse-policy.js';
import type { Policy } from '../policy/policy.js';
import { policyInForce } from './jurisdiction.js';
import { readFileSync } from 'node:fs';

const load = (id: string): Policy => {
  const result = parsePolicy(readFileSync(new URL(`../../policies/${id}.yaml`, import.meta.url), 'utf8'), id);
  if (!result.isValid) throw new Error(`${id} does not parse`);
  return result.policy;
};
const policies = ['quzhou-2017-draft', 'quzhou-2017-final', 'lanzhou-2017'].map(load);

describe('the policy an application is decided under', () => {
  it('is the one in force in the county on the day', () => {
    expect(policyInForce(policies, '330802', '2026-12-02')?.id).toBe('quzhou-2017-final');
    expect(policyInForce(policies, '330881', '2017-06-01')?.id).toBe('quzhou-2017-draft');
    // The draft's last day is still the draft's; the final takes over the next day.
    expect(policyInForce(policies, '330881', '2017-06-29')?.id).toBe('quzhou-2017-draft');
    expect(policyInForce(policies, '330881', '2017-06-30')?.id).toBe('quzhou-2017-final');
    expect(policyInForce(policies, '620102', '2026-12-02')?.id).toBe('lanzhou-2017');
  });

  it('is none outside every jurisdiction or before any policy', () => {
    expect(policyInForce(policies, '110105', '2026-12-02')).toBeUndefined();
    expect(policyInForce(policies, '330802', '2016-01-01')).toBeUndefined();
  });
});
