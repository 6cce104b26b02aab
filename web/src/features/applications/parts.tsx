/** Pieces shared by the resident's and the officers' application pages. */
import { Alert, Tag } from 'antd';
import type { Application, Completeness, RequiredChange } from './api';
import { useLocalText } from '../../app/lang';
import { useT } from './texts';

const STATE_COLOR: Record<string, string> = {
  submitted: 'blue',
  returned: 'orange',
  accepted: 'cyan',
  reviewed: 'geekblue',
  'county-approval': 'purple',
  approved: 'green',
  done: 'green',
  refused: 'red',
  'not-accepted': 'red',
  withdrawn: 'default',
};

export function StateTag({ application }: { readonly application: Application }) {
  const text = useLocalText();
  return (
    <Tag color={STATE_COLOR[application.state] ?? 'default'} data-testid="state">
      {text(application.stateLabel)}
    </Tag>
  );
}

/** States after a decision or a withdrawal: no time limit runs any more. */
export const FINISHED_STATES = ['approved', 'refused', 'not-accepted', 'withdrawn', 'done'];

/** The day in China's calendar, as the register dates things. */
const chinaDay = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso));

export function ClockText({ application }: { readonly application: Application }) {
  const t = useT();
  const text = useLocalText();
  const c = application.clock;
  // A finished application shows how it ended and when, never a countdown.
  if (FINISHED_STATES.includes(application.state))
    return (
      <span data-testid="finished">
        {t('finishedOn', { outcome: text(application.stateLabel), date: chinaDay(application.updatedAt) })}
      </span>
    );
  if (c.isOverdue)
    return (
      <span className="overdue" style={{ color: '#b4232a', fontWeight: 600 }} data-overdue="true">
        {t('overdue')} · {c.deadline ?? ''}
      </span>
    );
  if (c.state === 'paused') return <span>{t('paused')}</span>;
  if (c.state === 'stopped') return <span>{t('stopped')}</span>;
  return (
    <span>{t('deadlineOn', { date: c.deadline ?? '', n: c.remainingWorkingDays ?? c.workingDays })}</span>
  );
}

export function ChangeLine({ change }: { readonly change: RequiredChange }) {
  const t = useT();
  const text = useLocalText();
  if (change.kind === 'missing') return <>{t('missing', { label: text(change.label) })}</>;
  if (change.kind === 'redo')
    return <>{t('redo', { label: text(change.label), reason: text(change.reason) })}</>;
  if (change.kind === 'field')
    return <>{t('fieldToCorrect', { label: text(change.label), reason: text(change.reason) })}</>;
  return <>{t('correction', { label: text(change.label), reason: text(change.reason) })}</>;
}

export function CompletenessView({ report }: { readonly report: Completeness }) {
  const t = useT();
  const items = [...report.missing, ...report.toRedo];
  if (report.isComplete)
    return <Alert type="success" showIcon message={t('complete')} data-testid="completeness" />;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="completeness"
      message={t('completeness')}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {items.map((c, i) => (
            <li key={i}>
              <ChangeLine change={c} />
            </li>
          ))}
        </ul>
      }
    />
  );
}
