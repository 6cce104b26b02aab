/**
 * The officer's work queue, in the server's order (overdue first, then by deadline), overdue in red; below
 * it the latest messages to the officer's roles in their county (whose turn it is on which application).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { appKeys, fetchQueue, fetchRoleNotifications, type Application } from './api';
import { NotificationList } from './NotificationList';
import { ClockText, StateTag } from './parts';
import { useT } from './texts';

export function QueuePage() {
  const t = useT();
  const text = useLocalText();
  const queue = useQuery({ queryKey: appKeys.queue, queryFn: ({ signal }) => fetchQueue(signal) });
  const notifications = useQuery({
    queryKey: appKeys.roleNotifications,
    queryFn: ({ signal }) => fetchRoleNotifications(signal),
  });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('queueTitle')}
      </Typography.Title>
      <Card>
        <QueryView query={queue}>
          {(items) => (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 720 }}
              data-testid="queue"
              dataSource={[...items]}
              locale={{ emptyText: t('queueEmpty') }}
              rowClassName={(a: Application) => (a.clock.isOverdue ? 'row-overdue' : '')}
              onRow={(a: Application) => (a.clock.isOverdue ? { style: { background: '#fff1f0' } } : {})}
              columns={[
                {
                  title: t('reference'),
                  render: (_: unknown, a: Application) => (
                    <Link to={`/console/applications/${a.id}`}>{a.reference}</Link>
                  ),
                },
                { title: t('type'), render: (_: unknown, a: Application) => text(a.type.label) },
                {
                  title: t('applicant'),
                  render: (_: unknown, a: Application) =>
                    `${a.applicant.name} ${a.applicant.citizenId ?? ''}`,
                },
                { title: t('state'), render: (_: unknown, a: Application) => <StateTag application={a} /> },
                {
                  title: t('deadline'),
                  render: (_: unknown, a: Application) => <ClockText application={a} />,
                },
              ]}
            />
          )}
        </QueryView>
      </Card>
      <Card title={<h2 className="card-title">{t('officerNotificationsTitle')}</h2>}>
        <QueryView query={notifications}>
          {(items) => (
            <NotificationList
              items={items.slice(0, 10)}
              linkOf={(n) => `/console/applications/${n.applicationId}`}
            />
          )}
        </QueryView>
      </Card>
    </div>
  );
}
