/**
 * HTTP routes of officer sign-in (/api/v1/auth/…) and account administration (/api/v1/accounts/…).
 * Sign-in is two requests: the password gives a challenge, the TOTP code turns it into a session cookie
 * and the session's CSRF token. Sign-in steps are rate-limited per client address on top of the
 * per-account lockout. Answers never carry password hashes; secrets made for an account are shown once.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lockStatus } from './lockout.js';
import {
  createAccountForHolder,
  getManagedAccount,
  grantRoles,
  resetOfficerAccount,
  setAccountEnabled,
  unlockOfficerAccount,
} from './manage-accounts.js';
import { failureStateOf, listAccounts, type Account } from './repository.js';
import {
  actingOfficerOf,
  contextOf,
  CSRF_HEADER,
  currentSession,
  DEVICE_COOKIE,
  DEVICE_COOKIE_DAYS,
  requireOfficer,
  SESSION_COOKIE,
} from './require-officer.js';
import { maskPhone } from '../standards/masking.js';
import { MOBILE_NUMBER } from './resident-identity.js';
import { actionsOf, Role, ROLE_LABELS } from './roles.js';
import { csrfTokenOf } from './secrets.js';
import { changeOwnPassword, signOut, verifyPasswordStep, verifySecondFactorStep } from './sign-in.js';

const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, '3–64 letters, digits, dot, dash or underscore');

const AccountId = z.object({ id: z.uuid() });

function accountView(a: Account, now: Date) {
  const lock = lockStatus(failureStateOf(a), now);
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    countyCode: a.countyCode,
    roles: a.roles,
    isEnabled: a.isEnabled,
    isLocked: lock.isLocked,
    lockedUntil: lock.until?.toISOString() ?? null,
    mustChangePassword: a.mustChangePassword,
    passwordChangedAt: a.passwordChangedAt.toISOString(),
    createdAt: a.createdAt.toISOString(),
    /** Who made the account (an administrator's account id, or `system` for the server host). */
    createdBy: a.createdBy,
    /** The holder's channel for secrets, masked: what the enabling administrator checks. */
    mobile: a.mobile === null ? null : maskPhone(a.mobile),
  };
}

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

