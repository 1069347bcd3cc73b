import { useQuery } from '@tanstack/react-query';
import { Card, Col, Flex, Row, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchList } from '../../app/api';
import type { ListPath } from '../../app/api-models';
import { useAuth } from '../../app/auth';
import { roleLabel } from '../../app/labels';
import { QUEUE_LISTS, type QueueKey } from './queues';

type Queue = {
  key: QueueKey;
  /** Who acts on the queue… */
  permission: string;
  /** …and may read its list. */
  read: string;
  endpoint: ListPath;
  /** The count's filter, and the list page opened with it in its URL (queues.ts). */
  query: Record<string, string | number | boolean>;
  link: string;
};

/** The work waiting for someone: each queue is shown to the roles that can act on it, with its count and list. */
const QUEUES: Queue[] = [
  { key: 'review', read: 'orders:review', permission: 'orders:review', endpoint: '/api/orders/review-queue', ...QUEUE_LISTS.review },
  { key: 'confirm', read: 'orders:read', permission: 'orders:create', endpoint: '/api/orders', ...QUEUE_LISTS.confirm },
  { key: 'inquiries', read: 'inquiries:read', permission: 'inquiries:manage', endpoint: '/api/inquiries', ...QUEUE_LISTS.inquiries },
  { key: 'inspect', read: 'inventory:read', permission: 'quality:inspect', endpoint: '/api/inventory/lots', ...QUEUE_LISTS.inspect },
  { key: 'qualifications', read: 'customers:read', permission: 'customers:read', endpoint: '/api/customers/qualifications/expiring', ...QUEUE_LISTS.qualifications },
  { key: 'replenish', read: 'inventory:read', permission: 'inventory:read', endpoint: '/api/inventory/replenishment', ...QUEUE_LISTS.replenish },
  {
    key: 'stocktakes',
    read: 'inventory:read',
    permission: 'inventory:approve',
    endpoint: '/api/inventory/stocktakes',
    ...QUEUE_LISTS.stocktakes,
  },
];

function QueueCard({ queue }: { queue: Queue }) {
  const { t } = useTranslation();
  const count = useQuery({
    queryKey: ['dashboard', queue.key],
    queryFn: async () => (await fetchList(queue.endpoint, { ...queue.query, page: 1, pageSize: 1 } as never)).total,
    refetchInterval: 60_000,
  });
  return (
    <Link to={queue.link} data-testid={`queue-${queue.key}`}>
      <Card hoverable size="small">
        <Statistic
          title={t(`dashboard.queue.${queue.key}`)}
          value={count.data ?? '—'}
          loading={count.isPending}
          styles={{ content: { color: (count.data ?? 0) > 0 ? '#d46b08' : undefined } }}
        />
        <Typography.Text type="secondary">{t(`dashboard.queueHint.${queue.key}`)}</Typography.Text>
      </Card>
    </Link>
  );
}

/** 工作台: my queues with counts and links, by what my roles may do. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { user, can } = useAuth();
  if (!user) return null;
  const mine = QUEUES.filter((q) => can(q.permission) && can(q.read));
  return (
    <Flex vertical gap="middle" data-testid="page-dashboard">
      <Card size="small">
        <Flex align="center" gap="middle" wrap>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('dashboard.welcome', { name: user.displayName })}
          </Typography.Title>
          <Flex wrap gap={4} data-testid="dashboard-roles">
            {user.roles.length === 0
              ? t('dashboard.noRoles')
              : user.roles.map((role) => (
                  <Tag key={role} color="green">
                    {roleLabel(t, role)}
                  </Tag>
                ))}
          </Flex>
        </Flex>
      </Card>
      {mine.length > 0 ? (
        <Row gutter={[16, 16]}>
          {mine.map((q) => (
            <Col key={q.key} xs={24} sm={12} lg={8} xl={6}>
              <QueueCard queue={q} />
            </Col>
          ))}
        </Row>
      ) : (
        <Card size="small">
          <Typography.Text type="secondary">{t('dashboard.intro')}</Typography.Text>
        </Card>
      )}
    </Flex>
  );
}
