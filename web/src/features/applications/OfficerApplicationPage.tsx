/**
 * An application for officers: the facts, the engine's explanation with each condition's article and
 * quoted sentence, the materials with an inline viewer, and only the actions the server lists, each a
 * POST with its own Idempotency-Key and the console's CSRF token.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useRef, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { FACTS, type FactDefinition } from '../../../../src/policy/facts';
import { ApiError } from '../../api/client';
import { useLang, useLocalText, type LocalText } from '../../app/lang';
import { QueryView, errorMessage } from '../../app/states';
import { useOfficer } from '../accounts/session';
import { DecisionView } from '../policy/DecisionView';
import { appKeys, fetchOne, fetchTypes, newKey, post, type ApplicationDetail, type Material } from './api';
import { ApplicationHistory } from './ApplicationHistory';
import { CertificateList } from './CertificateList';
import { ChangeLine, ClockText, CompletenessView, StateTag } from './parts';
import { useT } from './texts';

export function OfficerApplicationPage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: appKeys.one(id), queryFn: ({ signal }) => fetchOne(id, signal) });
  return (
    <div className="stack">
      <QueryView query={q}>{(a) => <Detail a={a} />}</QueryView>
    </div>
  );
}

/** The facts the engine saw, labelled by the policy's fact definitions (values by their labels). */
function FactsList({ facts }: { readonly facts: Record<string, unknown> }) {
  const text = useLocalText();
  const t = useT();
  const rows: [string, string][] = [];
  const show = (def: FactDefinition, v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('yes') : t('no');
    if (typeof v === 'string') return text(def.values?.[v]) || v;
    if (typeof v === 'number') return `${v}${def.unit ? ` ${text(def.unit)}` : ''}`;
    return '';
  };
  const walk = (prefix: string, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
      return;
    }
    const def = FACTS.get(prefix);
    if (!def) return;
    const shown = show(def, v);
    if (shown) rows.push([text(def), shown]);
  };
  walk('', facts);
  return (
    <Descriptions column={{ xs: 1, sm: 2 }} size="small">
      {rows.map(([k, v], i) => (
        <Descriptions.Item key={i} label={k}>
          {v}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function Detail({ a }: { readonly a: ApplicationDetail }) {
  const t = useT();
  const [lang] = useLang();
  const text = useLocalText();
  const officer = useOfficer();
  const client = useQueryClient();
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [dialog, setDialog] = useState<string | undefined>();
  const [viewing, setViewing] = useState<Material | undefined>(a.materials[0]);
  const keys = useRef(new Map<string, string>());
  const types = useQuery({
    queryKey: appKeys.types(a.countyCode),
    queryFn: ({ signal }) => fetchTypes(a.countyCode, signal),
  });
  const type = types.data?.find((x) => x.id === a.type.id);
  const materialLabel = (key: string) => text(type?.materials.find((m) => m.key === key)?.label) || key;

  const act = async (action: string, label: LocalText, body: unknown = {}) => {
    const slot = `${action}@${a.state}`;
    const key = keys.current.get(slot) ?? newKey();
    keys.current.set(slot, key);
    setBusy(action);
    setError(undefined);
    setDone(undefined);
    try {
      await post(`/api/v1/applications/${a.id}/${action}`, { csrf: officer.csrfToken, key, json: body });
      keys.current.delete(slot);
      setDialog(undefined);
      setDone(t('done', { action: text(label) }));
      await client.invalidateQueries({ queryKey: ['applications'] });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.current.delete(slot);
      setError(errorMessage(e, text(label)));
    } finally {
      setBusy(undefined);
    }
  };

  const explanation = a.decision.explanation;
  const againstEngine = a.decision.outcome === 'not_eligible';
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {text(a.type.label)} {a.reference} <StateTag application={a} />
      </Typography.Title>
      {done ? <Alert type="success" showIcon message={<span role="status">{done}</span>} /> : null}
      {error ? <Alert type="error" showIcon message={<span role="alert">{error}</span>} /> : null}
      <Card title={<h2 className="card-title">{t('actions')}</h2>} data-testid="actions">
        {a.actions.length === 0 ? (
          <Typography.Text>{t('noActions')}</Typography.Text>
        ) : (
          <Space wrap>
            {a.actions.map((x) => {
              // Approving against the engine's "not met" takes a cited article and a reason (the API's rule).
              const needsForm =
                ['return', 'review', 'refuse', 'record-county-approval'].includes(x.action) ||
                (againstEngine && (x.action === 'approve' || x.action === 'refer-to-county'));
              return (
                <Button
                  key={x.action}
                  type={x.action === 'refuse' || x.action === 'return' ? 'default' : 'primary'}
                  danger={x.action === 'refuse'}
                  loading={busy === x.action}
                  onClick={() => (needsForm ? setDialog(x.action) : void act(x.action, x.label))}
                >
                  {text(x.label)}
                </Button>
              );
            })}
          </Space>
        )}
      </Card>
      <Card>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('reference')}>{a.reference}</Descriptions.Item>
          <Descriptions.Item label={t('state')}>{text(a.stateLabel)}</Descriptions.Item>
          <Descriptions.Item label={t('applicant')}>
            {a.applicant.name} {a.applicant.citizenId ?? ''} {a.applicant.contact ?? ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('deadline')}>
            <ClockText application={a} />
          </Descriptions.Item>
          <Descriptions.Item label={t('submittedAt')}>
            {new Date(a.submittedAt).toLocaleString(lang)}
          </Descriptions.Item>
        </Descriptions>
        {a.requiredChanges.length > 0 && a.state === 'returned' ? (
          <ul>
            {a.requiredChanges.map((c, i) => (
              <li key={i}>
                <ChangeLine change={c} />
              </li>
            ))}
          </ul>
        ) : null}
        {a.refusal ? (
          <Alert
            type="error"
            message={text(a.refusal.explanation)}
            description={`${t('citing', { article: a.refusal.article })}“${a.refusal.quote}”`}
          />
        ) : null}
      </Card>
      {a.certificates.length > 0 ? (
        <Card title={<h2 className="card-title">{t('certificates')}</h2>}>
          <CertificateList certificates={a.certificates} />
        </Card>
      ) : null}
      <Card title={<h2 className="card-title">{t('materials')}</h2>}>
        <CompletenessView report={a.completeness} />
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          style={{ marginTop: 12 }}
          data-testid="materials"
          dataSource={[...a.materials]}
          columns={[
            { title: t('material'), render: (_: unknown, m: Material) => materialLabel(m.materialKey) },
            {
              title: t('materials'),
              render: (_: unknown, m: Material) => (
                <Button type="link" onClick={() => setViewing(m)} aria-pressed={viewing?.id === m.id}>
                  {m.fileName}
                </Button>
              ),
            },
            {
              title: '',
              render: (_: unknown, m: Material) => `${Math.max(1, Math.round(m.byteSize / 1024))} KB`,
            },
          ]}
        />
        {viewing ? <Viewer applicationId={a.id} material={viewing} /> : null}
      </Card>
      <Card title={<h2 className="card-title">{t('explanation')}</h2>} data-testid="explanation">
        {explanation ? <DecisionView decision={explanation} /> : null}
        <Typography.Title level={3} style={{ fontSize: 16 }}>
          {t('basis')}
        </Typography.Title>
        <ul>
          {a.decision.articles.map((x) => (
            <li key={x.id}>
              <strong>{x.id}</strong> “{x.quote}”
            </li>
          ))}
        </ul>
      </Card>
      <Card title={<h2 className="card-title">{t('facts')}</h2>}>
        <FactsList facts={a.facts} />
      </Card>
      <Card title={<h2 className="card-title">{t('history')}</h2>}>
        <ApplicationHistory history={a.history} />
      </Card>
      <ActionDialog
        action={dialog}
        a={a}
        busy={busy !== undefined}
        materials={type?.materials ?? []}
        onCancel={() => setDialog(undefined)}
        onSubmit={(body) => {
          const x = a.actions.find((y) => y.action === dialog);
          if (x) void act(x.action, x.label, body);
        }}
      />
    </>
  );
}

function Viewer({
  applicationId,
  material,
}: {
  readonly applicationId: string;
  readonly material: Material;
}) {
  const t = useT();
  const src = `/api/v1/applications/${applicationId}/materials/${material.id}`;
  return (
    <figure style={{ margin: '12px 0 0' }} data-testid="viewer">
      <figcaption className="muted">
        {t('viewer')}：{material.fileName}
      </figcaption>
      {material.mediaType.startsWith('image/') ? (
        <img
          src={src}
          alt={material.fileName}
          style={{ maxWidth: '100%', maxHeight: 600, border: '1px solid #ddd' }}
        />
      ) : (
        <iframe
          src={src}
          title={material.fileName}
          style={{ width: '100%', height: 600, border: '1px solid #ddd' }}
        />
      )}
    </figure>
  );
}

interface RedoRow {
  material?: string;
  reason?: string;
}
interface CorrectionRow {
  label?: string;
  reason?: string;
}

/**
 * One list of a return's requests, one card a row: what the row asks for (`field`), the reason and a
 * button to remove it. The two kinds differ only in that first field.
 */
function RequestList({
  name,
  testId,
  field,
  addLabel,
}: {
  readonly name: 'redo' | 'corrections';
  readonly testId: string;
  readonly field: { readonly name: string; readonly label: string; readonly control: ReactNode };
  readonly addLabel: string;
}) {
  const t = useT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div className="stack">
          {fields.map((f) => (
            <Card
              key={f.key}
              size="small"
              data-testid={testId}
              extra={
                <Button size="small" onClick={() => remove(f.name)}>
                  {t('remove')}
                </Button>
              }
            >
              <Form.Item
                name={[f.name, field.name]}
                label={field.label}
                rules={[{ required: true, message: t('required') }]}
              >
                {field.control}
              </Form.Item>
              <Form.Item
                name={[f.name, 'reason']}
                label={t('reason')}
                rules={[{ required: true, message: t('required') }]}
              >
                <Input maxLength={500} />
              </Form.Item>
            </Card>
          ))}
          <Button onClick={() => add({})}>{addLabel}</Button>
        </div>
      )}
    </Form.List>
  );
}

