import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/connection.js';
import { cjkFontReadiness, configuredCjkFont } from '../documents/cjk-font.js';
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
  /** Every issued document needs the CJK font: without it certificates would answer 500. */
  fonts: z.object({
    isReady: z.boolean(),
    cjk: z.object({
      path: z.string(),
      postscriptName: z.string().nullable(),
      glyphs: z.number().int().nullable(),
      problem: z.string().nullable(),
    }),
  }),
});

export function registerHealthRoutes(app: FastifyInstance, database: DatabaseHandle) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: "健康检查（数据库、字体） / health: a database round trip and the documents' font",
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
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const font = await cjkFontReadiness(configuredCjkFont());
      if (!font.isUsable) request.log.error({ problem: font.problem }, 'health check: CJK font unusable');
      const isReady = isReachable && font.isUsable;
      const body = {
        status: isReady ? ('ok' as const) : ('unavailable' as const),
        version: HUJI_VERSION,
        database: {
          kind: database.kind,
          location: database.location,
          isReachable,
          latencyMs,
        },
        fonts: {
          isReady: font.isUsable,
          cjk: font.isUsable
            ? { path: font.path, postscriptName: font.postscriptName, glyphs: font.glyphs, problem: null }
            : { path: font.path, postscriptName: null, glyphs: null, problem: font.problem },
        },
      };
      return reply.code(isReady ? 200 : 503).send(body);
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
