/**
 * Officer sign-in end to end on the real database: both factors, the session cookie and CSRF token,
 * sign-out, lockout, idle and absolute timeouts (on a clock the test moves), password rules and
 * rotation, and account administration with separated administrator duties.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, describeDemoAccount, loadDemoAccounts } from '../../src/accounts/demo-accounts.js';
import { ROLES } from '../../src/accounts/roles.js';
import { base32Decode, totpAt } from '../../src/accounts/totp.js';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { buildApp } from '../../src/server/app.js';
import { testDatabases } from '../support/databases.js';
import {
  provisionTestOfficers,
  signIn,
  TEST_OFFICER_PASSWORD,
  testTotpSecret,
  type TestOfficer,
} from '../support/officer.js';

const REGISTRAR: TestOfficer = { id: 'acc-registrar', countyCode: '330802' };
const SECURITY: TestOfficer = { id: 'acc-security', countyCode: '330800', roles: ['security-admin'] };
const SYSTEM: TestOfficer = { id: 'acc-system', countyCode: '330800', roles: ['system-admin'] };
const SYSTEM_LZ: TestOfficer = { id: 'acc-system-lz', countyCode: '620100', roles: ['system-admin'] };
const AUDIT: TestOfficer = { id: 'acc-audit', countyCode: '330800', roles: ['audit-admin'] };
const LOCKED: TestOfficer = { id: 'acc-lockme', countyCode: '330802' };
const IDLE: TestOfficer = { id: 'acc-idle', countyCode: '330802' };

const credentialsOf = (o: TestOfficer) => ({
  username: o.id,
  password: TEST_OFFICER_PASSWORD,
  totpSecret: testTotpSecret(o),
});

describe.each(testDatabases())('officer accounts on $name', ({ open }) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let now = new Date('2026-11-23T01:00:00Z');
  const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
  /** The holders' phones: where new and reset secrets go. */
  const phones: { mobile: string; username: string; password: string; otpauthUri?: string }[] = [];
  beforeAll(async () => {
    database = await open();
    app = await buildApp({
      database,
      logger: false,
      clock: () => now,
      credentialChannel: {
        id: 'test-sms',
        deliver: async (mobile, message) => void phones.push({ mobile, ...message }),
      },
    });
    await provisionTestOfficers(
      database.db,
      [REGISTRAR, SECURITY, SYSTEM, SYSTEM_LZ, AUDIT, LOCKED, IDLE],
      now,
    );
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  // Each attempt from its own address, so the per-address limit (30 a minute) stays out of these tests.
  let addresses = 0;
  const nextAddress = () => `198.51.${Math.floor(++addresses / 250) % 250}.${addresses % 250}`;
  const login = (username: string, password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      remoteAddress: nextAddress(),
    });
  const totp = (challenge: string, code: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp',
      payload: { challenge, code },
      remoteAddress: nextAddress(),
    });
  const idOf = async (username: string) =>
    rowsOf<{ id: string }>(
      await database.db.execute(sql`select id from officer_account where username = ${username}`),
    )[0]!.id;
  const codeOf = (o: TestOfficer, at = now) => totpAt(base32Decode(testTotpSecret(o)), at);
  const me = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
  const counts = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/api/v1/register/counties/330802/counts', headers });

  it('signs in with password then TOTP, into a __Host- session cookie', async () => {
    const first = await login('ACC-Registrar', TEST_OFFICER_PASSWORD);
    expect(first.statusCode).toBe(200);
    const { step, challenge } = first.json();
    expect(step).toBe('second-factor');
    expect(first.headers['set-cookie']).toBeUndefined();
    // The password alone opens nothing.
    expect((await counts({ cookie: `__Host-huji_session=${challenge}` })).statusCode).toBe(401);

    expect((await totp(challenge, '000000')).json().code).toBe('HUJI_SECOND_FACTOR_FAILED');
    const second = await totp(challenge, codeOf(REGISTRAR));
    expect(second.statusCode).toBe(200);
    const cookie = String(second.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-huji_session=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict'])
      expect(cookie).toContain(attribute);
    expect(cookie).not.toMatch(/Domain=/i);
    const body = second.json();
    expect(body.officer).toMatchObject({
      username: 'acc-registrar',
      countyCode: '330802',
      roles: ['registrar'],
    });
    expect(body.permissions).toContain('register.command');
    expect(body.session.idleTimeoutSeconds).toBe(1800);
    // The challenge is single-use, and so is the code.
    expect((await totp(challenge, codeOf(REGISTRAR))).json().code).toBe('HUJI_SIGN_IN_CHALLENGE_INVALID');
    const again = (await login('acc-registrar', TEST_OFFICER_PASSWORD)).json().challenge;
    expect((await totp(again, codeOf(REGISTRAR))).json().code).toBe('HUJI_SECOND_FACTOR_FAILED');
  });

  it('stores only hashes of session tokens, and never the password', async () => {
    const headers = await signIn(app, credentialsOf(REGISTRAR));
    const token = headers.cookie!.split('=')[1]!;
    const rows = await database.db.execute(sql`select token_hash from officer_session`);
    expect(JSON.stringify(rows)).not.toContain(token);
    const account = await database.db.execute(
      sql`select password_hash from officer_account where username = 'acc-registrar'`,
    );
    expect(JSON.stringify(account)).toContain('$argon2id$');
    expect(JSON.stringify(account)).not.toContain(TEST_OFFICER_PASSWORD);
  });

  it('needs the CSRF token on state-changing requests, and signs out on the server', async () => {
    later(1);
    const headers = await signIn(app, credentialsOf(REGISTRAR));
    expect((await me(headers)).json().csrfToken).toBe(headers['x-csrf-token']);
    const noToken = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: headers.cookie! },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('HUJI_CSRF_TOKEN_INVALID');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/register/booklet-issue',
      headers: { cookie: headers.cookie!, 'x-csrf-token': 'x'.repeat(43), 'idempotency-key': 'csrf-1' },
      payload: {},
    });
    expect(wrong.json().code).toBe('HUJI_CSRF_TOKEN_INVALID');
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/__Host-huji_session=;/);
    // The old cookie is dead on the server, whatever the browser keeps.
    expect((await me(headers)).json().code).toBe('HUJI_OFFICER_REQUIRED');
  });

  it('answers unknown and known usernames alike, locked or not, in comparable time', async () => {
    const target: TestOfficer = { id: 'acc-enum', countyCode: '330802' };
    await provisionTestOfficers(database.db, [target], now);
    const known: { status: number; body: string; ms: number }[] = [];
    const unknown: typeof known = [];
    for (let i = 1; i <= 9; i++) {
      for (const [username, into] of [
        [target.id, known],
        ['nobody-here', unknown],
      ] as const) {
        const started = performance.now();
        const res = await login(username, `Wrong-password-${i}`);
        into.push({ status: res.statusCode, body: res.body, ms: performance.now() - started });
      }
    }
    // The account is locked by now (5 failures), and still every answer is the same 401.
    expect(known.map((k) => k.status)).toEqual(Array(9).fill(401));
    expect(unknown.map((k) => k.status)).toEqual(Array(9).fill(401));
    const withoutRequestId = (body: string) => body.replace(/"requestId":"[^"]*"/, '');
    for (let i = 0; i < 9; i++)
      expect(withoutRequestId(known[i]!.body)).toBe(withoutRequestId(unknown[i]!.body));
    expect(JSON.parse(known[0]!.body).code).toBe('HUJI_SIGN_IN_FAILED');
    // A locked account still spends the argon2 verification (it answered in a few ms before).
    const median = (xs: { ms: number }[]) =>
      xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const lockedMedian = median(known.slice(5));
    expect(lockedMedian).toBeGreaterThan(median(unknown) * 0.4);
    // Only the right password learns about the lock.
    expect((await login(target.id, TEST_OFFICER_PASSWORD)).json().code).toBe('HUJI_ACCOUNT_LOCKED');
  });

  it('locks an account after 5 failures for 30 minutes; the system administrator can unlock it', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await login(LOCKED.id, `Wrong-password-${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('HUJI_SIGN_IN_FAILED');
    }
    // The right password is refused while locked, and only it hears why.
    const right = await login(LOCKED.id, TEST_OFFICER_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().code).toBe('HUJI_ACCOUNT_LOCKED');
    later(29);
    expect((await login(LOCKED.id, TEST_OFFICER_PASSWORD)).statusCode).toBe(423);
    later(1);
    expect((await login(LOCKED.id, TEST_OFFICER_PASSWORD)).statusCode).toBe(200);

    for (let i = 1; i <= 5; i++) await login(LOCKED.id, `Wrong-password-${i}`);
    expect((await login(LOCKED.id, TEST_OFFICER_PASSWORD)).statusCode).toBe(423);
    const account = { id: await idOf(LOCKED.id) };
    const system = await signIn(app, credentialsOf(SYSTEM));
    const unlocked = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.id}/unlock`,
      headers: system,
    });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().isLocked).toBe(false);
    expect((await login(LOCKED.id, TEST_OFFICER_PASSWORD)).statusCode).toBe(200);
    // Wrong second-factor codes count too.
    for (let i = 0; i < 5; i++) {
      const challenge = (await login(LOCKED.id, TEST_OFFICER_PASSWORD)).json().challenge;
      if (challenge) await totp(challenge, '000000');
    }
    expect((await login(LOCKED.id, TEST_OFFICER_PASSWORD)).json().code).toBe('HUJI_ACCOUNT_LOCKED');
  });

  it('does not let strangers lock an officer out of a browser the officer signed in from before', async () => {
    later(1);
    const officer: TestOfficer = { id: 'acc-device', countyCode: '330802' };
    await provisionTestOfficers(database.db, [officer], now);
    const deviceCookieOf = (res: { headers: Record<string, unknown> }) =>
      [res.headers['set-cookie']]
        .flat()
        .map(String)
        .find((c) => c.startsWith('__Host-huji_device='))!
        .split(';')[0]!;
    const withCookie = (url: string, payload: object, cookie?: string) =>
      app.inject({
        method: 'POST',
        url,
        payload,
        headers: cookie ? { cookie } : {},
        remoteAddress: nextAddress(),
      });
    const signInWith = async (cookie: string | undefined, at: Date) => {
      const first = await withCookie(
        '/api/v1/auth/login',
        { username: officer.id, password: TEST_OFFICER_PASSWORD },
        cookie,
      );
      if (first.statusCode !== 200) return first;
      return withCookie(
        '/api/v1/auth/totp',
        { challenge: first.json().challenge, code: codeOf(officer, at) },
        cookie,
      );
    };
    const first = await signInWith(undefined, now);
    expect(first.statusCode).toBe(200);
    const device = deviceCookieOf(first);
    expect(String(first.headers['set-cookie'])).toMatch(
      /__Host-huji_device=[^;]+; Max-Age=15552000; Path=\/; HttpOnly; Secure; SameSite=Strict/,
    );
    // A stranger fails five times (and more): the account is locked for everyone else.
    for (let i = 1; i <= 7; i++) await login(officer.id, `Wrong-password-${i}`);
    later(1);
    expect((await signInWith(undefined, now)).json().code).toBe('HUJI_ACCOUNT_LOCKED');
    // The officer's own browser still signs in with the right password and code.
    const own = await signInWith(device, new Date(now.getTime() + 30_000));
    expect(own.statusCode, own.body).toBe(200);
    // A copied device cookie buys three guesses, then it is known no more.
    for (let i = 1; i <= 3; i++)
      expect(
        (await withCookie('/api/v1/auth/login', { username: officer.id, password: `Guess-${i}` }, device))
          .statusCode,
      ).toBe(401);
    later(1);
    expect((await signInWith(device, now)).json().code).toBe('HUJI_ACCOUNT_LOCKED');
  });

  it('ends a session after 30 idle minutes (10 for administrators) and after 12 hours however active', async () => {
    later(31);
    const headers = await signIn(app, credentialsOf(IDLE));
    later(29);
    expect((await counts(headers)).statusCode).toBe(200);
    later(29);
    expect((await counts(headers)).statusCode).toBe(200);
    later(30);
    const idle = await counts(headers);
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ code: 'HUJI_SESSION_EXPIRED' });
    expect(idle.json().detail).toContain('idle-timeout');

    later(1);
    const admin = await signIn(app, credentialsOf(AUDIT));
    later(9);
    expect((await me(admin)).statusCode).toBe(200);
    later(10);
    expect((await me(admin)).json().code).toBe('HUJI_SESSION_EXPIRED');

    later(1);
    const busy = await signIn(app, credentialsOf(IDLE));
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      later(20);
      expect((await counts(busy)).statusCode).toBe(200);
    }
    later(20);
    const absolute = await counts(busy);
    expect(absolute.json().code).toBe('HUJI_SESSION_EXPIRED');
    expect(absolute.json().detail).toContain('absolute-timeout');
  });

  it('creates accounts by the security administrator only, with an initial password to change first', async () => {
    later(1);
    const security = await signIn(app, credentialsOf(SECURITY));
    const system = await signIn(app, credentialsOf(SYSTEM));
    const payload = {
      username: 'kc-clerk-9',
      displayName: '柯城窗口',
      countyCode: '330802',
      mobile: '13800001234',
      roles: ['window-clerk'],
    };
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: system, payload })).json().code,
    ).toBe('HUJI_FORBIDDEN');
    const created = await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: security, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json().account).toMatchObject({
      username: 'kc-clerk-9',
      roles: ['window-clerk'],
      mustChangePassword: true,
      isEnabled: false,
    });
    expect(created.body).not.toContain('argon2');
    // The secrets went to the holder's phone, not to the security administrator.
    const sent = phones.find((p) => p.username === 'kc-clerk-9')!;
    expect(sent.mobile).toBe('13800001234');
    const issued = {
      initialPassword: sent.password,
      totpSecret: new URL(sent.otpauthUri!).searchParams.get('secret')!,
    };
    expect(created.body).not.toContain(issued.initialPassword);
    expect(created.body).not.toContain(issued.totpSecret);
    const enabled = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${created.json().account.id}/enable`,
      headers: system,
    });
    expect(enabled.json().isEnabled).toBe(true);
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/accounts', headers: security, payload })).json().code,
    ).toBe('HUJI_ACCOUNT_USERNAME_TAKEN');

    const clerk = await signIn(app, {
      username: 'kc-clerk-9',
      password: issued.initialPassword,
      totpSecret: issued.totpSecret,
    });
    const person = await app.inject({
      method: 'GET',
      url: '/api/v1/register/persons?name=x',
      headers: clerk,
    });
    expect(person.statusCode).toBe(403);
    expect(person.json().code).toBe('HUJI_PASSWORD_CHANGE_REQUIRED');
    const change = (currentPassword: string, newPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: clerk,
        payload: { currentPassword, newPassword },
      });
    expect((await change(issued.initialPassword, 'short')).json().code).toBe('HUJI_PASSWORD_WEAK');
    expect((await change(issued.initialPassword, 'kc-clerk-9-Long-enough')).json().code).toBe(
      'HUJI_PASSWORD_WEAK',
    );
    expect((await change(issued.initialPassword, issued.initialPassword)).json().code).toBe(
      'HUJI_PASSWORD_REUSED',
    );
    expect((await change('Wrong-current-1', 'A-new-password-1')).json().code).toBe(
      'HUJI_PASSWORD_CURRENT_WRONG',
    );
    expect((await change(issued.initialPassword, 'A-new-password-1')).statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/register/persons?name=x', headers: clerk }))
        .statusCode,
    ).toBe(200);
    // The last five cannot come back.
    for (const [from, to] of [
      ['A-new-password-1', 'A-new-password-2'],
      ['A-new-password-2', 'A-new-password-3'],
      ['A-new-password-3', 'A-new-password-4'],
    ])
      expect((await change(from!, to!)).statusCode).toBe(204);
    expect((await change('A-new-password-4', 'A-new-password-1')).json().code).toBe('HUJI_PASSWORD_REUSED');
    expect((await change('A-new-password-4', 'A-new-password-5')).statusCode).toBe(204);
    expect((await change('A-new-password-5', issued.initialPassword)).statusCode).toBe(204);
  });

  it('keeps the three administrator duties apart, in the API and in the database', async () => {
    later(1);
    const security = await signIn(app, credentialsOf(SECURITY));
    const combined = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: security,
      payload: {
        username: 'two-hats',
        displayName: '兼任',
        countyCode: '330800',
        mobile: '13800001236',
        roles: ['system-admin', 'audit-admin'],
      },
    });
    expect(combined.statusCode).toBe(422);
    expect(combined.json().code).toBe('HUJI_ADMIN_DUTIES_COMBINED');
    const audit = { id: await idOf('acc-audit') };
    const grant = await app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${audit.id}/roles`,
      headers: security,
      payload: { roles: ['audit-admin', 'security-admin'] },
    });
    expect(grant.json().code).toBe('HUJI_ADMIN_DUTIES_COMBINED');
    await expect(
      database.db.execute(
        sql`update officer_account set roles = array['audit-admin','system-admin'] where id = ${audit.id}`,
      ),
    ).rejects.toThrow();
    await expect(
      database.db.execute(sql`update officer_account set roles = array['superuser'] where id = ${audit.id}`),
    ).rejects.toThrow();
    const own = await app.inject({
      method: 'PUT',
      url: `/api/v1/accounts/${(await me(security)).json().officer.id}/roles`,
      headers: security,
      payload: { roles: ['security-admin'] },
    });
    expect(own.statusCode).toBe(403);
    // An administrator duty stands alone: no business role beside it, in the API and in the database.
    const alone = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: security,
      payload: {
        username: 'admin-and-clerk',
        displayName: '兼任',
        countyCode: '330800',
        mobile: '13800001235',
        roles: ['system-admin', 'window-clerk'],
      },
    });
    expect(alone.json().code).toBe('HUJI_ADMIN_ROLE_ALONE');
    await expect(
      database.db.execute(
        sql`update officer_account set roles = array['audit-admin','registrar'] where id = ${audit.id}`,
      ),
    ).rejects.toThrow();
  });

  it('lets administrators manage accounts of their own jurisdiction only', async () => {
    const lanzhou = await signIn(app, credentialsOf(SYSTEM_LZ));
    const registrar = { id: await idOf('acc-registrar') };
    const reset = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${registrar.id}/reset`,
      headers: lanzhou,
      payload: {},
    });
    expect(reset.statusCode).toBe(404);
    const list = (await app.inject({ method: 'GET', url: '/api/v1/accounts', headers: lanzhou })).json();
    expect(list.items.map((a: { username: string }) => a.username)).toEqual(['acc-system-lz']);

    const quzhou = await signIn(app, credentialsOf(SYSTEM));
    const officer = await signIn(app, credentialsOf(REGISTRAR), { now: new Date(now.getTime() + 30_000) });
    await database.db.execute(
      sql`update officer_account set mobile = '13800005678' where id = ${registrar.id}`,
    );
    const done = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${registrar.id}/reset`,
      headers: quzhou,
      payload: { newSecondFactor: true },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ deliveredTo: '138****5678', newSecondFactor: true });
    expect(phones.at(-1)!.password).toHaveLength(16);
    expect(phones.at(-1)!.otpauthUri).toMatch(/secret=[A-Z2-7]{32}/);
    // A reset ends the officer's sessions.
    expect((await me(officer)).json().code).toBe('HUJI_OFFICER_REQUIRED');
  });

  it('disables an account at once, sessions included, and enables it again', async () => {
    const target: TestOfficer = { id: 'acc-leaver', countyCode: '330802' };
    await provisionTestOfficers(database.db, [target], now);
    const leaver = await signIn(app, credentialsOf(target));
    expect((await me(leaver)).statusCode).toBe(200);
    const system = await signIn(app, credentialsOf(SYSTEM), { now: new Date(now.getTime() + 30_000) });
    const id = await idOf(target.id);
    const off = await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/disable`, headers: system });
    expect(off.json()).toMatchObject({ username: target.id, isEnabled: false });
    expect((await me(leaver)).statusCode).toBe(401);
    expect((await login(target.id, TEST_OFFICER_PASSWORD)).json().code).toBe('HUJI_ACCOUNT_DISABLED');
    // Without the password, a disabled account looks like any other.
    expect((await login(target.id, 'Wrong-password-1')).json().code).toBe('HUJI_SIGN_IN_FAILED');
    const own = await app.inject({
      method: 'POST',
      url: `/api/v1/accounts/${await idOf(SYSTEM.id)}/disable`,
      headers: system,
    });
    expect(own.statusCode).toBe(403);
    await app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/enable`, headers: system });
    expect((await login(target.id, TEST_OFFICER_PASSWORD)).statusCode).toBe(200);
  });

  it('makes the demo accounts once, one per role, with secrets to print that first time only', async () => {
    const issued = await loadDemoAccounts(database.db);
    expect(issued).toHaveLength(DEMO_ACCOUNTS.length);
    expect(new Set(issued!.flatMap((c) => c.account.roles))).toEqual(new Set(ROLES));
    expect(await loadDemoAccounts(database.db)).toBeUndefined();
    const registrar = issued!.find((c) => c.account.username === 'kc-registrar')!;
    const line = describeDemoAccount(registrar);
    expect(line).toContain(registrar.initialPassword);
    expect(line).toContain(`otpauth://totp/Huji:kc-registrar?secret=${registrar.totpSecret}`);
    const passwords = new Set(issued!.map((c) => c.initialPassword));
    expect(passwords.size).toBe(issued!.length);
    const headers = await signIn(
      app,
      { username: 'kc-registrar', password: registrar.initialPassword, totpSecret: registrar.totpSecret },
      { now },
    );
    expect((await counts(headers)).json().code).toBe('HUJI_PASSWORD_CHANGE_REQUIRED');
  });

  it('rate-limits sign-in attempts per client address', async () => {
    const limited = await buildApp({ database, logger: false, accounts: { signInRateLimit: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (
            await limited.inject({
              method: 'POST',
              url: '/api/v1/auth/login',
              payload: { username: 'nobody', password: 'x' },
              remoteAddress: '192.0.2.7',
            })
          ).statusCode,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  it('documents the sign-in routes in OpenAPI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/totp',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/accounts',
    ])
      expect(Object.keys(spec.paths)).toContain(path);
    expect(
      spec.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['username', 'password']);
  });
  it('ends the other sessions of an account when its password changes', async () => {
    later(1);
    const officer: TestOfficer = { id: 'acc-change', countyCode: '330802' };
    await provisionTestOfficers(database.db, [officer], now);
    const here = await signIn(app, credentialsOf(officer));
    const elsewhere = await signIn(app, credentialsOf(officer), { now: new Date(now.getTime() + 30_000) });
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: here,
      payload: { currentPassword: TEST_OFFICER_PASSWORD, newPassword: 'Changed-password-2026' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).json().code).toBe('HUJI_OFFICER_REQUIRED');
  });

  it('limits current-password guesses: the guess that locks the account ends all its sessions', async () => {
    later(1);
    const officer: TestOfficer = { id: 'acc-guessed', countyCode: '330802' };
    await provisionTestOfficers(database.db, [officer], now);
    const stolen = await signIn(app, credentialsOf(officer));
    const other = await signIn(app, credentialsOf(officer), { now: new Date(now.getTime() + 30_000) });
    const guess = (i: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: stolen,
        payload: { currentPassword: `Guess-password-${i}`, newPassword: 'Taken-over-2026-x' },
      });
    for (let i = 1; i <= 4; i++) expect((await guess(i)).json().code).toBe('HUJI_PASSWORD_CURRENT_WRONG');
    const fifth = await guess(5);
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().code).toBe('HUJI_PASSWORD_GUESSES');
    expect((await me(stolen)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(401);
    expect((await guess(6)).statusCode).toBe(401);
  });

  it('asks for a new password after 90 days', async () => {
    later(91 * 24 * 60);
    const headers = await signIn(app, credentialsOf(IDLE));
    expect((await counts(headers)).json().code).toBe('HUJI_PASSWORD_CHANGE_REQUIRED');
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers,
      payload: { currentPassword: TEST_OFFICER_PASSWORD, newPassword: 'Rotated-password-2027' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await counts(headers)).statusCode).toBe(200);
  });
});
