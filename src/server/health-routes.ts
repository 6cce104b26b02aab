import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/connection.js';
import { describeProblem } from './problem.js';
import { HUJI_VERSION } from './version.js';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  database: z.object({
    kind: z.enum(['pglite', 'postgres']),
    location: z.string(),
    isReachable: z.boolean(),
    latencyMs: z.number(),
  }),
});

export function registerHealthRoutes(app: FastifyInstance, database: DatabaseHandle) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查（含数据库） / health with a database round trip',
        response: { 200: Health, 503: Health },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      let isReachable = true;
      try {
        await database.ping();
      } catch (error) {
        isReachable = false;
        request.log.error({ err: error }, 'health check: database unreachable');
      }
      const body = {
        status: isReachable ? ('ok' as const) : ('unavailable' as const),
        version: HUJI_VERSION,
        database: {
          kind: database.kind,
          location: database.location,
          isReachable,
          latencyMs: Math.round((performance.now() - started) * 100) / 100,
        },
      };
      return reply.code(isReachable ? 200 : 503).send(body);
    },
  );
  r.get(
    '/problems/:code',
    {
      schema: {
        tags: ['system'],
        summary: '错误码说明 / what a problem code means',
        params: z.object({ code: z.string().regex(/^HUJI_[A-Z0-9_]+$/) }),
      },
    },
    async (request, reply) => {
      const description = describeProblem(request.params.code);
      if (!description) return reply.callNotFound();
      return description;
    },
  );
}