function ActionDialog({
  action,
  a,
  busy,
  materials,
  onCancel,
  onSubmit,
}: {
  readonly action: string | undefined;
  readonly a: ApplicationDetail;
  readonly busy: boolean;
  readonly materials: readonly { key: string; label: LocalText }[];
  readonly onCancel: () => void;
  readonly onSubmit: (body: unknown) => void;
}) {
  const t = useT();
  const text = useLocalText();
  const [form] = Form.useForm();
  const label = a.actions.find((x) => x.action === action)?.label;
  const finish = (
    v: Record<string, string | undefined> & { redo?: RedoRow[]; corrections?: CorrectionRow[] },
  ) => {
    const both = (s: string | undefined) => ({ zh: s ?? '', en: s ?? '' });
    if (action === 'return') {
      onSubmit({
        requests: [
          ...(v.redo ?? []).map((r) => ({ kind: 'redo', material: r.material, reason: both(r.reason) })),
          ...(v.corrections ?? []).map((r) => ({
            kind: 'correction',
            label: both(r.label),
            reason: both(r.reason),
          })),
        ],
      });
    } else if (action === 'review')
      onSubmit({ recommendation: v.recommendation, ...(v.note ? { note: both(v.note) } : {}) });
    else if (action === 'refuse' || action === 'approve' || action === 'refer-to-county') {
      const citation = {
        article: (v.article ?? '').trim(),
        quote: (v.quote ?? '').trim(),
        explanation: {
          zh: String(v.explanationZh ?? ''),
          en: String(v.explanationEn || v.explanationZh || ''),
        },
      };
      onSubmit(action === 'refuse' ? { reason: citation } : { justification: citation });
    } else if (action === 'record-county-approval') onSubmit({ document: v.document });
  };
  return (
    <Modal
      open={action !== undefined}
      title={label ? text(label) : ''}
      onCancel={onCancel}
      okText={t('confirm')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={finish} preserve={false}>
        {action === 'return' ? (
          <>
            <Typography.Paragraph>{t('returnLead')}</Typography.Paragraph>
            {/* One list per kind of request: a row's kind is where it sits, not a hidden value. */}
            <RequestList
              name="redo"
              testId="return-redo"
              field={{
                name: 'material',
                label: t('material'),
                control: <Select options={materials.map((m) => ({ value: m.key, label: text(m.label) }))} />,
              }}
              addLabel={t('addRedo')}
            />
            <RequestList
              name="corrections"
              testId="return-correction"
              field={{ name: 'label', label: t('item'), control: <Input maxLength={200} /> }}
              addLabel={t('addCorrection')}
            />
          </>
        ) : null}
        {action === 'review' ? (
          <>
            <Form.Item
              name="recommendation"
              label={t('recommendation')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Radio.Group
                options={[
                  { value: 'approve', label: t('recApprove') },
                  { value: 'refuse', label: t('recRefuse') },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label={t('note')}>
              <Input.TextArea maxLength={500} />
            </Form.Item>
          </>
        ) : null}
        {action === 'approve' || action === 'refer-to-county' ? (
          <Alert type="warning" showIcon message={t('againstEngine')} style={{ marginBottom: 12 }} />
        ) : null}
        {action === 'refuse' || action === 'approve' || action === 'refer-to-county' ? (
          <>
            <Form.Item
              name="article"
              label={t('article')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Select
                options={a.decision.articles.map((x) => ({ value: x.id, label: x.id }))}
                onChange={() => form.setFieldValue('quote', '')}
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate>
              {() => {
                const quote = a.decision.articles.find((x) => x.id === form.getFieldValue('article'))?.quote;
                return quote ? <blockquote className="quote muted">{quote}</blockquote> : null;
              }}
            </Form.Item>
            <Form.Item name="quote" label={t('quote')} rules={[{ required: true, message: t('required') }]}>
              <Input.TextArea maxLength={1000} />
            </Form.Item>
            <Form.Item
              name="explanationZh"
              label={t('explanationZh')}
              rules={[{ required: true, message: t('required') }]}
            >
              <Input.TextArea maxLength={500} />
            </Form.Item>
            <Form.Item name="explanationEn" label={t('explanationEn')}>
              <Input.TextArea maxLength={500} />
            </Form.Item>
          </>
        ) : null}
        {action === 'record-county-approval' ? (
          <Form.Item
            name="document"
            label={t('countyDocument')}
            rules={[{ required: true, message: t('required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
