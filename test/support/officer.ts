/**
 * How a test acts as an officer: the one place that knows what a signed-in request needs. The officer
 * signs in for real (password, then a TOTP code computed from the account's secret) and the request
 * carries the session cookie and the session's CSRF token. Sessions are reused while they last.
 *
 * In-process suites pass the app (`officerHeaders(app, officer)`): the account is provisioned in the
 * app's database on first use. Suites that spawn a server pass its URL, after provisioning the accounts
 * in its database with `provisionTestOfficers(db, officers)`.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_ACCOUNTS_CONFIG } from '../../src/accounts/config.js';
import { createOfficerAccount } from '../../src/accounts/manage-accounts.js';
import type { Role } from '../../src/accounts/roles.js';
import { base32Decode, base32Encode, totpAt, totpStep } from '../../src/accounts/totp.js';
import type { HujiDatabase } from '../../src/db/connection.js';
import { HujiError } from '../../src/errors/huji-error.js';

export interface TestOfficer {
  /** Also the username. */
  readonly id: string;
  /** GB/T 2260 code of the county (or city xxxx00, province xx0000) the officer acts for. */
  readonly countyCode: string;
  /** Default: registrar. */
  readonly roles?: readonly Role[];
}

/** Every test officer's password (meets the rules: 12+ characters, 4 classes). */
export const TEST_OFFICER_PASSWORD = 'Test-officer-9-户籍';

/** A TOTP secret derived from the officer id, so any process can compute the codes. */
export function testTotpSecret(officer: Pick<TestOfficer, 'id'>): string {
  return base32Encode(createHash('sha256').update(`huji-test-totp\n${officer.id}`).digest().subarray(0, 20));
}

const silent = { info: () => undefined, warn: () => undefined };

/** Creates the accounts that do not exist yet (password changed, ready to work). */
export async function provisionTestOfficers(
  db: HujiDatabase,
  officers: readonly TestOfficer[],
  now: Date = new Date(),
) {
  for (const officer of officers) {
    try {
      await createOfficerAccount(
        db,
        {
          username: officer.id,
          displayName: `测试 ${officer.id}`,
          countyCode: officer.countyCode,
          roles: officer.roles ?? ['registrar'],
          password: TEST_OFFICER_PASSWORD,
          totpSecret: testTotpSecret(officer),
          mustChangePassword: false,
        },
        'system',
        { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => now, log: silent },
      );
    } catch (error) {
      if (!(error instanceof HujiError && error.code === 'HUJI_ACCOUNT_USERNAME_TAKEN')) throw error;
    }
  }
}

export type OfficerTarget = FastifyInstance | string;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly setCookie: string[];
}

/** A distinct client address per officer, so the per-address sign-in limit never trips a suite. */
const addressOf = (id: string) => {
  const h = createHash('sha256').update(id).digest();
  return `10.${h[0]}.${h[1]}.${h[2]}`;
};

async function send(
  target: OfficerTarget,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: object,
  remoteAddress?: string,
): Promise<Answer> {
  if (typeof target === 'string') {
    const res = await fetch(`${target}${url}`, {
      method,
      headers: body ? { ...headers, 'content-type': 'application/json' } : headers,
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      setCookie: res.headers.getSetCookie(),
    };
  }
  const res = await target.inject({ method, url, headers, payload: body, remoteAddress });
  const cookie = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: res.body ? res.json<Record<string, unknown>>() : {},
    setCookie: cookie === undefined ? [] : Array.isArray(cookie) ? cookie : [cookie],
  };
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
}

/**
 * Signs in with both factors and answers the headers of a signed-in request (cookie and CSRF token).
 * A code already used in this time step is refused (single use), so a second sign-in within the same
 * 30 seconds uses the next step's code, which the one-step drift window accepts.
 */
export async function signIn(
  target: OfficerTarget,
  credentials: Credentials,
  options: { now?: Date; remoteAddress?: string } = {},
): Promise<Record<string, string>> {
  const now = options.now ?? (typeof target === 'string' ? new Date() : target.hujiAccounts.clock());
  const remoteAddress = options.remoteAddress ?? addressOf(credentials.username);
  const login = await send(
    target,
    'POST',
    '/api/v1/auth/login',
    {},
    { username: credentials.username, password: credentials.password },
    remoteAddress,
  );
  if (login.status !== 200)
    throw new Error(`sign-in of ${credentials.username}: ${JSON.stringify(login.body)}`);
  const secret = base32Decode(credentials.totpSecret);
  let last: Answer | undefined;
  for (const drift of [0, 1]) {
    const code = totpAt(secret, new Date((totpStep(now) + drift) * 30_000));
    last = await send(
      target,
      'POST',
      '/api/v1/auth/totp',
      {},
      { challenge: login.body.challenge as string, code },
      remoteAddress,
    );
    if (last.status === 200) {
      const cookie = last.setCookie.map((c) => c.split(';')[0]).join('; ');
      return { cookie, 'x-csrf-token': last.body.csrfToken as string };
    }
  }
  throw new Error(`second factor of ${credentials.username}: ${JSON.stringify(last?.body)}`);
}

const sessions = new WeakMap<object, Map<string, Record<string, string>>>();
const urlKeys = new Map<string, object>();

/**
 * The headers an officer's request carries (without Idempotency-Key, which is per request): signs in
 * once per target and officer, and again when the session has ended.
 */
export async function officerHeaders(
  target: OfficerTarget,
  officer: TestOfficer,
): Promise<Record<string, string>> {
  const key =
    typeof target === 'string' ? (urlKeys.get(target) ?? urlKeys.set(target, {}).get(target)!) : target;
  const cache = sessions.get(key) ?? sessions.set(key, new Map()).get(key)!;
  const cached = cache.get(officer.id);
  if (cached && (await send(target, 'GET', '/api/v1/auth/me', cached)).status === 200) return cached;
  if (typeof target !== 'string')
    await provisionTestOfficers(target.hujiAccounts.db, [officer], target.hujiAccounts.clock());
  const headers = await signIn(target, {
    username: officer.id,
    password: TEST_OFFICER_PASSWORD,
    totpSecret: testTotpSecret(officer),
  });
  cache.set(officer.id, headers);
  return headers;
}
