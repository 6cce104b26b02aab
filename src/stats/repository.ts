/**
 * The dashboard's SQL: aggregates of one area (a division-code prefix) and date range, never a row
 * naming a person. Applications are counted by the day they were submitted, persons moved in by the
 * day the ledger recorded the move (China time both). The recording day, not the effective day: a move
 * registered late with an earlier effective date would otherwise change the figures of a period
 * already reported.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import type { IsoDate } from '../standards/calendar.js';
import { dateOfDayNumber, dayNumber } from '../services/working-days.js';
import { SETTLEMENT_KINDS, type DashboardFigures } from './dashboard.js';

export interface DashboardQuery {
  /** The division-code prefix of the area (2, 4 or 6 digits). */
  readonly prefix: string;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/** The first instant of a China-time day, and of the day after. */
const chinaMidnight = (day: IsoDate) => `${day}T00:00:00+08:00`;
const dayAfter = (day: IsoDate) => chinaMidnight(dateOfDayNumber(dayNumber(day) + 1));

function applicationsWhere(q: DashboardQuery): SQL {
  const parts = [sql`county_code like ${`${q.prefix}%`}`];
  if (q.from) parts.push(sql`submitted_at >= ${chinaMidnight(q.from)}::timestamptz`);
  if (q.to) parts.push(sql`submitted_at < ${dayAfter(q.to)}::timestamptz`);
  return sql.join(parts, sql` and `);
}

/** Every aggregate the dashboard shows, read in the caller's executor. */
export async function dashboardFigures(db: DbExecutor, q: DashboardQuery): Promise<DashboardFigures> {
  const where = applicationsWhere(q);
  const byTypeAndState = rowsOf<{
    type_id: string;
    kind: string;
    policy_ref: string;
    state: string;
    count: number;
  }>(
    await db.execute(sql`
      select type_id, kind, policy_ref, state, count(*)::int as count from application
      where ${where} group by type_id, kind, policy_ref, state`),
  );
  const finished = rowsOf<{ stopped_on: string | null; deadline: string | null; count: number }>(
    await db.execute(sql`
      select clock->>'stoppedOn' as stopped_on, to_char(deadline, 'YYYY-MM-DD') as deadline,
        count(*)::int as count
      from application where ${where} and state in ('done', 'refused', 'not-accepted') group by 1, 2`),
  );
  const open = rowsOf<{ deadline: string | null; is_paused: boolean; count: number }>(
    await db.execute(sql`
      select to_char(deadline, 'YYYY-MM-DD') as deadline, state = 'returned' as is_paused,
        count(*)::int as count
      from application where ${where} and state not in ('done', 'refused', 'not-accepted', 'withdrawn') group by 1, 2`),
  );
  const kinds = sql.join(
    SETTLEMENT_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
  const settlements = rowsOf<{ county_code: string; count: number }>(
    await db.execute(sql`
      select county_code, count(*)::int as count from application
      where ${where} and kind in (${kinds}) and state in ('approved', 'done') group by county_code`),
  );
  const movedIn = rowsOf<{ county_code: string; count: number }>(
    await db.execute(sql`
      select county_code, count(*)::int as count from register_event
      where type = 'move-in' and county_code like ${`${q.prefix}%`}
        ${q.from ? sql`and recorded_at >= ${chinaMidnight(q.from)}::timestamptz` : sql``}
        ${q.to ? sql`and recorded_at < ${dayAfter(q.to)}::timestamptz` : sql``}
      group by county_code`),
  );
  return {
    byTypeAndState: byTypeAndState.map((r) => ({
      typeId: r.type_id,
      kind: r.kind,
      policyRef: r.policy_ref,
      state: r.state,
      count: Number(r.count),
    })),
    finished: finished.map((r) => ({
      stoppedOn: r.stopped_on,
      deadline: r.deadline,
      count: Number(r.count),
    })),
    open: open.map((r) => ({ deadline: r.deadline, isPaused: r.is_paused, count: Number(r.count) })),
    settlementsApproved: settlements.map((r) => ({ countyCode: r.county_code, count: Number(r.count) })),
    personsMovedIn: movedIn.map((r) => ({ countyCode: r.county_code, count: Number(r.count) })),
  };
}
