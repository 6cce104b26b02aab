/**
 * One of the resident's applications: status and time limit, what a return requires, the completeness
 * check, the materials (uploads while it is submitted or returned), resubmit and withdraw, the refusal
 * with its cited article, and the certificates with their verification pages.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  message,
} from 'antd';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useLocalText } from '../../app/lang';
import { QueryView, errorMessage } from '../../app/states';
import { formatChinaDate, formatChinaDateTime } from '../../app/time';
import {
  appKeys,
  fetchMineOne,
  fetchTypes,
  newKey,
  post,
  type ApplicationDetail,
  type ResidentSession,
} from './api';
import { CorrectionFields, correctionsOf, type FieldChange } from './CorrectionFields';
import { ChangeLine, ClockText, CompletenessView, FINISHED_STATES, StateTag } from './parts';
import { ResidentGate, SignedInBar } from './ResidentGate';
import { useT } from './texts';

export function MyApplicationPage() {
  const { id = '' } = useParams();
  return (
    <div className="stack">
      <ResidentGate>
        {(session) => (
          <>
            <SignedInBar session={session} />
            <Loaded id={id} session={session} />
          </>
        )}
      </ResidentGate>
    </div>
  );
}

function Loaded({ id, session }: { readonly id: string; readonly session: ResidentSession }) {
  const q = useQuery({ queryKey: appKeys.mineOne(id), queryFn: ({ signal }) => fetchMineOne(id, signal) });
  return <QueryView query={q}>{(a) => <Detail a={a} session={session} />}</QueryView>;
}

function Detail({ a, session }: { readonly a: ApplicationDetail; readonly session: ResidentSession }) {
  const t = useT();
  const text = useLocalText();
  const client = useQueryClient();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  // New values of the returned fields, sent with the resubmission.
  const [fieldValues, setFieldValues] = useState<Record<string, unknown>>({});
  const keys = useRef(new Map<string, string>());
  const keyOf = (what: string) => {
    const k = keys.current.get(what) ?? newKey();
    keys.current.set(what, k);
    return k;
  };
  const types = useQuery({
    queryKey: appKeys.types(a.countyCode),
    queryFn: ({ signal }) => fetchTypes(a.countyCode, signal),
  });
  const type = types.data?.find((x) => x.id === a.type.id);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['my'] });
  };
  const act = async (action: 'resubmit' | 'withdraw') => {
    setBusy(action);
    setError(undefined);
    try {
      const json = action === 'resubmit' ? { corrections: fields.corrections } : {};
      await post(`/api/v1/my/applications/${a.id}/${action}`, {
        csrf: session.csrfToken,
        key: keyOf(`${action}@${a.state}@${JSON.stringify(json)}`),
        json,
      });
      setFieldValues({});
      keys.current.clear();
      refresh();
    } catch (e) {
      setError(errorMessage(e, t(action)));
    } finally {
      setBusy(undefined);
    }
  };
  const canUpload = a.state === 'submitted' || a.state === 'returned';
  const can = (action: string) => a.actions.some((x) => x.action === action);
  // A returned material is redone once the server's completeness check no longer lists it (a new upload
  // after the return); corrections are checked by the window, so they never hold a resubmission back.
  const stillOpen = new Set(
    [...a.completeness.missing, ...a.completeness.toRedo].map((c) => ('material' in c ? c.material : '')),
  );
  const returnedFields = a.requiredChanges.filter((c): c is FieldChange => c.kind === 'field');
  const fields = correctionsOf(a, returnedFields, fieldValues);
  const isRedone = (c: (typeof a.requiredChanges)[number]) =>
    c.kind === 'correction' ||
    (c.kind === 'field' ? !fields.open.some((o) => o.field === c.field) : !stillOpen.has(c.material));
  const outstanding = a.state === 'returned' ? a.requiredChanges.filter((c) => !isRedone(c)) : [];
  const materialLabel = (key: string) => text(type?.materials.find((m) => m.key === key)?.label) || key;
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {text(a.type.label)} <StateTag application={a} />
      </Typography.Title>
      <Link to="/applications">← {t('myTitle')}</Link>
      {error ? <Alert type="error" showIcon message={<span role="alert">{error}</span>} /> : null}
      <Card>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('reference')}>{a.reference}</Descriptions.Item>
          <Descriptions.Item label={t('state')}>{text(a.stateLabel)}</Descriptions.Item>
          <Descriptions.Item label={t('submittedAt')}>{formatChinaDateTime(a.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={FINISHED_STATES.includes(a.state) ? t('finishedLabel') : t('deadline')}>
            <ClockText application={a} />
          </Descriptions.Item>
          <Descriptions.Item label={t('applicant')}>
            {a.applicant.name} {a.applicant.citizenId ?? ''}
          </Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 12 }}>
          {can('resubmit') ? (
            <Button
              type="primary"
              loading={busy === 'resubmit'}
              disabled={outstanding.length > 0}
              onClick={() => void act('resubmit')}
            >
              {t('resubmit')}
            </Button>
          ) : null}
          {can('withdraw') ? (
            <Popconfirm
              title={t('withdrawConfirm')}
              onConfirm={() => void act('withdraw')}
              okText={t('confirm')}
              cancelText={t('cancel')}
            >
              <Button danger loading={busy === 'withdraw'}>
                {t('withdraw')}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      </Card>
      {a.state === 'returned' && a.requiredChanges.length > 0 ? (
        <Card title={<h2 className="card-title">{t('requiredChanges')}</h2>} data-testid="required-changes">
          <Typography.Paragraph>{t('requiredLead')}</Typography.Paragraph>
          <ul>
            {a.requiredChanges.map((c, i) => (
              <li key={i} data-testid={isRedone(c) ? 'change-done' : 'change-open'}>
                <ChangeLine change={c} />{' '}
                <Tag color={isRedone(c) ? 'success' : 'warning'}>
                  {c.kind === 'correction'
                    ? t('changeChecked')
                    : c.kind === 'field'
                      ? isRedone(c)
                        ? t('fieldDone')
                        : t('fieldOpen')
                      : isRedone(c)
                        ? t('changeDone')
                        : t('changeOpen')}
                </Tag>
              </li>
            ))}
          </ul>
          {outstanding.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              data-testid="still-missing"
              message={t('stillToRedo', { items: outstanding.map((c) => text(c.label)).join('、') })}
            />
          ) : null}
        </Card>
      ) : null}
      {a.state === 'returned' && returnedFields.length > 0 ? (
        <Card title={<h2 className="card-title">{t('correctTitle')}</h2>}>
          <CorrectionFields a={a} changes={returnedFields} values={fieldValues} onChange={setFieldValues} />
          {can('resubmit') ? (
            <Button
              type="primary"
              block
              loading={busy === 'resubmit'}
              disabled={outstanding.length > 0}
              onClick={() => void act('resubmit')}
            >
              {t('resubmit')}
            </Button>
          ) : null}
        </Card>
      ) : null}
      {a.refusal ? (
        <Card title={<h2 className="card-title">{t('refused')}</h2>} data-testid="refusal">
          <Typography.Paragraph>{text(a.refusal.explanation)}</Typography.Paragraph>
          <blockquote className="quote">
            {t('citing', { article: a.refusal.article })}“{a.refusal.quote}”
          </blockquote>
        </Card>
      ) : null}
      {a.certificates.length > 0 ? (
        <Card title={<h2 className="card-title">{t('certificates')}</h2>} data-testid="certificates">
          <ul>
            {a.certificates.map((c) => (
              <li key={c.id} data-kind={c.kind}>
                <Space wrap>
                  <strong>{t(`certificateKinds.${c.kind}`) || t('certificates')}</strong>
                  {c.revokedAt ? (
                    <Tag color="red">
                      {t('revokedOn', {
                        date: formatChinaDate(c.revokedAt),
                      })}
                    </Tag>
                  ) : null}
                  <a
                    href={`/api/v1/my/applications/${a.id}/certificates/${c.id}.pdf`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {t('download')}
                  </a>
                  <a href={c.verifyUrl} target="_blank" rel="noreferrer">
                    {t('verifyLink')}
                  </a>
                </Space>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title={<h2 className="card-title">{t('completeness')}</h2>}>
        <CompletenessView report={a.completeness} />
      </Card>
      <Card title={<h2 className="card-title">{t('materials')}</h2>}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          data-testid="materials"
          dataSource={(type?.materials ?? []).map((m) => ({
            key: m.key,
            label: text(m.label),
            files: a.materials.filter((x) => x.materialKey === m.key),
          }))}
          columns={[
            { title: t('material'), dataIndex: 'label' },
            {
              title: t('filesUploaded'),
              render: (_: unknown, row: { key: string; files: ApplicationDetail['materials'] }) =>
                row.files.length === 0 ? '—' : row.files.map((f) => f.fileName).join('、'),
            },
            ...(canUpload
              ? [
                  {
                    title: t('upload'),
                    render: (_: unknown, row: { key: string }) => (
                      <UploadButton
                        applicationId={a.id}
                        materialKey={row.key}
                        label={materialLabel(row.key)}
                        session={session}
                        onDone={refresh}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </>
  );
}

/** One file for one checklist material: the bytes as the body, the type read by the server. */
export function UploadButton({
  applicationId,
  materialKey,
  label,
  session,
  onDone,
}: {
  readonly applicationId: string;
  readonly materialKey: string;
  readonly label: string;
  readonly session: ResidentSession;
  readonly onDone: () => void;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  return (
    <Upload
      showUploadList={false}
      accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
      customRequest={({ file }) => {
        const f = file as File;
        setBusy(true);
        const key = newKey();
        void post(
          `/api/v1/my/applications/${applicationId}/materials?key=${encodeURIComponent(materialKey)}&fileName=${encodeURIComponent(f.name)}`,
          { csrf: session.csrfToken, key, bytes: f },
        )
          .then(() => {
            void message.success(t('uploaded', { name: f.name }));
            onDone();
          })
          .catch((e: unknown) => void message.error(errorMessage(e, t('upload'))))
          .finally(() => setBusy(false));
      }}
    >
      <Button size="small" loading={busy} aria-label={`${t('upload')} ${label}`} data-material={materialKey}>
        {t('upload')}
      </Button>
    </Upload>
  );
}
