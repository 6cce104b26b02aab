/**
 * Resident sign-in routes (/api/v1/resident-auth/…) over the configured identity provider, and
 * `requireResident(request)` for the resident-facing routes of the services. Same session rules and
 * CSRF token as officers, in a cookie of its own.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HujiError } from '../errors/huji-error.js';
import { maskPhone } from '../standards/masking.js';
import { contextOf, CSRF_HEADER, sameSecret } from './require-officer.js';
import {
  endResidentSession,
  openResidentSession,
  resolveResidentSession,
  type ResidentIdentityProvider,
  type ResidentSessionRow,
} from './resident-identity.js';
import { csrfTokenOf } from './secrets.js';

export const RESIDENT_COOKIE = '__Host-huji_resident';
const COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

export interface SignedInResident {
  readonly provider: string;
  readonly subject: string;
}

/** The signed-in resident (401 otherwise; 403 without the CSRF token on a state-changing request). */
export async function requireResident(request: FastifyRequest): Promise<SignedInResident> {
  const { session } = await residentSessionOf(request);
  return { provider: session.provider, subject: session.subject };
}

async function residentSessionOf(
  request: FastifyRequest,
): Promise<{ session: ResidentSessionRow; token: string }> {
  const token = request.cookies[RESIDENT_COOKIE];
  if (!token) throw new HujiError('HUJI_RESIDENT_REQUIRED');
  const header = request.headers[CSRF_HEADER];
  const isSafe = ['GET', 'HEAD', 'OPTIONS'].includes(request.method);
  if (!isSafe && (typeof header !== 'string' || !sameSecret(header, csrfTokenOf(token))))
    throw new HujiError('HUJI_CSRF_TOKEN_INVALID');
  return {
    session: await resolveResidentSession(request.server.hujiAccounts.db, token, contextOf(request)),
    token,
  };
}

const view = (session: ResidentSessionRow, token: string) => ({
  resident: { provider: session.provider, phone: maskPhone(session.subject) },
  csrfToken: csrfTokenOf(token),
  session: {
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    idleTimeoutSeconds: session.idleTimeoutSeconds,
  },
});

export function registerResidentAuthRoutes(app: FastifyInstance, provider: ResidentIdentityProvider) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.hujiAccounts;
  const limit = { rateLimit: { max: config.signInRateLimit, timeWindow: '1 minute' } };

  r.post(
    '/api/v1/resident-auth/start',
    {
      config: limit,
      schema: {
        tags: ['accounts'],
        summary:
          '群众登录第一步：手机号码，发送验证码 / resident sign-in, step 1: mobile number, a code is sent',
        description: `Identity provider: ${provider.id}. The demo provider writes the code to the server log.`,
        body: z.object({ phone: z.string().trim().max(20) }),
      },
    },
    async (request, reply) => {
      const started = await provider.begin(
        db,
        { ...request.body, sourceAddress: request.ip },
        contextOf(request),
      );
      reply.header('cache-control', 'no-store');
      return {
        step: 'one-time-code' as const,
        challenge: started.challenge,
        expiresAt: started.expiresAt.toISOString(),
      };
    },
  );

  r.post(
    '/api/v1/resident-auth/verify',
    {
      config: limit,
      schema: {
        tags: ['accounts'],
        summary: '群众登录第二步：验证码 / resident sign-in, step 2: the code',
        body: z.object({ challenge: z.string().min(20).max(128), code: z.string().trim().min(1).max(12) }),
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const identity = await provider.complete(db, request.body, ctx);
      const { token, session } = await openResidentSession(db, identity, ctx);
      reply.setCookie(RESIDENT_COOKIE, token, COOKIE_OPTIONS).header('cache-control', 'no-store');
      return view(session, token);
    },
  );

  r.get(
    '/api/v1/resident-auth/me',
    { schema: { tags: ['accounts'], summary: '当前登录的群众 / the signed-in resident' } },
    async (request, reply) => {
      const { session, token } = await residentSessionOf(request);
      reply.header('cache-control', 'no-store');
      return view(session, token);
    },
  );

  r.post(
    '/api/v1/resident-auth/logout',
    { schema: { tags: ['accounts'], summary: '群众退出登录 / resident sign-out' } },
    async (request, reply) => {
      const { token } = await residentSessionOf(request);
      await endResidentSession(db, token, contextOf(request));
      reply.clearCookie(RESIDENT_COOKIE, COOKIE_OPTIONS);
      return reply.code(204).send();
    },
  );
}
