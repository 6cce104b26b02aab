/**
 * Records HTTP requests in the audit log (security.md § Audit): every officer route, the sign-in and
 * sign-out steps of officers and residents, every request made with a resident session under /api/v1/,
 * and every 401 / 403 (access-control decisions). The entry is written before the answer leaves (an
 * `onSend` hook waits for the writer), so an acknowledged request always has its entry; when the entry
 * of a success cannot be written the answer becomes 503 HUJI_AUDIT_UNAVAILABLE (HUJI_DB_UNAVAILABLE when
 * the database is away); a refusal or failure whose entry cannot be written goes out as it is.
 *
 * Entries keep full object ids (the audit log is where they belong, and only the audit administrator
 * reads it) but never passwords, tokens, codes or request bodies.
 */
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentSession, SESSION_COOKIE } from '../accounts/require-officer.js';
import { RESIDENT_COOKIE } from '../accounts/resident-routes.js';
import { tokenHash } from '../accounts/secrets.js';
import type { HujiDatabase } from '../db/connection.js';
import { databaseUnavailableError } from '../db/unavailable.js';
import { officerAccount, residentSession, residentSignInChallenge, signInChallenge } from '../db/schema.js';
import { HujiError } from '../errors/huji-error.js';
import type { AuditRecordInput, AuditWriter } from './audit-log.js';
import type { JsonValue, Outcome } from './chain.js';

/** Routes never recorded: public reference data, health, metrics, API docs, the document verify page. */
export const PUBLIC_ROUTE_PREFIXES = [
  '/healthz',
  '/metrics',
  '/openapi.json',
  '/docs',
  '/problems/',
  '/verify/',
  '/api/v1/policies',
  '/api/v1/standards',
  '/api/v1/citizen-ids',
  '/api/v1/divisions',
  '/api/v1/code-tables',
  '/api/v1/application-types',
] as const;

declare module 'fastify' {
  interface FastifyInstance {
    /** The audit writer, for use cases that record events of their own (installAuditRecorder). */
    hujiAudit: { readonly writer: AuditWriter };
  }
  interface FastifyRequest {
    /**
     * The record a handler acted on when the path does not name it (a register command, a submission):
     * the recorder prefers it to the route's parameters.
     */
    auditObject: { readonly type: string; readonly id: string } | null;
  }
}

const OFFICER_SIGN_IN = '/api/v1/auth/login';
const OFFICER_SECOND_FACTOR = '/api/v1/auth/totp';
const RESIDENT_SIGN_IN = '/api/v1/resident-auth/start';
const RESIDENT_SECOND_STEP = '/api/v1/resident-auth/verify';

/** Sign-in, sign-out and password routes: always recorded, whatever the answer. */
export const SIGN_IN_ROUTES = new Set<string>([
  OFFICER_SIGN_IN,
  OFFICER_SECOND_FACTOR,
  '/api/v1/auth/logout',
  '/api/v1/auth/password',
  RESIDENT_SIGN_IN,
  RESIDENT_SECOND_STEP,
  '/api/v1/resident-auth/logout',
]);

/** Officer routes without an action whose handler resolves the session (so it is cached). */
const OFFICER_SESSION_ROUTES = new Set(['/api/v1/auth/logout', '/api/v1/auth/password', '/api/v1/auth/me']);

const isPublic = (route: string) => PUBLIC_ROUTE_PREFIXES.some((p) => route.startsWith(p));

/** Whether a request is recorded (see the module comment). */
export function isAudited(request: FastifyRequest, status: number): boolean {
  const route = request.routeOptions.url;
  if (!route) return false;
  if (request.routeOptions.config.officerAction) return true;
  if (isPublic(route)) return false;
  if (SIGN_IN_ROUTES.has(route)) return true;
  if (status === 401 || status === 403) return true;
  return route.startsWith('/api/v1/') && Boolean(request.cookies?.[RESIDENT_COOKIE]);
}

export function outcomeOf(status: number): Outcome {
  return status < 400 ? 'success' : status < 500 ? 'refused' : 'failed';
}

/** Object types of path segments that are not a plain plural. */
const SEGMENT_TYPES: Record<string, string> = {
  persons: 'person',
  counties: 'county',
  policies: 'policy',
  'by-number': 'household-number',
  ledger: 'ledger',
  documents: 'document',
  'code-tables': 'code-table',
  'citizen-ids': 'citizen-id',
};
/** Parameters that name their object themselves. */
const PARAM_TYPES: Record<string, string> = {
  citizenId: 'person',
  materialId: 'material',
  token: 'document-token',
};

