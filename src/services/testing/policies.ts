/** Test helper: the policy files of `policies/`, parsed (tests only: reads files). */
import { readFileSync } from 'node:fs';
import { parsePolicy } from '../../policy/parse-policy.js';
import type { Policy } from '../../policy/policy.js';

export const POLICY_IDS = ['quzhou-2017-final', 'quzhou-2017-draft', 'lanzhou-2017'] as const;

const loaded = new Map<string, Policy>();

/** Parsed once per test file. */
export function loadPolicy(id: string): Policy {
  const cached = loaded.get(id);
  if (cached) return cached;
  const policy = parsePolicyText(
    readFileSync(new URL(`../../../policies/${id}.yaml`, import.meta.url), 'utf8'),
    id,
  );
  loaded.set(id, policy);
  return policy;
}

export function parsePolicyText(text: string, id = 'test'): Policy {
  const parsed = parsePolicy(text, `${id}.yaml`);
  if (!parsed.isValid) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.policy;
}
