/**
 * The workflow of an online hukou application, as one table of data (`TRANSITIONS`): for each state, the
 * actions that may be taken, who may take them and the state they lead to. `transition` checks an action
 * against the table and returns the new application and the event to record, or a typed refusal the
 * HTTP layer maps to a status (409 for an action outside the table). State is a fold over the events
 * (`applyApplicationEvent`), so what `transition` returns is exactly what replaying its events gives.
 * Pure: no clock, no database; `now` is passed in.
 *
 *   submitted ─accept→ accepted ─review→ reviewed ─approve→ approved ─complete→ done
 *       │  ↑                │                 │ └─refer-to-county→ county-approval ─record-county-approval→ approved
 *     return  resubmit    return            refuse / (county-approval) refuse → refused
 *       ↓  │                ↓
 *     returned ←────────────┘             withdraw (applicant, any state before a decision) → withdrawn
 *
 * - Returned for materials: the window clerk (at acceptance) or the reviewer (during review) returns
 *   with the whole list of what must change (`buildReturnNotice`); the applicant resubmits; the
 *   working-day clock pauses meanwhile (`working-days.ts`).
 * - Not accepted (不予受理): the window clerk declines to accept an application the office cannot accept
 *   (《行政许可法》第三十二条: not within its remit, or not a matter for this procedure), citing the rule
 *   as a refusal does; the applicant receives a 不予受理决定书. It ends the application.
 * - Refused: the approver (or, for the county government's "no", the approver recording it) must cite a
 *   rule: an article id of the policy digest and the sentence quoted from it.
 * - County-government approval: types whose pathway leaves a decision to a county-level government
 *   (qz-final/2 "specially needed" talents) go through `refer-to-county`; they cannot be approved
 *   directly, and the others cannot be referred.
 * - Withdrawn: by the applicant, only before a decision (approve, refuse).
 */
import { coversCounty, type Role } from '../accounts/roles.js';
import { DIGEST_ARTICLE_IDS } from '../policy/digest-articles.js';
import type { Text } from '../policy/policy.js';
import { todayInChina, type IsoDate } from '../standards/calendar.js';
import type { RequiredChange } from './completeness.js';
import {
  findForbiddenDemand,
  type ForbiddenDemand,
  type GuaranteeSource,
} from '../policy/forbidden-demands.js';
import type { Clock } from './working-days.js';
import type { FieldChange } from './corrections.js';