/**
 * The object a route acts on, from its parameters: the last parameter is the object, earlier ones go to
 * `within` (the material's application, say).
 *
 * @example objectOf('/api/v1/register/persons/:id', { id: 'p1' }) // { type: 'person', id: 'p1', within: {} }
 */
export function objectOf(
  route: string,
  params: unknown,
): { type: string; id: string; within: Record<string, string> } | undefined {
  const values = (params ?? {}) as Record<string, unknown>;
  const found: { type: string; id: string }[] = [];
  const segments = route.split('/');
  segments.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const name = segment.slice(1);
    const value = values[name];
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const before = segments[i - 1] ?? '';
    const type =
      PARAM_TYPES[name] ?? SEGMENT_TYPES[before] ?? (before.endsWith('s') ? before.slice(0, -1) : before);
    found.push({ type: type || name, id: String(value).slice(0, 200) });
  });
  const object = found.pop();
  if (!object) return undefined;
  return { ...object, within: Object.fromEntries(found.map((f) => [f.type, f.id])) };
}

const SECRET_KEY = /pass|token|secret|challenge|otp|code$|cursor/i;

/** The query of a request without anything secret-looking, bounded in size. */
function queryOf(query: unknown): Record<string, JsonValue> | undefined {
  if (!query || typeof query !== 'object') return undefined;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(query as Record<string, unknown>).slice(0, 20)) {
    if (SECRET_KEY.test(key)) continue;
    if (typeof value === 'string') out[key] = value.slice(0, 200);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function bodyField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  return typeof value === 'string' ? value.trim().slice(0, 128) : undefined;
}

/** The error code of a problem+json answer (why a request was refused), nothing else of it. */
function problemCodeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return undefined;
  const match = /"code":"(HUJI_[A-Z0-9_]+)"/.exec(payload.slice(0, 4096));
  return match?.[1];
}

type Actor = Pick<AuditRecordInput, 'actorKind' | 'actorId' | 'countyCode' | 'roles'> & {
  readonly username?: string;
};

const ANONYMOUS: Actor = { actorKind: 'anonymous', actorId: 'anonymous' };

/**
 * Who made the request: the officer of the request's session (as `requireOfficer` resolved and cached
 * it), else the resident of the resident session, else whoever a sign-in step was for (the username
 * attempted, or the account or resident its challenge belongs to), else anonymous.
 */
async function actorOf(request: FastifyRequest, db: HujiDatabase, isSuccess: boolean): Promise<Actor> {
  const route = request.routeOptions.url ?? '';
  if (
    request.cookies?.[SESSION_COOKIE] &&
    (request.routeOptions.config.officerAction || OFFICER_SESSION_ROUTES.has(route))
  ) {
    try {
      // Already resolved for this request (preValidation or the handler): no second lookup.
      const { account } = await currentSession(request);
      return {
        actorKind: 'officer',
        actorId: account.id,
        countyCode: account.countyCode,
        roles: account.roles,
        username: account.username,
      };
    } catch {
      // No usable session: the request is recorded as anonymous (the 401 / 403 says why).
    }
  }
  if (route === OFFICER_SECOND_FACTOR) {
    const challenge = bodyField(request, 'challenge');
    const account = challenge ? await challengeAccount(db, challenge) : undefined;
    if (account && isSuccess)
      return {
        actorKind: 'officer',
        actorId: account.id,
        countyCode: account.countyCode,
        roles: account.roles,
        username: account.username,
      };
    return { ...ANONYMOUS, username: account?.username };
  }
  if (route === RESIDENT_SECOND_STEP) {
    const challenge = bodyField(request, 'challenge');
    const resident = challenge ? await challengeResident(db, challenge) : undefined;
    if (resident && isSuccess)
      return { actorKind: 'resident', actorId: `${resident.provider}:${resident.subject}` };
    return { ...ANONYMOUS, username: resident?.subject };
  }
  const residentToken = request.cookies?.[RESIDENT_COOKIE];
  if (residentToken) {
    const resident = await sessionResident(db, residentToken);
    if (resident) return { actorKind: 'resident', actorId: `${resident.provider}:${resident.subject}` };
  }
  if (route === OFFICER_SIGN_IN)
    return { ...ANONYMOUS, username: bodyField(request, 'username')?.toLowerCase() };
  if (route === RESIDENT_SIGN_IN) return { ...ANONYMOUS, username: bodyField(request, 'phone') };
  return ANONYMOUS;
}

