/**
 * Prometheus metrics at /metrics: process defaults plus request counts and latencies by route. Served
 * only with a bearer token (HUJI_METRICS_TOKEN, issue 14): without a configured token the route does not
 * exist (404), and a request without the token, or with another, answers 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { HujiError } from '../errors/huji-error.js';

/** Compares digests, so neither the length nor a prefix of the token leaks through timing. */
export function isMetricsTokenGiven(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

export function registerMetrics(
  app: FastifyInstance,
  options: { token?: string | undefined } = {},
): Registry {
  // One registry per app instance: tests build many apps in one process.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'huji_' });
  const duration = new Histogram({
    name: 'huji_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        // The route pattern, never the raw URL: ids in URLs would explode the label set and leak data.
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const token = options.token;
  if (token === undefined) return registry;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!isMetricsTokenGiven(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="huji-metrics"');
      throw new HujiError('HUJI_METRICS_TOKEN_REQUIRED');
    }
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return registry.metrics();
  });
  return registry;
}
