/**
 * The acting officer of a request, from the session cookie: `requireOfficer(request, action)` answers
 * 401 without a usable session, 403 when a state-changing request lacks the session's CSRF token, when
 * the password must be changed first, or when no role of the officer allows the action (the table in
 * roles.ts). Records are then checked against the officer's jurisdiction by each route (404 outside).
 */
import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import type { AccountsConfig, AccountsContext, Clock } from './config.js';
import type { CredentialChannel } from './credential-channel.js';
import type { Account } from './repository.js';
import { canPerform, type Action, type Role } from './roles.js';
import { csrfTokenOf } from './secrets.js';
import { resolveSession, type ActiveSession } from './sign-in.js';

/** `__Host-`: Secure, Path=/ and no Domain, so no sibling host or path can set or shadow it. */
export const SESSION_COOKIE = '__Host-huji_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A browser the officer signed in from with both factors (ADR 0018); long-lived, no session in it. */
export const DEVICE_COOKIE = '__Host-huji_device';
export const DEVICE_COOKIE_DAYS = 180;

export interface ActingOfficer {
  /** The account id; recorded as the officer in the ledger and documents. */
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly countyCode: string;
  readonly roles: readonly Role[];
}

export interface AccountsService {
  readonly db: HujiDatabase;
  readonly config: AccountsConfig;
  readonly clock: Clock;
  /** Where new and reset officers' secrets go: the holder's own channel (ADR 0017). */
  readonly credentialChannel: CredentialChannel;
}

/** An officer route and the action it needs, as registered (the permission-matrix test walks these). */
export interface OfficerRoute {
  readonly method: string;
  readonly url: string;
  readonly action: Action;
}

declare module 'fastify' {
  interface FastifyInstance {
    hujiAccounts: AccountsService & { readonly officerRoutes: OfficerRoute[] };
  }
  interface FastifyContextConfig {
    /** The action an officer route needs; checked before the request is parsed, so strangers get 401. */
    officerAction?: Action;
  }
}

/**
 * Decorates the app with the accounts service and checks `config.officerAction` of every route before
 * validation: an unauthenticated or unauthorised request is refused before its body is even parsed.
 * Handlers then call `requireOfficer` with the same action to get the officer (resolved once per request).
 */
export function installAccountsService(app: FastifyInstance, service: AccountsService) {
  const officerRoutes: OfficerRoute[] = [];
  app.decorate('hujiAccounts', { ...service, officerRoutes });
  app.addHook('onRoute', (route) => {
    const action = route.config?.officerAction;
    if (!action) return;
    // HEAD twins of GET routes share the config (and the check); list each route once.
    for (const method of [route.method].flat())
      if (method !== 'HEAD') officerRoutes.push({ method, url: route.url, action });
  });
  app.addHook('preValidation', async (request) => {
    const action = request.routeOptions.config.officerAction;
    if (action) await requireOfficer(request, action);
  });
}

export function contextOf(request: FastifyRequest): AccountsContext {
  const { config, clock } = request.server.hujiAccounts;
  return { config, clock, log: request.log };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const resolved = new WeakMap<FastifyRequest, Promise<ActiveSession & { token: string }>>();

/** Compares secrets in constant time. */
export function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The request's live session (touched once per request). State-changing requests must carry the
 * session's CSRF token: SameSite=Strict already keeps the cookie off cross-site requests, the token
 * covers browsers and proxies that do not honour it (ADR 0008).
 */
export function currentSession(request: FastifyRequest): Promise<ActiveSession & { token: string }> {
  let pending = resolved.get(request);
  if (!pending) {
    pending = (async () => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) throw new HujiError('HUJI_OFFICER_REQUIRED');
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (typeof header !== 'string' || !sameSecret(header, csrfTokenOf(token))) {
          request.log.warn({ event: 'csrf-refused' }, 'state-changing request without the CSRF token');
          throw new HujiError('HUJI_CSRF_TOKEN_INVALID');
        }
      }
      const { db } = request.server.hujiAccounts;
      return { ...(await resolveSession(db, token, contextOf(request))), token };
    })();
    resolved.set(request, pending);
  }
  return pending;
}

export function actingOfficerOf(a: Account): ActingOfficer {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    countyCode: a.countyCode,
    roles: a.roles,
  };
}

/**
 * The signed-in officer, if their roles allow `action`; otherwise a typed 401 / 403. Denials are logged
 * (access-control decisions are audit events, security.md).
 *
 * @example const officer = await requireOfficer(request, 'register.read');
 */
export async function requireOfficer(request: FastifyRequest, action: Action): Promise<ActingOfficer> {
  const session = await currentSession(request);
  const officer = actingOfficerOf(session.account);
  if (session.mustChangePassword) {
    throw new HujiError('HUJI_PASSWORD_CHANGE_REQUIRED', {
      days: request.server.hujiAccounts.config.password.maxAgeDays,
    });
  }
  if (!canPerform(officer.roles, action)) {
    request.log.warn({ event: 'access-denied', accountId: officer.id, action }, 'access denied');
    throw new HujiError('HUJI_FORBIDDEN', { action });
  }
  request.log.debug({ event: 'access-granted', accountId: officer.id, action }, 'access granted');
  return officer;
}
