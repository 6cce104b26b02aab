/**
 * The SQL of the officers' queue and their to-do notifications. Every filter, the search, the order and
 * the page are SQL over the jurisdiction's open applications, counted in the same query's terms, so a page
 * costs an index range, not the whole jurisdiction (ADR 00xx-queue-paging). What needs working days —
 * the deadline bands and "overdue first" — reads `queue_due_on` / `paused_on`, which the services write
 * with the clock at every state change (`queueClockColumns`), against bounds worked out for today in
 * TypeScript (`bandBounds`): SQL never counts working days.
 */
import { sql, type SQL } from 'drizzle-orm';
import { jurisdictionPrefix, type Role } from '../accounts/roles.js';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import type { Text } from '../policy/policy.js';
import { todayInChina, type IsoDate } from '../standards/calendar.js';
import { statesAwaiting } from './notifications.js';
import {
  actionableStates,
  bandBounds,
  deadlineBand,
  queueClockColumns,
  type DeadlineBand,
  type QueueItem,
  type QueueSort,
  type SortOrder,
} from './queue.js';
import type { ApplicationForm } from './forms.js';
import type { ApplicationRecord, ServicesContext } from './repository.js';
import { readClock, type Clock } from './working-days.js';
import {
  APPLICATION_STATES,
  availableActions,
  FINAL_STATES,
  type Actor,
  type Application,
  type ApplicationState,
} from './workflow.js';

export interface QueueRowFilter {
  readonly typeIds?: readonly string[];
  readonly states?: readonly ApplicationState[];
  /** One county inside the officer's jurisdiction (checked by the caller). */
  readonly county?: string;
  /** A reference (prefix) or the applicant's name (part of it). */
  readonly text?: string;
  /** A full citizen id: only for officers who may read full ids (checked by the caller). */
  readonly citizenId?: string;
  /** Include applications returned for materials (waiting for the applicant). */
  readonly includeWaiting?: boolean;
  readonly bands?: readonly DeadlineBand[];
  /** Only these (state, county approval) pairs: what the officer can act on (`actionableStates`). */
  readonly actionable?: readonly { state: ApplicationState; needsCountyApproval: boolean }[];
}

export interface QueueSlice {
  readonly sort: QueueSort;
  readonly order: SortOrder;
  readonly offset: number;
  readonly limit: number;
}

/** What a queue row needs of an application (not its facts, decision or form: they are large). */
export type QueueRecord = Pick<
  ApplicationRecord,
  'reference' | 'kind' | 'policyRef' | 'applicantName' | 'applicantCitizenId'
> & { readonly application: Application };

/** LIKE treats % and _ as wildcards: a name or reference is matched as typed. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

const iso = (v: string | Date) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * Open applications, written as the partial indexes' own predicate (constants, not parameters) so the
 * planner can prove they apply.
 */
const OPEN = sql.raw(`state not in (${FINAL_STATES.map((s) => `'${s}'`).join(', ')})`);

/** The jurisdiction as a range of codes (an index range; LIKE would need a pattern index). */
function jurisdictionWhere(officerCounty: string): SQL {
  const prefix = jurisdictionPrefix(officerCounty);
  if (prefix.length === 6) return sql`county_code = ${prefix}`;
  return sql`county_code between ${prefix.padEnd(6, '0')} and ${prefix.padEnd(6, '9')}`;
}

