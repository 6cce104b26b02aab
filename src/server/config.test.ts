import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS_CONFIG } from '../accounts/config.js';
import { DEFAULT_RESIDENT_LIMITS } from '../services/resident-limits.js';
import { readConfig } from './config.js';

describe('sign-in settings from the environment', () => {
  it('keeps the security.md defaults', () => {
    expect(readConfig({}).accounts).toEqual(DEFAULT_ACCOUNTS_CONFIG);
  });

  it('reads each number, and names a wrong one', () => {
    const c = readConfig({
      HUJI_PASSWORD_MAX_AGE_DAYS: '0',
      HUJI_LOCKOUT_FAILURES: '3',
      HUJI_LOCKOUT_MINUTES: '60',
      HUJI_SESSION_IDLE_MINUTES: '15',
      HUJI_SESSION_ADMIN_IDLE_MINUTES: '5',
      HUJI_SESSION_ABSOLUTE_HOURS: '8',
    }).accounts;
    expect(c.password.maxAgeDays).toBe(0);
    expect(c.lockout).toMatchObject({ maxConsecutiveFailures: 3, lockMinutes: 60, maxFailuresPerHour: 100 });
    expect(c.session).toMatchObject({ idleMinutes: 15, adminIdleMinutes: 5, absoluteHours: 8 });
    expect(() => readConfig({ HUJI_SESSION_IDLE_MINUTES: 'forever' })).toThrow(/HUJI_SESSION_IDLE_MINUTES/);
  });
});

describe('application time limits and the algorithm suite from the environment', () => {
  it('reads kinds, type ids and the county-government step', () => {
    expect(readConfig({}).timeLimits).toEqual({});
    expect(
      readConfig({ HUJI_TIME_LIMITS: 'residence-permit=30, settlement/talent=10,county-approval=15' })
        .timeLimits,
    ).toEqual({ 'residence-permit': 30, countyApproval: 15, byType: { 'settlement/talent': 10 } });
    expect(readConfig({}).cryptoSuite).toBe('international');
    expect(readConfig({ HUJI_CRYPTO_SUITE: 'gm' }).cryptoSuite).toBe('gm');
  });

  it('names what is wrong', () => {
    expect(() => readConfig({ HUJI_TIME_LIMITS: 'residence-permit=0' })).toThrow(
      /HUJI_TIME_LIMITS.*1 to 365/,
    );
    expect(() => readConfig({ HUJI_TIME_LIMITS: 'passport=5' })).toThrow(/"passport" is not a kind/);
    expect(() => readConfig({ HUJI_TIME_LIMITS: 'settlement' })).toThrow(/name=days/);
    expect(() => readConfig({ HUJI_CRYPTO_SUITE: 'rsa' })).toThrow(/HUJI_CRYPTO_SUITE/);
  });
});

describe('resident limits from the environment', () => {
  it('keeps the defaults, reads each number and names a wrong one', () => {
    expect(readConfig({}).residentLimits).toEqual(DEFAULT_RESIDENT_LIMITS);
    expect(
      readConfig({
        HUJI_SUBMISSIONS_PER_HOUR: '4',
        HUJI_SUBMISSIONS_PER_DAY: '12',
        HUJI_FILES_PER_MATERIAL: '3',
        HUJI_BYTES_PER_MATERIAL: '5000000',
      }).residentLimits,
    ).toEqual({
      submissionsPerHour: 4,
      submissionsPerDay: 12,
      filesPerMaterial: 3,
      bytesPerMaterial: 5_000_000,
    });
    expect(() => readConfig({ HUJI_SUBMISSIONS_PER_HOUR: '0' })).toThrow(/HUJI_SUBMISSIONS_PER_HOUR/);
  });
});

describe('the reverse proxy and the metrics token from the environment (issue 14)', () => {
  it('trusts no proxy by default, and reads hop counts and address lists', () => {
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({ HUJI_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(readConfig({ HUJI_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readConfig({ HUJI_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
  });

  it('refuses to trust anyone, and names what is not an address', () => {
    expect(() => readConfig({ HUJI_TRUST_PROXY: 'true' })).toThrow(/HUJI_TRUST_PROXY.*any client/);
    expect(() => readConfig({ HUJI_TRUST_PROXY: '10.0.0.0/33' })).toThrow(
      /HUJI_TRUST_PROXY.*10\.0\.0\.0\/33/,
    );
    expect(() => readConfig({ HUJI_TRUST_PROXY: 'proxy.example' })).toThrow(/HUJI_TRUST_PROXY/);
  });

  it('serves no metrics without a token, and refuses a short one without echoing it', () => {
    expect(readConfig({}).metricsToken).toBeUndefined();
    const token = 'a'.repeat(32);
    expect(readConfig({ HUJI_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => readConfig({ HUJI_METRICS_TOKEN: 'short-secret' })).toThrow(/HUJI_METRICS_TOKEN.*32/);
    try {
      readConfig({ HUJI_METRICS_TOKEN: 'short-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('short-secret');
    }
  });
});

describe('the public evaluation rate (HUJI_EVALUATE_PER_MINUTE)', () => {
  it('is 120 per minute by default, read from the environment, and refused when not a positive whole number', () => {
    expect(readConfig({}).evaluatePerMinute).toBe(120);
    expect(readConfig({ HUJI_EVALUATE_PER_MINUTE: '5000' }).evaluatePerMinute).toBe(5000);
    expect(() => readConfig({ HUJI_EVALUATE_PER_MINUTE: '0' })).toThrow(/HUJI_EVALUATE_PER_MINUTE/);
  });
});
