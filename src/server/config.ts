/**
 * The environment, validated once at start-up (a wrong value stops the start with one clear line).
 */
import { join } from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_ACCOUNTS_CONFIG, type AccountsConfig } from '../accounts/config.js';
import { parseCjkFontSetting, type CjkFont } from '../documents/cjk-font.js';
import { HujiError } from '../errors/huji-error.js';
import { APPLICATION_KINDS, type TimeLimitOverrides } from '../services/application-types.js';
import { DEFAULT_RESIDENT_LIMITS, type ResidentLimits } from '../services/resident-limits.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const Environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  HUJI_DATA_DIR: z.string().min(1).default('./.huji-data'),
  HUJI_DEMO_DATA: booleanFlag.optional(),
  HUJI_PUBLIC_URL: z.url().optional(),
  /** The algorithm suite (security.md): national SM2/SM3/SM4 or international Ed25519/SHA-256/AES-GCM. */
  HUJI_CRYPTO_SUITE: z.enum(['gm', 'international']).default('international'),
  /** Time limits in working days: `kind=days` or `type-id=days`, comma-separated; `county-approval=days`. */
  HUJI_TIME_LIMITS: z.string().optional(),
  /** The documents' CJK font: a file, `#PostScriptName` for a face of a collection; npm's Source Han Sans SC when unset. */
  HUJI_CJK_FONT: z.string().trim().min(1).optional(),
  /**
   * Which reverse proxies to believe about the client's address and protocol (X-Forwarded-For,
   * X-Forwarded-Proto): unset or `false` none; a number of hops; or addresses / CIDR ranges, comma-separated
   * (`127.0.0.1,10.0.0.0/8`; also `loopback`, `linklocal`, `uniquelocal`). `true` (believe anyone) is refused.
   */
  HUJI_TRUST_PROXY: z.string().trim().optional(),
  /** Bearer token of GET /metrics (at least 32 characters); without it /metrics is not served. */
  HUJI_METRICS_TOKEN: z
    .string()
    .min(32, 'at least 32 characters (openssl rand -hex 32)')
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Sign-in numbers (security.md); defaults in src/accounts/*.ts.
  HUJI_PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(0).max(3650).optional(),
  HUJI_LOCKOUT_FAILURES: z.coerce.number().int().min(1).max(100).optional(),
  HUJI_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(1440).optional(),
  HUJI_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(720).optional(),
  HUJI_SESSION_ADMIN_IDLE_MINUTES: z.coerce.number().int().min(1).max(720).optional(),
  HUJI_SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).optional(),
  /** Signed audit-chain anchors (ADR 0015): their directory, kept apart from the database. */
  HUJI_AUDIT_ANCHOR_DIR: z.string().trim().min(1).optional(),
  /** Minutes between the server's anchors of the audit chains (0: only `huji audit anchor`). */
  HUJI_AUDIT_ANCHOR_MINUTES: z.coerce.number().int().min(0).max(1440).default(10),
  /** Public self-check evaluations per client address and minute (POST /api/v1/policies/{id}/evaluate). */
  HUJI_EVALUATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  // Resident throttles (services/resident-limits.ts).
  HUJI_SUBMISSIONS_PER_HOUR: z.coerce.number().int().min(1).max(10000).optional(),
  HUJI_SUBMISSIONS_PER_DAY: z.coerce.number().int().min(1).max(100000).optional(),
  HUJI_FILES_PER_MATERIAL: z.coerce.number().int().min(1).max(1000).optional(),
  HUJI_BYTES_PER_MATERIAL: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string }
    | { readonly kind: 'pglite'; readonly dataDir: string };
  /** Demo data loads on first start; by default on the embedded database only. */
  readonly loadDemoData: boolean;
  readonly logLevel: z.infer<typeof Environment>['LOG_LEVEL'];
  /** The base URL printed in document QR codes. */
  readonly publicUrl: string;
  /** Password rotation, lockout and session timeouts. */
  readonly accounts: AccountsConfig;
  /** Signatures of certificates, hashes of the audit chain (security.md § Cryptography). */
  readonly cryptoSuite: 'gm' | 'international';
  /** The deployment's statutory time limits, where it departs from the defaults. */
  readonly timeLimits: TimeLimitOverrides;
  /** The CJK font of issued documents; startServer checks pdfkit can embed it before anything else. */
  readonly cjkFont: CjkFont;
  /** Signed anchors of the audit chains' heads (ADR 0015): where they are kept, how often the server writes one. */
  readonly auditAnchors: { readonly dir: string; readonly intervalMinutes: number };
  /** Submissions per resident, files and bytes per checklist item. */
  readonly residentLimits: ResidentLimits;
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses (HUJI_TRUST_PROXY). */
  readonly trustProxy: TrustProxy;
  /** The bearer token of /metrics; undefined: /metrics is not served (HUJI_METRICS_TOKEN). */
  readonly metricsToken: string | undefined;
  /** Public evaluations per client and minute (HUJI_EVALUATE_PER_MINUTE, default 120). */
  readonly evaluatePerMinute: number;
}

