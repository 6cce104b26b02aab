/**
 * Loads the policy versions from `policies/*.yaml` (the shell side of the pure policy module): every
 * file is parsed and checked whole, a published version's content hash is checked against
 * `policies/published.lock.json` so that a published version can never change unnoticed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPolicyErrors, parsePolicy, type PolicyFileError } from '../policy/parse-policy.js';
import { policyRef, type Policy } from '../policy/policy.js';

export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

export interface LoadedPolicy {
  readonly policy: Policy;
  readonly file: string;
  readonly sha256: string;
}

export class PolicyCatalogError extends Error {
  constructor(readonly errors: readonly PolicyFileError[]) {
    super(`policy files are invalid:\n${formatPolicyErrors(errors)}`);
    this.name = 'PolicyCatalogError';
  }
}

export interface PolicyCatalog {
  readonly policies: readonly LoadedPolicy[];
  find(id: string): LoadedPolicy | undefined;
}

/** Reads every `<id>.yaml` (not `.cases.yaml`) in the directory; throws on the first invalid file set. */
export function loadPolicyCatalog(dir: string = POLICIES_DIR): PolicyCatalog {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml'))
    .sort();
  const lock = readLock(dir);
  const errors: PolicyFileError[] = [];
  const policies: LoadedPolicy[] = [];
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const result = parsePolicy(text, file);
    if (!result.isValid) {
      errors.push(...result.errors);
      continue;
    }
    const { policy } = result;
    const sha256 = createHash('sha256').update(text).digest('hex');
    if (`${policy.id}.yaml` !== file) {
      errors.push({
        file,
        line: 1,
        column: 1,
        path: 'id',
        rule: 'file-name',
        message: `id ${policy.id} does not match the file name`,
      });
    }
    const locked = lock[policyRef(policy)];
    if (policy.status === 'published' && locked === undefined) {
      errors.push({
        file,
        line: 1,
        column: 1,
        path: 'status',
        rule: 'published-locked',
        message: `${policyRef(policy)} is published but not in published.lock.json; run npm run policies:lock`,
      });
    } else if (policy.status === 'published' && locked !== sha256) {
      errors.push({
        file,
        line: 1,
        column: 1,
        path: 'version',
        rule: 'published-immutable',
        message: `${policyRef(policy)} is published and its content changed; publish the change as version ${policy.version + 1}`,
      });
    }
    policies.push({ policy, file, sha256 });
  }
  if (errors.length > 0) throw new PolicyCatalogError(errors);
  const byId = new Map(policies.map((p) => [p.policy.id, p]));
  return { policies, find: (id) => byId.get(id) };
}

function readLock(dir: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(join(dir, 'published.lock.json'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
