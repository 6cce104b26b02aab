/**
 * 在线申请: settlement (and joining a relative, moving in with a permit, the cross-province move) or a
 * residence permit, prefilled from the self-check when it hands over its facts (route state), else from
 * the type list of a county. Four steps, as 浙里办 does: the form (every mover's declaration, the applicant
 * first), the questions the pathway needs with the engine's answer on them, the files per checklist
 * material, then a last look at everything with the completeness check and the declaration, and the
 * submission (one Idempotency-Key kept across retries) with the declared facts, the uploads, and the
 * application's page.
 */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { evaluateProgramme, type Decision } from '../../../../src/policy/evaluate';
import { Facts } from '../../../../src/policy/facts';
import { ApiError } from '../../api/client';
import { fetchDivision, fetchPolicies, fetchPolicy, policyKeys } from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { ErrorState, Loading, errorMessage } from '../../app/states';
import { DivisionLabel, DivisionPicker, fetchTowns } from '../../components/DivisionPicker';
import { factsFromAnswers, initialAnswers, questionnaire } from '../policy/questions';
import {
  appKeys,
  checkCompleteness,
  fetchTypes,
  newKey,
  post,
  type Application,
  type ApplicationType,
  type Completeness,
  type ResidentSession,
} from './api';
import {
  answersFromSelfCheck,
  derivedPersonPaths,
  fieldOf,
  fromCitizenId,
  hukouScopeOf,
  acceptOf,
  isAcceptedFile,
  moverOut,
  moversFromSelfCheck,
  policyInForceFor,
  programmeForType,
  selfCheckNote,
  todayInChina,
  withAnsweredMaritalStatus,
  withFormFacts,
  type ApplyValues,
  type MoverValues,
  type SelfCheckHandover,
} from './apply/model';
import { MoverFields } from './apply/MoverFields';
import { QuestionsStep } from './apply/QuestionsStep';
import { ReviewStep } from './apply/ReviewStep';
import { ResidentGate, SignedInBar } from './ResidentGate';
import { useT } from './texts';

/** The town picked, if it is still one of the county's (the county may have changed since). */
const townIn = (town: string | undefined, county: string | undefined) =>
  town && county && town.startsWith(county) ? { townCode: town } : {};

/** The kinds this portal has a form for; the others are shown, to be applied for at the window. */
const MOVING_KINDS = ['settlement', 'relatives-joining', 'move-in', 'cross-province-move'];
const ONLINE_KINDS = [...MOVING_KINDS, 'residence-permit'];
const MAX_MOVERS = 10;

export function ApplyPage() {
  const t = useT();
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
        {t('applyTitle')}
      </Typography.Title>
      <ResidentGate>
        {(session) => (
          <>
            <SignedInBar session={session} />
            <Apply session={session} />
          </>
        )}
      </ResidentGate>
    </div>
  );
}

