/** Officer sign-in: the password gives a challenge, the authenticator code turns it into a session. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { authKeys, signInPassword, signInTotp } from '../../api/auth';
import { errorMessage } from '../../app/states';

export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [challenge, setChallenge] = useState<string | undefined>();
  const next = params.get('next');
  // /console opens the officer's start page.
  const target = next && next.startsWith('/console') ? next : '/console';

  const password = useMutation({
    mutationFn: (v: { username: string; password: string }) => signInPassword(v.username, v.password),
    onSuccess: (answer) => setChallenge(answer.challenge),
  });
  const totp = useMutation({
    mutationFn: (v: { code: string }) => signInTotp(challenge ?? '', v.code),
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.me, session);
      void navigate(target, { replace: true });
    },
  });

  return (
    <Card style={{ maxWidth: 420, margin: '24px auto' }}>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {challenge ? t('console.signIn.totpTitle') : t('console.signIn.title')}
      </Typography.Title>
      {challenge === undefined ? (
        <>
          {password.isError ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              message={errorMessage(password.error, t('app.errorTitle'))}
            />
          ) : null}
          <Form
            layout="vertical"
            style={{ marginTop: 12 }}
            onFinish={(v: { username: string; password: string }) => password.mutate(v)}
          >
            <Form.Item
              name="username"
              label={t('console.signIn.username')}
              rules={[{ required: true, message: t('console.signIn.required') }]}
            >
              <Input autoComplete="username" />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('console.signIn.password')}
              rules={[{ required: true, message: t('console.signIn.required') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={password.isPending} block>
              {t('console.signIn.submit')}
            </Button>
          </Form>
        </>
      ) : (
        <>
          <Typography.Paragraph>{t('console.signIn.totpHint')}</Typography.Paragraph>
          {totp.isError ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              message={errorMessage(totp.error, t('app.errorTitle'))}
            />
          ) : null}
          <Form
            layout="vertical"
            style={{ marginTop: 12 }}
            onFinish={(v: { code: string }) => totp.mutate(v)}
          >
            <Form.Item
              name="code"
              label={t('console.signIn.code')}
              rules={[{ required: true, message: t('console.signIn.required') }]}
            >
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={totp.isPending} block>
              {t('console.signIn.verify')}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
