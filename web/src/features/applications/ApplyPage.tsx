/**
 * 在线申请: a settlement application, prefilled from the self-check when it hands over its facts (route
 * state), else from the type list of a county. Three steps: the form (validated inline, and the API's
 * field problems shown on the same fields), the files per checklist material, then the completeness check
 * and the submission (one Idempotency-Key kept across retries), the uploads, and the application's page.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
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
import type { FormInstance } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { CODE_TABLES } from '../../../../src/standards/code-tables';
import { ApiError } from '../../api/client';
import { fetchDivision, fetchPolicies, policyKeys } from '../../api/policies';
import { useLang, useLocalText } from '../../app/lang';
import { ErrorState, Loading, errorMessage } from '../../app/states';
import { useDivisionName } from '../register/labels';
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
import { CompletenessView } from './parts';
import { ResidentGate, SignedInBar } from './ResidentGate';
import { useT } from './texts';

/** What the self-check hands over in the route state. */
export interface ApplyHandover {
  readonly facts?: Record<string, unknown>;
  readonly county?: string;
  readonly typeId?: string;
  readonly pathwayLabel?: { zh: string; en: string };
  readonly family?: readonly { name?: string; relationship?: string }[];
}

const MOVING_KINDS = ['settlement', 'relatives-joining'];

interface MoverValues {
  name?: string;
  citizenId?: string;
  relationship?: string;
}
interface FormValues {
  county?: string;
  typeId?: string;
  applicant?: { name?: string; citizenId?: string; relationship?: string };
  movers?: MoverValues[];
  fromDivision?: string;
  destMode?: 'existing' | 'new';
  destination?: { householdNumber?: string; newHousehold?: { address?: { text?: string } } };
}

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

/** Sex and date of birth as the citizen id states them (GB 11643: positions 7–14 and 17). */
function fromCitizenId(id: string): { sex: '1' | '2'; birthDate: string } {
  const d = id.slice(6, 14);
  return {
    birthDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
    sex: Number(id.charAt(16)) % 2 === 1 ? '1' : '2',
  };
}

const ID_RULE = /^\d{17}[\dXx]$/;

/** The API's field path (body.form.movers.0.citizenId) as this form's field name. */
function fieldOf(path: string): (string | number)[] | undefined {
  const parts = path.replace(/^body\./, '').split('.');
  if (parts[0] !== 'form') return parts[0] === 'typeId' ? ['typeId'] : undefined;
  const rest = parts.slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (rest[0] === 'movers' && typeof rest[1] === 'number') {
    const field = rest[2] === 'birthDate' || rest[2] === 'sex' ? 'citizenId' : rest[2];
    if (rest[1] === 0) return ['applicant', String(field === 'relationship' ? 'relationship' : field)];
    return ['movers', rest[1] - 1, String(field)];
  }
  if (rest[0] === 'destination' && rest[1] === 'newHousehold')
    return ['destination', 'newHousehold', 'address', 'text'];
  return rest;
}

