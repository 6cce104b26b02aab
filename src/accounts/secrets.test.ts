import { describe, expect, it } from 'vitest';
import { checkPasswordRules } from './password-policy.js';
import {
  csrfTokenOf,
  generateInitialPassword,
  hashPassword,
  newToken,
  tokenHash,
  verifyPassword,
} from './secrets.js';

describe('secrets', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const stored = await hashPassword('Correct-horse-9');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'Correct-horse-9')).toBe(true);
    expect(await verifyPassword(stored, 'correct-horse-9')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('makes initial passwords that meet the rules', () => {
    for (let i = 0; i < 50; i++)
      expect(checkPasswordRules(generateInitialPassword(), { username: 'kc' })).toEqual([]);
  });

  it('stores only a hash of a token, and derives a different CSRF token', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(csrfTokenOf(token)).not.toBe(tokenHash(token));
    expect(csrfTokenOf(token)).toBe(csrfTokenOf(token));
  });
});
