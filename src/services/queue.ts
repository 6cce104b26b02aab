/**
 * An officer's work queue: the open applications of the officer's jurisdiction (the accounts module's
 * county rule, `coversCounty`: a county office sees its county, a city bureau its counties), each with
 * its working-day clock read for today, ordered so that what is late comes first: overdue first, then
 * the nearest deadline, then the earliest submission (then the id, so the order is total). Applications
 * returned for materials wait for the applicant: they are left out unless asked for, and then come last.
 * Pure.
 */
import { coversCounty } from '../accounts/roles.js';
import { todayInChina, type IsoDate } from '../standards/calendar.js';
import {
  addWorkingDays,
  CHINA_CALENDAR,
  readClock,
  workingDaysBetween,
  type ClockOptions,
  type ClockReading,
  type WorkingCalendar,
  DUE_SOON_WORKING_DAYS,
} from './working-days.js';
import {
  APPLICATION_STATES,
  availableActions,
  FINAL_STATES,
  type Actor,
  type Application,
  type ApplicationActionName,
  type ApplicationState,
} from './workflow.js';

export { DUE_SOON_WORKING_DAYS };

/**
 * Where an application stands against its deadline today: paused while back with the applicant (the
 * deadline moves with the pause), overdue past it, due soon within `DUE_SOON_WORKING_DAYS` working days
 * of it, else on time. The dashboard's `openStanding` counts by the same bands.
 */
export const DEADLINE_BANDS = ['overdue', 'dueSoon', 'onTime', 'paused'] as const;
export type DeadlineBand = (typeof DEADLINE_BANDS)[number];

export const DEADLINE_BAND_LABELS = {
  overdue: { zh: '已超期', en: 'overdue' },
  dueSoon: {
    zh: `${DUE_SOON_WORKING_DAYS} 个工作日内到期`,
    en: `due within ${DUE_SOON_WORKING_DAYS} working days`,
  },
  onTime: { zh: '时限内', en: 'on time' },
  paused: { zh: '暂停计时（退回补正）', en: 'paused (returned for materials)' },
} as const satisfies Record<DeadlineBand, { zh: string; en: string }>;

/**
 * @example deadlineBand(readClock(clock, '2025-10-20'), '2025-10-20') // 'dueSoon' when the deadline is 23 Oct
 */
export function deadlineBand(
  clock: ClockReading,
  today: IsoDate,
  calendar: WorkingCalendar = CHINA_CALENDAR,
): DeadlineBand {
  if (clock.state === 'paused' || clock.deadline === null) return 'paused';
  if (clock.isOverdue) return 'overdue';
  return workingDaysBetween(today, clock.deadline, calendar) <= DUE_SOON_WORKING_DAYS ? 'dueSoon' : 'onTime';
}

export interface QueueItem {
  readonly application: Application;
  readonly clock: ClockReading;
  readonly band: DeadlineBand;
  /** What this officer may do with it now. */
  readonly actions: readonly ApplicationActionName[];
}

export interface QueueOptions extends ClockOptions {
  /** Include applications returned for materials (waiting for the applicant), after the others. */
  readonly includeWaiting?: boolean;
  /** Only applications this officer can act on now (a clerk's queue: to accept or return). */
  readonly onlyActionable?: boolean;
}

const isOpen = (state: ApplicationState) => !(FINAL_STATES as readonly ApplicationState[]).includes(state);

/** The queue order: waiting last; overdue first; nearest deadline; earliest submission; id. */
export function compareQueueItems(a: QueueItem, b: QueueItem): number {
  const waitingA = a.application.state === 'returned' ? 1 : 0;
  const waitingB = b.application.state === 'returned' ? 1 : 0;
  if (waitingA !== waitingB) return waitingA - waitingB;
  if (a.clock.isOverdue !== b.clock.isOverdue) return a.clock.isOverdue ? -1 : 1;
  const deadlineA = a.clock.deadline ?? a.clock.deadlineIfResumed;
  const deadlineB = b.clock.deadline ?? b.clock.deadlineIfResumed;
  if (deadlineA !== deadlineB) return deadlineA < deadlineB ? -1 : 1;
  const submittedA = Date.parse(a.application.submittedAt);
  const submittedB = Date.parse(b.application.submittedAt);
  if (submittedA !== submittedB) return submittedA - submittedB;
  return a.application.id < b.application.id ? -1 : a.application.id > b.application.id ? 1 : 0;
}

/**
 * The officer's queue on the day of `now` (China time).
 *
 * @example buildQueue(applications, { kind: 'officer', id: 'o1', roles: ['window-clerk'], countyCode: '330802' }, new Date())
 */
export function buildQueue(
  applications: readonly Application[],
  officer: Extract<Actor, { kind: 'officer' }>,
  now: Date,
  options: QueueOptions = {},
): QueueItem[] {
  const today: IsoDate = todayInChina(now);
  const items: QueueItem[] = [];
  for (const application of applications) {
    if (!coversCounty(officer.countyCode, application.countyCode)) continue;
    if (!isOpen(application.state)) continue;
    if (application.state === 'returned' && !options.includeWaiting) continue;
    const actions = availableActions(application, officer);
    if (options.onlyActionable && actions.length === 0) continue;
    const clock = readClock(application.clock, today, options);
    items.push({ application, clock, band: deadlineBand(clock, today, options.calendar), actions });
  }
  return items.sort(compareQueueItems);
}

