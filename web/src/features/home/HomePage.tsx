/**
 * The portal's home: the self-check first, then applying online (and the resident's applications), then
 * the policy texts and certificate verification.
 */
import { Button, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';

export function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="stack">
      <div>
        <Typography.Title level={1} style={{ fontSize: 28, marginTop: 8 }}>
          {t('home.title')}
        </Typography.Title>
        <Typography.Paragraph>{t('home.lead')}</Typography.Paragraph>
      </div>
      <Card>
        <Typography.Title level={2} style={{ fontSize: 22, marginTop: 0 }}>
          {t('home.selfCheckTitle')}
        </Typography.Title>
        <Typography.Paragraph>{t('home.selfCheckText')}</Typography.Paragraph>
        <Button type="primary" size="large" onClick={() => void navigate('/self-check')}>
          {t('home.start')}
        </Button>
      </Card>
      <Card data-testid="home-apply">
        <Typography.Title level={2} style={{ fontSize: 22, marginTop: 0 }}>
          {t('home.applyTitle')}
        </Typography.Title>
        <Typography.Paragraph>{t('home.applyText')}</Typography.Paragraph>
        <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
          <Button type="primary" size="large" onClick={() => void navigate('/apply')}>
            {t('home.apply')}
          </Button>
          <Link to="/applications">{t('home.myApplications')}</Link>
        </div>
      </Card>
      <div className="cards">
        <Card>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
            {t('home.policiesTitle')}
          </Typography.Title>
          <Typography.Paragraph>{t('home.policiesText')}</Typography.Paragraph>
          <Link to="/policies">{t('home.open')}</Link>
        </Card>
        <Card>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
            {t('home.verifyTitle')}
          </Typography.Title>
          <Typography.Paragraph>{t('home.verifyText')}</Typography.Paragraph>
          <Link to="/verify-help">{t('home.open')}</Link>
        </Card>
      </div>
    </div>
  );
}
