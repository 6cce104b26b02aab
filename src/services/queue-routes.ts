/**
 * HTTP routes of the officers' queue and to-do notifications (issue 13). The queue: one page of the open
 * applications of the officer's jurisdiction, filtered (type, state, deadline band, county, a reference
 * or name), sorted and counted; the export: the same filters as CSV or .xlsx, citizen ids masked unless
 * the officer may read them in full, recorded in the audit trail like every officer request (with its
 * query and, as its object, the format and the number of rows). The notifications: the to-dos still to do.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer, type ActingOfficer } from '../accounts/require-officer.js';
import { canPerform, coversCounty } from '../accounts/roles.js';
import type { HujiDatabase } from '../db/connection.js';
import { formatMessage } from '../errors/codes.js';
import { HujiError } from '../errors/huji-error.js';
import { todayInChina } from '../standards/calendar.js';
import { childDivisions, findDivision } from '../standards/divisions.js';
import { maskCitizenId } from '../standards/masking.js';
import { APPLICATION_KIND_LABELS } from './application-types.js';
import {
  DEADLINE_BAND_LABELS,
  DEADLINE_BANDS,
  DUE_SOON_WORKING_DAYS,
  QUEUE_SORTS,
  actionableStates,
  type QueueItem,
} from './queue.js';
import { chinaDateTimeText, toCsv, toXlsx, type ExportTable } from './queue-export.js';
import {
  currentRoleNotifications,
  markRoleNotificationsRead,
  openTypesIn,
  queueCount,
  queuePage,
  queueItemOf,
  queueRows,
  type QueueRecord,
  type QueueRowFilter,
} from './queue-repository.js';
import { typeOfRecord, type ServicesContext } from './repository.js';
import { workingDaysBetween } from './working-days.js';
import {
  APPLICATION_ACTION_LABELS,
  APPLICATION_STATE_LABELS,
  APPLICATION_STATES,
  FINAL_STATES,
  type Actor,
  type ApplicationState,
} from './workflow.js';

const Headers = z.object({ 'x-csrf-token': z.string().max(100).optional() });

const OPEN_STATES = APPLICATION_STATES.filter(
  (s) => !(FINAL_STATES as readonly ApplicationState[]).includes(s),
) as [ApplicationState, ...ApplicationState[]];

/** A comma-separated list of one kind of value: `state=submitted,accepted`. */
const listOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(400)
    .transform((s) => s.split(',').filter((v) => v.length > 0))
    .pipe(z.array(item).min(1).max(20));

/** Every filter of the queue, shared by the page and the export. */
const QueueFilters = z.object({
  type: listOf(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9/-]{0,79}$/, { message: 'an application type id such as settlement/talent' }),
  )
    .optional()
    .describe('application type ids, comma-separated'),
  state: listOf(z.enum(OPEN_STATES)).optional().describe('open states, comma-separated'),
  band: listOf(z.enum(DEADLINE_BANDS))
    .optional()
    .describe(
      `deadline bands, comma-separated: overdue, dueSoon (within ${DUE_SOON_WORKING_DAYS} working days), onTime, paused`,
    ),
  county: z
    .string()
    .regex(/^\d{6}$/, { message: 'a GB/T 2260 division code is 6 digits' })
    .optional()
    .describe('one county of the officer’s jurisdiction'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .describe(
      'a reference (its beginning), the applicant’s name (part of it), or a full citizen id (officers who may read full ids)',
    ),
  sort: z.enum(QUEUE_SORTS).default('deadline'),
  order: z.enum(['asc', 'desc']).default('asc'),
  includeWaiting: z.enum(['true', 'false']).default('false'),
  onlyActionable: z.enum(['true', 'false']).default('true'),
});
type QueueFilters = z.infer<typeof QueueFilters>;

const QueueQuery = QueueFilters.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
const ExportQuery = QueueFilters.extend({ format: z.enum(['csv', 'xlsx']) });

/** More than this many rows is not a list a clerk works from: narrow the filters. */
export const EXPORT_MAX_ROWS = 10_000;
/** The export reads the queue this many rows at a time. */
const EXPORT_PAGE_ROWS = 500;
type ExportRow = ExportTable['rows'][number];

const CITIZEN_ID = /^(\d{17}[\dXx]|\d{15})$/;

const officerActor = (o: ActingOfficer): Extract<Actor, { kind: 'officer' }> => ({
  kind: 'officer',
  id: o.id,
  roles: o.roles,
  countyCode: o.countyCode,
});

/** A problem naming one query parameter, with the code's own message. */
function queryProblem(
  code: 'HUJI_QUEUE_COUNTY_OUTSIDE' | 'HUJI_QUEUE_SEARCH_FULL_ID',
  param: string,
  params: Record<string, unknown>,
) {
  return new HujiError(code, params, {
    problems: [
      {
        path: `querystring.${param}`,
        code,
        message: { 'zh-CN': formatMessage(code, 'zh-CN', params), en: formatMessage(code, 'en', params) },
      },
    ],
  });
}