export function registerAccountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config, clock, credentialChannel } = app.hujiAccounts;
  const signInLimit = { rateLimit: { max: config.signInRateLimit, timeWindow: '1 minute' } };

  r.post(
    '/api/v1/auth/login',
    {
      config: signInLimit,
      schema: {
        tags: ['accounts'],
        summary: '工作人员登录第一步：用户名和密码 / officer sign-in, step 1: username and password',
        description:
          'A correct password answers a challenge for the second factor (POST /api/v1/auth/totp). Every wrong password answers alike (401 HUJI_SIGN_IN_FAILED), whether or not the username exists; five failures lock the account for 30 minutes, which only the right password learns (423), and which does not stop a browser that signed in to the account before (its __Host-huji_device cookie).',
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
      },
    },
    async (request, reply) => {
      const step = await verifyPasswordStep(
        db,
        { ...request.body, deviceToken: request.cookies[DEVICE_COOKIE] },
        contextOf(request),
      );
      noStore(reply);
      return {
        step: 'second-factor' as const,
        challenge: step.challenge,
        expiresAt: step.expiresAt.toISOString(),
      };
    },
  );

  r.post(
    '/api/v1/auth/totp',
    {
      config: signInLimit,
      schema: {
        tags: ['accounts'],
        summary: '工作人员登录第二步：动态验证码 / officer sign-in, step 2: authenticator code (TOTP)',
        description: `Sets the ${SESSION_COOKIE} cookie (HttpOnly, Secure, SameSite=Strict) and answers the CSRF token that every state-changing request must send in ${CSRF_HEADER}.`,
        body: z.object({ challenge: z.string().min(20).max(128), code: z.string().trim().min(1).max(16) }),
      },
    },
    async (request, reply) => {
      const signedIn = await verifySecondFactorStep(
        db,
        { ...request.body, sourceAddress: request.ip, deviceToken: request.cookies[DEVICE_COOKIE] },
        contextOf(request),
      );
      reply.setCookie(SESSION_COOKIE, signedIn.token, {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/',
      });
      // The browser is known from now on: a lock others cause does not stop this officer here (ADR 0018).
      reply.setCookie(DEVICE_COOKIE, signedIn.deviceToken, {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/',
        maxAge: DEVICE_COOKIE_DAYS * 86_400,
      });
      noStore(reply);
      const session = await currentSessionView(signedIn.account, signedIn.token, signedIn.session);
      return session;
    },
  );

  const currentSessionView = async (
    account: Account,
    token: string,
    session: { absoluteExpiresAt: Date; idleTimeoutSeconds: number },
    mustChangePassword = account.mustChangePassword,
  ) => ({
    officer: {
      ...actingOfficerOf(account),
      roleLabels: account.roles.map((role) => ROLE_LABELS[role]),
    },
    permissions: actionsOf(account.roles),
    csrfToken: csrfTokenOf(token),
    passwordChangeRequired: mustChangePassword,
    session: {
      absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
      idleTimeoutSeconds: session.idleTimeoutSeconds,
    },
  });

  r.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['accounts'],
        summary: '当前登录的工作人员 / the signed-in officer, their permissions and CSRF token',
      },
    },
    async (request, reply) => {
      const s = await currentSession(request);
      noStore(reply);
      return currentSessionView(s.account, s.token, s.session, s.mustChangePassword);
    },
  );

  r.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['accounts'],
        summary: '退出登录（服务器端注销会话） / sign out (the session ends on the server)',
      },
    },
    async (request, reply) => {
      const s = await currentSession(request);
      await signOut(db, s.token, contextOf(request), s.account.id);
      reply.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['accounts'],
        summary: '修改本人密码 / change your own password',
        description:
          'At least 12 characters of 3 classes, not the username, none of the last 5 passwords. Ends the account’s other sessions. A wrong current password counts as a failed sign-in; when it locks the account, every session of the account ends (401 HUJI_PASSWORD_GUESSES).',
        body: z.object({
          currentPassword: z.string().min(1).max(256),
          newPassword: z.string().min(1).max(256),
        }),
      },
    },
    async (request, reply) => {
      const s = await currentSession(request);
      await changeOwnPassword(db, s.account.id, request.body, contextOf(request), s.token);
      return reply.code(204).send();
    },
  );

  r.get(
    '/api/v1/accounts',
    {
      config: { officerAction: 'account.read' },
      schema: { tags: ['accounts'], summary: '本辖区的工作人员账户 / officer accounts of your jurisdiction' },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'account.read');
      const prefix = officer.countyCode.endsWith('0000')
        ? officer.countyCode.slice(0, 2)
        : officer.countyCode.endsWith('00')
          ? officer.countyCode.slice(0, 4)
          : officer.countyCode;
      const now = clock();
      return { items: (await listAccounts(db, prefix)).map((a) => accountView(a, now)) };
    },
  );

  r.post(
    '/api/v1/accounts',
    {
      config: { officerAction: 'account.create' },
      schema: {
        tags: ['accounts'],
        summary: '新建工作人员账户（安全管理员） / create an officer account (security administrator)',
        description:
          'Business roles only (administrator accounts are made on the server host). The initial password and the authenticator enrolment go to the holder’s mobile number, never to the creator; the account starts disabled until the system administrator enables it. The officer must change the password at the first sign-in. A retry of a request that was answered finds the username taken (409).',
        body: z.object({
          username: Username,
          displayName: z.string().trim().min(1).max(50),
          countyCode: z.string().regex(/^\d{6}$/),
          mobile: z.string().trim().regex(MOBILE_NUMBER, 'an 11-digit mainland mobile number'),
          roles: z.array(Role).max(9).default([]),
        }),
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'account.create');
      const created = await createAccountForHolder(
        db,
        request.body,
        officer,
        credentialChannel,
        contextOf(request),
      );
      noStore(reply);
      return reply.code(201).send({
        account: accountView(created.account, clock()),
        deliveredTo: created.deliveredTo,
      });
    },
  );

  r.get(
    '/api/v1/accounts/:id',
    {
      config: { officerAction: 'account.read' },
      schema: { tags: ['accounts'], summary: '工作人员账户 / an officer account', params: AccountId },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'account.read');
      return accountView(await getManagedAccount(db, request.params.id, officer), clock());
    },
  );

  r.post(
    '/api/v1/accounts/:id/reset',
    {
      config: { officerAction: 'account.reset' },
      schema: {
        tags: ['accounts'],
        summary: '重置密码（系统管理员） / reset a password (system administrator)',
        description:
          'Business accounts only (administrators are reset on the server host). The new password (and, with newSecondFactor, a new authenticator enrolment) goes to the holder’s mobile number; the answer says only where. Ends the account’s sessions and lifts a lock.',
        params: AccountId,
        body: z.object({ newSecondFactor: z.boolean().default(false) }).default({ newSecondFactor: false }),
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'account.reset');
      const issued = await resetOfficerAccount(
        db,
        request.params.id,
        request.body,
        officer,
        credentialChannel,
        contextOf(request),
      );
      noStore(reply);
      return issued;
    },
  );

  r.post(
    '/api/v1/accounts/:id/unlock',
    {
      config: { officerAction: 'account.unlock' },
      schema: {
        tags: ['accounts'],
        summary: '解锁账户（系统管理员） / unlock an account (system administrator)',
        params: AccountId,
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'account.unlock');
      await unlockOfficerAccount(db, request.params.id, officer, contextOf(request));
      return accountView(await getManagedAccount(db, request.params.id, officer), clock());
    },
  );

  for (const [verb, isEnabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    r.post(
      `/api/v1/accounts/:id/${verb}`,
      {
        config: { officerAction: 'account.disable' },
        schema: {
          tags: ['accounts'],
          summary: isEnabled
            ? '启用账户（系统管理员） / enable an account (system administrator)'
            : '停用账户并结束其会话（系统管理员） / disable an account and end its sessions (system administrator)',
          params: AccountId,
        },
      },
      async (request) => {
        const officer = await requireOfficer(request, 'account.disable');
        const account = await setAccountEnabled(
          db,
          request.params.id,
          isEnabled,
          officer,
          contextOf(request),
        );
        return accountView(account, clock());
      },
    );
  }

  r.put(
    '/api/v1/accounts/:id/roles',
    {
      config: { officerAction: 'account.grant' },
      schema: {
        tags: ['accounts'],
        summary: '授予角色（安全管理员） / grant roles (security administrator)',
        description:
          'Replaces the roles. No account holds two of the system, security and audit administrators.',
        params: AccountId,
        body: z.object({ roles: z.array(Role).max(9) }),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'account.grant');
      const account = await grantRoles(
        db,
        request.params.id,
        request.body.roles,
        officer,
        contextOf(request),
      );
      return accountView(account, clock());
    },
  );
}
