import { describe, expect, it } from 'vitest';
import {
  characterClassesOf,
  checkPasswordRules,
  DEFAULT_PASSWORD_POLICY,
  isPasswordExpired,
  previousPasswordsToKeep,
} from './password-policy.js';

describe('password rules', () => {
  it('needs 12 characters of 3 classes', () => {
    expect(checkPasswordRules('Abcdefghij1', { username: 'kc01' })).toEqual(['too-short']);
    expect(checkPasswordRules('abcdefghijkl1', { username: 'kc01' })).toEqual(['too-few-classes']);
    expect(checkPasswordRules('Abcdefghijk1', { username: 'kc01' })).toEqual([]);
    expect(checkPasswordRules('short', { username: 'kc01' })).toEqual(['too-short', 'too-few-classes']);
  });

  it('counts Chinese characters and punctuation as a class, and length by character', () => {
    expect(characterClassesOf('户籍abc123')).toBe(3);
    expect(checkPasswordRules('衢州柯城区户籍科民警aa1', { username: 'kc01' })).toEqual([]);
    expect(checkPasswordRules('衢州柯城区户籍科a1', { username: 'kc01' })).toEqual(['too-short']);
  });

  it('refuses a password holding the username, and absurd lengths', () => {
    expect(checkPasswordRules('xx-Zhangsan-2024', { username: 'zhangsan' })).toEqual(['contains-username']);
    expect(checkPasswordRules(`Aa1${'x'.repeat(200)}`, { username: 'kc01' })).toEqual(['too-long']);
  });

  it('expires a password after 90 days, unless rotation is off', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    expect(isPasswordExpired(changed, new Date('2026-03-31T23:59:59Z'))).toBe(false);
    expect(isPasswordExpired(changed, new Date('2026-04-01T00:00:00Z'))).toBe(true);
    expect(
      isPasswordExpired(changed, new Date('2030-01-01'), { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 0 }),
    ).toBe(false);
  });

  it('keeps 4 previous hashes, which with the current one make the last 5', () => {
    expect(previousPasswordsToKeep('h5', ['h4', 'h3', 'h2', 'h1'])).toEqual(['h5', 'h4', 'h3', 'h2']);
  });
});
