/**
 * A decision of the engine as a person reads it: the outcome and the pathway it rests on, every pathway
 * with each condition and the answer it saw, the family members who may follow, the materials, and for a
 * "no" the smallest changes that would open a pathway — each line citing its article and quoted sentence.
 */
import { Alert, Card, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConditionResult, Decision, FollowerStatus, Outcome } from '../../../../src/policy/evaluate';
import type { Text } from '../../../../src/policy/policy';
import { useLocalText } from '../../app/lang';
import { Citation } from './articles';

const OUTCOME_TYPE: Record<Outcome, 'success' | 'warning' | 'error'> = {
  eligible: 'success',
  needs_approval: 'warning',
  not_eligible: 'error',
};
const OUTCOME_KEY = {
  eligible: 'selfCheck.result.eligible',
  needs_approval: 'selfCheck.result.needsApproval',
  not_eligible: 'selfCheck.result.notEligible',
} as const;
const STATUS_COLOR = { met: 'green', not_met: 'red', needs_approval: 'orange' } as const;
const PATHWAY_COLOR = { eligible: 'green', not_eligible: 'default', needs_approval: 'orange' } as const;
const FOLLOWER_COLOR: Record<FollowerStatus, string> = {
  may_follow: 'green',
  may_not_follow: 'red',
  capped: 'orange',
  applicant_not_eligible: 'default',
};
const MARK = { met: '✓', not_met: '✗', needs_approval: '?' } as const;

type Articles = ReadonlyMap<
  string,
  { quote: string; translation: string; interpretation?: Text; standing?: Text }
>;

