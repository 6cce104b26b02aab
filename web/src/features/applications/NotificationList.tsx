/**
 * A list of application notifications, newest first, each linking to its application; unread ones are
 * marked. The resident's page and the officer's queue share it (they differ in where the link goes).
 */
import { Button, List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useLocalText } from '../../app/lang';
import type { Notification } from './api';
import { useT } from './texts';
import { formatChinaDateTime } from '../../app/time';

export function NotificationList({
  items,
  linkOf,
  unreadIds,
  onMarkRead,
}: {
  readonly items: readonly Notification[];
  readonly linkOf: (n: Notification) => string;
  /** Shown as unread: the ids unread when the page opened (they are marked read as it shows them). */
  readonly unreadIds?: ReadonlySet<string>;
  /** Offered on each unread one (the officer's to-dos: read state is each officer's own). */
  readonly onMarkRead?: (n: Notification) => void;
}) {
  const t = useT();
  const text = useLocalText();
  return (
    <List
      data-testid="notifications"
      dataSource={[...items]}
      locale={{ emptyText: t('noNotifications') }}
      renderItem={(n) => (
        <List.Item
          data-unread={unreadIds?.has(n.id) ? 'true' : undefined}
          actions={[
            ...(onMarkRead && unreadIds?.has(n.id)
              ? [
                  <Button key="read" type="link" size="small" onClick={() => onMarkRead(n)}>
                    {t('markRead')}
                  </Button>,
                ]
              : []),
            <Link key="open" to={linkOf(n)}>
              {t('openApplication')}
            </Link>,
          ]}
        >
          <List.Item.Meta
            title={
              <Space wrap>
                <Typography.Text strong={unreadIds?.has(n.id) ?? false}>{text(n.title)}</Typography.Text>
                {unreadIds?.has(n.id) ? <Tag color="blue">{t('unread')}</Tag> : null}
              </Space>
            }
            description={
              <>
                <div>{text(n.body)}</div>
                <time dateTime={n.createdAt} className="muted">
                  {formatChinaDateTime(n.createdAt)}
                </time>
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}
