/**
 * The officer dashboard's figures (issue 6), shaped from aggregate counts the repository reads: no row
 * is a person, only counts by type and state, by deadline day and by county. Pure: the day is passed in.
 *
 * - Applications by type × state: each type labelled as its policy's catalogue names it
 *   (`application-types.ts`), each state as the workflow names it (`workflow.ts`).
 * - Time-limit compliance. Finished applications (done or refused: the clock stopped on the office's
 *   decision) were decided within the limit when the day the clock stopped is on or before the stored
 *   deadline. Withdrawn ones are the applicant's doing and are left out. Open ones are read against
 *   today: overdue after the deadline, due soon within `DUE_SOON_WORKING_DAYS` working days of it
 *   (the deadline day included), on time otherwise; those returned for materials have no deadline
 *   while the clock is paused (`working-days.ts`) and are counted apart.
 * - Settlements by county: approved settlement-type applications (the kinds of the policy's settlement
 *   programme) per handling county, beside the persons the register's ledger moved in per county.
 */
import { jurisdictionPrefix } from '../accounts/roles.js';
import { policyRef, type Policy, type Text } from '../policy/policy.js';
import type { IsoDate } from '../standards/calendar.js';
import { childDivisions, findDivision } from '../standards/divisions.js';
import {
  APPLICATION_KIND_LABELS,
  applicationTypesFor,
  findApplicationType,
  type ApplicationKind,
} from '../services/application-types.js';
import {
  CHINA_CALENDAR,
  DUE_SOON_WORKING_DAYS,
  workingDaysBetween,
  type WorkingCalendar,
} from '../services/working-days.js';
import {
  APPLICATION_STATE_LABELS,
  APPLICATION_STATES,
  FINAL_STATES,
  type ApplicationState,
} from '../services/workflow.js';

export { DUE_SOON_WORKING_DAYS };

/** The kinds whose approval settles a person: the policy's settlement programme. */
export const SETTLEMENT_KINDS = [
  'settlement',
  'relatives-joining',
] as const satisfies readonly ApplicationKind[];

/** Applications counted by type and state. */
export interface TypeStateCount {
  readonly typeId: string;
  readonly kind: string;
  readonly policyRef: string;
  readonly state: string;
  readonly count: number;
}

/** Finished applications counted by the day their clock stopped and their deadline. */
export interface FinishedCount {
  readonly stoppedOn: IsoDate | null;
  readonly deadline: IsoDate | null;
  readonly count: number;
}

/** Open applications counted by deadline (null while paused). */
export interface OpenCount {
  readonly deadline: IsoDate | null;
  readonly isPaused: boolean;
  readonly count: number;
}

export interface CountyCount {
  readonly countyCode: string;
  readonly count: number;
}

/** What the repository reads: aggregates only. */
export interface DashboardFigures {
  readonly byTypeAndState: readonly TypeStateCount[];
  readonly finished: readonly FinishedCount[];
  readonly open: readonly OpenCount[];
  readonly settlementsApproved: readonly CountyCount[];
  readonly personsMovedIn: readonly CountyCount[];
}

export interface DashboardScope {
  /** The division the figures cover (a county, a city xxxx00 or a province xx0000). */
  readonly area: string;
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
  /** The day open applications are read against. */
  readonly asOf: IsoDate;
}

export interface Dashboard {
  readonly scope: DashboardScope & { readonly areaName: string };
  readonly totals: {
    readonly applications: number;
    readonly open: number;
    readonly finished: number;
    readonly withdrawn: number;
    readonly overdue: number;
    readonly settlementsApproved: number;
    readonly personsMovedIn: number;
  };
  /** The workflow's states in order, labelled. */
  readonly states: readonly { readonly state: ApplicationState; readonly label: Text }[];
  readonly byType: readonly {
    readonly typeId: string;
    readonly label: Text;
    readonly total: number;
    readonly counts: Readonly<Record<ApplicationState, number>>;
  }[];
  readonly compliance: {
    readonly dueSoonWorkingDays: number;
    readonly finished: { readonly withinLimit: number; readonly afterLimit: number };
    readonly open: {
      readonly onTime: number;
      readonly dueSoon: number;
      readonly overdue: number;
      readonly paused: number;
    };
  };
  readonly counties: readonly {
    readonly countyCode: string;
    readonly name: string;
    readonly settlementsApproved: number;
    readonly personsMovedIn: number;
  }[];
}

/** The HTTP answer (routes.ts): the figures and the areas the officer may narrow them to (`areasOf`). */
export type DashboardAnswer = Dashboard & {
  readonly areas: readonly { readonly code: string; readonly name: string }[];
};

const isState = (s: string): s is ApplicationState => (APPLICATION_STATES as readonly string[]).includes(s);
const isFinal = (s: ApplicationState) => (FINAL_STATES as readonly ApplicationState[]).includes(s);
const zeroCounts = () =>
  Object.fromEntries(APPLICATION_STATES.map((s) => [s, 0])) as Record<ApplicationState, number>;

/** The name of a division by its code (the code itself only for a code the tables do not know). */
export function divisionName(code: string): string {
  return findDivision(code)?.name ?? code;
}

/**
 * Whether an officer of `officerCounty` may see the figures of `area`: the area lies within the
 * officer's jurisdiction (a city officer may look at one of its counties, never the other way round).
 *
 * @example coversArea('330800', '330802') // true
 */