function Apply({ session }: { readonly session: ResidentSession }) {
  const t = useT();
  const text = useLocalText();
  const navigate = useNavigate();
  const state = useLocation().state as SelfCheckHandover | null;
  const handover = useMemo<SelfCheckHandover>(() => state ?? {}, [state]);
  const [form] = Form.useForm<ApplyValues>();
  const [answersForm] = Form.useForm();
  const [step, setStep] = useState(0);
  const [files, setFiles] = useState<Record<string, File>>({});
  const [report, setReport] = useState<Completeness | undefined>();
  const [decision, setDecision] = useState<Decision | undefined>();
  const [declared, setDeclared] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submitKey = useRef(newKey());
  const uploadKeys = useRef(new Map<string, string>());
  const submitted = useRef<Application | undefined>(undefined);
  const today = todayInChina();

  const county = Form.useWatch('county', form) ?? handover.county;
  const typeId = Form.useWatch('typeId', form);
  const destMode = Form.useWatch('destMode', form) ?? 'existing';
  const residenceCounty = Form.useWatch(['residenceAddress', 'countyCode'], form) as string | undefined;
  const moversWatched = Form.useWatch('movers', form);
  const movers = useMemo(() => moversWatched ?? [], [moversWatched]);

  const policies = useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => fetchPolicies(signal) });
  const cities = useQueries({
    queries: [...new Set((policies.data ?? []).map((p) => p.jurisdiction))].map((code) => ({
      queryKey: policyKeys.division(code),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchDivision(code, signal),
    })),
  });
  const countyOptions = cities
    .flatMap((c) => c.data?.children.filter((d) => d.level === 'county') ?? [])
    .map((c) => ({ value: c.code, label: c.name }));
  const types = useQuery({
    queryKey: appKeys.types(county ?? ''),
    queryFn: ({ signal }) => fetchTypes(county ?? '', signal),
    enabled: /^\d{6}$/.test(county ?? ''),
  });
  const type: ApplicationType | undefined = (types.data ?? []).find((x) => x.id === typeId);
  const isPermit = type?.kind === 'residence-permit';
  const inForce = policyInForceFor(policies.data ?? [], county ?? '', today);
  const policy = useQuery({
    queryKey: policyKeys.one(inForce?.id ?? ''),
    queryFn: ({ signal }) => fetchPolicy(inForce?.id ?? '', signal),
    enabled: inForce !== undefined,
  });
  const programme = useMemo(
    () => (policy.data && type ? programmeForType(policy.data.programmes, type.id, type.kind) : undefined),
    [policy.data, type],
  );
  const qs = useMemo(() => (programme ? questionnaire(programme) : undefined), [programme]);
  const pathwayId = type ? (type.id.includes('/') ? type.id.split('/')[1] : type.id) : undefined;

  // The self-check's county, type and people are the form's first values (all editable).
  useEffect(() => {
    form.setFieldsValue({
      county: handover.county,
      typeId: handover.chosenTypeId ?? handover.typeId,
      destMode: 'existing',
      movers: moversFromSelfCheck(handover),
    });
  }, [form, handover]);

  // The self-check's answers are this step's first answers; the defaults fill the rest.
  useEffect(() => {
    if (!qs) return;
    answersForm.setFieldsValue(answersFromSelfCheck(initialAnswers(qs), handover));
    setDecision(undefined);
  }, [qs, answersForm, handover]);

  // The self-check names its pathway's type; a type this county does not offer is left to choose.
  useEffect(() => {
    if (!types.data || !typeId || types.data.some((x) => x.id === typeId)) return;
    const joining = typeId.endsWith('relatives-joining')
      ? types.data.find((x) => x.kind === 'relatives-joining')
      : undefined;
    form.setFieldValue('typeId', joining?.id);
  }, [types.data, typeId, form]);

  /** Sex and date of birth follow the citizen id as it is typed (still editable, and checked against it). */
  const onValuesChange = (changed: ApplyValues) => {
    setError(undefined);
    changed.movers?.forEach((m, i) => {
      if (!m || m.citizenId === undefined) return;
      const derived = fromCitizenId(m.citizenId);
      if (derived) {
        form.setFieldValue(['movers', i, 'sex'], derived.sex);
        form.setFieldValue(['movers', i, 'birthDate'], derived.birthDate);
      }
    });
  };

  const allMovers = (): MoverValues[] => (form.getFieldsValue(true) as ApplyValues).movers ?? [];

  /** The declared facts: the answers, with what the form says of the people (see apply/model.ts). */
  const evaluate = (): { facts: Record<string, unknown>; decision: Decision } | undefined => {
    if (!qs || !programme || !policy.data) return undefined;
    const answers = answersForm.getFieldsValue(true) as Record<string, unknown> & {
      family?: Record<string, unknown>[];
    };
    const base = factsFromAnswers(qs, answers, county ?? '', []);
    const declaredFacts = Facts.parse(
      withFormFacts(
        base,
        allMovers(),
        today,
        qs.asksFamily,
        answers.family ?? [],
        isPermit ? undefined : hukouScopeOf((form.getFieldsValue(true) as ApplyValues).fromDivision, county),
        isPermit ? (form.getFieldsValue(true) as ApplyValues).livingSince : undefined,
      ),
    );
    return {
      facts: declaredFacts as unknown as Record<string, unknown>,
      decision: evaluateProgramme(policy.data, declaredFacts, programme.id),
    };
  };

  const body = () => {
    const v = form.getFieldsValue(true) as ApplyValues;
    const answers = answersForm.getFieldsValue(true) as {
      person?: Record<string, unknown>;
      family?: Record<string, unknown>[];
    };
    const list = withAnsweredMaritalStatus(
      (v.movers ?? []).map(moverOut),
      answers.person,
      answers.family ?? [],
    );
    const first = list[0];
    const applicant = { name: first?.name ?? '', citizenId: first?.citizenId ?? '' };
    const kind = type?.kind ?? 'settlement';
    const form_ =
      kind === 'residence-permit'
        ? {
            kind,
            applicant: {
              ...applicant,
              sex: first?.sex ?? '1',
              birthDate: first?.birthDate ?? '',
              ethnicity: first?.ethnicity ?? '',
            },
            residenceAddress: {
              text: (v.residenceAddress?.text ?? '').trim(),
              countyCode: v.residenceAddress?.countyCode ?? '',
              ...townIn(v.residenceAddress?.townCode, v.residenceAddress?.countyCode),
            },
            livingSince: v.livingSince ?? '',
          }
        : {
            kind,
            applicant,
            movers: list,
            fromDivision: v.fromDivision ?? '',
            destination:
              v.destMode === 'new'
                ? {
                    newHousehold: {
                      type: 'family',
                      address: {
                        text: (v.destination?.newHousehold?.address?.text ?? '').trim(),
                        countyCode: v.county ?? '',
                        ...townIn(v.destination?.newHousehold?.address?.townCode, v.county),
                      },
                    },
                  }
                : { householdNumber: (v.destination?.householdNumber ?? '').trim() },
            ...(kind === 'move-in'
              ? { permitNumber: (v as { permitNumber?: string }).permitNumber ?? '' }
              : {}),
            ...(kind === 'cross-province-move'
              ? { originOffice: (v as { originOffice?: string }).originOffice ?? '' }
              : {}),
          };
    // The facts anew from the answers and the form as they are now (a step back may have changed either).
    const declaredFacts = evaluate()?.facts;
    return { typeId: v.typeId ?? '', form: form_, ...(declaredFacts ? { facts: declaredFacts } : {}) };
  };

  const showProblems = (e: unknown) => {
    if (e instanceof ApiError && e.fieldProblems.length > 0) {
      const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
      const unplaced: string[] = [];
      for (const p of e.fieldProblems) {
        const name = fieldOf(p.path);
        if (!name || name[0] === 'facts') {
          unplaced.push(p.message);
          continue;
        }
        const k = name.join('.');
        const f = fields.get(k) ?? { name, errors: [] };
        f.errors.push(p.message);
        fields.set(k, f);
      }
      form.setFields([...fields.values()] as unknown as Parameters<typeof form.setFields>[0]);
      if (fields.size > 0) setStep(0);
      setError([t('formErrors'), ...unplaced].join(' '));
    } else setError(errorMessage(e, t('submit')));
  };

  const fromForm = async () => {
    try {
      await form.validateFields();
      setError(undefined);
      setDecision(undefined);
      setStep(qs ? 1 : 2);
      window.scrollTo({ top: 0 });
    } catch {
      setError(t('formErrors'));
    }
  };

  const showAnswer = async () => {
    try {
      await answersForm.validateFields();
    } catch {
      setError(t('formErrors'));
      return false;
    }
    const result = evaluate();
    setDecision(result?.decision);
    return true;
  };

  const fromQuestions = async () => {
    if (!(await showAnswer())) return;
    setStep(2);
    window.scrollTo({ top: 0 });
  };

  const toCheck = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await checkCompleteness(county ?? '', typeId ?? '', Object.keys(files)));
      setStep(3);
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(errorMessage(e, t('completeness')));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (!submitted.current) {
        try {
          submitted.current = await post<Application>('/api/v1/my/applications', {
            csrf: session.csrfToken,
            key: submitKey.current,
            json: body(),
          });
        } catch (e) {
          // A refusal is final for this key: a corrected form goes with a new one.
          if (e instanceof ApiError && e.status >= 400 && e.status < 500) submitKey.current = newKey();
          throw e;
        }
      }
      const id = submitted.current.id;
      for (const [key, file] of Object.entries(files)) {
        const k = uploadKeys.current.get(key) ?? newKey();
        uploadKeys.current.set(key, k);
        await post(
          `/api/v1/my/applications/${id}/materials?key=${encodeURIComponent(key)}&fileName=${encodeURIComponent(file.name)}`,
          { csrf: session.csrfToken, key: k, bytes: file },
        );
      }
      void navigate(`/applications/${id}`, { state: { justSubmitted: submitted.current.reference } });
    } catch (e) {
      showProblems(e);
    } finally {
      setBusy(false);
    }
  };

  if (policies.isError) return <ErrorState error={policies.error} onRetry={() => void policies.refetch()} />;
  if (policies.isPending) return <Loading />;

  const typeOptions = (types.data ?? []).map((x) => ({
    value: x.id,
    label: ONLINE_KINDS.includes(x.kind) ? text(x.label) : `${text(x.label)}（${t('atWindow')}）`,
    disabled: !ONLINE_KINDS.includes(x.kind),
  }));
  const note = selfCheckNote(handover, typeId);
  const allQuestions = qs
    ? qs.steps
        .flatMap((s) => s.questions)
        .filter((q) => !derivedPersonPaths(movers[0], !isPermit, isPermit).has(q.path))
    : [];

  return (
    <Card className="apply">
      <Steps
        size="small"
        current={step}
        responsive={false}
        items={[
          { title: t('stepForm') },
          { title: t('stepQuestions') },
          { title: t('stepMaterials') },
          { title: t('stepSubmit') },
        ]}
        style={{ marginBottom: 16 }}
      />
      {note ? (
        <Alert
          type="info"
          showIcon
          data-testid="from-self-check"
          message={
            note.isSameType
              ? t('fromSelfCheck', { pathway: text(note.pathway) })
              : t('fromSelfCheckOther', { pathway: text(note.pathway) })
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          message={<span role="alert">{error}</span>}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form form={form} layout="vertical" requiredMark={false} onValuesChange={onValuesChange}>
        <div hidden={step !== 0}>
          <Form.Item name="county" label={t('county')} rules={[{ required: true, message: t('required') }]}>
            <Select
              options={countyOptions}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('choose')}
            />
          </Form.Item>
          <Form.Item
            name="typeId"
            label={t('chooseType')}
            rules={[{ required: true, message: t('required') }]}
          >
            <Select
              loading={types.isFetching}
              placeholder={t('choose')}
              options={typeOptions}
              notFoundContent={county ? t('noTypes') : t('chooseCountyFirst')}
            />
          </Form.Item>
          {types.isError ? <ErrorState error={types.error} onRetry={() => void types.refetch()} /> : null}
          <Form.List name="movers">
            {(fields, { add, remove }) => (
              <div className="stack">
                {fields.map((f, i) =>
                  isPermit && i > 0 ? null : (
                    <Card
                      key={f.key}
                      size="small"
                      data-testid={`mover-${i}`}
                      title={
                        <h2 className="card-title" style={{ fontSize: 16 }}>
                          {i === 0 ? t('applicantSelf') : t('moverN', { n: i })}
                        </h2>
                      }
                      extra={
                        i === 0 ? null : (
                          <Button danger onClick={() => remove(f.name)} aria-label={t('removeN', { n: i })}>
                            {t('remove')}
                          </Button>
                        )
                      }
                    >
                      <MoverFields name={f.name} isPermit={isPermit} />
                    </Card>
                  ),
                )}
                {isPermit ? null : (
                  <Button
                    size="large"
                    block
                    disabled={fields.length >= MAX_MOVERS}
                    onClick={() => add({})}
                    data-testid="add-mover"
                  >
                    {t('addMover')}
                  </Button>
                )}
              </div>
            )}
          </Form.List>
          {isPermit ? (
            <>
              <Typography.Title level={2} style={{ fontSize: 18, marginTop: 16 }}>
                {t('residence')}
              </Typography.Title>
              <Form.Item
                name={['residenceAddress', 'countyCode']}
                label={t('residenceCounty')}
                rules={[{ required: true, message: t('required') }]}
              >
                <DivisionPicker aria-label={t('residenceCounty')} />
              </Form.Item>
              <TownItem
                name={['residenceAddress', 'townCode']}
                county={residenceCounty}
                label={t('residenceTown')}
              />
              <Form.Item
                name={['residenceAddress', 'text']}
                label={t('residenceStreet')}
                rules={[{ required: true, whitespace: true, message: t('required') }]}
              >
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                name="livingSince"
                label={t('livingSince')}
                rules={[
                  { required: true, message: t('required') },
                  {
                    validator: async (_: unknown, v: unknown) => {
                      if (typeof v === 'string' && v > today) throw new Error(t('notFuture'));
                    },
                  },
                ]}
              >
                <Input type="date" style={{ maxWidth: 220 }} />
              </Form.Item>
            </>
          ) : (
            <>
              <Typography.Title level={2} style={{ fontSize: 18, marginTop: 16 }}>
                {t('whereTo')}
              </Typography.Title>
              <Form.Item
                name="fromDivision"
                label={t('fromDivision')}
                rules={[{ required: true, message: t('required') }]}
              >
                <DivisionPicker aria-label={t('fromDivision')} />
              </Form.Item>
              {type?.kind === 'move-in' ? (
                <Form.Item
                  name="permitNumber"
                  label={t('permitNumber')}
                  rules={[{ required: true, whitespace: true, message: t('required') }]}
                >
                  <Input maxLength={40} />
                </Form.Item>
              ) : null}
              {type?.kind === 'cross-province-move' ? (
                <Form.Item
                  name="originOffice"
                  label={t('originOffice')}
                  rules={[{ required: true, whitespace: true, message: t('required') }]}
                >
                  <Input maxLength={100} />
                </Form.Item>
              ) : null}
              <Form.Item name="destMode" label={t('destination')}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={[
                    { value: 'existing', label: t('existing') },
                    { value: 'new', label: t('newHousehold') },
                  ]}
                />
              </Form.Item>
              {destMode === 'new' ? (
                <>
                  {/* The new household is in the county applied to, chosen above: not asked twice. */}
                  <Form.Item label={t('addressCounty')}>
                    <span data-testid="new-household-county">
                      {county ? <DivisionLabel code={county} /> : t('chooseCountyFirst')}
                    </span>
                  </Form.Item>
                  <TownItem
                    name={['destination', 'newHousehold', 'address', 'townCode']}
                    county={county}
                    label={t('addressTown')}
                  />
                  <Form.Item
                    name={['destination', 'newHousehold', 'address', 'text']}
                    label={t('address')}
                    rules={[{ required: true, whitespace: true, message: t('required') }]}
                  >
                    <Input maxLength={200} />
                  </Form.Item>
                </>
              ) : (
                <Form.Item
                  name={['destination', 'householdNumber']}
                  label={t('householdNumber')}
                  rules={[
                    { required: true, message: t('required') },
                    { pattern: /^\s*\d{15}\s*$/, message: t('badHousehold') },
                  ]}
                >
                  <Input inputMode="numeric" maxLength={15} style={{ maxWidth: 260 }} />
                </Form.Item>
              )}
            </>
          )}
          <Button type="primary" size="large" block onClick={() => void fromForm()} data-testid="next-form">
            {qs ? t('nextQuestions') : t('next')}
          </Button>
        </div>
      </Form>
      {step === 1 && qs ? (
        <div className="stack">
          <QuestionsStep
            isMoving={!isPermit}
            qs={qs}
            form={answersForm}
            movers={allMovers()}
            decision={decision}
            pathwayId={pathwayId}
          />
          <Space wrap>
            <Button size="large" onClick={() => setStep(0)}>
              {t('back')}
            </Button>
            <Button size="large" onClick={() => void showAnswer()} data-testid="show-answer">
              {t('showAnswer')}
            </Button>
            <Button
              type="primary"
              size="large"
              onClick={() => void fromQuestions()}
              data-testid="next-questions"
            >
              {t('next')}
            </Button>
          </Space>
        </div>
      ) : null}
      {step === 2 ? (
        <div className="stack">
          <Typography.Paragraph>{t('uploadHint')}</Typography.Paragraph>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            data-testid="checklist"
            dataSource={[...(type?.materials ?? [])]}
            columns={[
              { title: t('material'), render: (_: unknown, m) => text(m.label) },
              { title: t('fileChosen'), render: (_: unknown, m) => files[m.key]?.name ?? '—' },
              {
                title: t('upload'),
                render: (_: unknown, m) => (
                  <Upload
                    showUploadList={false}
                    accept={acceptOf(m.accepts)}
                    beforeUpload={(file) => {
                      // A photo slot takes an image: refused here already, and again by the server.
                      if (!isAcceptedFile(file, m.accepts)) {
                        setError(t('photoOnly', { material: text(m.label), file: file.name }));
                        return Upload.LIST_IGNORE;
                      }
                      setError(undefined);
                      setFiles((prev) => ({ ...prev, [m.key]: file }));
                      uploadKeys.current.delete(m.key);
                      return false;
                    }}
                  >
                    <Button aria-label={`${t('chooseFile')} ${text(m.label)}`} data-material={m.key}>
                      {files[m.key] ? t('replaceFile') : t('chooseFile')}
                    </Button>
                  </Upload>
                ),
              },
            ]}
          />
          <Space wrap>
            <Button size="large" onClick={() => setStep(qs ? 1 : 0)}>
              {t('back')}
            </Button>
            <Button type="primary" size="large" loading={busy} onClick={() => void toCheck()}>
              {t('checkBefore')}
            </Button>
          </Space>
        </div>
      ) : null}
      {step === 3 && type ? (
        <div className="stack">
          <ReviewStep
            values={form.getFieldsValue(true) as ApplyValues}
            type={type}
            questions={allQuestions}
            memberQuestions={qs?.asksFamily && !isPermit ? qs.memberQuestions : []}
            answers={answersForm.getFieldsValue(true) as Record<string, unknown>}
            decision={decision}
            files={files}
            report={report}
            declared={declared}
            onDeclared={setDeclared}
          />
          <Space wrap>
            <Button size="large" onClick={() => setStep(2)}>
              {t('back')}
            </Button>
            <Button
              type="primary"
              size="large"
              loading={busy}
              disabled={!declared}
              onClick={() => void submit()}
              data-testid="submit"
            >
              {t('submit')}
            </Button>
          </Space>
          {!declared ? <Typography.Text type="secondary">{t('declareFirst')}</Typography.Text> : null}
        </div>
      ) : null}
    </Card>
  );
}

/**
 * The town (乡镇、街道) of an address in `county`, from the county's list (searchable by name); asked
 * wherever Huji ships the county's towns, and not shown before a county is chosen.
 */
function TownItem({
  name,
  county,
  label,
}: {
  readonly name: string[];
  readonly county: string | undefined;
  readonly label: string;
}) {
  const t = useT();
  const client = useQueryClient();
  if (!county || !/^\d{6}$/.test(county)) return null;
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        {
          validator: async (_rule, town: unknown) => {
            if (typeof town === 'string' && town.startsWith(county)) return;
            const towns = await client.fetchQuery({
              queryKey: ['divisions', county, 'towns'],
              queryFn: ({ signal }) => fetchTowns(county, signal),
              staleTime: Infinity,
            });
            if (towns.hasTowns) throw new Error(t('required'));
          },
        },
      ]}
    >
      <DivisionPicker level="town" within={county} aria-label={label} />
    </Form.Item>
  );
}
