import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/connection.js';
import { cjkFontReadiness, configuredCjkFont } from '../documents/cjk-font.js';
import { checkHolidayNotices } from '../services/china-holidays.js';
import { todayInChina } from '../standards/calendar.js';
import { describeProblem } from './problem.js';
import { HUJI_VERSION } from './version.js';

/**
 * What a load balancer needs (issue 14): ready or not, and which dependency is not. The database's kind,
 * host and name and the font's path stay in the log (a failure is logged with its cause), not in a
 * public answer.
 */
const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  database: z.object({ isReachable: z.boolean(), latencyMs: z.number() }),
  /** Every issued document needs the CJK font: without it certificates would answer 500. */
  fonts: z.object({ isReady: z.boolean() }),
  /** Working-day deadlines need the State Council holiday notices of this year (and, from December, the next). */
  holidays: z.object({ isComplete: z.boolean(), missingYear: z.number().int().optional() }),
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
        request.log.error(
          { err: error, database: database.kind, location: database.location },
          'health check: database unreachable',
        );
      }
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const font = await cjkFontReadiness(configuredCjkFont());
      if (!font.isUsable)
        request.log.error({ path: font.path, problem: font.problem }, 'health check: CJK font unusable');
      const isReady = isReachable && font.isUsable;
      const notices = checkHolidayNotices(todayInChina());
      const body = {
        status: isReady ? ('ok' as const) : ('unavailable' as const),
        version: HUJI_VERSION,
        database: { isReachable, latencyMs },
        fonts: { isReady: font.isUsable },
        // Not a readiness condition: deadlines still count (weekends only) and the log says why.
        holidays: notices.isComplete
          ? { isComplete: true }
          : { isComplete: false, missingYear: notices.missingYear },
      };
      reply.header('cache-control', 'no-store');
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
