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
import { readClock, type ClockOptions, type ClockReading } from './working-days.js';
import {
  availableActions,
  FINAL_STATES,
  type Actor,
  type Application,
  type ApplicationActionName,
  type ApplicationState,
} from './workflow.js';

export interface QueueItem {
  readonly application: Application;
  readonly clock: ClockReading;
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
    items.push({ application, clock: readClock(application.clock, today, options), actions });
  }
  return items.sort(compareQueueItems);
}
