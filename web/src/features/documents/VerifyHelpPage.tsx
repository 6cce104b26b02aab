/**
 * How to verify a certificate. The verification itself is the server's page at `/verify/{token}`, which
 * the certificate's QR code opens; this page explains it and does not repeat it.
 */
import { Alert, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function VerifyHelpPage() {
  const { t } = useTranslation();
  const example = `${window.location.origin}/verify/…`;
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
        {t('verify.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('verify.lead')}</Typography.Paragraph>
      <Card>
        <ol>
          <li>{t('verify.how1')}</li>
          <li>{t('verify.how2')}</li>
          <li>{t('verify.how3')}</li>
        </ol>
        <Typography.Paragraph className="muted">{t('verify.privacy')}</Typography.Paragraph>
        <Typography.Paragraph>
          {t('verify.haveLink')} <code>{example}</code>
        </Typography.Paragraph>
      </Card>
      <Alert type="warning" showIcon message={t('verify.warning')} />
    </div>
  );
}
