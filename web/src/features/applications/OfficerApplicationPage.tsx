/**
 * An application for officers (console, desktop): first what is applied for — who moves, from where to
 * where, into which household — then the materials in a large viewer, the engine's assessment written for
 * the officer (only the facts it used, the movers as followers), the documents with 下载 / 打印, and the
 * record. Only the actions the server lists are offered, each a POST with its own Idempotency-Key and the
 * console's CSRF token; accept, approve and refuse ask for confirmation, and approval first shows what it
 * will write into the register (the server's rolled-back preview). Times are China time.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useLocalText, type LocalText } from '../../app/lang';
import { QueryView, errorMessage } from '../../app/states';
import { FullCitizenId } from '../../components/FullCitizenId';
import { useOfficer } from '../accounts/session';
import { appKeys, fetchOne, fetchTypes, newKey, post, type ApplicationDetail } from './api';
import { ApplicationHistory } from './ApplicationHistory';
import { CertificateList } from './CertificateList';
import { ApprovalPreview } from './officer/ApprovalPreview';
import { HouseholdPlan } from './officer/HouseholdPlan';
import { MaterialsViewer } from './officer/MaterialsViewer';
import { OfficerExplanation } from './officer/OfficerExplanation';
import { useOfficerT } from './officer/texts';
import { formatChinaDateTime } from '../../app/time';
import { ChangeLine, ClockText, CompletenessView, StateTag } from './parts';
import { useT } from './texts';

/** 不予批准 and 不予受理: both cite a rule, issue a written decision and end the application. */
const isRefusal = (action: string | undefined) => action === 'refuse' || action === 'decline';

export function OfficerApplicationPage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: appKeys.one(id), queryFn: ({ signal }) => fetchOne(id, signal) });
  return (
    <div className="stack">
      <QueryView query={q}>{(a) => <Detail a={a} />}</QueryView>
    </div>
  );
}

const cardTitle = (title: string) => <h2 className="card-title">{title}</h2>;

