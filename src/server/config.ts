/**
 * The environment, validated once at start-up (a wrong value stops the start with one clear line).
 */
import { z } from 'zod';
import { HujiError } from '../errors/huji-error.js';

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  };
}