function ConditionTree({
  result,
  parentArticle,
  articles,
}: {
  readonly result: ConditionResult;
  readonly parentArticle: string;
  readonly articles: Articles;
}) {
  const { t } = useTranslation();
  const text = useLocalText();
  const showArticle = result.article !== parentArticle;
  return (
    <li data-status={result.status}>
      <div className="condition-line">
        <span aria-hidden="true" style={{ color: STATUS_COLOR[result.status] }}>
          {MARK[result.status]}
        </span>
        <span>{text(result.text)}</span>
        <Tag color={STATUS_COLOR[result.status]}>{t(`selfCheck.result.condition.${result.status}`)}</Tag>
        {result.kind === 'fact' && result.actualText ? (
          <span className="muted">
            {t('selfCheck.result.yourAnswer', { value: text(result.actualText) })}
          </span>
        ) : null}
        {result.authority ? <span className="muted">{text(result.authority)}</span> : null}
      </div>
      {showArticle ? <Citation id={result.article} articles={articles} /> : null}
      {result.children && result.children.length > 0 ? (
        <ul className="condition-list">
          {result.children.map((child, i) => (
            <ConditionTree key={i} result={child} parentArticle={result.article} articles={articles} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/**
 * The outcome in the programme's own words: settling (可以落户), a residence permit (可以办理居住证),
 * a choice among schemes (可以选择…), or another programme by its title.
 */
export function outcomeText(
  decision: Decision,
  t: (key: string, params?: Record<string, string>) => string,
  text: (x: { zh: string; en: string } | undefined) => string,
): string {
  const programme = text(decision.programme.title);
  const chosen = decision.pathways.find((p) => p.id === decision.pathway);
  if (decision.outcome === 'needs_approval') return t(OUTCOME_KEY.needs_approval);
  const isSettlement = decision.programme.id === 'settlement';
  const isPermit = decision.programme.id === 'residence-permit';
  if (decision.outcome === 'eligible') {
    if (isSettlement) return t(OUTCOME_KEY.eligible);
    if (isPermit) return t('selfCheck.result.eligiblePermit');
    if (decision.programme.kind === 'assignment' && chosen)
      return t('selfCheck.result.eligibleChoice', { pathway: text(chosen.title) });
    return t('selfCheck.result.eligibleOther', { programme });
  }
  if (isSettlement) return t(OUTCOME_KEY.not_eligible);
  if (isPermit) return t('selfCheck.result.notEligiblePermit');
  return t('selfCheck.result.notEligibleOther', { programme });
}

export function DecisionView({
  decision,
  asksFamily = true,
}: {
  readonly decision: Decision;
  /** False for a programme no family member follows in (a residence permit): no 家人随迁 card. */
  readonly asksFamily?: boolean;
}) {
  const { t } = useTranslation();
  const text = useLocalText();
  const articles: Articles = useMemo(() => new Map(decision.articles.map((a) => [a.id, a])), [decision]);
  const chosen = decision.pathways.find((p) => p.id === decision.pathway);
  const followerArticles = [
    ...new Set(decision.followers.map((f) => f.article).filter((a) => a !== undefined)),
  ];

  return (
    <div className="stack" data-testid="decision">
      <Alert
        type={OUTCOME_TYPE[decision.outcome]}
        showIcon
        message={
          <strong data-testid="outcome" style={{ fontSize: 18 }}>
            {outcomeText(decision, t, text)}
          </strong>
        }
        description={
          chosen ? (
            <div>
              <div data-testid="chosen-pathway">
                {t('selfCheck.result.via', { pathway: text(chosen.title) })}
              </div>
              {decision.decidedBy ? (
                <div>{t('selfCheck.result.decidedBy', { who: text(decision.decidedBy) })}</div>
              ) : null}
              {decision.registersAt ? (
                <div>{t('selfCheck.result.registersAt', { where: text(decision.registersAt) })}</div>
              ) : null}
              <Citation id={chosen.article} articles={articles} />
            </div>
          ) : undefined
        }
      />

      {decision.outcome !== 'eligible' ? (
        <Card title={<h3 className="card-title">{t('selfCheck.result.changes')}</h3>} data-testid="changes">
          {decision.nearestChanges.length === 0 ? (
            <p>{t('selfCheck.result.noChanges')}</p>
          ) : (
            <>
              <p>{t('selfCheck.result.changesLead')}</p>
              <ul>
                {decision.nearestChanges.map((n) => (
                  <li key={n.pathway}>
                    <strong>{text(n.title)}</strong>
                    <ul>
                      {n.changes.map((c, i) => (
                        <li key={i}>
                          {text(c.text)}
                          <Citation id={c.article} articles={articles} />
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
      ) : null}

      {asksFamily || decision.followers.length > 0 ? (
        <Card
          title={<h3 className="card-title">{t('selfCheck.result.followers')}</h3>}
          data-testid="followers"
        >
          {decision.followers.length === 0 ? (
            <p>{t('selfCheck.result.noFamily')}</p>
          ) : (
            <>
              <ul className="condition-list">
                {decision.followers.map((f) => (
                  <li key={f.index} data-status={f.status}>
                    <div className="condition-line">
                      <Tag color={FOLLOWER_COLOR[f.status]}>{t(`selfCheck.result.follower.${f.status}`)}</Tag>
                      <span>{text(f.text)}</span>
                    </div>
                  </li>
                ))}
              </ul>
              {followerArticles.map((a) => (
                <Citation key={a} id={a} articles={articles} />
              ))}
            </>
          )}
        </Card>
      ) : null}

      <Card title={<h3 className="card-title">{t('selfCheck.result.materials')}</h3>} data-testid="materials">
        {decision.materials.length === 0 ? (
          <p>{t('selfCheck.result.noMaterials')}</p>
        ) : (
          <ul>
            {decision.materials.map((m, i) => (
              <li key={i}>{text(m)}</li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={<h3 className="card-title">{t('selfCheck.result.pathways')}</h3>} data-testid="pathways">
        {decision.pathways.map((p) => (
          // Only the pathway the answer rests on is open; the others are one click away.
          <details key={p.id} data-pathway={p.id} open={p.id === decision.pathway} className="pathway">
            <summary>
              <strong>{text(p.title)}</strong>{' '}
              <Tag color={PATHWAY_COLOR[p.status]}>{t(`selfCheck.result.pathwayStatus.${p.status}`)}</Tag>
            </summary>
            <Citation id={p.article} articles={articles} />
            <ul className="condition-list">
              <ConditionTree result={p.condition} parentArticle={p.article} articles={articles} />
            </ul>
          </details>
        ))}
      </Card>

      {decision.guarantees.length > 0 ? (
        <Card title={<h3 className="card-title">{t('selfCheck.result.guarantees')}</h3>}>
          <ul>
            {decision.guarantees.map((g) => (
              <li key={g.article}>
                {text(g.statement)}
                <Citation id={g.article} articles={articles} showQuote={false} />
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Typography.Paragraph className="muted">
        {t('selfCheck.result.disclaimer')}{' '}
        {t('selfCheck.result.computedLocally', { ref: decision.policy.ref })}
      </Typography.Paragraph>
    </div>
  );
}
