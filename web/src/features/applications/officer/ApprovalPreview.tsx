/**
 * The approval's confirmation: what the register will hold after it — the persons with their declared
 * facts, the household founded or joined with its address, the events written and the documents issued
 * — as the server's preview (GET …/approval-preview runs the approval and rolls it back), then 确认批准.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Modal, Spin, Table, Tag, Typography } from 'antd';
import { apiGet } from '../../../api/client';
import { errorMessage } from '../../../app/states';
import { useCodeLabel } from '../../register/labels';
import { useT } from '../texts';
import { useOfficerT } from './texts';

interface PreviewPerson {
  readonly name: string;
  readonly citizenId: string;
  readonly sex: string;
  readonly birthDate: string;
  readonly ethnicity: string | null;
  readonly birthplace: string | null;
  readonly education: string | null;
  readonly maritalStatus: string | null;
  readonly occupation: string | null;
  readonly relationship: string | null;
}

export interface ApprovalPreviewAnswer {
  readonly action: string;
  readonly persons: readonly PreviewPerson[];
  readonly households: readonly {
    readonly isNew: boolean;
    readonly householdNumber: string;
    readonly address: { readonly text: string; readonly countyCode: string };
  }[];
  readonly events: readonly {
    readonly type: string;
    readonly effectiveDate: string;
    readonly personNames: readonly string[];
  }[];
  readonly certificates: readonly string[];
}

export function ApprovalPreview({
  applicationId,
  open,
  canApprove,
  busy,
  title,
  placeNames,
  onConfirm,
  onCancel,
}: {
  readonly applicationId: string;
  readonly open: boolean;
  /** Whether the application's state still allows approval: once approved, the preview is not asked. */
  readonly canApprove: boolean;
  readonly busy: boolean;
  readonly title: string;
  readonly placeNames: Readonly<Record<string, string>>;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const t = useOfficerT();
  const tt = useT();
  const label = useCodeLabel();
  const q = useQuery({
    queryKey: ['applications', applicationId, 'approval-preview'],
    queryFn: ({ signal }) =>
      apiGet<ApprovalPreviewAnswer>(`/api/v1/applications/${applicationId}/approval-preview`, signal),
    enabled: open && canApprove,
    gcTime: 0,
    staleTime: 0,
    retry: false,
  });
  const coded = (table: Parameters<typeof label>[0], code: string | null, empty = t('unknown')) =>
    code ? label(table, code) : empty;
  const p = q.data;
  return (
    <Modal
      open={open}
      width={1100}
      title={title}
      onCancel={onCancel}
      okText={t('confirmApprove')}
      cancelText={tt('cancel')}
      okButtonProps={{ disabled: !p }}
      confirmLoading={busy}
      onOk={onConfirm}
      destroyOnHidden
    >
      <div className="stack" data-testid="approval-preview">
        <Typography.Paragraph>{t('previewLead')}</Typography.Paragraph>
        {q.isPending ? (
          <Spin tip={t('previewLoading')}>
            <div style={{ height: 80 }} />
          </Spin>
        ) : null}
        {q.error ? (
          <Alert
            type="error"
            showIcon
            message={<span role="alert">{errorMessage(q.error, t('previewTitle'))}</span>}
          />
        ) : null}
        {p ? (
          <>
            {p.households.map((h) => (
              <Descriptions key={h.householdNumber} bordered size="small" column={3}>
                <Descriptions.Item label={t('previewHousehold')}>
                  <Tag color={h.isNew ? 'blue' : 'default'}>
                    {h.isNew ? t('previewNew') : t('previewJoined')}
                  </Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('householdNumber')}>{h.householdNumber}</Descriptions.Item>
                <Descriptions.Item label={t('address')}>
                  {placeNames[h.address.countyCode] ?? ''} {h.address.text}
                </Descriptions.Item>
              </Descriptions>
            ))}
            <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
              {t('previewPersons')}
            </Typography.Title>
            <Table
              size="small"
              pagination={false}
              rowKey="citizenId"
              data-testid="preview-persons"
              dataSource={[...p.persons]}
              columns={[
                { title: t('name'), dataIndex: 'name' },
                { title: t('citizenId'), dataIndex: 'citizenId' },
                {
                  title: t('relationship'),
                  render: (_: unknown, x: PreviewPerson) => coded('relationship', x.relationship),
                },
                {
                  title: t('sex'),
                  render: (_: unknown, x: PreviewPerson) => (x.sex === '1' ? t('male') : t('female')),
                },
                { title: t('birthDate'), dataIndex: 'birthDate' },
                {
                  title: t('birthplace'),
                  render: (_: unknown, x: PreviewPerson) =>
                    x.birthplace === null ? t('unknown') : (placeNames[x.birthplace] ?? x.birthplace),
                },
                {
                  title: t('ethnicity'),
                  render: (_: unknown, x: PreviewPerson) => coded('ethnicity', x.ethnicity),
                },
                {
                  title: t('education'),
                  render: (_: unknown, x: PreviewPerson) => coded('education', x.education, t('notRecorded')),
                },
                {
                  title: t('maritalStatus'),
                  render: (_: unknown, x: PreviewPerson) =>
                    coded('marital-status', x.maritalStatus, t('notRecorded')),
                },
                {
                  title: t('occupation'),
                  render: (_: unknown, x: PreviewPerson) => x.occupation ?? t('notRecorded'),
                },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
              {t('previewEvents')}
            </Typography.Title>
            <ol data-testid="preview-events">
              {p.events.map((e, i) => (
                <li key={i}>
                  {t(`eventTypes.${e.type as 'move-in'}`) || e.type}：{e.personNames.join('、')}（
                  {t('effective')} {e.effectiveDate}）
                </li>
              ))}
            </ol>
            {p.certificates.length > 0 ? (
              <Typography.Paragraph>
                {t('previewCertificates')}：
                {p.certificates.map((k) => tt(`certificateKinds.${k}`) || k).join('、')}
              </Typography.Paragraph>
            ) : null}
          </>
        ) : null}
      </div>
    </Modal>
  );
}
