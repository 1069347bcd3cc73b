import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, List, Modal, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useConfirm } from '../../app/confirm';
import { currentLanguage } from '../../app/i18n';
import { formatDateTime } from '../../app/format';
import { useMessage } from '../../app/feedback';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch } from '../catalog/page-kit';
import { OrderTrackingCard } from '../tracking/OrderTrackingCard';
import { useOrderT } from './i18n';
import { OutcomeTag, StatusTag, reasonText } from './kit';
import type { OrderDetail, OrderLine, OrderStatus, ReviewResult } from './types';

const AMENDABLE: OrderStatus[] = ['draft', 'needs_confirmation', 'in_review', 'approved'];
const CANCELLABLE: OrderStatus[] = ['draft', 'needs_confirmation', 'submitted', 'in_review', 'approved', 'in_production', 'ready'];

export function ReviewResults({ results }: { results: ReviewResult[] }) {
  const ot = useOrderT();
  return (
    <Space wrap data-testid="review-results">
      {results.map((r) => (
        <Space key={r.rule} size={2}>
          <Typography.Text type="secondary">{ot(`rule.${r.rule}`)}:</Typography.Text>
          <OutcomeTag outcome={r.outcome} code={r.code} />
        </Space>
      ))}
    </Space>
  );
}

/** A reason prompt (reject / cancel): the reason is required. */
export function ReasonModal({
  open,
  title,
  required,
  onOk,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  required: boolean;
  onOk: (reason: string) => Promise<void>;
  onClose: () => void;
  testId: string;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okButtonProps={{ disabled: required && !text.trim(), loading: busy, ...({ 'data-testid': `${testId}-ok` } as object) }}
      onOk={async () => {
        setBusy(true);
        try {
          await onOk(text.trim());
          setText('');
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Input.TextArea data-testid={`${testId}-reason`} rows={3} value={text} onChange={(e) => setText(e.target.value)} maxLength={500} autoFocus />
    </Modal>
  );
}

/** One order: header, lines, questions, the latest review results, and the timeline of every transition and review. */
export function OrderDetailPage() {
  const ot = useOrderT();
  const { id } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [modal, setModal] = useState<'approve' | null>(null);
  const [confirm, confirmHolder] = useConfirm();
  const { data: o, refetch } = useQuery({ queryKey: ['orders', 'detail', id], queryFn: () => jsonFetch<OrderDetail>(`/api/orders/${id}`) });
  if (!o) return <Card loading />;
  const en = currentLanguage() === 'en-US';
  const message = useMessage();
  const act = async (path: string, body?: unknown) => {
    try {
      const after = await jsonFetch<OrderDetail>(`/api/orders/${o.id}/${path}`, { method: 'POST', body: body ?? {} });
      setModal(null);
      // Say what was done: "订单 SO… 已审核通过".
      void message.success(ot(`done.${path as 'submit'}`, { number: o.number, status: ot(`status.${after.status}`) }));
      await refetch();
      void qc.invalidateQueries({ queryKey: ['list'] });
    } catch (error) {
      showError(error);
    }
  };
  /** Cancel and reject name the order and what follows, and take the reason, before anything is sent. */
  const ask = async (kind: 'cancel' | 'reject') => {
    const names = { number: o.number, customer: `${o.customerCode} ${o.customerName}`, total: formatFen(o.totalFen) };
    const answer = await confirm({
      title: ot(`detail.${kind}Title`, names),
      consequence: ot(`detail.${kind}Confirm`, names),
      irreversible: true,
      okText: ot(`detail.${kind}`),
      reason: { label: ot(`detail.${kind}Reason`), required: true },
      testId: `order-${kind}`,
    });
    if (answer) await act(kind, { reason: answer.reason });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="order-detail" data-order-id={o.id}>
      <Card
        title={
          <Space>
            <span data-testid="order-number">{o.number}</span>
            <StatusTag status={o.status} />
          </Space>
        }
        extra={
          <Space>
            {can('orders:create') && (o.status === 'draft' || o.status === 'needs_confirmation') && (
              <Button type="primary" data-testid="order-submit" onClick={() => void act('submit')}>
                {ot('detail.submit')}
              </Button>
            )}
            {can('orders:create') && AMENDABLE.includes(o.status) && (
              <Button data-testid="order-amend" onClick={() => void navigate(`/orders/${o.id}/edit`)}>
                {ot('detail.amend')}
              </Button>
            )}
            {can('orders:review') && o.status === 'in_review' && (
              <>
                <Button type="primary" data-testid="order-approve" onClick={() => setModal('approve')}>
                  {ot('detail.approve')}
                </Button>
                <Button danger data-testid="order-reject" onClick={() => void ask('reject')}>
                  {ot('detail.reject')}
                </Button>
              </>
            )}
            {can('orders:cancel') && CANCELLABLE.includes(o.status) && (
              <Button danger type="text" data-testid="order-cancel" onClick={() => void ask('cancel')}>
                {ot('detail.cancel')}
              </Button>
            )}
          </Space>
        }
      >
        {o.statusReason && (
          <Alert
            type={o.status === 'rejected' || o.status === 'cancelled' ? 'error' : 'warning'}
            showIcon
            style={{ marginBottom: 12 }}
            title={`${ot('detail.statusReason')}: ${o.statusReason.split(', ').map(reasonText).join(', ')}`}
            data-testid="order-status-reason"
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={ot('field.customer')}>{`${o.customerCode} ${o.customerName}`}</Descriptions.Item>
          <Descriptions.Item label={ot('field.address')}>
            {o.address ? `${o.address.label} · ${o.address.address} (${o.address.receiver} ${o.address.phone})` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={ot('field.contact')}>{o.contact ? `${o.contact.name} ${o.contact.phone ?? ''}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={ot('field.deliveryDate')}>{o.deliveryDate ? `${o.deliveryDate}${o.deliveryDateTo ? ` ~ ${o.deliveryDateTo}` : ''}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={ot('field.coldChain')}>{o.coldChain ? '❄' : '—'}</Descriptions.Item>
          <Descriptions.Item label={ot('field.paymentTermsDays')}>{o.paymentTermsDays}</Descriptions.Item>
          <Descriptions.Item label={ot('field.channel')}>{ot(`channel.${o.channel}`)}</Descriptions.Item>
          <Descriptions.Item label={ot('field.owner')}>{o.salesOwnerName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={ot('field.total')}>
            <Typography.Text strong data-testid="order-detail-total">
              {formatFen(o.totalFen)}
            </Typography.Text>
          </Descriptions.Item>
          {o.notes && <Descriptions.Item label={ot('field.notes')}>{o.notes}</Descriptions.Item>}
        </Descriptions>
      </Card>
      {o.questions.length > 0 && o.status === 'needs_confirmation' && (
        <Card title={ot('detail.questions')} data-testid="order-questions">
          <List size="small" dataSource={o.questions} renderItem={(q) => <List.Item data-code={q.code}>{en ? q.en : q.zh}</List.Item>} />
        </Card>
      )}
      <Card title={ot('detail.lines')}>
        <Table<OrderLine>
          size="small"
          rowKey="id"
          dataSource={o.lines}
          pagination={false}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 40 },
            { title: ot('field.product'), render: (_, l) => (l.productId ? `${l.productCode} ${l.productName}` : <Tag color="orange">{l.description}</Tag>) },
            { title: ot('field.spec'), dataIndex: 'spec' },
            { title: ot('field.quantity'), align: 'right', render: (_, l) => `${Number(l.quantity)} ${l.unit}` },
            { title: ot('field.unitPrice'), align: 'right', render: (_, l) => formatFen(l.unitPriceFen) },
            { title: ot('field.listPrice'), align: 'right', render: (_, l) => formatFen(l.listPriceFen) },
            { title: ot('field.priceReason'), dataIndex: 'priceOverrideReason' },
            { title: ot('field.amount'), align: 'right', render: (_, l) => formatFen(l.amountFen) },
          ]}
        />
      </Card>
      {o.review && (
        <Card title={ot('detail.review')}>
          <ReviewResults results={o.review.results} />
        </Card>
      )}
      <Card title={ot('detail.timeline')}>
        <Timeline
          data-testid="order-timeline"
          items={o.timeline.map((e) =>
            e.kind === 'state'
              ? {
                  color: e.to === 'rejected' || e.event === 'reservation_failed' ? 'red' : e.to === 'approved' ? 'green' : 'blue',
                  children: (
                    <span data-testid={`timeline-${e.event}`}>
                      {formatDateTime(e.at)} · {ot(`detail.event.${e.event}` as 'detail.event.create')} · {e.actorName}
                      {e.reason ? ` · ${e.reason.split(', ').map(reasonText).join(', ')}` : ''}
                    </span>
                  ),
                }
              : {
                  color: 'gray',
                  children: (
                    <Space direction="vertical" size={2}>
                      <span>
                        {formatDateTime(e.at)} · {ot('detail.reviewRun', { trigger: e.trigger })}
                      </span>
                      <ReviewResults results={e.results} />
                    </Space>
                  ),
                },
          )}
        />
      </Card>
      <OrderTrackingCard orderId={o.id} />
      {confirmHolder}
      <ReasonModal
        open={modal === 'approve'}
        title={ot('detail.approveNote')}
        required={false}
        testId="order-approve"
        onClose={() => setModal(null)}
        onOk={(note) => act('approve', { note: note || null })}
      />
    </Space>
  );
}
