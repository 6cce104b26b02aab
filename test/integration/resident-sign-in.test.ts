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
