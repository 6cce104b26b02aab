/**
 * The resident's sign-in: a mobile number, then the one-time code sent to it. Pages that need a signed-in
 * resident render inside `ResidentGate`, which hands them the session (with its CSRF token).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ErrorState, Loading, errorMessage } from '../../app/states';
import {
  appKeys,
  fetchResident,
  residentSignOut,
  startResidentSignIn,
  verifyResidentSignIn,
  type ResidentSession,
} from './api';
import { useT } from './texts';

export function useResident() {
  return useQuery({
    queryKey: appKeys.resident,
    queryFn: ({ signal }) => fetchResident(signal),
    retry: false,
    staleTime: 60_000,
  });
}

export function ResidentGate({ children }: { readonly children: (s: ResidentSession) => ReactNode }) {
  const session = useResident();
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) return <SignIn />;
    return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  }
  if (session.isPending) return <Loading />;
  return <>{children(session.data)}</>;
}

export function SignedInBar({ session }: { readonly session: ResidentSession }) {
  const t = useT();
  const client = useQueryClient();
  return (
    <div className="muted" style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
      <span data-testid="resident">{t('signedInAs', { phone: session.resident.phone })}</span>
      <Button
        size="small"
        onClick={() =>
          void residentSignOut(session.csrfToken).then(() => {
            client.removeQueries({ queryKey: ['my'] });
            client.removeQueries({ queryKey: appKeys.resident });
          })
        }
      >
        {t('signOut')}
      </Button>
    </div>
  );
}

function SignIn() {
  const t = useT();
  const client = useQueryClient();
  const [challenge, setChallenge] = useState<{ id: string; phone: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const send = async (values: { phone: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const started = await startResidentSignIn(values.phone.trim());
      setChallenge({ id: started.challenge, phone: values.phone.trim() });
    } catch (e) {
      setError(errorMessage(e, t('signInTitle')));
    } finally {
      setBusy(false);
    }
  };
  const verify = async (values: { code: string }) => {
    if (!challenge) return;
    setBusy(true);
    setError(undefined);
    try {
      const session = await verifyResidentSignIn(challenge.id, values.code.trim());
      client.setQueryData(appKeys.resident, session);
    } catch (e) {
      setError(errorMessage(e, t('signInTitle')));
    } finally {
      setBusy(false);
    }
  };
  const masked = challenge ? `${challenge.phone.slice(0, 3)}****${challenge.phone.slice(-4)}` : '';
  return (
    <Card style={{ maxWidth: 440, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
        {t('signInTitle')}
      </Typography.Title>
      <Typography.Paragraph>{t('signInLead')}</Typography.Paragraph>
      {error ? (
        <Alert
          type="error"
          showIcon
          message={<span role="alert">{error}</span>}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {!challenge ? (
        <Form layout="vertical" requiredMark={false} onFinish={(v: { phone: string }) => void send(v)}>
          <Form.Item
            name="phone"
            label={t('phone')}
            rules={[
              { required: true, message: t('required') },
              { pattern: /^\s*1[3-9]\d{9}\s*$/, message: t('badPhone') },
            ]}
          >
            <Input inputMode="tel" autoComplete="tel" maxLength={20} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('sendCode')}
          </Button>
        </Form>
      ) : (
        <Form layout="vertical" requiredMark={false} onFinish={(v: { code: string }) => void verify(v)}>
          <Typography.Paragraph>{t('codeSent', { phone: masked })}</Typography.Paragraph>
          <Form.Item name="code" label={t('code')} rules={[{ required: true, message: t('required') }]}>
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={12} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('signIn')}
          </Button>
        </Form>
      )}
    </Card>
  );
}
