/**
 * The engine's assessment written for the officer: the pathway applied for and its outcome, a table of
 * only the declared facts its conditions read (value seen, met or not, article), the movers after the
 * applicant as followers with the engine's word on each, and the articles quoted. No resident wording.
 */
import { Alert, Descriptions, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { Decision } from '../../../../../src/policy/evaluate';
import {
  explainForOfficer,
  type MoverRef,
  type OfficerFollower,
  type UsedFact,
} from '../../../../../src/policy/officer-explanation';
import { useLocalText } from '../../../app/lang';
import { useCodeLabel } from '../../register/labels';
import { useOfficerT } from './texts';

const STATUS_COLOR = { met: 'green', not_met: 'red', needs_approval: 'orange' } as const;
const OUTCOME_TYPE = { eligible: 'success', needs_approval: 'warning', not_eligible: 'error' } as const;
const FOLLOWER_COLOR: Record<OfficerFollower['status'], string> = {
  may_follow: 'green',
  may_not_follow: 'red',
  capped: 'orange',
  applicant_not_eligible: 'default',
  not_assessed: 'gold',
};

export function OfficerExplanation({
  decision,
  pathway,
  movers,
}: {
  readonly decision: Decision;
  readonly pathway: string | null | undefined;
  readonly movers: readonly MoverRef[];
}) {
  const t = useOfficerT();
  const text = useLocalText();
  const label = useCodeLabel();
  const x = useMemo(() => explainForOfficer(decision, pathway, movers), [decision, pathway, movers]);
  return (
    <div className="stack" data-testid="officer-explanation">
      <Alert
        type={OUTCOME_TYPE[x.outcome]}
        showIcon
        message={<strong data-testid="outcome">{t(`outcomes.${x.outcome}`)}</strong>}
        description={
          <Descriptions size="small" column={3}>
            {x.pathway ? (
              <Descriptions.Item label={t('pathway')}>
                {text(x.pathway.title)}（{x.pathway.article}）
              </Descriptions.Item>
            ) : null}
            {x.decidedBy ? (
              <Descriptions.Item label={t('decidedBy')}>{text(x.decidedBy)}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('policy')}>{x.policy}</Descriptions.Item>
          </Descriptions>
        }
      />
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
        {t('factsUsed')}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey={(f, i) => `${f.fact}/${i ?? 0}`}
        data-testid="facts-used"
        dataSource={[...x.facts]}
        columns={[
          { title: t('condition'), render: (_: unknown, f: UsedFact) => text(f.text) },
          {
            title: t('declared'),
            render: (_: unknown, f: UsedFact) =>
              f.actualText ? text(f.actualText) : f.authority ? text(f.authority) : '—',
          },
          {
            title: t('result'),
            render: (_: unknown, f: UsedFact) => (
              <Tag color={STATUS_COLOR[f.status]}>{t(`status.${f.status}`)}</Tag>
            ),
          },
          { title: t('article'), dataIndex: 'article' },
        ]}
      />
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
        {t('followers')}
      </Typography.Title>
      {x.followers.length === 0 ? (
        <Typography.Text data-testid="followers">{t('noFollowers')}</Typography.Text>
      ) : (
        <ul className="condition-list" data-testid="followers">
          {x.followers.map((f, i) => (
            <li key={i} data-status={f.status}>
              <strong>{f.name}</strong>（{label('relationship', f.relationship)}）{' '}
              <Tag color={FOLLOWER_COLOR[f.status]}>{t(`followerStatus.${f.status}`)}</Tag>
              {/* The engine's sentence only where it says more than the tag: why not, or the cap. */}
              {f.text && f.status !== 'may_follow' ? <span className="muted">{text(f.text)}</span> : null}
              {f.article ? <span className="muted">（{f.article}）</span> : null}
            </li>
          ))}
        </ul>
      )}
      {x.assessedNotMoving > 0 ? (
        <Typography.Text className="muted">
          {t('assessedNotMoving', { n: x.assessedNotMoving })}
        </Typography.Text>
      ) : null}
      <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
        {t('basis')}
      </Typography.Title>
      <ul data-testid="basis">
        {x.articles.map((a) => (
          <li key={a.id}>
            <strong>{a.id}</strong> “{a.quote}”
          </li>
        ))}
      </ul>
    </div>
  );
}
