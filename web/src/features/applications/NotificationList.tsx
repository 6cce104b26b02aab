/**
 * A list of application notifications, newest first, each linking to its application; unread ones are
 * marked. The resident's page and the officer's queue share it (they differ in where the link goes).
 */
import { List, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useLocalText } from '../../app/lang';
import type { Notification } from './api';
import { useT } from './texts';
import { formatChinaDateTime } from '../../app/time';

export function NotificationList({
  items,
  linkOf,
  unreadIds,
}: {
  readonly items: readonly Notification[];
  readonly linkOf: (n: Notification) => string;
  /** Shown as unread: the ids unread when the page opened (they are marked read as it shows them). */
  readonly unreadIds?: ReadonlySet<string>;
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
          actions={[
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
