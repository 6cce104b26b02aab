/**
 * Maps every error to an RFC 9457 `application/problem+json` answer with a stable code, a message in
 * the negotiated language, the field paths for validation errors and the request id. Nothing about the
 * server's inside (stack, SQL) leaves it; 5xx causes are logged with the request id instead.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, formatMessage, type ErrorCode, type Locale } from '../errors/codes.js';
import { HujiError, isHujiError, type FieldProblem } from '../errors/huji-error.js';
import { negotiateLocale } from '../errors/locale.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableError } from '../db/unavailable.js';
import { RequestValidationError } from './validation.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  requestId: string;
  errors?: { path: string; code: string; message: string }[];
}

export function problemType(code: ErrorCode): string {
  return `/problems/${code}`;
}

export function buildProblem(
  error: HujiError,
  locale: Locale,
  request: FastifyRequest,
  problems: readonly FieldProblem[] = error.problems,
): ProblemBody {
  const body: ProblemBody = {
    type: problemType(error.code),
    title: formatMessage(error.code, locale, { ...error.params, detail: '', requestId: request.id }).replace(
      /[:：]\s*$/,
      '',
    ),
    status: error.status,
    code: error.code,
    detail: error.messageIn(locale),
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
  };
  if (problems.length > 0) {
    body.errors = problems.map((p) => ({ path: p.path, code: p.code, message: p.message[locale] }));
  }
  return body;
}

/** 503s that pass by themselves: the client is told when to try again (RFC 9110 § 10.2.3). */
const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  HUJI_DB_UNAVAILABLE: DATABASE_RETRY_AFTER_SECONDS,
  HUJI_AUDIT_UNAVAILABLE: DATABASE_RETRY_AFTER_SECONDS,
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: HujiError,
  problems?: readonly FieldProblem[],
) {
  const locale = negotiateLocale(request.headers['accept-language']);
  // A database away (HUJI_DB_UNAVAILABLE) or a limit that names when to come back
  // (HUJI_SUBMISSION_LIMIT) says it in the standard header too.
  const retryAfter = error.params.retryAfter ?? RETRY_AFTER_SECONDS[error.code];
  if (typeof retryAfter === 'number' && retryAfter > 0) void reply.header('retry-after', String(retryAfter));
  return reply
    .code(error.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', locale)
    .send(buildProblem(error, locale, request, problems));
}

/** Translates framework errors (body parsing, limits) to Huji codes. */
function fromFastifyError(error: FastifyError, request: FastifyRequest): HujiError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HujiError('HUJI_PAYLOAD_TOO_LARGE', {}, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HujiError(
        'HUJI_UNSUPPORTED_MEDIA_TYPE',
        { contentType: request.headers['content-type'] ?? '(none)' },
        { cause: error },
      );
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return new HujiError('HUJI_RATE_LIMITED', {}, { cause: error });
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return new HujiError('HUJI_RATE_LIMITED', {}, { cause: error });
  if (status >= 400 && status < 500)
    return new HujiError('HUJI_MALFORMED_BODY', { detail: error.message }, { cause: error });
  return new HujiError('HUJI_INTERNAL', { requestId: request.id }, { cause: error });
}

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof RequestValidationError) {
      const detail = error.problems.map((p) => p.path).join(', ');
      return sendProblem(reply, request, new HujiError('HUJI_VALIDATION', { detail }), error.problems);
    }
    // A database that is away is no fault of the request, and no 500: 503 with Retry-After (issue 14).
    const unavailable = databaseUnavailableError(error);
    if (unavailable) {
      request.log.warn({ err: error, code: unavailable.code }, 'request failed: database unavailable');
      return sendProblem(reply, request, unavailable);
    }
    const huji = isHujiError(error) ? error : fromFastifyError(error as FastifyError, request);
    if (huji.status >= 500) {
      request.log.error({ err: error, code: huji.code }, 'request failed');
    } else {
      request.log.info({ code: huji.code }, 'request refused');
    }
    return sendProblem(reply, request, huji);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new HujiError('HUJI_ROUTE_NOT_FOUND', { method: request.method, path: request.url.split('?')[0] }),
    ),
  );
}

/** Every code with its status and messages, served at /problems/{code} as the `type` of a problem. */
export function describeProblem(code: string) {
  if (!Object.hasOwn(ERROR_CODES, code)) return undefined;
  const def = ERROR_CODES[code as ErrorCode];
  return { code, status: def.status, 'zh-CN': def.zh, en: def.en };
}
