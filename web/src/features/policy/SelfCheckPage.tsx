/**
 * 我能落户吗? — the self-check, without signing in. The person picks the city and policy, answers the
 * questions the policy's conditions need (questions.ts), and sees the decision at once: it is worked out
 * in the browser by the same engine the server runs (src/policy/evaluate.ts), so nothing is sent.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Steps, Typography } from 'antd';
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
import { appKeys, fetchTypes } from '../applications/api';
import { isInForce, todayInChina, type SelfCheckHandover } from '../applications/apply/model';
import { DecisionView } from './DecisionView';
import { FactInput, QuestionItem } from './QuestionItem';
import {
  answeredFacts,
  factsFromAnswers,
  initialAnswers,
  questionnaire,
  type MemberAnswer,
  type Questionnaire,
} from './questions';

const PREFERRED_POLICY = 'quzhou-2017-final';

/** A resident checks against a version in force by default; drafts and lapsed texts are for comparison. */
function defaultPolicy(items: readonly PolicySummary[]): string | undefined {
  const today = todayInChina();
  const inForce = items.filter((p) => isInForce(p, today));
  return inForce.find((p) => p.id === PREFERRED_POLICY)?.id ?? inForce[0]?.id ?? items[0]?.id;
}

/** A draft never took effect; a published text may have lapsed. */
function isDraft(p: PolicySummary): boolean {
  return p.status === 'draft' || /稿/.test(p.title.zh);
}

/** The application type a settlement or residence-permit pathway is applied for with. */
function typeIdFor(programme: string, pathway: string | undefined): string | undefined {
  if (programme === 'residence-permit') return 'residence-permit';
  if (programme !== 'settlement' || !pathway) return undefined;
  return pathway === 'relatives-joining' ? 'relatives-joining' : `settlement/${pathway}`;
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
  const [handover, setHandover] = useState<SelfCheckHandover | undefined>();
  const navigate = useNavigate();

  const summary = policies.find((p) => p.id === policy.id);
  const versionLabel = (p: PolicySummary | undefined) => {
    if (!p) return '';
    if (isInForce(p, todayInChina())) return t('selfCheck.version.inForce', { from: p.effective.from });
    if (isDraft(p)) return t('selfCheck.version.draft');
    return t('selfCheck.version.lapsed', { to: p.effective.to ?? '' });
  };
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
      const found = result.pathways.find((p) => p.id === result.pathway);
      setDecision(result);
      // Only what the resident answered goes over: the questions that applied, the members' asked facts.
      const memberKeys = ['name', ...qs.memberQuestions.map((q) => q.path.slice('member.'.length))];
      setHandover({
        answers: answeredFacts(qs, values),
        county: values.place?.countyCode,
        typeId: typeIdFor(programme.id, result.pathway),
        ...(found ? { pathway: { id: found.id, title: found.title } } : {}),
        family: qs.asksFamily
          ? (values.family ?? []).map((m) =>
              Object.fromEntries(
                Object.entries(m).filter(([k, v]) => memberKeys.includes(k) && v !== undefined && v !== null),
              ),
            )
          : [],
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
                label: `${p.jurisdictionName} · ${text(p.title)}（${versionLabel(p)}）`,
              }))}
            />
          </Form.Item>
          {!isInForce(summary ?? policy, todayInChina()) ? (
            <Alert
              type="warning"
              showIcon
              data-testid="not-in-force"
              message={t('selfCheck.notInForce', { label: versionLabel(summary) })}
              action={
                defaultPolicy(policies) && defaultPolicy(policies) !== policy.id ? (
                  <Button size="small" onClick={() => onPolicy(defaultPolicy(policies) ?? '')}>
                    {t('selfCheck.useInForce')}
                  </Button>
                ) : undefined
              }
              style={{ marginBottom: 16 }}
            />
          ) : null}
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

        {current === 'result' && decision ? (
          <DecisionView decision={decision} asksFamily={qs.asksFamily} />
        ) : null}
        {current === 'result' && decision && handover ? (
          <ApplyChoices
            county={handover.county ?? ''}
            typeId={handover.typeId}
            onApply={(typeId) => void navigate('/apply', { state: { ...handover, chosenTypeId: typeId } })}
          />
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

const ONLINE_KINDS = [
  'settlement',
  'relatives-joining',
  'move-in',
  'cross-province-move',
  'residence-permit',
];

/**
 * Every application type of the county, from the result: the one the result points to first and
 * primary, the others beside it; a type the portal has no form for says to go to the window.
 */
function ApplyChoices({
  county,
  typeId,
  onApply,
}: {
  readonly county: string;
  readonly typeId: string | undefined;
  readonly onApply: (typeId: string) => void;
}) {
  const { t } = useTranslation();
  const text = useLocalText();
  const types = useQuery({
    queryKey: appKeys.types(county),
    queryFn: ({ signal }) => fetchTypes(county, signal),
    enabled: /^\d{6}$/.test(county),
  });
  const items = [...(types.data ?? [])].sort((a, b) => Number(b.id === typeId) - Number(a.id === typeId));
  return (
    <Card
      style={{ marginTop: 16 }}
      title={<h3 className="card-title">{t('selfCheck.result.apply')}</h3>}
      data-testid="apply-choices"
    >
      {types.isError ? <ErrorState error={types.error} onRetry={() => void types.refetch()} /> : null}
      <div style={{ display: 'grid', gap: 8 }}>
        {items.map((x) => {
          const isOnline = ONLINE_KINDS.includes(x.kind);
          return (
            <Button
              key={x.id}
              block
              size="large"
              type={x.id === typeId ? 'primary' : 'default'}
              disabled={!isOnline}
              onClick={() => onApply(x.id)}
              data-testid={x.id === typeId ? 'apply-online' : undefined}
              style={{ whiteSpace: 'normal', height: 'auto', minHeight: 44 }}
            >
              {isOnline
                ? t('selfCheck.result.applyType', { type: text(x.label) })
                : `${text(x.label)}（${t('selfCheck.result.atWindow')}）`}
            </Button>
          );
        })}
      </div>
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