export const QUEUE_SORTS = ['deadline', 'submitted', 'state'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

const stateRank = (state: ApplicationState) => APPLICATION_STATES.indexOf(state);

/**
 * A comparator for the clerk's chosen order. `deadline` ascending is the queue order itself (waiting
 * last, overdue first); the other keys fall back to it on ties so that pages never shuffle.
 */
export function queueComparator(sort: QueueSort, order: SortOrder): (a: QueueItem, b: QueueItem) => number {
  const sign = order === 'asc' ? 1 : -1;
  switch (sort) {
    case 'deadline':
      return (a, b) => sign * compareQueueItems(a, b);
    case 'submitted':
      return (a, b) =>
        sign * (Date.parse(a.application.submittedAt) - Date.parse(b.application.submittedAt)) ||
        compareQueueItems(a, b);
    case 'state':
      return (a, b) =>
        sign * (stateRank(a.application.state) - stateRank(b.application.state)) || compareQueueItems(a, b);
  }
}

export interface QueuePageRequest {
  readonly bands?: readonly DeadlineBand[];
  readonly sort?: QueueSort;
  readonly order?: SortOrder;
  /** 1-based. */
  readonly page: number;
  readonly pageSize: number;
}

export interface QueuePage<T> {
  readonly items: T[];
  /** Items matching the filters, over all pages. */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

/**
 * Filters a built queue by deadline band (the one filter that needs today's clock, so it cannot be SQL),
 * sorts it and cuts one page. A page past the end is empty, with the true total.
 *
 * @example pageOfQueue(buildQueue(apps, officer, now), { bands: ['overdue'], page: 1, pageSize: 20 })
 */
export function pageOfQueue(items: readonly QueueItem[], request: QueuePageRequest): QueuePage<QueueItem> {
  const bands = request.bands && request.bands.length > 0 ? new Set(request.bands) : undefined;
  const kept = items.filter((i) => !bands || bands.has(i.band));
  kept.sort(queueComparator(request.sort ?? 'deadline', request.order ?? 'asc'));
  const start = (request.page - 1) * request.pageSize;
  return {
    items: kept.slice(start, start + request.pageSize),
    total: kept.length,
    page: request.page,
    pageSize: request.pageSize,
  };
}

/**
 * What the database keeps of a clock for the queue to filter and order in SQL: `queueDueOn` is the
 * deadline, or while paused the deadline had the applicant resubmitted on the day of the return (the
 * queue's order key); `pausedOn` the day the open pause began. Neither depends on today, so they are
 * written with the clock at each state change; null once the application is closed.
 *
 * @example queueClockColumns(app) // { queueDueOn: '2025-10-23', pausedOn: null }
 */
export function queueClockColumns(
  application: Pick<Application, 'state' | 'clock'>,
  options: ClockOptions = {},
): { queueDueOn: IsoDate | null; pausedOn: IsoDate | null } {
  if (!isOpen(application.state)) return { queueDueOn: null, pausedOn: null };
  const last = application.clock.pauses.at(-1);
  const pausedOn = last && last.to === null ? last.from : null;
  // Read on the start day: the deadline (if resumed) does not depend on the day it is read.
  const reading = readClock({ ...application.clock, stoppedOn: null }, application.clock.startedOn, options);
  return { queueDueOn: reading.deadlineIfResumed, pausedOn };
}

/**
 * The deadline bands as ranges of `queueDueOn` on `today`, for SQL: overdue before `today`; due soon
 * from `today` to the day before `onTimeFrom` (the (N+1)-th working day after today, N =
 * `DUE_SOON_WORKING_DAYS`: a deadline is at most N working days away iff it lies before it); on time
 * from `onTimeFrom`. A paused clock is its own band whatever its date.
 *
 * @example bandBounds('2025-10-20') // { today: '2025-10-20', onTimeFrom: '2025-10-24' }
 */
export function bandBounds(
  today: IsoDate,
  calendar: WorkingCalendar = CHINA_CALENDAR,
): { today: IsoDate; onTimeFrom: IsoDate } {
  return { today, onTimeFrom: addWorkingDays(today, DUE_SOON_WORKING_DAYS + 1, calendar) };
}

/**
 * The (state, needs county approval) pairs of open applications an officer can act on: the
 * `onlyActionable` filter as data for SQL, from the one transition table.
 */
export function actionableStates(
  officer: Extract<Actor, { kind: 'officer' }>,
): { state: ApplicationState; needsCountyApproval: boolean }[] {
  const pairs: { state: ApplicationState; needsCountyApproval: boolean }[] = [];
  for (const state of APPLICATION_STATES.filter(isOpen))
    for (const needsCountyApproval of [false, true]) {
      const probe: Application = {
        id: '',
        typeId: '',
        needsCountyApproval,
        countyCode: officer.countyCode,
        applicantId: '',
        state,
        submittedAt: '',
        clock: { startedOn: '2000-01-01', workingDays: 1, pauses: [] },
        requiredChanges: [],
        version: 0,
      };
      if (availableActions(probe, officer).length > 0) pairs.push({ state, needsCountyApproval });
    }
  return pairs;
}
