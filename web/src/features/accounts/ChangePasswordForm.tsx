/** The new password an officer must choose at the first sign-in (the server checks the rules). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { authKeys, changePassword } from '../../api/auth';
import { errorMessage } from '../../app/states';

export function ChangePasswordForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) =>
      changePassword(v.currentPassword, v.newPassword),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.me }),
  });
  return (
    <Card style={{ maxWidth: 480, margin: '24px auto' }}>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('console.signIn.changePassword')}
      </Typography.Title>
      <Typography.Paragraph className="muted">{t('console.signIn.newPasswordHint')}</Typography.Paragraph>
      {mutation.isError ? (
        <Alert
          type="error"
          showIcon
          message={errorMessage(mutation.error, t('app.errorTitle'))}
          role="alert"
        />
      ) : null}
      <Form
        layout="vertical"
        onFinish={(v: { currentPassword: string; newPassword: string }) => mutation.mutate(v)}
        style={{ marginTop: 16 }}
      >
        <Form.Item
          name="currentPassword"
          label={t('console.signIn.currentPassword')}
          rules={[{ required: true, message: t('console.signIn.required') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('console.signIn.newPassword')}
          rules={[{ required: true, message: t('console.signIn.required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('console.signIn.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('console.signIn.required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('console.signIn.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          {t('console.signIn.save')}
        </Button>
      </Form>
    </Card>
  );
}
