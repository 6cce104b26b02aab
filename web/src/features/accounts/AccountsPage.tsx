/**
 * The officer accounts of the administrator's jurisdiction (`account.read`): the security and system
 * administrators' start page, each account with its roles and whether it can sign in.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { apiGet } from '../../api/client';
import { QueryView } from '../../app/states';
import { formatChinaDateTime } from '../../app/time';
import { DivisionName } from '../register/labels';
import { useT } from './texts';

interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly countyCode: string;
  readonly roles: readonly string[];
  readonly isEnabled: boolean;
  readonly isLocked: boolean;
  readonly mustChangePassword: boolean;
  readonly passwordChangedAt: string;
}

const fetchAccounts = (signal?: AbortSignal) =>
  apiGet<{ items: AccountView[] }>('/api/v1/accounts', signal).then((r) => r.items);

export function AccountsPage() {
  const t = useT();
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: ({ signal }) => fetchAccounts(signal) });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('accountsTitle')}
      </Typography.Title>
      <Typography.Paragraph className="muted">{t('accountsLead')}</Typography.Paragraph>
      <Card>
        <QueryView query={accounts}>
          {(items) => (
            <Table
              rowKey="id"
              size="small"
              data-testid="accounts"
              dataSource={[...items]}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: t('empty') }}
              columns={[
                { title: t('username'), dataIndex: 'username' },
                { title: t('displayName'), dataIndex: 'displayName' },
                {
                  title: t('county'),
                  render: (_: unknown, a: AccountView) => <DivisionName code={a.countyCode} />,
                },
                {
                  title: t('roles'),
                  render: (_: unknown, a: AccountView) =>
                    a.roles.length === 0
                      ? t('noRole')
                      : a.roles.map((r) => t(`roleNames.${r}`) || r).join('、'),
                },
                {
                  title: t('status'),
                  render: (_: unknown, a: AccountView) => (
                    <Space size={4} wrap>
                      {a.isEnabled ? <Tag color="green">{t('enabled')}</Tag> : <Tag>{t('disabled')}</Tag>}
                      {a.isLocked ? <Tag color="red">{t('locked')}</Tag> : null}
                      {a.mustChangePassword ? <Tag color="gold">{t('mustChange')}</Tag> : null}
                    </Space>
                  ),
                },
                {
                  title: t('passwordChangedAt'),
                  render: (_: unknown, a: AccountView) => formatChinaDateTime(a.passwordChangedAt),
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
    </div>
  );
}
