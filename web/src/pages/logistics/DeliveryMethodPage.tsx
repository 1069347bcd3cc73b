import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch, queryString } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import type { Proposal } from './types';

/** The delivery methods that can carry an order (region, date, temperature), their cost, and why the others cannot. */
export function DeliveryMethodPage() {
  const { id = '' } = useParams();
  const lt = useLogisticsT();
  const { can } = useAuth();
  const message = useMessage();
  const client = useQueryClient();
  const [dispatchDate, setDispatchDate] = useState<string | undefined>();
  const key = ['logistics', 'delivery', id, dispatchDate];
  const q = useQuery({ queryKey: key, queryFn: () => jsonFetch<Proposal>(`/api/logistics/orders/${id}/delivery-options${queryString({ dispatchDate })}`) });
  const choose = async (contractId: string) => {
    try {
      await jsonFetch(`/api/logistics/orders/${id}/delivery-method`, { method: 'PUT', body: { contractId, ...(dispatchDate ? { dispatchDate } : {}) } });
      void message.success(lt('delivery.saved'));
      await client.invalidateQueries({ queryKey: ['logistics', 'delivery', id] });
    } catch (error) {
      showError(error);
    }
  };
  const p = q.data;
  if (q.error) return <Alert type="error" title={String(q.error)} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/logistics/fulfilment">← {lt('delivery.back')}</Link>
      <Card title={p ? lt('delivery.title', { number: p.orderNumber }) : ' '} loading={!p}>
        {p && (
          <Descriptions size="small" column={3} title={lt('delivery.needs')}>
            <Descriptions.Item label={lt('delivery.region')}>{p.region ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={lt('delivery.deliveryDate')}>{p.deliveryDate ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={lt('delivery.dispatchDate')}>
              <DatePicker size="small" value={dayjs(p.dispatchDate)} allowClear={false} onChange={(d) => setDispatchDate(d?.format('YYYY-MM-DD'))} />
            </Descriptions.Item>
            <Descriptions.Item label={lt('delivery.weight')}>{p.weightKg}</Descriptions.Item>
            <Descriptions.Item label={lt('delivery.temperature')}>
              {p.needs.coldChain ? <Tag color="blue">❄ {p.needs.tempBand ?? p.needs.tempClasses.join('/')}</Tag> : lt('delivery.noCold')}
            </Descriptions.Item>
          </Descriptions>
        )}
        {p?.chosen && (
          <Alert
            type="success"
            showIcon
            data-testid="delivery-chosen"
            title={lt('delivery.chosen', { carrier: p.chosen.carrierName, contract: p.chosen.contractNumber, cost: formatFen(p.chosen.costFen), arrival: p.chosen.arrivalDate })}
          />
        )}
      </Card>
      <Card title={lt('delivery.options')}>
        <Table
          size="small"
          rowKey="contractId"
          loading={q.isFetching}
          dataSource={p?.options ?? []}
          pagination={false}
          columns={[
            { title: lt('contracts.carrier'), dataIndex: 'carrierName' },
            { title: lt('contracts.number'), dataIndex: 'contractNumber' },
            { title: lt('contracts.serviceType'), dataIndex: 'serviceType', render: (v: Proposal['options'][number]['serviceType']) => lt(`service.${v}`) },
            { title: lt('contracts.band'), dataIndex: 'tempBand', render: (v: string | null) => v ?? '—' },
            { title: lt('contracts.transitDays'), dataIndex: 'transitDays', align: 'right' },
            { title: lt('delivery.arrival'), dataIndex: 'arrivalDate' },
            { title: lt('delivery.cost'), dataIndex: 'costFen', align: 'right', render: (v: number) => formatFen(v) },
            { title: lt('delivery.basis'), dataIndex: 'rateBasis', render: (v: string) => (v === 'base' ? lt('delivery.base') : v) },
            {
              title: '',
              dataIndex: 'contractId',
              render: (v: string) =>
                can('shipping:manage') && (
                  <Button size="small" type={p?.chosen?.contractId === v ? 'primary' : 'default'} onClick={() => void choose(v)} data-testid="delivery-choose">
                    {lt('delivery.choose')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card title={lt('delivery.excluded')}>
        <Table
          size="small"
          rowKey="contractId"
          dataSource={p?.excluded ?? []}
          pagination={false}
          columns={[
            { title: lt('contracts.carrier'), dataIndex: 'carrierName' },
            { title: lt('contracts.number'), dataIndex: 'contractNumber' },
            {
              title: lt('delivery.reasons'),
              dataIndex: 'reasons',
              render: (rs: Proposal['excluded'][number]['reasons']) => (
                <Space orientation="vertical" size={0}>
                  {rs.map((r) => (
                    <Typography.Text key={r.code} type="secondary">
                      {r.message}
                    </Typography.Text>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
