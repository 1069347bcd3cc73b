import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Tag, Timeline } from 'antd';
import { jsonFetch } from '../catalog/page-kit';
import { useTrackT } from './i18n';

type Stage = 'review' | 'planning' | 'processing' | 'picking' | 'packing' | 'shipping' | 'temperature' | 'delivery' | 'exception' | 'closed';
type Tl = {
  currentStage: Stage;
  expectedDeliveryDate: string | null;
  expectedDeliveryBasis: 'delivered' | 'shipment_transit' | 'delivery_choice' | 'requested_date' | 'unknown';
  events: { at: string; localTime: string; stage: Stage; kind: string; title: string; detail: string | null }[];
};

/** The order's tracking timeline (history, picking, shipping, exceptions) with its stage and expected delivery date. */
export function OrderTrackingCard({ orderId }: { orderId: string }) {
  const tt = useTrackT();
  const q = useQuery({ queryKey: ['order-tracking', orderId], queryFn: () => jsonFetch<Tl>(`/api/tracking/orders/${orderId}/timeline`), retry: false });
  const d = q.data;
  if (!d?.events) return null;
  return (
    <Card title={tt('tracking')} extra={<span style={{ color: '#888' }}>{tt('tzNote')}</span>} data-testid="order-tracking">
      <Descriptions size="small" column={2}>
        <Descriptions.Item label={tt('stage')}>
          <Tag color="blue">{tt(`stg.${d.currentStage}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={tt('expected')}>
          {d.expectedDeliveryDate ?? '—'} <span style={{ color: '#888' }}>({tt(`basis.${d.expectedDeliveryBasis}`)})</span>
        </Descriptions.Item>
      </Descriptions>
      <Timeline
        items={d.events.map((e) => ({
          color: e.stage === 'exception' || e.stage === 'temperature' ? 'red' : 'blue',
          children: (
            <span>
              {e.localTime} · <Tag>{tt(`stg.${e.stage}`)}</Tag> {e.title}
              {e.detail ? ` · ${e.detail}` : ''}
            </span>
          ),
        }))}
      />
    </Card>
  );
}