function Detail({ a }: { readonly a: ApplicationDetail }) {
  const t = useT();
  const o = useOfficerT();
  const text = useLocalText();
  const officer = useOfficer();
  const client = useQueryClient();
  const [modal, modalHolder] = Modal.useModal();
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [dialog, setDialog] = useState<string | undefined>();
  // An approval waiting for its confirmation over the preview, with the body its dialog gave.
  const [approving, setApproving] = useState<{ action: string; body: unknown } | undefined>();
  const keys = useRef(new Map<string, string>());
  const types = useQuery({
    queryKey: appKeys.types(a.countyCode),
    queryFn: ({ signal }) => fetchTypes(a.countyCode, signal),
  });
  const type = types.data?.find((x) => x.id === a.type.id);
  const materialLabel = (key: string) => text(type?.materials.find((m) => m.key === key)?.label) || key;
  const movers = useMemo(
    () =>
      ((a.form.movers as { name: string; relationship: string }[] | undefined) ?? []).map((m) => ({
        name: m.name,
        relationship: m.relationship,
      })),
    [a.form],
  );

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
      setApproving(undefined);
      setDone(t('done', { action: text(label) }));
      // The approval preview runs an approval: once the state has moved on, asking it again answers 409.
      client.removeQueries({ queryKey: [...appKeys.one(a.id), 'approval-preview'] });
      await client.invalidateQueries({
        queryKey: ['applications'],
        predicate: (query) => query.queryKey[2] !== 'approval-preview',
      });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.current.delete(slot);
      setError(errorMessage(e, text(label)));
      setApproving(undefined);
    } finally {
      setBusy(undefined);
    }
  };

  /** The last step before a POST: approval over its preview, the others over a confirmation. */
  const confirmThen = (action: string, body: unknown = {}) => {
    const x = a.actions.find((y) => y.action === action);
    if (!x) return;
    if (action === 'approve') {
      setDialog(undefined);
      setApproving({ action, body });
      return;
    }
    const content =
      action === 'accept'
        ? o('confirmAccept')
        : action === 'refuse'
          ? o('confirmRefuse')
          : action === 'decline'
            ? o('confirmDecline')
            : o('confirmOther', { action: text(x.label) });
    void modal.confirm({
      title: o('confirmTitle', { action: text(x.label) }),
      content,
      okText: t('confirm'),
      cancelText: t('cancel'),
      okButtonProps: { danger: isRefusal(action) },
      onOk: () => act(action, x.label, body),
    });
  };

  const againstEngine = a.decision.outcome === 'not_eligible';
  const approvingLabel = a.actions.find((x) => x.action === approving?.action)?.label;
  return (
    <>
      {modalHolder}
      <Card
        title={
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {text(a.type.label)} <span className="muted">{a.reference}</span> <StateTag application={a} />
          </Typography.Title>
        }
        extra={
          <Space wrap data-testid="actions" aria-label={t('actions')}>
            {a.actions.length === 0 ? <Typography.Text>{t('noActions')}</Typography.Text> : null}
            {a.actions.map((x) => {
              // Approving against the engine's "not met" takes a cited article and a reason (the API's rule).
              const needsForm =
                ['return', 'review', 'refuse', 'decline', 'record-county-approval'].includes(x.action) ||
                (againstEngine && (x.action === 'approve' || x.action === 'refer-to-county'));
              return (
                <Button
                  key={x.action}
                  type={isRefusal(x.action) || x.action === 'return' ? 'default' : 'primary'}
                  danger={isRefusal(x.action)}
                  loading={busy === x.action}
                  onClick={() => {
                    setError(undefined);
                    setDone(undefined);
                    if (needsForm) setDialog(x.action);
                    else confirmThen(x.action);
                  }}
                >
                  {text(x.label)}
                </Button>
              );
            })}
          </Space>
        }
      >
        <Descriptions column={4} size="small">
          <Descriptions.Item label={o('applicant')}>
            <Space size={4} wrap>
              {a.applicant.name}
              {a.applicant.citizenId && (
                <FullCitizenId
                  masked={a.applicant.citizenId}
                  path={`/api/v1/applications/${a.id}/applicant-id`}
                  canReveal={officer.permissions.includes('application.read-full-id')}
                />
              )}
              {a.applicant.contact ?? ''}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={o('submittedAt')}>
            <span data-testid="submitted-at">{formatChinaDateTime(a.submittedAt)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={o('deadline')}>
            <ClockText application={a} />
          </Descriptions.Item>
          <Descriptions.Item label={t('state')}>{text(a.stateLabel)}</Descriptions.Item>
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
      {done ? <Alert type="success" showIcon message={<span role="status">{done}</span>} /> : null}
      {error ? <Alert type="error" showIcon message={<span role="alert">{error}</span>} /> : null}
      <Row gutter={16}>
        <Col span={17} className="stack">
          {a.corrections && a.corrections.length > 0 ? (
            <Card title={cardTitle(t('correctionsTitle'))} data-testid="corrections">
              <CorrectionsView corrections={a.corrections} />
            </Card>
          ) : null}
          <Card title={cardTitle(o('plan'))}>
            <HouseholdPlan a={a} />
          </Card>
          <Card title={cardTitle(o('materials'))}>
            <div className="stack">
              <CompletenessView report={a.completeness} />
              <MaterialsViewer applicationId={a.id} materials={a.materials} labelOf={materialLabel} />
            </div>
          </Card>
          <Card title={cardTitle(o('explanation'))} data-testid="explanation">
            {a.decision.explanation ? (
              <OfficerExplanation
                decision={a.decision.explanation}
                pathway={a.decision.pathway}
                movers={movers}
              />
            ) : (
              <ul>
                {a.decision.articles.map((x) => (
                  <li key={x.id}>
                    <strong>{x.id}</strong> “{x.quote}”
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col span={7} className="stack">
          <Card title={cardTitle(o('documents'))} data-testid="documents">
            {a.certificates.length > 0 ? (
              <CertificateList applicationId={a.id} certificates={a.certificates} />
            ) : (
              <Typography.Text className="muted">{o('noDocuments')}</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      {/* The record is wide (time, who, step, state, what was said): the full width, below. */}
      <Card title={cardTitle(t('history'))}>
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
          if (!x) return;
          // Accept, approve and refuse are confirmed once more; the others' dialog is their confirmation.
          if (x.action === 'approve' || isRefusal(x.action)) {
            setDialog(undefined);
            confirmThen(x.action, body);
          } else void act(x.action, x.label, body);
        }}
      />
      <ApprovalPreview
        applicationId={a.id}
        open={approving !== undefined}
        canApprove={a.actions.some((x) => x.action === 'approve')}
        busy={busy === 'approve'}
        title={o('previewTitle')}
        placeNames={a.placeNames ?? {}}
        onCancel={() => setApproving(undefined)}
        onConfirm={() => {
          if (approving && approvingLabel) void act(approving.action, approvingLabel, approving.body);
        }}
      />
    </>
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
interface FieldRow {
  field?: string;
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
  readonly name: 'redo' | 'corrections' | 'fields';
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

/** What the applicant changed on resubmitting, field by field: before → after. */
function CorrectionsView({
  corrections,
}: {
  readonly corrections: NonNullable<ApplicationDetail['corrections']>;
}) {
  const t = useT();
  const text = useLocalText();
  return (
    <div className="stack">
      {corrections.map((r) => (
        <Table
          key={r.at}
          size="small"
          pagination={false}
          rowKey="field"
          title={() => t('correctedAt', { time: formatChinaDateTime(r.at) })}
          dataSource={r.changes.map((c) => ({ ...c }))}
          columns={[
            { title: t('item'), render: (_: unknown, c: (typeof r.changes)[number]) => text(c.label) },
            {
              title: t('before'),
              render: (_: unknown, c: (typeof r.changes)[number]) => (
                <del data-testid="before">{text(c.before)}</del>
              ),
            },
            {
              title: t('after'),
              render: (_: unknown, c: (typeof r.changes)[number]) => (
                <strong data-testid="after">{text(c.after)}</strong>
              ),
            },
          ]}
        />
      ))}
    </div>
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
    v: Record<string, string | undefined> & {
      redo?: RedoRow[];
      corrections?: CorrectionRow[];
      fields?: FieldRow[];
    },
  ) => {
    const both = (s: string | undefined) => ({ zh: s ?? '', en: s ?? '' });
    if (action === 'return') {
      onSubmit({
        requests: [
          ...(v.redo ?? []).map((r) => ({ kind: 'redo', material: r.material, reason: both(r.reason) })),
          ...(v.fields ?? []).map((r) => ({ kind: 'field', field: r.field, reason: both(r.reason) })),
          ...(v.corrections ?? []).map((r) => ({
            kind: 'correction',
            label: both(r.label),
            reason: both(r.reason),
          })),
        ],
      });
    } else if (action === 'review')
      onSubmit({ recommendation: v.recommendation, ...(v.note ? { note: both(v.note) } : {}) });
    else if (isRefusal(action) || action === 'approve' || action === 'refer-to-county') {
      const citation = {
        article: (v.article ?? '').trim(),
        quote: (v.quote ?? '').trim(),
        explanation: {
          zh: String(v.explanationZh ?? ''),
          en: String(v.explanationEn || v.explanationZh || ''),
        },
      };
      onSubmit(isRefusal(action) ? { reason: citation } : { justification: citation });
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
              name="fields"
              testId="return-field"
              field={{
                name: 'field',
                label: t('fieldPick'),
                control: (
                  <Select
                    showSearch
                    optionFilterProp="label"
                    options={(a.correctableFields ?? []).map((f) => ({
                      value: f.field,
                      label: text(f.label),
                    }))}
                  />
                ),
              }}
              addLabel={t('addField')}
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
        {isRefusal(action) || action === 'approve' || action === 'refer-to-county' ? (
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
