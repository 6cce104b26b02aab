/**
 * How a test acts as a resident: an identity provider whose one-time codes land in an inbox the test
 * reads (instead of an SMS), and a real sign-in over HTTP giving the resident cookie and CSRF token.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { phoneCodeProvider, type ResidentIdentityProvider } from '../../src/accounts/resident-identity.js';

export interface TestResidents {
  readonly provider: ResidentIdentityProvider;
  headers(app: FastifyInstance, phone: string): Promise<Record<string, string>>;
}

/** A distinct client address per number, so the per-address code limit never trips a suite. */
const addressOf = (phone: string) => {
  const h = createHash('sha256').update(phone).digest();
  return `10.${h[0]}.${h[1]}.${h[2]}`;
};

export function testResidents(): TestResidents {
  const inbox = new Map<string, string>();
  const sessions = new Map<string, Record<string, string>>();
  return {
    provider: phoneCodeProvider('test-phone', (phone, code) => inbox.set(phone, code)),
    async headers(app, phone) {
      const known = sessions.get(phone);
      if (known) return known;
      const start = await app.inject({
        method: 'POST',
        url: '/api/v1/resident-auth/start',
        payload: { phone },
        remoteAddress: addressOf(phone),
      });
      if (start.statusCode !== 200)
        throw new Error(`resident sign-in start: ${start.statusCode} ${start.body}`);
      const verify = await app.inject({
        method: 'POST',
        url: '/api/v1/resident-auth/verify',
        payload: { challenge: start.json().challenge, code: inbox.get(phone) },
      });
      if (verify.statusCode !== 200)
        throw new Error(`resident sign-in verify: ${verify.statusCode} ${verify.body}`);
      const cookie = String(verify.headers['set-cookie']).split(';')[0] ?? '';
      const headers = { cookie, 'x-csrf-token': verify.json().csrfToken as string };
      sessions.set(phone, headers);
      return headers;
    },
  };
}
