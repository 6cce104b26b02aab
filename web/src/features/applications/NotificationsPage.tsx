/**
 * 我的消息: the signed-in resident's notifications about their applications. The ones unread when the page
 * opens are shown as unread and marked read on the server once shown.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { QueryView } from '../../app/states';
import { appKeys, fetchMyNotifications, markNotificationsRead, type ResidentSession } from './api';
import { NotificationList } from './NotificationList';
import { ResidentGate, SignedInBar } from './ResidentGate';
import { useT } from './texts';

export function NotificationsPage() {
  const t = useT();
  return (
    <div className="stack">
      <ResidentGate>
        {(session) => (
          <>
            <Typography.Title level={1} style={{ fontSize: 26, marginTop: 8 }}>
              {t('notificationsTitle')}
            </Typography.Title>
            <SignedInBar session={session} />
            <Mine session={session} />
          </>
        )}
      </ResidentGate>
    </div>
  );
}

function Mine({ session }: { readonly session: ResidentSession }) {
  const t = useT();
  const queryClient = useQueryClient();
  const notifications = useQuery({
    queryKey: appKeys.myNotifications,
    queryFn: ({ signal }) => fetchMyNotifications(signal),
  });
  // The unread ids as first loaded: they stay marked on this visit while the server records the reading.
  const [unreadIds, setUnreadIds] = useState<ReadonlySet<string> | undefined>(undefined);
  useEffect(() => {
    if (!notifications.data || unreadIds) return;
    const unread = notifications.data.filter((n) => n.readAt === null).map((n) => n.id);
    setUnreadIds(new Set(unread));
    if (unread.length === 0) return;
    // Reading is best effort: if it fails, they stay unread and are shown so next time.
    void markNotificationsRead(session.csrfToken, unread.slice(0, 200))
      .then(() => queryClient.invalidateQueries({ queryKey: appKeys.myNotifications }))
      .catch(() => undefined);
  }, [notifications.data, unreadIds, session.csrfToken, queryClient]);
  return (
    <Card title={<h2 className="card-title">{t('notificationsTitle')}</h2>}>
      <QueryView query={notifications}>
        {(items) => (
          <NotificationList
            items={items}
            linkOf={(n) => `/applications/${n.applicationId}`}
            {...(unreadIds ? { unreadIds } : {})}
          />
        )}
      </QueryView>
    </Card>
  );
}
