import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, Flex, Popover, Spin, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap, unwrapVoid } from '../api';
import type { AppNotification } from '../api-models';
import { formatDateTime } from '../format';
import { showError } from '../problem';

const POLL_MS = 30_000;
const LATEST_COUNT = 10;
export const NOTIFICATIONS_QUERY_KEY = ['notifications'] as const;
const UNREAD_KEY = [...NOTIFICATIONS_QUERY_KEY, 'unread-count'] as const;
const LATEST_KEY = [...NOTIFICATIONS_QUERY_KEY, 'latest'] as const;

function NotificationItem({
  item,
  onOpen,
  onMarkRead,
  marking,
}: {
  item: AppNotification;
  onOpen: (item: AppNotification) => void;
  onMarkRead: (id: string) => void;
  marking: boolean;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const unread = item.readAt === null;
  return (
    <Flex vertical gap={2} data-testid="notification-item" style={{ padding: '8px 0', borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
      <Flex justify="space-between" align="baseline" gap="small">
        {item.link ? (
          <Button type="link" size="small" style={{ padding: 0, fontWeight: unread ? 600 : 400 }} onClick={() => onOpen(item)}>
            {item.title}
          </Button>
        ) : (
          <span style={{ fontWeight: unread ? 600 : 400 }}>{item.title}</span>
        )}
        {unread && (
          <Button size="small" type="link" loading={marking} onClick={() => onMarkRead(item.id)}>
            {t('notifications.markRead')}
          </Button>
        )}
      </Flex>
      {/* two-line clamp without pulling Typography's ellipsis machinery into the shell bundle */}
      <div
        style={{
          color: token.colorTextSecondary,
          display: '-webkit-box',
          WebkitLineClamp: 2,
          WebkitBoxOrient: 'vertical',
          overflow: 'hidden',
        }}
        title={item.body}
      >
        {item.body}
      </div>
      <span style={{ color: token.colorTextTertiary, fontSize: 12 }}>{formatDateTime(item.createdAt)}</span>
    </Flex>
  );
}

export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);

  const unread = useQuery({
    queryKey: UNREAD_KEY,
    queryFn: () => unwrap(api.GET('/api/notifications/unread-count')),
    refetchInterval: POLL_MS,
  });
  const latest = useQuery({
    queryKey: LATEST_KEY,
    queryFn: () => unwrap(api.GET('/api/notifications', { params: { query: { pageSize: LATEST_COUNT } } })),
    enabled: open,
    staleTime: 0,
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_QUERY_KEY });
  const markRead = useMutation({
    mutationFn: (id: string) => unwrapVoid(api.POST('/api/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: refresh,
    onError: showError,
  });
  const markAll = useMutation({
    mutationFn: () => unwrapVoid(api.POST('/api/notifications/read-all')),
    onSuccess: refresh,
    onError: showError,
  });

  const count = unread.data?.count ?? 0;
  const items = latest.data?.items ?? [];

  const openItem = (item: AppNotification) => {
    if (item.readAt === null) markRead.mutate(item.id);
    setOpen(false);
    if (!item.link) return;
    if (item.link.startsWith('/')) void navigate(item.link);
    else window.open(item.link, '_blank', 'noopener');
  };

  const content = (
    <div style={{ width: 360, maxHeight: 420, overflowY: 'auto' }} data-testid="notification-list">
      {latest.isPending ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        items.map((item) => (
          <NotificationItem key={item.id} item={item} onOpen={openItem} onMarkRead={(id) => markRead.mutate(id)} marking={markRead.isPending && markRead.variables === item.id} />
        ))
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={
        <Flex justify="space-between" align="center">
          {t('notifications.title')}
          <Button size="small" type="link" disabled={count === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
        </Flex>
      }
      content={content}
    >
      <Badge count={count} size="small" overflowCount={99}>
        <Button type="text" shape="circle" icon={<BellOutlined />} aria-label={t('notifications.title')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
