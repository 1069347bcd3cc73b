import { Button, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ListColumn } from '../../app/components/ListPage';
import { useConfirm } from '../../app/confirm';
import { formatDateTime } from '../../app/format';
import { useMessage } from '../../app/feedback';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { useOrderT } from './i18n';
import { ReasonModal, ReviewResults } from './OrderDetailPage';
import type { QueueItem } from './types';

const ENDPOINT = '/api/orders/review-queue';

/** Orders waiting for a reviewer: rule results highlighted (only warnings and failures), credit use and history at a glance. */
export function ReviewQueuePage() {
  const ot = useOrderT();
  const refresh = useRefreshList(ENDPOINT);
  const [acting, setActing] = useState<{ id: string; number: string; kind: 'approve' } | null>(null);
  const message = useMessage();
  const [confirm, confirmHolder] = useConfirm();
  /** Rejecting names the order and what follows, and takes the reason. */
  const reject = async (o: QueueItem) => {
    const names = { number: o.number, customer: `${o.customerCode} ${o.customerName}`, total: formatFen(o.totalFen) };
    const answer = await confirm({
      title: ot('detail.rejectTitle', names),
      consequence: ot('detail.rejectConfirm', names),
      irreversible: true,
      okText: ot('detail.reject'),
      reason: { label: ot('detail.rejectReason'), required: true },
      testId: 'queue-reject',
    });
    if (!answer) return;
    try {
      await jsonFetch(`/api/orders/${o.id}/reject`, { method: 'POST', body: { reason: answer.reason } });
      void message.success(ot('done.reject', { number: o.number }));
      await refresh();
    } catch (error) {
      showError(error);
    }
  };
  const act = async (path: string, body: unknown) => {
    if (!acting) return;
    try {
      await jsonFetch(`/api/orders/${acting.id}/${path}`, { method: 'POST', body });
      void message.success(ot(`done.${path as 'approve'}`, { number: acting.number }));
      setActing(null);
      await refresh();
    } catch (error) {
      showError(error);
    }
  };
  const columns: ListColumn<QueueItem>[] = [
    {
      title: ot('field.number'),
      dataIndex: 'number',
      sortField: 'number',
      render: (_, o) => (
        <Link to={`/orders/${o.id}`} data-testid={`queue-order-${o.number}`}>
          {o.number}
        </Link>
      ),
    },
    {
      title: ot('field.customer'),
      dataIndex: 'customerName',
      render: (_, o) => (
        <Space direction="vertical" size={0}>
          <span>{`${o.customerCode} ${o.customerName}`}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {ot('queue.history', { approved: o.history.approvedOrders, rejected: o.history.rejectedOrders, cancelled: o.history.cancelledOrders })}
          </Typography.Text>
        </Space>
      ),
    },
    { title: ot('field.total'), dataIndex: 'totalFen', sortField: 'totalFen', align: 'right', render: (_, o) => formatFen(o.totalFen) },
    {
      title: ot('queue.credit'),
      width: 180,
      render: (_, o) => (
        <Space direction="vertical" size={0} data-testid={`queue-credit-${o.number}`}>
          <Progress
            percent={Math.min(o.credit.usedPercent, 100)}
            status={o.credit.usedPercent > 100 ? 'exception' : 'normal'}
            size="small"
            format={() => `${o.credit.usedPercent}%`}
          />
          <Typography.Text
            type="secondary"
            style={{ fontSize: 12 }}
          >{`${formatFen(o.credit.openApprovedFen + o.credit.thisOrderFen)} / ${formatFen(o.credit.limitFen)}`}</Typography.Text>
        </Space>
      ),
    },
    { title: ot('queue.findings'), render: (_, o) => <ReviewResults results={o.results.filter((r) => r.outcome !== 'pass')} /> },
    { title: ot('field.createdAt'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, o) => formatDateTime(o.createdAt) },
    {
      title: '',
      render: (_, o) => (
        <Space>
          <Button size="small" type="primary" data-testid={`queue-approve-${o.number}`} onClick={() => setActing({ id: o.id, number: o.number, kind: 'approve' })}>
            {ot('detail.approve')}
          </Button>
          <Button size="small" danger data-testid={`queue-reject-${o.number}`} onClick={() => void reject(o)}>
            {ot('detail.reject')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <>
      <LooseListPage<QueueItem> endpoint={ENDPOINT} title={ot('reviewQueue')} rowKey="id" columns={columns} defaultSort="createdAt" keyword={{ placeholder: ot('keyword') }} />
      {confirmHolder}
      <ReasonModal
        open={acting?.kind === 'approve'}
        title={ot('detail.approveNote')}
        required={false}
        testId="queue-approve"
        onClose={() => setActing(null)}
        onOk={(note) => act('approve', { note: note || null })}
      />
    </>
  );
}