function Apply({ session }: { readonly session: ResidentSession }) {
  const t = useT();
  const text = useLocalText();
  const [lang] = useLang();
  const navigate = useNavigate();
  const handover = (useLocation().state ?? {}) as ApplyHandover;
  const [form] = Form.useForm<FormValues>();
  const [step, setStep] = useState(0);
  const [files, setFiles] = useState<Record<string, File>>({});
  const [report, setReport] = useState<Completeness | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submitKey = useRef(newKey());
  const uploadKeys = useRef(new Map<string, string>());
  const submitted = useRef<Application | undefined>(undefined);

  const county = Form.useWatch('county', form) ?? handover.county;
  const typeId = Form.useWatch('typeId', form);
  const destMode = Form.useWatch('destMode', form) ?? 'existing';
  const fromDivision = Form.useWatch('fromDivision', form);
  const fromName = useDivisionName(fromDivision);

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
  const movingTypes = (types.data ?? []).filter((x) => MOVING_KINDS.includes(x.kind));
  const type: ApplicationType | undefined = movingTypes.find((x) => x.id === typeId);
  const relationships = useMemo(
    () =>
      CODE_TABLES.relationship.entries.map((e) => ({ value: e.code, label: lang === 'en' ? e.en : e.zh })),
    [lang],
  );

  useEffect(() => {
    form.setFieldsValue({
      county: handover.county,
      typeId: handover.typeId,
      destMode: 'existing',
      applicant: { relationship: '99' },
      movers: (handover.family ?? []).map((m) => ({
        ...(m.name ? { name: m.name } : {}),
        ...(m.relationship ? { relationship: m.relationship } : {}),
      })),
    });
  }, [form, handover.county, handover.typeId, handover.family]);

  // The self-check names its pathway's type; a type this county does not offer is left to choose.
  useEffect(() => {
    if (!types.data || !typeId || movingTypes.some((x) => x.id === typeId)) return;
    const joining = typeId.endsWith('relatives-joining')
      ? movingTypes.find((x) => x.kind === 'relatives-joining')
      : undefined;
    form.setFieldValue('typeId', joining?.id);
  }, [types.data, typeId, movingTypes, form]);

  const body = () => {
    const v = form.getFieldsValue(true) as FormValues;
    const person = (m: MoverValues) => {
      const id = (m.citizenId ?? '').trim().toUpperCase();
      return {
        name: (m.name ?? '').trim(),
        citizenId: id,
        ...(ID_RULE.test(id) ? fromCitizenId(id) : {}),
        relationship: m.relationship ?? '',
      };
    };
    const applicant = {
      name: (v.applicant?.name ?? '').trim(),
      citizenId: (v.applicant?.citizenId ?? '').trim().toUpperCase(),
    };
    const kind = type?.kind ?? 'settlement';
    return {
      typeId: v.typeId ?? '',
      form: {
        kind,
        applicant,
        movers: [
          person({ ...applicant, relationship: v.applicant?.relationship ?? '99' }),
          ...(v.movers ?? []).map(person),
        ],
        fromDivision: (v.fromDivision ?? '').trim(),
        destination:
          v.destMode === 'new'
            ? {
                newHousehold: {
                  type: 'family',
                  address: {
                    text: v.destination?.newHousehold?.address?.text ?? '',
                    countyCode: v.county ?? '',
                  },
                },
              }
            : { householdNumber: (v.destination?.householdNumber ?? '').trim() },
      },
      ...(handover.facts ? { facts: handover.facts } : {}),
    };
  };

  const showProblems = (e: unknown) => {
    if (e instanceof ApiError && e.fieldProblems.length > 0) {
      const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
      const unplaced: string[] = [];
      for (const p of e.fieldProblems) {
        const name = fieldOf(p.path);
        if (!name) {
          unplaced.push(p.message);
          continue;
        }
        const k = name.join('.');
        const f = fields.get(k) ?? { name, errors: [] };
        f.errors.push(p.message);
        fields.set(k, f);
      }
      form.setFields([...fields.values()] as unknown as Parameters<typeof form.setFields>[0]);
      setStep(0);
      setError([t('formErrors'), ...unplaced].join(' '));
    } else setError(errorMessage(e, t('submit')));
  };

  const toMaterials = async () => {
    try {
      await form.validateFields();
      setError(undefined);
      setStep(1);
    } catch {
      setError(t('formErrors'));
    }
  };

  const toCheck = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await checkCompleteness(county ?? '', typeId ?? '', Object.keys(files)));
      setStep(2);
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

  return (
    <Card>
      <Steps
        size="small"
        current={step}
        responsive={false}
        items={[{ title: t('stepForm') }, { title: t('stepMaterials') }, { title: t('stepSubmit') }]}
        style={{ marginBottom: 16 }}
      />
      {handover.pathwayLabel ? (
        <Alert
          type="info"
          showIcon
          message={t('fromSelfCheck', { pathway: text(handover.pathwayLabel) })}
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
      <Form form={form} layout="vertical" requiredMark={false} onValuesChange={() => setError(undefined)}>
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
              options={movingTypes.map((x) => ({ value: x.id, label: text(x.label) }))}
            />
          </Form.Item>
          {types.isError ? <ErrorState error={types.error} onRetry={() => void types.refetch()} /> : null}
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('applicant')}
          </Typography.Title>
          <PersonFields form={form} prefix={['applicant']} relationships={relationships} />
          <Typography.Title level={2} style={{ fontSize: 18 }}>
            {t('movers')}
          </Typography.Title>
          <Form.List name="movers">
            {(fields, { add, remove }) => (
              <div className="stack">
                {fields.map((f, i) => (
                  <Card
                    key={f.key}
                    size="small"
                    title={t('moverN', { n: i + 2 })}
                    extra={
                      <Button size="small" danger onClick={() => remove(f.name)}>
                        {t('remove')}
                      </Button>
                    }
                  >
                    <PersonFields form={form} prefix={['movers', f.name]} relationships={relationships} />
                  </Card>
                ))}
                <Button onClick={() => add({})}>{t('addMover')}</Button>
              </div>
            )}
          </Form.List>
          <Form.Item
            name="fromDivision"
            label={t('fromDivision')}
            extra={fromName || undefined}
            rules={[
              { required: true, message: t('required') },
              { pattern: /^\d{6}$/, message: t('badDivision') },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} style={{ maxWidth: 200 }} />
          </Form.Item>
          <Form.Item name="destMode" label={t('destination')}>
            <Radio.Group
              options={[
                { value: 'existing', label: t('existing') },
                { value: 'new', label: t('newHousehold') },
              ]}
            />
          </Form.Item>
          {destMode === 'new' ? (
            <Form.Item
              name={['destination', 'newHousehold', 'address', 'text']}
              label={t('address')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Input maxLength={200} />
            </Form.Item>
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
          <Button type="primary" onClick={() => void toMaterials()}>
            {t('next')}
          </Button>
        </div>
      </Form>
      {step === 1 ? (
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
              { title: t('materials'), render: (_: unknown, m) => files[m.key]?.name ?? '—' },
              {
                title: t('upload'),
                render: (_: unknown, m) => (
                  <Upload
                    showUploadList={false}
                    accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    beforeUpload={(file) => {
                      setFiles((prev) => ({ ...prev, [m.key]: file }));
                      uploadKeys.current.delete(m.key);
                      return false;
                    }}
                  >
                    <Button size="small" aria-label={`${t('upload')} ${text(m.label)}`} data-material={m.key}>
                      {t('upload')}
                    </Button>
                  </Upload>
                ),
              },
            ]}
          />
          <Space>
            <Button onClick={() => setStep(0)}>{t('back')}</Button>
            <Button type="primary" loading={busy} onClick={() => void toCheck()}>
              {t('checkBefore')}
            </Button>
          </Space>
        </div>
      ) : null}
      {step === 2 && report ? (
        <div className="stack">
          <CompletenessView report={report} />
          <Space>
            <Button onClick={() => setStep(1)}>{t('back')}</Button>
            <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="submit">
              {t('submit')}
            </Button>
          </Space>
        </div>
      ) : null}
    </Card>
  );
}

function PersonFields({
  prefix,
  relationships,
}: {
  readonly form: FormInstance<FormValues>;
  readonly prefix: (string | number)[];
  readonly relationships: { value: string; label: string }[];
}) {
  const t = useT();
  return (
    <>
      <Form.Item
        name={[...prefix, 'name']}
        label={t('name')}
        rules={[{ required: true, message: t('required') }]}
      >
        <Input maxLength={50} style={{ maxWidth: 260 }} />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'citizenId']}
        label={t('citizenId')}
        rules={[
          { required: true, message: t('required') },
          { pattern: /^\s*\d{17}[\dXx]\s*$/, message: t('badId') },
        ]}
      >
        <Input maxLength={18} style={{ maxWidth: 260 }} />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'relationship']}
        label={t('relationship')}
        rules={[{ required: true, message: t('required') }]}
      >
        <Select
          options={relationships}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ maxWidth: 260 }}
        />
      </Form.Item>
    </>
  );
}
