/**
 * The questions the chosen pathway needs (the self-check's, narrowed to the type's pathway; those the
 * form already answers — age, sex, relation, declared marital status — are not asked again), and the
 * engine's answer on them, worked out in the browser by the engine the server runs. The same facts go
 * with the submission, so the stored decision is made on what the resident declared here.
 */
import { Alert, Card, Form, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { Decision } from '../../../../../src/policy/evaluate';
import { useLocalText } from '../../../app/lang';
import { DecisionView } from '../../policy/DecisionView';
import { FactInput, QuestionItem } from '../../policy/QuestionItem';
import type { Questionnaire } from '../../policy/questions';
import { useT } from '../texts';
import { derivedMemberKeys, derivedPersonPaths, type MoverValues } from './model';

export function QuestionsStep({
  qs,
  form,
  movers,
  decision,
  pathwayId,
  isMoving,
}: {
  /**
   * A move names 迁出地, which answers where the hukou is now; a residence permit names since when the
   * resident lives at the address, which answers the months of residence.
   */
  readonly isMoving: boolean;
  readonly qs: Questionnaire;
  readonly form: FormInstance;
  readonly movers: readonly MoverValues[];
  readonly decision: Decision | undefined;
  readonly pathwayId: string | undefined;
}) {
  const t = useT();
  const text = useLocalText();
  const derived = derivedPersonPaths(movers[0], isMoving, !isMoving);
  const questions = qs.steps.flatMap((s) => s.questions).filter((q) => !derived.has(q.path));
  const family = qs.asksFamily ? movers.slice(1) : [];
  const chosen = decision?.pathways.find((p) => p.id === pathwayId);
  return (
    <div className="stack" data-testid="questions">
      <Typography.Paragraph>{t('questionsLead')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false}>
        {questions.length === 0 ? <Typography.Paragraph>{t('noQuestions')}</Typography.Paragraph> : null}
        {questions.map((q) => (
          <QuestionItem key={q.path} question={q} form={form} />
        ))}
        {family.map((m, i) => {
          const keys = derivedMemberKeys(m);
          const asked = qs.memberQuestions.filter((q) => !keys.has(q.path.slice('member.'.length)));
          if (asked.length === 0) return null;
          return (
            <Card key={i} size="small" title={t('aboutMember', { name: m.name ?? String(i + 2) })}>
              {asked.map((q) => (
                <Form.Item
                  key={q.path}
                  name={['family', i, q.path.slice('member.'.length)]}
                  label={text(q.def)}
                  rules={[{ required: true, message: t('required') }]}
                >
                  <FactInput def={q.def} />
                </Form.Item>
              ))}
            </Card>
          );
        })}
      </Form>
      {decision ? (
        <div className="stack" data-testid="engine-answer">
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('engineAnswer')}
          </Typography.Title>
          {chosen ? (
            <Alert
              type={
                chosen.status === 'eligible'
                  ? 'success'
                  : chosen.status === 'needs_approval'
                    ? 'warning'
                    : 'error'
              }
              showIcon
              data-testid="chosen-status"
              message={t(`pathwayStatus.${chosen.status}`, { pathway: text(chosen.title) })}
              description={chosen.status === 'not_eligible' ? t('submitAnyway') : undefined}
            />
          ) : null}
          <DecisionView decision={decision} asksFamily={qs.asksFamily} />
        </div>
      ) : null}
    </div>
  );
}
