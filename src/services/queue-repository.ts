/**
 * The SQL of the officers' queue and their to-do notifications. The queue's filters that the rows hold
 * (type, state, county, the applicant's name, reference or citizen id) are SQL over the jurisdiction's
 * open applications; what depends on today's working-day clock (deadline band, the queue order) is the
 * pure core's (`queue.ts`), over the rows the filters kept.
 */
import { sql, type SQL } from 'drizzle-orm';
import { jurisdictionPrefix, type Role } from '../accounts/roles.js';
import { rowsOf, type DbExecutor } from '../db/connection.js';
import type { Text } from '../policy/policy.js';
import { statesAwaiting } from './notifications.js';
import { recordOf, type ApplicationRecord, type ApplicationRow } from './repository.js';
import { FINAL_STATES, type ApplicationState } from './workflow.js';

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
}

/** LIKE treats % and _ as wildcards: a name or reference is matched as typed. */
const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** The open applications of the officer's jurisdiction that the filters keep (unordered: the core orders). */
export async function queueRecords(
  db: DbExecutor,
  officerCounty: string,
  filter: QueueRowFilter,
): Promise<ApplicationRecord[]> {
  const where: SQL[] = [
    sql`county_code like ${`${jurisdictionPrefix(officerCounty)}%`}`,
    sql`state not in (${list(FINAL_STATES)})`,
  ];
  const waiting = filter.includeWaiting || filter.states?.includes('returned');
  if (!waiting) where.push(sql`state <> 'returned'`);
  if (filter.states?.length) where.push(sql`state in (${list(filter.states)})`);
  if (filter.typeIds?.length) where.push(sql`type_id in (${list(filter.typeIds)})`);
  if (filter.county) where.push(sql`county_code = ${filter.county}`);
  if (filter.citizenId) where.push(sql`applicant_citizen_id = ${filter.citizenId}`);
  if (filter.text) {
    const t = likeLiteral(filter.text);
    where.push(sql`(upper(reference) like upper(${`${t}%`}) or applicant_name like ${`%${t}%`})`);
  }
  const rows = rowsOf<ApplicationRow>(
    await db.execute(sql`select * from application where ${sql.join(where, sql` and `)}`),
  );
  return rows.map(recordOf);
}

/** The application types open in the jurisdiction (for the type filter), with a policy to label them by. */
export async function openTypesIn(
  db: DbExecutor,
  officerCounty: string,
): Promise<{ typeId: string; kind: string; policyRef: string }[]> {
  const rows = rowsOf<{ type_id: string; kind: string; policy_ref: string }>(
    await db.execute(sql`
      select type_id, min(kind) as kind, max(policy_ref) as policy_ref from application
      where county_code like ${`${jurisdictionPrefix(officerCounty)}%`} and state not in (${list(FINAL_STATES)})
      group by type_id order by type_id`),
  );
  return rows.map((r) => ({ typeId: r.type_id, kind: r.kind, policyRef: r.policy_ref }));
}

const iso = (v: string | Date) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * The to-do notifications of an officer's roles that are still to do: for each application and role only
 * the latest one, and only while the application is in a state where that role acts (a clerk's
 * "to accept" leaves the list once the application is accepted, returned or withdrawn).
 */
export async function currentRoleNotifications(
  db: DbExecutor,
  officer: { roles: readonly Role[]; countyCode: string },
  limit = 50,
) {
  const byRole = officer.roles
    .map((role) => ({ recipient: `${role}@${officer.countyCode}`, states: statesAwaiting(role) }))
    .filter((r) => r.states.length > 0);
  if (byRole.length === 0) return [];
  const current = sql.join(
    byRole.map((r) => sql`(n.recipient = ${r.recipient} and a.state in (${list(r.states)}))`),
    sql` or `,
  );
  const rows = rowsOf<{
    id: string;
    application_id: string;
    title: Text;
    body: Text;
    created_at: string | Date;
    state: ApplicationState;
  }>(
    await db.execute(sql`
      select n.id, n.application_id, n.title, n.body, n.created_at, a.state from notification n
      join application a on a.id = n.application_id and a.county_code = n.county_code
      where n.recipient_kind = 'role' and (${current})
        and not exists (
          select 1 from notification later
          where later.application_id = n.application_id and later.recipient = n.recipient
            and later.recipient_kind = 'role'
            and (later.created_at > n.created_at or (later.created_at = n.created_at and later.id > n.id)))
      order by n.created_at desc, n.id limit ${limit}`),
  );
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    title: parseJson<Text>(r.title),
    body: parseJson<Text>(r.body),
    createdAt: iso(r.created_at),
    state: r.state,
    readAt: null as string | null,
  }));
}
