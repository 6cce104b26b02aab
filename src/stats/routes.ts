/**
 * HTTP route of the officer dashboard: counts of the officer's jurisdiction (or one area within it),
 * for applications submitted in a date range. An area outside the jurisdiction answers 404, like any
 * record of another county (ADR 0008).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer } from '../accounts/require-officer.js';
import { jurisdictionPrefix } from '../accounts/roles.js';
import type { HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import type { Policy } from '../policy/policy.js';
import { todayInChina } from '../standards/calendar.js';
import { isoDateField } from '../standards/date-field.js';
import { areasOf, buildDashboard, coversArea } from './dashboard.js';
import { dashboardFigures } from './repository.js';

export interface StatsContext {
  readonly policies: readonly Policy[];
  readonly now?: () => Date;
}

const Headers = z.object({ 'x-csrf-token': z.string().max(100).optional() });

const DashboardQuery = z
  .object({
    from: isoDateField().optional().describe('applications submitted on or after this day (China time)'),
    to: isoDateField().optional().describe('applications submitted on or before this day (China time)'),
    county: z
      .string()
      .regex(/^\d{6}$/, { message: 'a GB/T 2260 division code is 6 digits' })
      .optional()
      .describe('a county, city (xxxx00) or province (xx0000) within the officer’s jurisdiction'),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the start date ${q.from} is after the end date ${q.to}`,
        params: { hujiCode: 'HUJI_STATS_RANGE', from: q.from, to: q.to },
      });
  });

export function registerStatsRoutes(app: FastifyInstance, db: HujiDatabase, ctx: StatsContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/stats/dashboard',
    {
      config: { officerAction: 'stats.dashboard' },
      schema: {
        tags: ['stats'],
        summary:
          '工作统计：按类型和状态的申请数、办理时限、各县落户和迁入人数 / dashboard: applications by type and status, time limits, settlements by county',
        description:
          'Counts only, no personal data. Applications are counted by the day of submission (China time); persons moved in by the day the ledger recorded the move.',
        headers: Headers,
        querystring: DashboardQuery,
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'stats.dashboard');
      const area = request.query.county ?? officer.countyCode;
      if (!coversArea(officer.countyCode, area))
        throw new HujiError('HUJI_STATS_OUT_OF_JURISDICTION', { county: area });
      const { from, to } = request.query;
      const figures = await dashboardFigures(db, {
        prefix: jurisdictionPrefix(area),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
      });
      const asOf = todayInChina((ctx.now ?? (() => new Date()))());
      return {
        ...buildDashboard(figures, { area, from: from ?? null, to: to ?? null, asOf }, ctx.policies),
        areas: areasOf(officer.countyCode),
      };
    },
  );
}
