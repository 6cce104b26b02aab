/**
 * Assembles the HTTP application (build separate from listen, so tests drive it with `app.inject()`).
 */
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { DEFAULT_ACCOUNTS_CONFIG, type AccountsConfig, type Clock } from '../accounts/config.js';
import { demoCredentialChannel, type CredentialChannel } from '../accounts/credential-channel.js';
import { installAccountsService } from '../accounts/require-officer.js';
import { demoPhoneProvider, type ResidentIdentityProvider } from '../accounts/resident-identity.js';
import { registerResidentAuthRoutes } from '../accounts/resident-routes.js';
import { registerAccountRoutes } from '../accounts/routes.js';
import { AuditWriter } from '../audit/audit-log.js';
import { installAuditRecorder } from '../audit/record-requests.js';
import { registerAuditRoutes } from '../audit/routes.js';
import type { DatabaseHandle } from '../db/connection.js';
import { maskCitizenIdsInText } from '../standards/masking.js';
import { registerHealthRoutes } from './health-routes.js';
import type { TrustProxy } from './config.js';
import { installAnswerMasking } from './mask-answers.js';
import { registerMetrics } from './metrics.js';
import { loadPolicyCatalog, type PolicyCatalog } from './policy-catalog.js';
import { registerPolicyRoutes } from './policy-routes.js';
import { registerProblemHandlers, sendProblem } from './problem.js';
import { installSecurityHeaders } from './security-headers.js';
import { HujiError } from '../errors/huji-error.js';
import { registerDocumentRoutes } from '../register/document-routes.js';
import { registerRegisterRoutes } from '../register/routes.js';
import { registerSimulationRoutes } from '../register/simulation-routes.js';
import type { TimeLimitOverrides } from '../services/application-types.js';
import type { ResidentLimits } from '../services/resident-limits.js';
import { registerServiceRoutes } from '../services/routes.js';
import { registerStatsRoutes } from '../stats/routes.js';
import { registerStandardsRoutes } from './standards-routes.js';
import { zodValidatorCompiler } from './validation.js';
import { registerWebRoutes } from './web-routes.js';
import { HUJI_VERSION } from './version.js';

