/**
 * What people are told when an application changes (issue 5: "notifications on every change"): the
 * applicant always, in the app and by SMS through the outbox; the office role that acts next, in the
 * app. Texts in Chinese and English; the SMS is Chinese (the carriers' templates are). Pure.
 */
import type { Text } from '../policy/policy.js';
import type { Role } from '../accounts/roles.js';
import {
  APPLICATION_ACTION_LABELS,
  APPLICATION_STATE_LABELS,
  APPLICATION_STATES,
  TRANSITIONS,
  type ApplicationEvent,
  type ApplicationState,
  type Performer,
} from './workflow.js';

export interface NotificationDraft {
  readonly recipientKind: 'applicant' | 'role';
  /** `provider:subject` of the applicant, or `role@county`. */
  readonly recipient: string;
  readonly title: Text;
  readonly body: Text;
  /** For the applicant: the SMS text (sent through the outbox when the provider knows a phone). */
  readonly sms?: string;
}

export interface NotificationContext {
  readonly reference: string;
  readonly typeLabel: Text;
  readonly countyCode: string;
  readonly applicantId: string;
  /** The deadline (a working day) when the clock runs. */
  readonly deadline?: string | null;
}

/** The officer roles that can take an action in a state: who must be told it is their turn. */
export function rolesActingIn(state: ApplicationState): Role[] {
  const roles = new Set<Role>();
  for (const rule of Object.values(TRANSITIONS[state]) as { by: readonly Performer[] }[])
    for (const p of rule.by) if (p !== 'applicant') roles.add(p);
  return [...roles];
}

/**
 * The states in which a role has something to do: a role's to-do notification about an application is
 * current only while the application is in one of them (once it has moved on, the work is done).
 *
 * @example statesAwaiting('window-clerk') // ['submitted']
 */
export function statesAwaiting(role: Role): ApplicationState[] {
  return APPLICATION_STATES.filter((state) => rolesActingIn(state).includes(role));
}

function applicantText(event: ApplicationEvent, ctx: NotificationContext): { title: Text; body: Text } {
  const ref = ctx.reference;
  const type = ctx.typeLabel;
  if (event.type === 'application.submitted') {
    const due = ctx.deadline ? { zh: `，办理时限至 ${ctx.deadline}`, en: `; due by ${ctx.deadline}` } : null;
    return {
      title: { zh: `申请已提交：${ref}`, en: `Application submitted: ${ref}` },
      body: {
        zh: `您的“${type.zh}”申请已提交，受理编号 ${ref}${due?.zh ?? ''}。`,
        en: `Your application "${type.en}" was submitted, reference ${ref}${due?.en ?? ''}.`,
      },
    };
  }
  const to = APPLICATION_STATE_LABELS[event.to];
  const action = event.action;
  let extra: Text = { zh: '', en: '' };
  if (action.type === 'return')
    extra = {
      zh: `需补正 ${action.changes.length} 项：${action.changes.map((c) => c.label.zh).join('；')}。`,
      en: ` ${action.changes.length} item(s) to change: ${action.changes.map((c) => c.label.en).join('; ')}.`,
    };
  if (action.type === 'refuse' || action.type === 'decline')
    extra = {
      zh: `理由：${action.reason.explanation.zh}（依据 ${action.reason.article}：“${action.reason.quote}”）`,
      en: ` Reason: ${action.reason.explanation.en} (under ${action.reason.article}: "${action.reason.quote}")`,
    };
  return {
    title: { zh: `申请${to.zh}：${ref}`, en: `Application ${to.en}: ${ref}` },
    body: {
      zh: `您的“${type.zh}”申请（${ref}）${to.zh}。${extra.zh}`,
      en: `Your application "${type.en}" (${ref}) is ${to.en}.${extra.en}`,
    },
  };
}

/**
 * The notifications of one event: the applicant's (with its SMS) and one per office role whose turn
 * it now is, in the application's county.
 */
export function notificationsFor(event: ApplicationEvent, ctx: NotificationContext): NotificationDraft[] {
  const mine = applicantText(event, ctx);
  const drafts: NotificationDraft[] = [
    {
      recipientKind: 'applicant',
      recipient: ctx.applicantId,
      ...mine,
      sms: `【户籍业务】${mine.body.zh}`,
    },
  ];
  const state: ApplicationState = event.type === 'application.submitted' ? 'submitted' : event.to;
  for (const role of rolesActingIn(state)) {
    const next = Object.entries(TRANSITIONS[state])
      .filter(([, rule]) => (rule as { by: readonly Performer[] }).by.includes(role))
      .map(([action]) => APPLICATION_ACTION_LABELS[action as keyof typeof APPLICATION_ACTION_LABELS]);
    drafts.push({
      recipientKind: 'role',
      recipient: `${role}@${ctx.countyCode}`,
      title: { zh: `待办：${ctx.reference}`, en: `To do: ${ctx.reference}` },
      body: {
        zh: `“${ctx.typeLabel.zh}”申请 ${ctx.reference} 待${next.map((n) => n.zh).join('或')}${ctx.deadline ? `，时限 ${ctx.deadline}` : ''}。`,
        en: `Application ${ctx.reference} ("${ctx.typeLabel.en}") awaits: ${next.map((n) => n.en).join(' or ')}${ctx.deadline ? `; due ${ctx.deadline}` : ''}.`,
      },
    });
  }
  return drafts;
}
