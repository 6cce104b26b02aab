/**
 * The documents issued for an application, as the officer sees them: kind, date of issue, in force or
 * revoked, 下载 (the PDF as a file) and 打印 (the PDF in the browser's viewer, which prints it), and the
 * public verification page. An officer holding `document.revoke` can revoke one (作废)
 * with a reason: `POST /api/v1/documents/{id}/revoke`, one Idempotency-Key per document, kept until the
 * answer comes, so a retry after a network failure never revokes twice.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../app/states';
import { useOfficer } from '../accounts/session';
import { RULES, useRule } from '../register/commands/fields';
import { newKey, post, type Certificate } from './api';
import { useT } from './texts';
import { formatChinaDate } from '../../app/time';

export function CertificateList({
  applicationId,
  certificates,
}: {
  readonly applicationId: string;
  readonly certificates: readonly Certificate[];
}) {
  const t = useT();
  const officer = useOfficer();
  const client = useQueryClient();
  const rule = useRule();
  const [form] = Form.useForm<{ reason: string }>();
  const [revoking, setRevoking] = useState<Certificate | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const keys = useRef(new Map<string, string>());
  const canRevoke = officer.permissions.includes('document.revoke');
  const kindOf = (c: Certificate) => t(`certificateKinds.${c.kind}`) || t('certificates');
  const pdf = (c: Certificate) => `/api/v1/applications/${applicationId}/certificates/${c.id}.pdf`;
  const day = formatChinaDate;

  const revoke = async ({ reason }: { reason: string }) => {
    if (!revoking) return;
    const key = keys.current.get(revoking.id) ?? newKey();
    keys.current.set(revoking.id, key);
    setBusy(true);
    setError(undefined);
    try {
      await post(`/api/v1/documents/${revoking.id}/revoke`, {
        csrf: officer.csrfToken,
        key,
        json: { reason },
      });
      keys.current.delete(revoking.id);
      setDone(t('revoked', { kind: kindOf(revoking) }));
      setRevoking(undefined);
      await client.invalidateQueries({ queryKey: ['applications'] });
    } catch (e) {
      // A refusal is final for this key; a network failure keeps it, so the retry is the same request.
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) keys.current.delete(revoking.id);
      setError(errorMessage(e, t('revoke')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {done ? <Alert type="success" showIcon message={<span role="status">{done}</span>} /> : null}
      <ul data-testid="officer-certificates" style={{ paddingLeft: 18, margin: 0 }}>
        {certificates.map((c) => (
          <li key={c.id} data-kind={c.kind} style={{ marginBottom: 6 }}>
            <Space wrap>
              <strong>{kindOf(c)}</strong>
              <span>{t('issuedOn', { date: day(c.issuedAt) })}</span>
              {c.revokedAt ? (
                <Tag color="red">{t('revokedOn', { date: day(c.revokedAt) })}</Tag>
              ) : (
                <Tag color="green">{t('inForce')}</Tag>
              )}
              <a href={`${pdf(c)}?download=1`} download data-testid="certificate-download">
                {t('downloadPdf')}
              </a>
              <a href={pdf(c)} target="_blank" rel="noreferrer" data-testid="certificate-print">
                {t('print')}
              </a>
              <a href={c.verifyUrl} target="_blank" rel="noreferrer">
                {t('verifyLink')}
              </a>
              {canRevoke && !c.revokedAt ? (
                <Button
                  size="small"
                  danger
                  onClick={() => {
                    setError(undefined);
                    setDone(undefined);
                    setRevoking(c);
                  }}
                >
                  {t('revoke')}
                </Button>
              ) : null}
            </Space>
          </li>
        ))}
      </ul>
      <Modal
        open={revoking !== undefined}
        title={revoking ? t('revokeTitle', { kind: kindOf(revoking) }) : ''}
        onCancel={() => setRevoking(undefined)}
        okText={t('revoke')}
        okButtonProps={{ danger: true }}
        cancelText={t('cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('revokeLead')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={<span role="alert">{error}</span>} /> : null}
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void revoke(v)}
          preserve={false}
        >
          <Form.Item name="reason" label={t('revokeReason')} rules={[rule(RULES.reason)]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