export interface AppOptions {
  readonly database: DatabaseHandle;
  /** pino options, or false for silence (tests). */
  readonly logger?: FastifyServerOptions['logger'];
  /** The policy versions; loaded from policies/ when not given. */
  readonly policies?: PolicyCatalog;
  /** The public base URL printed in document QR codes (default http://127.0.0.1:3000). */
  readonly publicUrl?: string;
  /** Public policy evaluations per minute per client address (default 120). */
  readonly evaluateRateLimit?: number;
  /** Sign-in and session settings (security.md defaults). */
  readonly accounts?: Partial<AccountsConfig>;
  /** The clock of sign-in, lockout and session timeouts (tests move it). */
  readonly clock?: Clock;
  /** How residents prove who they are (default: the demo provider, codes in the server log). */
  readonly residentIdentity?: ResidentIdentityProvider;
  /** Where officers' first and reset secrets go (default: the demo channel, the server log; ADR 0017). */
  readonly credentialChannel?: CredentialChannel;
  /** The deployment's algorithm suite (default international; `HUJI_CRYPTO_SUITE`). */
  readonly cryptoSuite?: 'gm' | 'international';
  /** Time limits of applications where the deployment departs from the defaults (`HUJI_TIME_LIMITS`). */
  readonly timeLimits?: TimeLimitOverrides;
  /** The signed audit anchors' directory (ADR 0015): `POST /api/v1/audit/verify` checks them too. */
  readonly auditAnchorDir?: string;
  /** Submissions per resident, files and bytes per checklist item (default: DEFAULT_RESIDENT_LIMITS). */
  readonly residentLimits?: ResidentLimits;
  /**
   * The reverse proxies believed about the client's address and protocol (`HUJI_TRUST_PROXY`; default
   * none): the sign-in limits and the audit trail's addresses use `request.ip`, HSTS `request.protocol`.
   */
  readonly trustProxy?: TrustProxy;
  /** The bearer token of GET /metrics (`HUJI_METRICS_TOKEN`); without one /metrics is not served. */
  readonly metricsToken?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The deployment's algorithm suite: certificate signatures and audit-chain hashes follow it. */
    hujiCryptoSuite: 'gm' | 'international';
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A list of proxies as Fastify takes it; a hop count as proxy-addr's test (the nth hop from us). */
function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'object' ? [...trust] : trust;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            ...(typeof options.logger === 'object' ? options.logger : {}),
            serializers: {
              // Full ID numbers never reach the logs (security.md), not even inside a URL.
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: maskCitizenIdsInText(req.url),
                remoteAddress: req.ip,
              }),
            },
          },
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Paths the router cannot take answer problem+json like everything else.
    frameworkErrors: (error, request, reply) => {
      void sendProblem(
        reply,
        request,
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new HujiError('HUJI_URI_TOO_LONG', {}, { cause: error })
          : new HujiError('HUJI_BAD_URL', { path: request.url.slice(0, 200) }, { cause: error }),
      );
    },
    // Document tokens travel in the path of the public verify page (/verify/{token}).
    routerOptions: { maxParamLength: 4096 },
    trustProxy: trustProxyOption(options.trustProxy ?? false),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);
  installAnswerMasking(app);
  app.decorate('hujiCryptoSuite', options.cryptoSuite ?? 'international');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await installSecurityHeaders(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Huji 户籍 API',
        version: HUJI_VERSION,
        description:
          'Household-registration reform platform. Errors are application/problem+json with a stable `code`; ' +
          'messages follow Accept-Language (zh-CN by default, en).',
      },
      tags: [
        { name: 'system', description: '运行状态 / health and metadata' },
        { name: 'standards', description: '国家标准：公民身份号码、行政区划、代码表 / national standards' },
        {
          name: 'accounts',
          description: '工作人员登录、会话与账户管理 / officer sign-in, sessions and accounts',
        },
        { name: 'audit', description: '审计记录与核验（审计管理员） / audit trail and its verification' },
        {
          name: 'services',
          description:
            '网上户籍业务：申请、材料、受理、审核、审批 / online applications, materials and their workflow',
        },
        {
          name: 'policy',
          description: '落户政策：版本、评估、比较 / policy versions, evaluation, comparison',
        },
        { name: 'stats', description: '工作统计（仅计数） / the officers’ dashboard, counts only' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Only routes that ask for it are limited (the public evaluation); the rest are not.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCookie);
  installAccountsService(app, {
    db: options.database.db,
    config: { ...DEFAULT_ACCOUNTS_CONFIG, ...options.accounts },
    clock: options.clock ?? (() => new Date()),
    credentialChannel: options.credentialChannel ?? demoCredentialChannel,
  });
  installAuditRecorder(app, { writer: new AuditWriter(options.database.db, { suite: app.hujiCryptoSuite }) });
  registerAuditRoutes(app, { anchorDir: options.auditAnchorDir });
  registerAccountRoutes(app);
  registerResidentAuthRoutes(app, options.residentIdentity ?? demoPhoneProvider);
  registerMetrics(app, { token: options.metricsToken });
  registerHealthRoutes(app, options.database);
  registerStandardsRoutes(app);
  registerRegisterRoutes(app, options.database.db);
  registerDocumentRoutes(
    app,
    options.database.db,
    options.publicUrl ?? 'http://127.0.0.1:3000',
    options.clock,
  );
  const catalog = options.policies ?? loadPolicyCatalog();
  registerPolicyRoutes(app, {
    catalog,
    evaluateRateLimit: options.evaluateRateLimit ?? 120,
  });
  registerSimulationRoutes(
    app,
    options.database.db,
    catalog.policies.map((p) => p.policy),
    options.clock,
  );
  registerServiceRoutes(app, options.database.db, {
    policies: catalog.policies.map((p) => p.policy),
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:3000',
    cryptoSuite: options.cryptoSuite ?? 'international',
    ...(options.timeLimits ? { timeLimits: options.timeLimits } : {}),
    ...(options.residentLimits ? { residentLimits: options.residentLimits } : {}),
    ...(options.clock ? { now: options.clock } : {}),
  });
  registerStatsRoutes(app, options.database.db, {
    policies: catalog.policies.map((p) => p.policy),
    ...(options.clock ? { now: options.clock } : {}),
  });
  await registerWebRoutes(app);
  return app;
}
