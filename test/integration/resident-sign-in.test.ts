/**
 * Residents sign in through an identity provider: the shared provider suite for the demo provider
 * (its code read from the log it writes), and the HTTP flow with its own session cookie.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPhoneProvider, phoneCodeProvider } from '../../src/accounts/resident-identity.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { testDatabases } from '../support/databases.js';
import { identityProviderCases, silentContext } from '../support/identity-provider-cases.js';

describe.each(testDatabases())('resident sign-in on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const inbox = new Map<string, string>();
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      residentIdentity: phoneCodeProvider('test-phone', (phone, code) => inbox.set(phone, code)),
    });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  describe('the demo provider', () => {
    identityProviderCases(
      () => database.db,
      () => ({
        provider: demoPhoneProvider,
        ctx: {
          ...silentContext(),
          log: { info: (event) => logged.push(event), warn: () => undefined },
        },
        codeFor: (phone) => {
          const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
          const entry = logged.findLast((e) => e.event === 'demo-one-time-code' && e.phone === masked);
          return entry?.code as string | undefined;
        },
      }),
    );

    it('writes the masked number and the code to the log, never the whole number', () => {
      expect(JSON.stringify(logged)).not.toMatch(/1\d{10}/);
      expect(logged[0]).toMatchObject({ event: 'demo-one-time-code', phone: '138****5678' });
    });
  });

  it('signs a resident in over HTTP into a session of their own', async () => {
    const start = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/start',
      payload: { phone: '13512345678' },
    });
    expect(start.statusCode).toBe(200);
    const { challenge } = start.json();
    const verify = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/verify',
      payload: { challenge, code: inbox.get('13512345678') },
    });
    expect(verify.statusCode).toBe(200);
    const cookie = String(verify.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-huji_resident=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    const headers = { cookie: cookie.split(';')[0]!, 'x-csrf-token': verify.json().csrfToken as string };
    const me = await app.inject({ method: 'GET', url: '/api/v1/resident-auth/me', headers });
    expect(me.json().resident).toEqual({ provider: 'test-phone', phone: '135****5678' });
    // A resident session opens no officer route.
    const officerRoute = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(officerRoute.statusCode).toBe(401);
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/resident-auth/logout',
      headers: { cookie: headers.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/resident-auth/logout', headers })).statusCode,
    ).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/resident-auth/me', headers })).statusCode).toBe(
      401,
    );
  });
});

describe.each(testDatabases())('resident one-time code limits under concurrency on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  const sent: { phone: string; code: string }[] = [];
  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      // The route's per-address request limit is raised so that the code limits themselves answer.
      accounts: { signInRateLimit: 1000, residentCodesPerAddressPerHour: 10 },
      residentIdentity: phoneCodeProvider('test-phone', (phone, code) => sent.push({ phone, code })),
    });
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  const start = (phone: string, remoteAddress: string) =>
    app.inject({ method: 'POST', url: '/api/v1/resident-auth/start', payload: { phone }, remoteAddress });
  const verify = (challenge: string, code: string) =>
    app.inject({ method: 'POST', url: '/api/v1/resident-auth/verify', payload: { challenge, code } });

  it('sends at most 5 codes an hour to one number, however many requests arrive at once', async () => {
    const phone = '13500000001';
    const answers = await Promise.all(
      Array.from({ length: 28 }, (_, i) => start(phone, `203.0.113.${i + 1}`)),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(23);
    expect(answers.find((a) => a.statusCode === 429)!.json().code).toBe('HUJI_RATE_LIMITED');
    expect(sent.filter((s) => s.phone === phone)).toHaveLength(5);
  });

  it('sends at most the configured number of codes an hour from one address, whatever the numbers', async () => {
    const before = sent.length;
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => start(`1350000${String(1000 + i)}`, '198.51.100.77')),
    );
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(10);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(14);
    expect(sent.length - before).toBe(10);
    // Another address is not held back by this one.
    expect((await start('13500002000', '198.51.100.78')).statusCode).toBe(200);
  });

  it('caps wrong codes per number across its challenges, even when the guesses arrive at once', async () => {
    const phone = '13500000003';
    const challenges: string[] = [];
    for (let i = 0; i < 4; i++) challenges.push((await start(phone, `192.0.2.${i + 1}`)).json().challenge);
    const codes = sent.filter((s) => s.phone === phone).map((s) => s.code);
    expect(codes).toHaveLength(4);
    // 24 wrong guesses over the four challenges (6 each, beyond the 5 a challenge allows).
    const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const guesses = await Promise.all(
      Array.from({ length: 24 }, (_, i) => verify(challenges[i % 4]!, wrong(codes[i % 4]!))),
    );
    const counted = guesses.filter((g) => g.json().code === 'HUJI_ONE_TIME_CODE_FAILED');
    expect(counted).toHaveLength(10);
    expect(guesses.filter((g) => g.statusCode === 200)).toHaveLength(0);
    // The number has had its ten guesses this hour: even the right code of an open challenge is refused,
    // and a new code is not sent.
    const right = await verify(challenges[3]!, codes[3]!);
    expect(right.json().code).toBe('HUJI_SIGN_IN_CHALLENGE_INVALID');
    expect((await start(phone, '192.0.2.9')).statusCode).toBe(429);
    expect(sent.filter((s) => s.phone === phone)).toHaveLength(4);
  });
});