// Read-only look-ups (no session is touched or ended by recording it).

async function challengeAccount(db: HujiDatabase, challenge: string) {
  const [row] = await db
    .select({
      id: officerAccount.id,
      username: officerAccount.username,
      countyCode: officerAccount.countyCode,
      roles: officerAccount.roles,
    })
    .from(signInChallenge)
    .innerJoin(officerAccount, eq(officerAccount.id, signInChallenge.accountId))
    .where(eq(signInChallenge.tokenHash, tokenHash(challenge)));
  return row;
}

async function challengeResident(db: HujiDatabase, challenge: string) {
  const [row] = await db
    .select({ provider: residentSignInChallenge.provider, subject: residentSignInChallenge.subject })
    .from(residentSignInChallenge)
    .where(eq(residentSignInChallenge.tokenHash, tokenHash(challenge)));
  return row;
}

async function sessionResident(db: HujiDatabase, token: string) {
  const [row] = await db
    .select({ provider: residentSession.provider, subject: residentSession.subject })
    .from(residentSession)
    .where(eq(residentSession.tokenHash, tokenHash(token)));
  return row;
}

/** The audit entry of an answered request. */
export async function describeRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<AuditRecordInput> {
  const status = reply.statusCode;
  const route = request.routeOptions.url ?? request.url;
  const action = request.routeOptions.config.officerAction ?? `${request.method} ${route}`;
  const accounts = request.server.hujiAccounts;
  const actor = await actorOf(request, accounts.db, status < 400);
  const object = request.auditObject
    ? { ...request.auditObject, within: objectOf(route, request.params)?.within ?? {} }
    : objectOf(route, request.params);
  const details: Record<string, JsonValue> = {};
  if (actor.username) details.username = actor.username;
  if (object && Object.keys(object.within).length > 0) details.within = object.within;
  const query = request.routeOptions.config.officerAction ? queryOf(request.query) : undefined;
  if (query) details.query = query;
  const code = status >= 400 ? problemCodeOf(payload) : undefined;
  if (code) details.code = code;
  return {
    at: accounts.clock(),
    actorKind: actor.actorKind,
    actorId: actor.actorId,
    countyCode: actor.countyCode,
    roles: actor.roles ?? [],
    sourceAddress: request.ip,
    action,
    objectType: object?.type ?? null,
    objectId: object?.id ?? null,
    outcome: outcomeOf(status),
    status,
    requestId: request.id,
    details: Object.keys(details).length > 0 ? details : null,
  };
}

/**
 * Installs the recorder: call it after the cookie plugin and `installAccountsService` (its hook must see
 * the cookies parsed and the Set-Cookie header written) and before the routes are registered. The app's
 * `onClose` waits for entries still queued.
 */
export function installAuditRecorder(app: FastifyInstance, options: { writer: AuditWriter }) {
  const { writer } = options;
  app.decorate('hujiAudit', { writer });
  app.decorateRequest('auditObject', null);
  // The 503 that replaces an answer whose entry failed goes through onSend again; it is not retried.
  const attempted = new WeakSet<FastifyRequest>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (attempted.has(request)) return;
    attempted.add(request);
    if (!isAudited(request, reply.statusCode)) return;
    try {
      await writer.record(await describeRequest(request, reply, payload));
    } catch (error) {
      request.log.error({ err: error, event: 'audit-write-failed' }, 'audit entry not written');
      // A refusal or a failure acknowledges nothing: it goes out as it is (a 503 of a database that is
      // away keeps its problem+json and Retry-After; replacing it here would bypass the problem handler,
      // which has already answered this request).
      if (reply.statusCode >= 400) return;
      // A success is not acknowledged, and a session it opened is not handed out.
      reply.removeHeader('set-cookie');
      // The database being away is said as such (503 with Retry-After), whatever the request's answer was.
      throw (
        databaseUnavailableError(error) ??
        new HujiError('HUJI_AUDIT_UNAVAILABLE', { requestId: request.id }, { cause: error })
      );
    }
  });
  app.addHook('onClose', async () => {
    await writer.drain();
  });
}
