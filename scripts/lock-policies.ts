/**
 * Records the content hash of every published policy version in policies/published.lock.json. Existing
 * entries are never overwritten: a published version is immutable, and a changed file must be published
 * as a new version. Run after publishing a new version: npm run policies:lock
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, formatPolicyErrors } from '../src/policy/parse-policy.js';
import { policyRef } from '../src/policy/policy.js';
import { POLICIES_DIR } from '../src/server/policy-catalog.js';

const lockFile = join(POLICIES_DIR, 'published.lock.json');
function readLock(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(lockFile, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
const lock = readLock();
for (const file of readdirSync(POLICIES_DIR).filter(
  (f) => f.endsWith('.yaml') && !f.endsWith('.cases.yaml'),
)) {
  const text = readFileSync(join(POLICIES_DIR, file), 'utf8');
  const parsed = parsePolicy(text, file);
  if (!parsed.isValid) {
    console.error(formatPolicyErrors(parsed.errors));
    process.exit(1);
  }
  if (parsed.policy.status !== 'published') continue;
  const ref = policyRef(parsed.policy);
  const hash = createHash('sha256').update(text).digest('hex');
  if (lock[ref] === undefined) {
    lock[ref] = hash;
    console.log(`locked ${ref}`);
  } else if (lock[ref] !== hash) {
    console.error(`${ref} is published and changed; publish it as version ${parsed.policy.version + 1}`);
    process.exit(1);
  }
}
writeFileSync(lockFile, JSON.stringify(Object.fromEntries(Object.entries(lock).sort()), null, 2) + '\n');
