/**
 * 我能落户吗? — the self-check, without signing in. The person picks the city and policy, answers the
 * questions the policy's conditions need (questions.ts), and sees the decision at once: it is worked out
 * in the browser by the same engine the server runs (src/policy/evaluate.ts), so nothing is sent.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { evaluateProgramme } from '../../../../src/policy/evaluate';
import type { Decision } from '../../../../src/policy/evaluate';
import {
  fetchDivision,
  fetchPolicies,
  fetchPolicy,
  policyKeys,
  type PolicyDocument,
  type PolicySummary,
} from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { ErrorState, Loading, QueryView } from '../../app/states';
import { DecisionView } from './DecisionView';
import { FactInput, QuestionItem } from './QuestionItem';
import {
  factsFromAnswers,
  initialAnswers,
  questionnaire,
  type MemberAnswer,
  type Questionnaire,
} from './questions';

const PREFERRED_POLICY = 'quzhou-2017-final';

function defaultPolicy(items: readonly PolicySummary[]): string | undefined {
  return (
    items.find((p) => p.id === PREFERRED_POLICY)?.id ??
    items.find((p) => p.status === 'published')?.id ??
    items[0]?.id
  );
}

export function SelfCheckPage() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => fetchPolicies(signal) });
  return (
    <div className="stack">
      <div>
        <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
          {t('selfCheck.title')}
        </Typography.Title>
        <Typography.Paragraph>{t('selfCheck.lead')}</Typography.Paragraph>
      </div>
      <QueryView query={policies}>{(items) => <SelfCheck policies={items} />}</QueryView>
    </div>
  );
}

function SelfCheck({ policies }: { readonly policies: readonly PolicySummary[] }) {
  const [params, setParams] = useSearchParams();
  const policyId = params.get('policy') ?? defaultPolicy(policies) ?? '';
  const policy = useQuery({
    queryKey: policyKeys.one(policyId),
    queryFn: ({ signal }) => fetchPolicy(policyId, signal),
    enabled: policyId !== '',
  });
  const choosePolicy = (id: string) => setParams({ policy: id }, { replace: true });
  if (policy.isError) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  if (policy.isPending || !policy.data) return <Loading />;
  return <Wizard key={policy.data.id} policies={policies} policy={policy.data} onPolicy={choosePolicy} />;
}

type StepKey = 'place' | 'you' | 'home' | 'work' | 'relative' | 'family' | 'result';

function Wizard({
  policies,
  policy,
  onPolicy,
}: {
  readonly policies: readonly PolicySummary[];
  readonly policy: PolicyDocument;
  readonly onPolicy: (id: string) => void;
}) {
  const { t } = useTranslation();
  const text = useLocalText();
  const [form] = Form.useForm();
  const [programmeId, setProgrammeId] = useState(policy.programmes[0]?.id ?? '');
  const programme = policy.programmes.find((p) => p.id === programmeId) ?? policy.programmes[0];
  const qs = useMemo(() => (programme ? questionnaire(programme) : undefined), [programme]);
  const [stepIndex, setStepIndex] = useState(0);
  const [decision, setDecision] = useState<Decision | undefined>();
  // What "apply online" hands to the application form (features/applications/ApplyPage.tsx).
  const [handover, setHandover] = useState<Record<string, unknown> | undefined>();
  const navigate = useNavigate();

  const counties = useQuery({
    queryKey: policyKeys.division(policy.jurisdiction),
    queryFn: ({ signal }) => fetchDivision(policy.jurisdiction, signal),
  });

  useEffect(() => {
    if (qs) form.setFieldsValue(initialAnswers(qs));
  }, [qs, form]);

  if (!programme || !qs) return null;

  const keys: StepKey[] = [
    'place',
    ...qs.steps.map((s) => s.id),
    ...(qs.asksFamily ? (['family'] as const) : []),
    'result',
  ];
  const current = keys[stepIndex] ?? 'place';

  const countyOptions = (() => {
    const d = counties.data;
    if (!d) return [];
    const list = d.children.filter((c) => c.level === 'county');
    return (list.length > 0 ? list : [d]).map((c) => ({ value: c.code, label: c.name }));
  })();

  const namesOf = (key: StepKey): (string | number)[][] => {
    if (key === 'place') return [['place', 'countyCode']];
    const step = qs.steps.find((s) => s.id === key);
    return step ? step.questions.map((q) => q.path.split('.')) : [];
  };

  const next = async () => {
    try {
      if (current === 'family') await form.validateFields();
      else await form.validateFields(namesOf(current));
    } catch {
      return;
    }
    const nextKey = keys[stepIndex + 1];
    if (nextKey === 'result') {
      const values = form.getFieldsValue(true) as Record<string, unknown> & {
        place?: { countyCode?: string };
        family?: MemberAnswer[];
      };
      const facts = factsFromAnswers(qs, values, values.place?.countyCode ?? '', values.family ?? []);
      const result = evaluateProgramme(policy, facts, programme.id);
      setDecision(result);
      setHandover({
        facts,
        county: values.place?.countyCode,
        typeId: `${programme.id}/${result.pathway}`,
        pathwayLabel: result.pathways.find((p) => p.id === result.pathway)?.title,
        family: (values.family ?? []).map((m) => ({ name: typeof m.name === 'string' ? m.name : undefined })),
      });
    }
    setStepIndex((i) => Math.min(i + 1, keys.length - 1));
    window.scrollTo({ top: 0 });
  };
  const back = () => setStepIndex((i) => Math.max(0, i - 1));

  return (
    <Card>
      <Steps
        className="wizard-steps"
        size="small"
        current={stepIndex}
        responsive={false}
        items={keys.map((k) => ({ title: t(`selfCheck.steps.${k}`) }))}
      />
      <h2 className="wizard-progress" data-testid="step-title">
        {t('selfCheck.stepOf', {
          n: stepIndex + 1,
          total: keys.length,
          title: t(`selfCheck.steps.${current}`),
        })}
      </h2>
      <Form form={form} layout="vertical" requiredMark={false}>
        <div hidden={current !== 'place'}>
          <Form.Item label={t('selfCheck.policy')} htmlFor="policy-select">
            <Select
              id="policy-select"
              value={policy.id}
              onChange={onPolicy}
              options={policies.map((p) => ({
                value: p.id,
                label: `${p.jurisdictionName} · ${text(p.title)}${p.status === 'draft' ? `（${t('policy.status.draft')}）` : ''}`,
              }))}
            />
          </Form.Item>
          {policy.programmes.length > 1 ? (
            <Form.Item label={t('selfCheck.programme')} htmlFor="programme-select">
              <Select
                id="programme-select"
                value={programme.id}
                onChange={(v: string) => {
                  setProgrammeId(v);
                  setStepIndex(0);
                }}
                options={policy.programmes.map((p) => ({ value: p.id, label: text(p.title) }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item
            name={['place', 'countyCode']}
            label={t('selfCheck.county')}
            rules={[{ required: true, message: t('selfCheck.required') }]}
          >
            <Select
              placeholder={t('selfCheck.countyPlaceholder')}
              loading={counties.isPending}
              options={countyOptions}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          {counties.isError ? (
            <ErrorState error={counties.error} onRetry={() => void counties.refetch()} />
          ) : null}
        </div>

        {qs.steps.map((step) => (
          <div key={step.id} hidden={current !== step.id}>
            {step.questions.map((q) => (
              <QuestionItem key={q.path} question={q} form={form} />
            ))}
          </div>
        ))}

        {qs.asksFamily ? (
          <div hidden={current !== 'family'}>
            <FamilyStep questions={qs} />
          </div>
        ) : null}

        {current === 'result' && decision ? <DecisionView decision={decision} /> : null}
        {current === 'result' &&
        decision &&
        decision.outcome !== 'not_eligible' &&
        programme.id === 'settlement' ? (
          <Button
            type="primary"
            size="large"
            style={{ marginTop: 16 }}
            onClick={() => void navigate('/apply', { state: handover })}
            data-testid="apply-online"
          >
            {t('selfCheck.result.apply')}
          </Button>
        ) : null}

        <div className="wizard-actions">
          {stepIndex > 0 ? (
            <Button onClick={back}>{current === 'result' ? t('selfCheck.edit') : t('selfCheck.back')}</Button>
          ) : null}
          {current !== 'result' ? (
            <Button type="primary" onClick={() => void next()} data-testid="next">
              {keys[stepIndex + 1] === 'result' ? t('selfCheck.showResult') : t('selfCheck.next')}
            </Button>
          ) : (
            <Button
              onClick={() => {
                form.resetFields();
                form.setFieldsValue(initialAnswers(qs));
                setDecision(undefined);
                setStepIndex(0);
              }}
            >
              {t('selfCheck.restart')}
            </Button>
          )}
        </div>
      </Form>
    </Card>
  );
}

function FamilyStep({ questions }: { readonly questions: Questionnaire }) {
  const { t } = useTranslation();
  const text = useLocalText();
  return (
    <Form.List name="family">
      {(fields, { add, remove }) => (
        <div className="stack">
          <Typography.Paragraph>{t('selfCheck.family.intro')}</Typography.Paragraph>
          {fields.map((field, i) => (
            <Card
              key={field.key}
              size="small"
              title={t('selfCheck.family.member', { n: i + 1 })}
              extra={
                <Button size="small" danger onClick={() => remove(field.name)}>
                  {t('selfCheck.family.remove')}
                </Button>
              }
              data-testid={`member-${i}`}
            >
              <Form.Item name={[field.name, 'name']} label={t('selfCheck.family.name')}>
                <Input maxLength={50} />
              </Form.Item>
              {questions.memberQuestions.map((q) => (
                <Form.Item
                  key={q.path}
                  name={[field.name, q.path.slice('member.'.length)]}
                  label={text(q.def)}
                  rules={q.isRequired ? [{ required: true, message: t('selfCheck.required') }] : []}
                >
                  <FactInput def={q.def} />
                </Form.Item>
              ))}
            </Card>
          ))}
          <Button onClick={() => add({ isCoResident: true, hasIncome: false, maritalStatus: 'unmarried' })}>
            {t('selfCheck.family.add')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