function whereOf(officerCounty: string, filter: QueueRowFilter, today: IsoDate): SQL {
  const where: SQL[] = [jurisdictionWhere(officerCounty), OPEN];
  if (!isWaitingIncluded(filter)) where.push(sql`state <> 'returned'`);
  if (filter.states?.length) where.push(sql`state in (${list(filter.states)})`);
  if (filter.typeIds?.length) where.push(sql`type_id in (${list(filter.typeIds)})`);
  if (filter.county) where.push(sql`county_code = ${filter.county}`);
  if (filter.citizenId) where.push(sql`applicant_citizen_id = ${filter.citizenId}`);
  if (filter.text) {
    const t = likeLiteral(filter.text);
    where.push(sql`(upper(reference) like upper(${`${t}%`}) or applicant_name like ${`%${t}%`})`);
  }
  if (filter.bands?.length) {
    const { onTimeFrom } = bandBounds(today);
    const band = {
      overdue: sql`(state <> 'returned' and queue_due_on < ${today})`,
      dueSoon: sql`(state <> 'returned' and queue_due_on >= ${today} and queue_due_on < ${onTimeFrom})`,
      onTime: sql`(state <> 'returned' and queue_due_on >= ${onTimeFrom})`,
      paused: sql`state = 'returned'`,
    } satisfies Record<DeadlineBand, SQL>;
    where.push(
      sql`(${sql.join(
        filter.bands.map((b) => band[b]),
        sql` or `,
      )})`,
    );
  }
  if (filter.actionable) {
    // A state actionable with and without the county step is just the state: the condition an index
    // on (county, state, …) answers alone — the count then never reads the table.
    const whole = [
      ...new Set(
        filter.actionable
          .filter((p) =>
            filter.actionable?.some(
              (q) => q.state === p.state && q.needsCountyApproval !== p.needsCountyApproval,
            ),
          )
          .map((p) => p.state),
      ),
    ];
    const parts = [
      ...(whole.length > 0 ? [sql`state in (${list(whole)})`] : []),
      ...filter.actionable
        .filter((p) => !whole.includes(p.state))
        .map((p) => sql`(state = ${p.state} and needs_county_approval = ${p.needsCountyApproval})`),
    ];
    where.push(parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`);
  }
  return sql.join(where, sql` and `);
}

const isWaitingIncluded = (filter: QueueRowFilter) =>
  Boolean(filter.includeWaiting || filter.states?.includes('returned'));

/**
 * The queue order (`compareQueueItems`) as ORDER BY terms: waiting last; overdue first (a running clock
 * is overdue when its date is past, which the date order already puts first; a paused one when it was
 * past its date on the day it was returned); nearest date; earliest submission; id. Without waiting
 * items the first two terms are constant and left out, so the order is the index's.
 */
function queueOrder(dir: 'asc' | 'desc', withWaiting: boolean): SQL[] {
  const d = sql.raw(dir);
  const flip = sql.raw(dir === 'asc' ? 'desc' : 'asc');
  return [
    ...(withWaiting
      ? [sql`(state = 'returned') ${d}`, sql`(state = 'returned' and paused_on > queue_due_on) ${flip}`]
      : []),
    sql`queue_due_on ${d}`,
    sql`submitted_at ${d}`,
    sql`id ${d}`,
  ];
}

const STATE_RANK = sql.raw(
  `case state ${APPLICATION_STATES.map((s, i) => `when '${s}' then ${i}`).join(' ')} end`,
);

function orderOf(slice: Pick<QueueSlice, 'sort' | 'order'>, withWaiting: boolean): SQL {
  const d = sql.raw(slice.order);
  const terms =
    slice.sort === 'deadline'
      ? queueOrder(slice.order, withWaiting)
      : [
          slice.sort === 'submitted' ? sql`submitted_at ${d}` : sql`${STATE_RANK} ${d}`,
          ...queueOrder('asc', withWaiting),
        ];
  return sql.join(terms, sql`, `);
}

interface QueueRow {
  county_code: string;
  id: string;
  reference: string;
  type_id: string;
  kind: string;
  policy_ref: string;
  applicant_provider: string;
  applicant_subject: string;
  applicant_name: string;
  applicant_citizen_id: string | null;
  state: string;
  needs_county_approval: boolean;
  submitted_at: string | Date;
  clock: Clock | string;
  version: number;
}

function queueRecordOf(r: QueueRow): QueueRecord {
  return {
    application: {
      id: r.id,
      typeId: r.type_id,
      needsCountyApproval: r.needs_county_approval,
      countyCode: r.county_code,
      applicantId: `${r.applicant_provider}:${r.applicant_subject}`,
      state: r.state as ApplicationState,
      submittedAt: iso(r.submitted_at),
      clock: parseJson<Clock>(r.clock),
      requiredChanges: [],
      version: r.version,
    },
    reference: r.reference,
    kind: r.kind as ApplicationForm['kind'],
    policyRef: r.policy_ref,
    applicantName: r.applicant_name,
    applicantCitizenId: r.applicant_citizen_id,
  };
}

/**
 * One page of the officer's queue on `today` and the number of items over all pages.
 *
 * @example queuePage(db, '330802', { states: ['submitted'] }, { sort: 'deadline', order: 'asc', offset: 0, limit: 20 }, '2026-09-01')
 */
export async function queuePage(
  db: DbExecutor,
  officerCounty: string,
  filter: QueueRowFilter,
  slice: QueueSlice,
  today: IsoDate,
): Promise<{ records: QueueRecord[]; total: number }> {
  const total = await queueCount(db, officerCounty, filter, today);
  if (slice.offset >= total || slice.limit === 0) return { records: [], total };
  const records = await queueRows(db, officerCounty, filter, slice, today);
  return { records, total };
}

/** The rows of one slice of the queue (no count). */
export async function queueRows(
  db: DbExecutor,
  officerCounty: string,
  filter: QueueRowFilter,
  slice: QueueSlice,
  today: IsoDate,
): Promise<QueueRecord[]> {
  const rows = rowsOf<QueueRow>(
    await db.execute(sql`
      select county_code, id, reference, type_id, kind, policy_ref, applicant_provider, applicant_subject,
        applicant_name, applicant_citizen_id, state, needs_county_approval, submitted_at, clock, version
      from application where ${whereOf(officerCounty, filter, today)}
      order by ${orderOf(slice, isWaitingIncluded(filter))}
      limit ${slice.limit} offset ${slice.offset}`),
  );
  return rows.map(queueRecordOf);
}

/** The number of items the filters keep (for the export's size check). */
export async function queueCount(
  db: DbExecutor,
  officerCounty: string,
  filter: QueueRowFilter,
  today: IsoDate,
): Promise<number> {
  const [counted] = rowsOf<{ n: number | string }>(
    await db.execute(
      sql`select count(*) as n from application where ${whereOf(officerCounty, filter, today)}`,
    ),
  );
  return Number(counted?.n ?? 0);
}

/**
 * The application types open in the jurisdiction (for the type filter), with a policy to label them by:
 * per county, a skip scan over `application_queue_type_idx` (one probe per type, however many rows).
 */
export async function openTypesIn(
  db: DbExecutor,
  counties: readonly string[],
): Promise<{ typeId: string; kind: string; policyRef: string }[]> {
  if (counties.length === 0) return [];
  const rows = rowsOf<{ type_id: string; kind: string; policy_ref: string }>(
    await db.execute(sql`
      with recursive c(code) as (select unnest(array[${list(counties)}]::text[])::char(6)),
      t(code, type_id, kind, policy_ref) as (
        select c.code, f.type_id, f.kind, f.policy_ref from c cross join lateral (
          select type_id, kind, policy_ref from application
          where county_code = c.code and ${OPEN}
          order by type_id, policy_ref desc nulls last limit 1) f
        union all
        select t.code, n.type_id, n.kind, n.policy_ref from t cross join lateral (
          select type_id, kind, policy_ref from application
          where county_code = t.code and ${OPEN} and type_id > t.type_id
          order by type_id, policy_ref desc nulls last limit 1) n
      )
      select type_id, min(kind) as kind, max(policy_ref) as policy_ref from t group by type_id order by type_id`),
  );
  return rows.map((r) => ({ typeId: r.type_id, kind: r.kind, policyRef: r.policy_ref }));
}

/**
 * Writes the queue columns of open applications that lack them: those open when migration 0010 ran
 * while returned for materials (SQL cannot count their working days). Idempotent; run at start-up.
 */
export async function fillQueueClocks(db: DbExecutor): Promise<number> {
  const rows = rowsOf<{ county_code: string; id: string; state: ApplicationState; clock: Clock | string }>(
    await db.execute(
      sql`select county_code, id, state, clock from application where ${OPEN} and queue_due_on is null`,
    ),
  );
  for (const r of rows) {
    const columns = queueClockColumns({ state: r.state, clock: parseJson<Clock>(r.clock) });
    await db.execute(sql`
      update application set queue_due_on = ${columns.queueDueOn}, paused_on = ${columns.pausedOn}
      where county_code = ${r.county_code} and id = ${r.id}`);
  }
  return rows.length;
}

/** An officer as their notifications see them: who (for the read state) and which roles where. */
export interface NotifiedOfficer {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly countyCode: string;
}

/**
 * The role notifications still to do for an officer, as a WHERE over `notification n` joined to its
 * `application a`: for each application and role only the latest one, and only while the application
 * is in a state where that role acts (a clerk's "to accept" leaves once the application is accepted,
 * returned or withdrawn — for everyone holding the role, whoever read it). Undefined: no such role.
 */
function currentForOfficer(officer: NotifiedOfficer): SQL | undefined {
  const byRole = officer.roles
    .map((role) => ({ recipient: `${role}@${officer.countyCode}`, states: statesAwaiting(role) }))
    .filter((r) => r.states.length > 0);
  if (byRole.length === 0) return undefined;
  const current = sql.join(
    byRole.map((r) => sql`(n.recipient = ${r.recipient} and a.state in (${list(r.states)}))`),
    sql` or `,
  );
  return sql`n.recipient_kind = 'role' and (${current})
    and not exists (
      select 1 from notification later
      where later.application_id = n.application_id and later.recipient = n.recipient
        and later.recipient_kind = 'role'
        and (later.created_at > n.created_at or (later.created_at = n.created_at and later.id > n.id)))`;
}

/**
 * The to-dos of an officer's roles that are still to do, newest first, each with the time this officer
 * read it (null: unread by them; another officer of the role reading it changes nothing here), and how
 * many of them (over all, not only this page) this officer has not read.
 */
export async function currentRoleNotifications(db: DbExecutor, officer: NotifiedOfficer, limit = 50) {
  const current = currentForOfficer(officer);
  if (!current) return { items: [], unread: 0 };
  const rows = rowsOf<{
    id: string;
    application_id: string;
    title: Text;
    body: Text;
    created_at: string | Date;
    state: ApplicationState;
    read_at: string | Date | null;
  }>(
    await db.execute(sql`
      select n.id, n.application_id, n.title, n.body, n.created_at, a.state, r.read_at from notification n
      join application a on a.id = n.application_id and a.county_code = n.county_code
      left join notification_read r on r.notification_id = n.id and r.officer_id = ${officer.id}
      where ${current}
      order by n.created_at desc, n.id limit ${limit}`),
  );
  const [counted] = rowsOf<{ n: number | string }>(
    await db.execute(sql`
      select count(*) as n from notification n
      join application a on a.id = n.application_id and a.county_code = n.county_code
      where ${current}
        and not exists (select 1 from notification_read r where r.notification_id = n.id and r.officer_id = ${officer.id})`),
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      applicationId: r.application_id,
      title: parseJson<Text>(r.title),
      body: parseJson<Text>(r.body),
      createdAt: iso(r.created_at),
      state: r.state,
      readAt: r.read_at === null ? null : iso(r.read_at),
    })),
    unread: Number(counted?.n ?? 0),
  };
}

/**
 * Marks role notifications read for this officer only: the given ones, or every one still to do. Only
 * notifications that are the officer's current to-dos are marked (another county's or a finished one's
 * ids are skipped); one already read keeps its first read time. Answers how many were marked now.
 */
export async function markRoleNotificationsRead(
  db: DbExecutor,
  officer: NotifiedOfficer,
  which: { ids: readonly string[] } | 'all',
  at: Date,
): Promise<number> {
  const current = currentForOfficer(officer);
  if (!current) return 0;
  const only =
    which === 'all' ? sql`` : which.ids.length === 0 ? sql`and false` : sql`and n.id in (${list(which.ids)})`;
  const rows = rowsOf<{ notification_id: string }>(
    await db.execute(sql`
      insert into notification_read (officer_id, notification_id, read_at)
      select ${officer.id}, n.id, ${at.toISOString()} from notification n
      join application a on a.id = n.application_id and a.county_code = n.county_code
      where ${current} ${only}
      on conflict (officer_id, notification_id) do nothing
      returning notification_id`),
  );
  return rows.length;
}

export interface QueueRequest {
  readonly includeWaiting?: boolean;
  readonly onlyActionable?: boolean;
  readonly limit?: number;
}

/**
 * The first items of an officer's queue in the queue order, read today (the CLI's `queue` command).
 *
 * @example officerQueue(db, ctx, officer, { onlyActionable: true, limit: 20 })
 */
export async function officerQueue(
  db: DbExecutor,
  ctx: Pick<ServicesContext, 'now'>,
  officer: Extract<Actor, { kind: 'officer' }>,
  options: QueueRequest = {},
): Promise<{ item: QueueItem; record: QueueRecord }[]> {
  const today = todayInChina((ctx.now ?? (() => new Date()))());
  const filter: QueueRowFilter = {
    includeWaiting: options.includeWaiting ?? false,
    ...(options.onlyActionable ? { actionable: actionableStates(officer) } : {}),
  };
  const limit = Math.min(options.limit ?? 200, 1000);
  const records = await queueRows(
    db,
    officer.countyCode,
    filter,
    { sort: 'deadline', order: 'asc', offset: 0, limit },
    today,
  );
  return records.map((record) => ({ item: queueItemOf(record, officer, today), record }));
}

/** A queue row read on `today`: its clock, band and what this officer may do with it. */
export function queueItemOf(
  record: QueueRecord,
  officer: Extract<Actor, { kind: 'officer' }>,
  today: IsoDate,
): QueueItem {
  const clock = readClock(record.application.clock, today);
  return {
    application: record.application,
    clock,
    band: deadlineBand(clock, today),
    actions: availableActions(record.application, officer),
  };
}