export function coversArea(officerCounty: string, area: string): boolean {
  return jurisdictionPrefix(area).startsWith(jurisdictionPrefix(officerCounty));
}

/**
 * The areas an officer may choose: the jurisdiction itself, then its divisions one level down.
 *
 * @example areasOf('330800').map((a) => a.name) // ['衢州市', '柯城区', '衢江区', …]
 */
export function areasOf(officerCounty: string): { code: string; name: string }[] {
  const own = { code: officerCounty, name: divisionName(officerCounty) };
  if (jurisdictionPrefix(officerCounty).length === 6) return [own];
  return [own, ...childDivisions(officerCounty).map((d) => ({ code: d.code, name: d.name }))];
}

/** How an open application stands on `today` against its deadline. */
export function openStanding(
  deadline: IsoDate | null,
  today: IsoDate,
  calendar: WorkingCalendar = CHINA_CALENDAR,
): 'onTime' | 'dueSoon' | 'overdue' | 'paused' {
  if (deadline === null) return 'paused';
  if (deadline < today) return 'overdue';
  return workingDaysBetween(today, deadline, calendar) <= DUE_SOON_WORKING_DAYS ? 'dueSoon' : 'onTime';
}

/** A type's label as its policy's catalogue names it, else its kind's. */
function typeLabeller(policies: readonly Policy[]) {
  const catalogues = new Map<string, ReturnType<typeof applicationTypesFor> | undefined>();
  return (row: Pick<TypeStateCount, 'typeId' | 'kind' | 'policyRef'>): Text => {
    if (!catalogues.has(row.policyRef)) {
      const policy = policies.find((p) => policyRef(p) === row.policyRef);
      catalogues.set(row.policyRef, policy ? applicationTypesFor(policy) : undefined);
    }
    const catalogue = catalogues.get(row.policyRef);
    const type = catalogue?.isValid ? findApplicationType(catalogue.catalogue, row.typeId) : undefined;
    return (
      type?.label ??
      (APPLICATION_KIND_LABELS as Record<string, Text | undefined>)[row.kind] ?? {
        zh: row.typeId,
        en: row.typeId,
      }
    );
  };
}

/**
 * The dashboard from the aggregates of one area and date range.
 *
 * @example buildDashboard(figures, { area: '330802', from: null, to: null, asOf: '2026-12-02' }, policies).totals.applications // 7
 */
export function buildDashboard(
  figures: DashboardFigures,
  scope: DashboardScope,
  policies: readonly Policy[],
  calendar: WorkingCalendar = CHINA_CALENDAR,
): Dashboard {
  const labelOf = typeLabeller(policies);
  const types = new Map<
    string,
    { typeId: string; label: Text; total: number; counts: Record<ApplicationState, number> }
  >();
  let applications = 0;
  let open = 0;
  let finished = 0;
  let withdrawn = 0;
  for (const row of figures.byTypeAndState) {
    if (!isState(row.state)) continue;
    const entry =
      types.get(row.typeId) ??
      types
        .set(row.typeId, { typeId: row.typeId, label: labelOf(row), total: 0, counts: zeroCounts() })
        .get(row.typeId)!;
    entry.counts[row.state] += row.count;
    entry.total += row.count;
    applications += row.count;
    if (row.state === 'withdrawn') withdrawn += row.count;
    else if (isFinal(row.state)) finished += row.count;
    else open += row.count;
  }

  const finishedCompliance = { withinLimit: 0, afterLimit: 0 };
  for (const row of figures.finished) {
    // A stopped clock without a deadline cannot be late: it never had a running limit to miss.
    const isLate = row.stoppedOn !== null && row.deadline !== null && row.stoppedOn > row.deadline;
    if (isLate) finishedCompliance.afterLimit += row.count;
    else finishedCompliance.withinLimit += row.count;
  }
  const openCompliance = { onTime: 0, dueSoon: 0, overdue: 0, paused: 0 };
  for (const row of figures.open)
    openCompliance[row.isPaused ? 'paused' : openStanding(row.deadline, scope.asOf, calendar)] += row.count;

  const counties = new Map<string, { settlementsApproved: number; personsMovedIn: number }>();
  const county = (code: string) =>
    counties.get(code) ?? counties.set(code, { settlementsApproved: 0, personsMovedIn: 0 }).get(code)!;
  for (const row of figures.settlementsApproved) county(row.countyCode).settlementsApproved += row.count;
  for (const row of figures.personsMovedIn) county(row.countyCode).personsMovedIn += row.count;
  const sum = (rows: readonly CountyCount[]) => rows.reduce((n, r) => n + r.count, 0);

  return {
    scope: { ...scope, areaName: divisionName(scope.area) },
    totals: {
      applications,
      open,
      finished,
      withdrawn,
      overdue: openCompliance.overdue,
      settlementsApproved: sum(figures.settlementsApproved),
      personsMovedIn: sum(figures.personsMovedIn),
    },
    states: APPLICATION_STATES.map((state) => ({ state, label: APPLICATION_STATE_LABELS[state] })),
    byType: [...types.values()].sort((a, b) => b.total - a.total || (a.typeId < b.typeId ? -1 : 1)),
    compliance: {
      dueSoonWorkingDays: DUE_SOON_WORKING_DAYS,
      finished: finishedCompliance,
      open: openCompliance,
    },
    counties: [...counties.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([countyCode, c]) => ({ countyCode, name: divisionName(countyCode), ...c })),
  };
}