export type TrustProxy = false | number | readonly string[];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * HUJI_TRUST_PROXY: unset, `false` or `0` trusts no proxy; `1`…`10` trusts that many hops; otherwise a
 * comma-separated list of addresses, CIDR ranges or proxy-addr's names. `true` would let any client
 * write its own address into the audit trail and dodge the sign-in limits, so it is refused.
 *
 * @example parseTrustProxy('127.0.0.1, 10.0.0.0/8') // ['127.0.0.1', '10.0.0.0/8']
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  const refuse = (detail: string): never => {
    throw new HujiError('HUJI_CONFIG_INVALID', { name: 'HUJI_TRUST_PROXY', detail });
  };
  if (v === 'true')
    return refuse('"true" would trust any client; name the proxies (addresses or CIDR) or a hop count');
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : refuse(`${v} hops: at most 10`);
  }
  return v
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      if (PROXY_NAMES.includes(part)) return part;
      const [address = '', bits, ...rest] = part.split('/');
      const family = isIP(address);
      const maxBits = family === 6 ? 128 : 32;
      if (
        family === 0 ||
        rest.length > 0 ||
        (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
      )
        return refuse(`"${part}" is not an address, a CIDR range or one of ${PROXY_NAMES.join(', ')}`);
      return part;
    });
}

/**
 * `residence-permit=30,settlement/talent=10,county-approval=15`: a kind, a type id (with a slash) or the
 * county-government step, each a whole number of working days from 1 to 365.
 *
 * @example parseTimeLimits('residence-permit=30') // { 'residence-permit': 30 }
 */
export function parseTimeLimits(value: string | undefined): TimeLimitOverrides {
  const limits: Record<string, unknown> = {};
  const byType: Record<string, number> = {};
  for (const part of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+(?:\/[a-z0-9-]+)?)=(\d{1,3})$/.exec(part);
    const days = Number(match?.[2]);
    const name = match?.[1] ?? '';
    if (!match || days < 1 || days > 365)
      throw new HujiError('HUJI_CONFIG_INVALID', {
        name: 'HUJI_TIME_LIMITS',
        detail: `"${part}": expected name=days with days from 1 to 365`,
      });
    if (name === 'county-approval') limits.countyApproval = days;
    else if (name.includes('/')) byType[name] = days;
    else if ((APPLICATION_KINDS as readonly string[]).includes(name)) limits[name] = days;
    else
      throw new HujiError('HUJI_CONFIG_INVALID', {
        name: 'HUJI_TIME_LIMITS',
        detail: `"${name}" is not a kind (${APPLICATION_KINDS.join(', ')}), a type id or county-approval`,
      });
  }
  return { ...limits, ...(Object.keys(byType).length > 0 ? { byType } : {}) };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Environment.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HujiError('HUJI_CONFIG_INVALID', {
      name: String(issue?.path[0] ?? '?'),
      detail: issue?.message ?? 'invalid',
    });
  }
  const e = parsed.data;
  const database = e.DATABASE_URL
    ? ({ kind: 'postgres', url: e.DATABASE_URL } as const)
    : ({ kind: 'pglite', dataDir: e.HUJI_DATA_DIR } as const);
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    loadDemoData: e.HUJI_DEMO_DATA ?? database.kind === 'pglite',
    logLevel: e.LOG_LEVEL,
    publicUrl: e.HUJI_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    accounts: accountsConfigOf(e),
    cryptoSuite: e.HUJI_CRYPTO_SUITE,
    timeLimits: parseTimeLimits(e.HUJI_TIME_LIMITS),
    cjkFont: parseCjkFontSetting(e.HUJI_CJK_FONT),
    trustProxy: parseTrustProxy(e.HUJI_TRUST_PROXY),
    metricsToken: e.HUJI_METRICS_TOKEN,
    auditAnchors: {
      dir: e.HUJI_AUDIT_ANCHOR_DIR ?? join(e.HUJI_DATA_DIR, 'audit-anchors'),
      intervalMinutes: e.HUJI_AUDIT_ANCHOR_MINUTES,
    },
    residentLimits: residentLimitsOf(e),
    evaluatePerMinute: e.HUJI_EVALUATE_PER_MINUTE,
  };
}

function residentLimitsOf(e: z.infer<typeof Environment>): ResidentLimits {
  const d = DEFAULT_RESIDENT_LIMITS;
  return {
    submissionsPerHour: e.HUJI_SUBMISSIONS_PER_HOUR ?? d.submissionsPerHour,
    submissionsPerDay: e.HUJI_SUBMISSIONS_PER_DAY ?? d.submissionsPerDay,
    filesPerMaterial: e.HUJI_FILES_PER_MATERIAL ?? d.filesPerMaterial,
    bytesPerMaterial: e.HUJI_BYTES_PER_MATERIAL ?? d.bytesPerMaterial,
  };
}

function accountsConfigOf(e: z.infer<typeof Environment>): AccountsConfig {
  const d = DEFAULT_ACCOUNTS_CONFIG;
  return {
    ...d,
    password: { ...d.password, maxAgeDays: e.HUJI_PASSWORD_MAX_AGE_DAYS ?? d.password.maxAgeDays },
    lockout: {
      ...d.lockout,
      maxConsecutiveFailures: e.HUJI_LOCKOUT_FAILURES ?? d.lockout.maxConsecutiveFailures,
      lockMinutes: e.HUJI_LOCKOUT_MINUTES ?? d.lockout.lockMinutes,
    },
    session: {
      ...d.session,
      idleMinutes: e.HUJI_SESSION_IDLE_MINUTES ?? d.session.idleMinutes,
      adminIdleMinutes: e.HUJI_SESSION_ADMIN_IDLE_MINUTES ?? d.session.adminIdleMinutes,
      absoluteHours: e.HUJI_SESSION_ABSOLUTE_HOURS ?? d.session.absoluteHours,
    },
  };
}
