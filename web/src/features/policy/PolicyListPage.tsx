/** The published and draft policy versions, each opening its text article by article. */
import { useQuery } from '@tanstack/react-query';
import { Card, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchPolicies, policyKeys } from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';

export function PolicyListPage() {
  const { t } = useTranslation();
  const text = useLocalText();
  const policies = useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => fetchPolicies(signal) });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
        {t('policy.listTitle')}
      </Typography.Title>
      <QueryView query={policies}>
        {(items) => (
          <div className="cards">
            {items.map((p) => (
              <Card key={p.id}>
                <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
                  <Link to={`/policies/${p.id}`}>{text(p.title)}</Link>
                </Typography.Title>
                <p>
                  {p.jurisdictionName}{' '}
                  <Tag color={p.status === 'published' ? 'green' : 'default'}>
                    {t(`policy.status.${p.status}`)}
                  </Tag>
                </p>
                <p className="muted">
                  {p.effective.to
                    ? t('policy.effectiveRange', { from: p.effective.from, to: p.effective.to })
                    : t('policy.effective', { from: p.effective.from })}
                </p>
                <p className="muted">
                  {t('policy.programmes')}：{p.programmes.map((x) => text(x.title)).join('、')}
                </p>
              </Card>
            ))}
          </div>
        )}
      </QueryView>
    </div>
  );
}