/** The counties an officer may filter by: their own, or each county of their city or province. */
function countiesOf(officerCounty: string): { code: string; name: string }[] {
  const own = findDivision(officerCounty);
  if (own?.level === 'county' || !own) return [{ code: officerCounty, name: own?.name ?? officerCounty }];
  const below = childDivisions(officerCounty);
  const counties = below.flatMap((d) => (d.level === 'county' ? [d] : childDivisions(d.code)));
  return counties.filter((d) => d.level === 'county').map((d) => ({ code: d.code, name: d.name }));
}

/** The SQL filter of the officer's query, after the checks only the route can make. */
function rowFilterOf(acting: ActingOfficer, q: QueueFilters): QueueRowFilter {
  if (q.county && !coversCounty(acting.countyCode, q.county))
    throw queryProblem('HUJI_QUEUE_COUNTY_OUTSIDE', 'county', { county: q.county });
  const isIdSearch = q.q !== undefined && CITIZEN_ID.test(q.q);
  // Finding someone by their number would tell an officer who may not see numbers whose number it is.
  if (isIdSearch && !canPerform(acting.roles, 'application.read-full-id'))
    throw queryProblem('HUJI_QUEUE_SEARCH_FULL_ID', 'q', {});
  return {
    ...(q.type ? { typeIds: q.type } : {}),
    ...(q.state ? { states: q.state } : {}),
    ...(q.county ? { county: q.county } : {}),
    ...(q.q === undefined ? {} : isIdSearch ? { citizenId: q.q.toUpperCase() } : { text: q.q }),
    ...(q.band ? { bands: q.band } : {}),
    includeWaiting: q.includeWaiting === 'true',
    ...(q.onlyActionable === 'true' ? { actionable: actionableStates(officerActor(acting)) } : {}),
  };
}

function itemView(ctx: ServicesContext, record: QueueRecord, item: QueueItem, today: string) {
  const a = record.application;
  const type = typeOfRecord(ctx, record);
  const c = item.clock;
  return {
    id: a.id,
    reference: record.reference,
    type: { id: a.typeId, kind: record.kind, label: type?.label ?? APPLICATION_KIND_LABELS[record.kind] },
    countyCode: a.countyCode,
    countyName: findDivision(a.countyCode)?.name ?? a.countyCode,
    state: a.state,
    stateLabel: APPLICATION_STATE_LABELS[a.state],
    applicant: {
      name: record.applicantName,
      citizenId: record.applicantCitizenId ? maskCitizenId(record.applicantCitizenId) : null,
    },
    submittedAt: a.submittedAt,
    clock: {
      state: c.state,
      workingDays: a.clock.workingDays,
      deadline: c.deadline,
      remainingWorkingDays: c.remainingWorkingDays,
      isOverdue: c.isOverdue,
      beyondCalendar: c.beyondCalendar,
    },
    band: item.band,
    bandLabel: DEADLINE_BAND_LABELS[item.band],
    /** Working days from today to the deadline (null while paused; 0 on the deadline or past it). */
    workingDaysToDeadline: c.deadline === null ? null : workingDaysBetween(today, c.deadline),
    actions: item.actions.map((action) => ({ action, label: APPLICATION_ACTION_LABELS[action] })),
  };
}

const EXPORT_HEADER = [
  '受理编号',
  '申请事项',
  '申请人',
  '公民身份号码',
  '办理县（市、区）',
  '办理状态',
  '提交时间（北京时间）',
  '办理时限',
  '剩余工作日',
  '时限情况',
];