export const APPLICATION_STATES = [
  'submitted',
  'returned',
  'accepted',
  'reviewed',
  'county-approval',
  'approved',
  'done',
  'refused',
  'not-accepted',
  'withdrawn',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const APPLICATION_STATE_LABELS = {
  submitted: { zh: '已提交', en: 'submitted' },
  returned: { zh: '退回补正', en: 'returned for materials' },
  accepted: { zh: '已受理', en: 'accepted' },
  reviewed: { zh: '已审核', en: 'reviewed' },
  'county-approval': { zh: '报县级人民政府审批中', en: 'awaiting county-government approval' },
  approved: { zh: '已批准', en: 'approved' },
  done: { zh: '已办结', en: 'done' },
  refused: { zh: '不予批准', en: 'refused' },
  'not-accepted': { zh: '不予受理', en: 'not accepted' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
} as const satisfies Record<ApplicationState, Text>;

export const APPLICATION_ACTIONS = [
  'accept',
  'return',
  'resubmit',
  'review',
  'refer-to-county',
  'record-county-approval',
  'approve',
  'refuse',
  'decline',
  'complete',
  'withdraw',
] as const;
export type ApplicationActionName = (typeof APPLICATION_ACTIONS)[number];

export const APPLICATION_ACTION_LABELS = {
  accept: { zh: '受理', en: 'accept' },
  return: { zh: '退回补正', en: 'return for materials' },
  resubmit: { zh: '补正后重新提交', en: 'resubmit' },
  review: { zh: '审核', en: 'review' },
  'refer-to-county': { zh: '报请县级人民政府审批', en: 'refer to the county government' },
  'record-county-approval': { zh: '登记县级人民政府批准', en: 'record the county government approval' },
  approve: { zh: '审批通过', en: 'approve' },
  refuse: { zh: '不予批准', en: 'refuse' },
  decline: { zh: '不予受理', en: 'decline to accept' },
  complete: { zh: '办结并登记', en: 'complete and register' },
  withdraw: { zh: '撤回申请', en: 'withdraw' },
} as const satisfies Record<ApplicationActionName, Text>;

/** Who takes an action: the applicant, or an officer role (`src/accounts/roles.ts`). */
export type Performer = 'applicant' | Role;

export interface TransitionRule {
  readonly to: ApplicationState;
  readonly by: readonly Performer[];
  /** Only for types with (or without) the county-government approval step. */
  readonly only?: 'with-county-approval' | 'without-county-approval';
}

const WITHDRAW = { to: 'withdrawn', by: ['applicant'] } as const satisfies TransitionRule;

/** The one transition table. A state without an entry for an action does not allow it (409). */
export const TRANSITIONS = {
  submitted: {
    accept: { to: 'accepted', by: ['window-clerk'] },
    return: { to: 'returned', by: ['window-clerk'] },
    decline: { to: 'not-accepted', by: ['window-clerk'] },
    withdraw: WITHDRAW,
  },
  returned: {
    resubmit: { to: 'submitted', by: ['applicant'] },
    withdraw: WITHDRAW,
  },
  accepted: {
    review: { to: 'reviewed', by: ['reviewer'] },
    return: { to: 'returned', by: ['reviewer'] },
    withdraw: WITHDRAW,
  },
  reviewed: {
    approve: { to: 'approved', by: ['approver'], only: 'without-county-approval' },
    'refer-to-county': { to: 'county-approval', by: ['approver'], only: 'with-county-approval' },
    refuse: { to: 'refused', by: ['approver'] },
    withdraw: WITHDRAW,
  },
  'county-approval': {
    'record-county-approval': { to: 'approved', by: ['approver'] },
    refuse: { to: 'refused', by: ['approver'] },
    withdraw: WITHDRAW,
  },
  approved: {
    complete: { to: 'done', by: ['registrar'] },
  },
  done: {},
  refused: {},
  'not-accepted': {},
  withdrawn: {},
} as const satisfies Record<ApplicationState, Partial<Record<ApplicationActionName, TransitionRule>>>;

/** States the clock stops in: nothing more can happen. */
export const FINAL_STATES = [
  'done',
  'refused',
  'not-accepted',
  'withdrawn',
] as const satisfies readonly ApplicationState[];

/** A refusal's reason: the rule it rests on, as an article id of the digest and the quoted sentence. */
export interface RuleCitation {
  readonly article: string;
  readonly quote: string;
  readonly explanation: Text;
}

export type ApplicationAction =
  | { readonly type: 'accept' }
  | { readonly type: 'return'; readonly changes: readonly RequiredChange[] }
  /**
   * `corrections`: the returned fields the applicant changed, before → after (`corrections.ts`), so the
   * history and the officer see what changed.
   */
  | { readonly type: 'resubmit'; readonly corrections?: readonly FieldChange[] }
  | { readonly type: 'review'; readonly recommendation: 'approve' | 'refuse'; readonly note?: Text }
  /**
   * `justification`: required by the services layer when the engine found the pathway not met
   * (`HUJI_APPLICATION_NOT_ELIGIBLE`): the article and sentence the officer approves under, and why.
   */
  | { readonly type: 'refer-to-county'; readonly justification?: RuleCitation }
  /** `document`: the reference of the county government's written approval. */
  | { readonly type: 'record-county-approval'; readonly document: string }
  | { readonly type: 'approve'; readonly justification?: RuleCitation }
  | { readonly type: 'refuse'; readonly reason: RuleCitation }
  /** 不予受理 at the window, with the rule it rests on. */
  | { readonly type: 'decline'; readonly reason: RuleCitation }
  | { readonly type: 'complete' }
  | { readonly type: 'withdraw'; readonly note?: string };

export type Actor =
  | { readonly kind: 'applicant'; readonly id: string }
  | {
      readonly kind: 'officer';
      readonly id: string;
      readonly roles: readonly Role[];
      /** A county, a city (xxxx00) or a province (xx0000). */
      readonly countyCode: string;
    };

export interface Application {
  readonly id: string;
  readonly typeId: string;
  readonly needsCountyApproval: boolean;
  /** The county office that handles it (jurisdiction). */
  readonly countyCode: string;
  readonly applicantId: string;
  readonly state: ApplicationState;
  /** ISO instant of the first submission. */
  readonly submittedAt: string;
  readonly clock: Clock;
  /** What the current (or last) return asks to change. */
  readonly requiredChanges: readonly RequiredChange[];
  readonly refusal?: RuleCitation;
  readonly countyApprovalDocument?: string;
  /** Number of events folded: the version for optimistic concurrency. */
  readonly version: number;
}

export interface ActorRef {
  readonly kind: Actor['kind'];
  readonly id: string;
  readonly roles?: readonly Role[];
}

export type ApplicationEvent =
  | {
      readonly type: 'application.submitted';
      readonly at: string;
      readonly actor: ActorRef;
      readonly application: {
        readonly id: string;
        readonly typeId: string;
        readonly needsCountyApproval: boolean;
        readonly countyCode: string;
        readonly workingDays: number;
      };
    }
  | {
      readonly type: 'application.transitioned';
      readonly at: string;
      readonly actor: ActorRef;
      readonly action: ApplicationAction;
      readonly from: ApplicationState;
      readonly to: ApplicationState;
    };

/** A typed refusal; `status` is the HTTP answer the shell gives it. */
export type TransitionRefusal =
  | {
      readonly code: 'HUJI_APPLICATION_NOT_FOUND';
      readonly status: 404;
    }
  | {
      readonly code: 'HUJI_APPLICATION_ROLE';
      readonly status: 403;
      readonly action: ApplicationActionName;
      readonly needs: readonly Performer[];
    }
  | {
      readonly code: 'HUJI_APPLICATION_TRANSITION';
      readonly status: 409;
      readonly state: ApplicationState;
      readonly action: ApplicationActionName;
      /** The actions the table allows in this state for this application. */
      readonly allowed: readonly ApplicationActionName[];
    }
  | {
      readonly code: 'HUJI_APPLICATION_CITATION';
      readonly status: 422;
      readonly problem: 'unknown-article' | 'article-not-in-policy' | 'quote-not-in-article' | 'empty';
    }
  | {
      readonly code: 'HUJI_APPLICATION_RETURN_EMPTY';
      readonly status: 422;
    }
  | {
      readonly code: 'HUJI_APPLICATION_FORBIDDEN_DEMAND';
      readonly status: 422;
      readonly item: number;
      readonly demand: ForbiddenDemand;
    };

export type TransitionResult =
  | { readonly ok: true; readonly application: Application; readonly events: readonly ApplicationEvent[] }
  | { readonly ok: false; readonly refusal: TransitionRefusal };

function ruleOf(state: ApplicationState, action: ApplicationActionName): TransitionRule | undefined {
  return (TRANSITIONS[state] as Partial<Record<ApplicationActionName, TransitionRule>>)[action];
}

function fitsType(rule: TransitionRule, needsCountyApproval: boolean): boolean {
  if (rule.only === 'with-county-approval') return needsCountyApproval;
  if (rule.only === 'without-county-approval') return !needsCountyApproval;
  return true;
}

function performs(actor: Actor, by: readonly Performer[]): boolean {
  return actor.kind === 'applicant' ? by.includes('applicant') : actor.roles.some((r) => by.includes(r));
}

/**
 * Whether the actor may see the application at all (else it answers 404, security.md): the applicant's
 * own, or within the officer's county by the accounts module's rule (`coversCounty`).
 */
export function canSee(application: Pick<Application, 'applicantId' | 'countyCode'>, actor: Actor): boolean {
  return actor.kind === 'applicant'
    ? actor.id === application.applicantId
    : coversCounty(actor.countyCode, application.countyCode);
}

/** The actions the table allows in the application's state, whoever takes them. */
export function allowedActions(
  application: Pick<Application, 'state' | 'needsCountyApproval'>,
): ApplicationActionName[] {
  return APPLICATION_ACTIONS.filter((action) => {
    const rule = ruleOf(application.state, action);
    return rule !== undefined && fitsType(rule, application.needsCountyApproval);
  });
}

/** The actions this actor may take now. */
export function availableActions(application: Application, actor: Actor): ApplicationActionName[] {
  if (!canSee(application, actor)) return [];
  return allowedActions(application).filter((action) => {
    const rule = ruleOf(application.state, action);
    return rule !== undefined && performs(actor, rule.by);
  });
}

const normalise = (s: string) => s.replace(/[\s，,。.；;：:、“”"'（）()]/gu, '');

/** Checks a refusal's citation: a digest article, of the policy when given, quoting its sentence. */
export function checkCitation(
  citation: RuleCitation,
  policy?: Pick<GuaranteeSource, 'articles'>,
): Extract<TransitionRefusal, { code: 'HUJI_APPLICATION_CITATION' }>['problem'] | undefined {
  if (!citation.quote.trim() || !citation.explanation.zh.trim() || !citation.explanation.en.trim())
    return 'empty';
  if (!DIGEST_ARTICLE_IDS.includes(citation.article)) return 'unknown-article';
  if (!policy) return undefined;
  const article = policy.articles.find((a) => a.id === citation.article);
  if (!article) return 'article-not-in-policy';
  const quote = normalise(citation.quote);
  if (!quote || !normalise(article.quote).includes(quote)) return 'quote-not-in-article';
  return undefined;
}

function actorRef(actor: Actor): ActorRef {
  return actor.kind === 'applicant'
    ? { kind: 'applicant', id: actor.id }
    : { kind: 'officer', id: actor.id, roles: [...actor.roles] };
}

export interface SubmissionInput {
  readonly id: string;
  readonly typeId: string;
  readonly needsCountyApproval: boolean;
  readonly countyCode: string;
  /** The type's time limit (`ApplicationType.timeLimit.workingDays`). */
  readonly workingDays: number;
}

/** A new application and its first event. */
export function submitApplication(
  input: SubmissionInput,
  applicant: Extract<Actor, { kind: 'applicant' }>,
  now: Date,
): { application: Application; events: ApplicationEvent[] } {
  const event: ApplicationEvent = {
    type: 'application.submitted',
    at: now.toISOString(),
    actor: actorRef(applicant),
    application: { ...input },
  };
  return { application: applyApplicationEvent(undefined, event), events: [event] };
}

const chinaDate = (instant: string): IsoDate => todayInChina(new Date(instant));

/** One step of the fold: the application after the event. */
export function applyApplicationEvent(
  application: Application | undefined,
  event: ApplicationEvent,
): Application {
  if (event.type === 'application.submitted') {
    if (application) throw new Error('an application is submitted once');
    return {
      id: event.application.id,
      typeId: event.application.typeId,
      needsCountyApproval: event.application.needsCountyApproval,
      countyCode: event.application.countyCode,
      applicantId: event.actor.id,
      state: 'submitted',
      submittedAt: event.at,
      clock: { startedOn: chinaDate(event.at), workingDays: event.application.workingDays, pauses: [] },
      requiredChanges: [],
      version: 1,
    };
  }
  if (!application) throw new Error('the first event of an application is its submission');
  if (application.state !== event.from) throw new Error(`event from ${event.from} on ${application.state}`);
  const day = chinaDate(event.at);
  let clock = application.clock;
  if (event.to === 'returned') clock = { ...clock, pauses: [...clock.pauses, { from: day, to: null }] };
  if (event.from === 'returned')
    clock = { ...clock, pauses: clock.pauses.map((p) => (p.to === null ? { from: p.from, to: day } : p)) };
  if ((FINAL_STATES as readonly ApplicationState[]).includes(event.to)) clock = { ...clock, stoppedOn: day };
  const action = event.action;
  return {
    ...application,
    state: event.to,
    clock,
    requiredChanges: action.type === 'return' ? action.changes : application.requiredChanges,
    ...(action.type === 'refuse' || action.type === 'decline' ? { refusal: action.reason } : {}),
    ...(action.type === 'record-county-approval' ? { countyApprovalDocument: action.document } : {}),
    version: application.version + 1,
  };
}

/** The application its events describe (undefined for none). */
export function foldApplication(events: readonly ApplicationEvent[]): Application | undefined {
  return events.reduce<Application | undefined>(applyApplicationEvent, undefined);
}

const refuse = (refusal: TransitionRefusal): TransitionResult => ({ ok: false, refusal });

/**
 * Takes an action on an application: the new application and the events to record, or why not.
 * Checks, in order: the actor may see it (404), the actor's roles may ever take the action (403), the
 * table allows it in this state for this type (409), the payload (422: refusal citation, return list).
 *
 * @example transition(app, { type: 'accept' }, clerk, new Date()) // { ok: true, application: { state: 'accepted', … }, events: [ … ] }
 */
export function transition(
  application: Application,
  action: ApplicationAction,
  actor: Actor,
  now: Date,
  policy?: GuaranteeSource,
): TransitionResult {
  if (!canSee(application, actor)) return refuse({ code: 'HUJI_APPLICATION_NOT_FOUND', status: 404 });
  const everBy = new Set<Performer>();
  for (const state of APPLICATION_STATES) for (const p of ruleOf(state, action.type)?.by ?? []) everBy.add(p);
  if (!performs(actor, [...everBy]))
    return refuse({ code: 'HUJI_APPLICATION_ROLE', status: 403, action: action.type, needs: [...everBy] });
  const rule = ruleOf(application.state, action.type);
  if (!rule || !fitsType(rule, application.needsCountyApproval) || !performs(actor, rule.by)) {
    return refuse({
      code: 'HUJI_APPLICATION_TRANSITION',
      status: 409,
      state: application.state,
      action: action.type,
      allowed: allowedActions(application),
    });
  }
  const citation =
    action.type === 'refuse' || action.type === 'decline'
      ? action.reason
      : action.type === 'approve' || action.type === 'refer-to-county'
        ? action.justification
        : undefined;
  if (citation) {
    const problem = checkCitation(citation, policy);
    if (problem) return refuse({ code: 'HUJI_APPLICATION_CITATION', status: 422, problem });
  }
  if (action.type === 'return') {
    if (action.changes.length === 0) return refuse({ code: 'HUJI_APPLICATION_RETURN_EMPTY', status: 422 });
    for (const [item, change] of action.changes.entries()) {
      for (const text of [change.label, 'reason' in change ? change.reason : undefined]) {
        const demand = text && findForbiddenDemand(text, policy);
        if (demand) return refuse({ code: 'HUJI_APPLICATION_FORBIDDEN_DEMAND', status: 422, item, demand });
      }
    }
  }
  const event: ApplicationEvent = {
    type: 'application.transitioned',
    at: now.toISOString(),
    actor: actorRef(actor),
    action,
    from: application.state,
    to: rule.to,
  };
  return { ok: true, application: applyApplicationEvent(application, event), events: [event] };
}
