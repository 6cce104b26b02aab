/**
 * 我的申请: the signed-in resident's applications with their state, reference and time limit, and the way
 * to their messages with the unread count.
 */
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Empty, List, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { formatChinaDate } from '../../app/time';
import { appKeys, fetchMine, fetchMyNotifications } from './api';
import { ClockText, StateTag } from './parts';
import { ResidentGate, SignedInBar } from './ResidentGate';
import { useT } from './texts';

export function MyApplicationsPage() {
  const t = useT();
  return (
    <div className="stack">
      <ResidentGate>
        {(session) => (
          <>
            <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
              {t('myTitle')}
            </Typography.Title>
            <SignedInBar session={session} />
            <Mine />
          </>
        )}
      </ResidentGate>
    </div>
  );
}

function Mine() {
  const t = useT();
  const text = useLocalText();
  const mine = useQuery({ queryKey: appKeys.mine, queryFn: ({ signal }) => fetchMine(signal) });
  const notifications = useQuery({
    queryKey: appKeys.myNotifications,
    queryFn: ({ signal }) => fetchMyNotifications(signal),
  });
  const unread = notifications.data?.filter((n) => n.readAt === null).length ?? 0;
  return (
    <Card
      extra={
        <Space wrap>
          <Link to="/notifications" data-testid="notifications-link">
            <Button>
              {t('notifications')}
              {unread > 0 ? (
                <Badge count={unread} size="small" title={t('unreadCount', { n: unread })} />
              ) : null}
            </Button>
          </Link>
          <Link to="/apply">
            <Button type="primary">{t('applyNew')}</Button>
          </Link>
        </Space>
      }
      title={<h2 className="card-title">{t('myTitle')}</h2>}
    >
      <QueryView query={mine}>
        {(items) =>
          items.length === 0 ? (
            <Empty description={t('noApplications')} />
          ) : (
            <List
              data-testid="my-applications"
              dataSource={items}
              renderItem={(a) => (
                <List.Item
                  actions={[
                    <Link key="open" to={`/applications/${a.id}`}>
                      {t('open')}
                    </Link>,
                  ]}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <Link to={`/applications/${a.id}`}>{text(a.type.label)}</Link>
                        <StateTag application={a} />
                      </Space>
                    }
                    description={
                      <Space wrap split="·">
                        <span>
                          {t('reference')} {a.reference}
                        </span>
                        <span>
                          {t('submittedAt')} {formatChinaDate(a.submittedAt)}
                        </span>
                        <ClockText application={a} />
                      </Space>
                    }
                  />
                </List.Item>
              )}
            />
          )
        }
      </QueryView>
    </Card>
  );
}