export function registerQueueRoutes(app: FastifyInstance, db: HujiDatabase, ctx: ServicesContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const nowOf = () => (ctx.now ?? (() => new Date()))();

  r.get(
    '/api/v1/applications/queue',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary:
          '待办队列：筛选、查找、排序、分页，超期在前 / the work queue: filters, search, sort, pages; overdue first',
        headers: Headers,
        querystring: QueueQuery,
      },
    },
    async (request) => {
      const acting = await requireOfficer(request, 'application.read');
      const q = request.query;
      const today = todayInChina(nowOf());
      const { records, total } = await queuePage(
        db,
        acting.countyCode,
        rowFilterOf(acting, q),
        { sort: q.sort, order: q.order, offset: (q.page - 1) * q.pageSize, limit: q.pageSize },
        today,
      );
      const counties = countiesOf(acting.countyCode);
      const types = await openTypesIn(
        db,
        counties.map((c) => c.code),
      );
      return {
        items: records.map((record) =>
          itemView(ctx, record, queueItemOf(record, officerActor(acting), today), today),
        ),
        total,
        page: q.page,
        pageSize: q.pageSize,
        today,
        dueSoonWorkingDays: DUE_SOON_WORKING_DAYS,
        choices: {
          counties,
          types: types.map((t) => ({
            id: t.typeId,
            label: typeOfRecord(ctx, { policyRef: t.policyRef, application: { typeId: t.typeId } })?.label ??
              APPLICATION_KIND_LABELS[t.kind as keyof typeof APPLICATION_KIND_LABELS] ?? {
                zh: t.typeId,
                en: t.typeId,
              },
          })),
          states: OPEN_STATES.map((s) => ({ id: s, label: APPLICATION_STATE_LABELS[s] })),
          bands: DEADLINE_BANDS.map((b) => ({ id: b, label: DEADLINE_BAND_LABELS[b] })),
        },
      };
    },
  );

  r.get(
    '/api/v1/applications/queue/export',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary:
          '导出筛选后的待办队列（CSV 或 xlsx；身份号码按权限脱敏；记入审计） / export the filtered queue (CSV or xlsx; ids masked unless allowed; audited)',
        headers: Headers,
        querystring: ExportQuery,
      },
    },
    async (request, reply) => {
      const acting = await requireOfficer(request, 'application.read');
      const q = request.query;
      const filter = rowFilterOf(acting, q);
      const fullIds = canPerform(acting.roles, 'application.read-full-id');
      const now = nowOf();
      const today = todayInChina(now);
      const rowOf = (record: QueueRecord) => {
        const v = itemView(ctx, record, queueItemOf(record, officerActor(acting), today), today);
        const id = record.applicantCitizenId;
        return [
          v.reference,
          v.type.label.zh,
          v.applicant.name,
          id ? (fullIds ? id : maskCitizenId(id)) : null,
          `${v.countyName}（${v.countyCode}）`,
          v.stateLabel.zh,
          chinaDateTimeText(v.submittedAt),
          v.clock.deadline ?? '—',
          v.clock.state === 'paused' ? null : v.clock.remainingWorkingDays,
          v.bandLabel.zh,
        ];
      };
      // The same query a page at a time, in one snapshot (no row twice or missed if one moves on
      // meanwhile); only the file's cells are held, never every record.
      const { total, rows } = await db.transaction(async (tx) => {
        await tx.execute(sql`set transaction isolation level repeatable read`);
        const total = await queueCount(tx, acting.countyCode, filter, today);
        if (total > EXPORT_MAX_ROWS)
          throw new HujiError('HUJI_QUEUE_EXPORT_TOO_LARGE', { total, max: EXPORT_MAX_ROWS });
        const rows: ExportRow[] = [];
        for (let offset = 0; offset < total; offset += EXPORT_PAGE_ROWS) {
          const slice = { sort: q.sort, order: q.order, offset, limit: EXPORT_PAGE_ROWS };
          const page = await queueRows(tx, acting.countyCode, filter, slice, today);
          for (const record of page) rows.push(rowOf(record));
          if (page.length < EXPORT_PAGE_ROWS) break;
        }
        return { total, rows };
      });
      const table: ExportTable = { sheetName: '待办队列', header: EXPORT_HEADER, rows };
      const stamp = chinaDateTimeText(now.toISOString()).replace(/[-: ]/g, '').slice(0, 12);
      const name = `queue-${stamp}.${q.format}`;
      request.auditObject = { type: 'queue-export', id: `${q.format}:${Math.min(total, rows.length)}` };
      const body = Buffer.from(q.format === 'csv' ? toCsv(table) : toXlsx(table));
      return reply
        .header(
          'content-type',
          q.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header(
          'content-disposition',
          `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`待办队列-${stamp}.${q.format}`)}`,
        )
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  r.get(
    '/api/v1/notifications',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary:
          '工作人员待办消息（只列仍需办理的）/ officer to-dos still to do (each leaves once the application moves on)',
        headers: Headers,
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'application.read');
      reply.header('cache-control', 'no-store');
      return currentRoleNotifications(db, officer);
    },
  );

  r.post(
    '/api/v1/notifications/read',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary: '标记待办消息已读（仅本人）/ mark to-dos read (for myself only)',
        description:
          'Marks the given role notifications, or all still to do (`all: true`), read for the signed-in officer ' +
          'only: other officers of the role still see them unread. Only current to-dos of the officer are ' +
          'marked; one already read keeps its first time. Idempotent by nature (a retry finds them read), so ' +
          'no Idempotency-Key is needed. Answers how many were marked now and how many stay unread.',
        headers: Headers,
        body: z.union([
          z.object({ ids: z.array(z.uuid()).min(1).max(200) }).strict(),
          z.object({ all: z.literal(true) }).strict(),
        ]),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'application.read');
      const body = request.body;
      const marked = await markRoleNotificationsRead(
        db,
        officer,
        'ids' in body ? { ids: body.ids } : 'all',
        nowOf(),
      );
      const { unread } = await currentRoleNotifications(db, officer, 0);
      return { marked, unread };
    },
  );
}
