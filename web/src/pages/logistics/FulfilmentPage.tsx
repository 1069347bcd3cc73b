import { Button, Form, Select, Space } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { useMessage } from '../../app/feedback';
import { showError } from '../../app/problem';
import { jsonFetch, LooseListPage } from '../catalog/page-kit';
import { useOrderT } from '../orders/i18n';
import { StatusTag } from '../orders/kit';
import type { Order, OrderStatus } from '../orders/types';
import { useLogisticsT } from './i18n';
import type { PickListDetail } from './types';

const STATUSES: OrderStatus[] = ['approved', 'in_production', 'ready', 'shipped'];

/** Orders between approval and shipment: choose the delivery method, or select several for one wave pick list. */
export function FulfilmentPage() {
  const lt = useLogisticsT();
  const ot = useOrderT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const message = useMessage();
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const makePick = async () => {
    setBusy(true);
    try {
      const pl = await jsonFetch<PickListDetail>('/api/logistics/pick-lists', { method: 'POST', body: { orderIds: selected }, idempotent: true });
      void message.success(lt('fulfil.created', { number: pl.number }));
      void navigate(`/logistics/pick-lists/${pl.id}`);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  const openShipment = async (o: Order) => {
    try {
      const found = await jsonFetch<{ items: { id: string; status: string }[] }>(`/api/logistics/shipments?orderId=${o.id}`);
      const live = found.items.find((x) => x.status !== 'failed');
      const s = live ?? (await jsonFetch<{ id: string }>('/api/logistics/shipments', { method: 'POST', body: { orderId: o.id }, idempotent: true }));
      void navigate(`/logistics/shipments/${s.id}`);
    } catch (error) {
      showError(error);
    }
  };
  const columns: ListColumn<Order>[] = [
    { title: lt('fulfil.number'), dataIndex: 'number', sortField: 'number', render: (_, o) => <Link to={`/orders/${o.id}`}>{o.number}</Link> },
    { title: lt('fulfil.customer'), dataIndex: 'customerName', sortField: 'customerName', render: (_, o) => `${o.customerCode} ${o.customerName}` },
    { title: lt('fulfil.deliveryDate'), dataIndex: 'deliveryDate', sortField: 'deliveryDate', render: (_, o) => o.deliveryDate ?? '—' },
    { title: lt('fulfil.region'), dataIndex: 'deliveryRegion', render: (_, o) => o.deliveryRegion ?? '—' },
    { title: lt('fulfil.coldChain'), dataIndex: 'coldChain', render: (_, o) => (o.coldChain ? '❄' : '') },
    { title: ot('field.status'), dataIndex: 'status', sortField: 'status', render: (_, o) => <StatusTag status={o.status} /> },
    {
      title: '',
      dataIndex: 'id',
      render: (_, o) => (
        <Space>
          <Link to={`/logistics/orders/${o.id}/delivery`} data-testid={`delivery-${o.number}`}>
            {lt('fulfil.delivery')}
          </Link>
          {(o.status === 'ready' || o.status === 'shipped') && (
            <Button size="small" type="link" onClick={() => void openShipment(o)} data-testid={`shipment-${o.number}`}>
              {lt('fulfil.shipment')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <LooseListPage<Order>
      endpoint="/api/orders"
      title={lt('fulfil.title')}
      rowKey="id"
      columns={columns}
      defaultSort="deliveryDate"
      exportable={false}
      keyword={{ placeholder: lt('fulfil.keyword') }}
      initialValues={{ status: ['approved', 'in_production'] }}
      toQuery={(v) => ({ ...v, status: Array.isArray(v.status) && v.status.length ? v.status.join(',') : STATUSES.join(',') })}
      tableProps={{ rowSelection: { selectedRowKeys: selected, onChange: (keys: React.Key[]) => setSelected(keys.map(String)) } }}
      filters={
        <Form.Item name="status">
          <Select mode="multiple" allowClear placeholder={lt('fulfil.status')} style={{ minWidth: 200 }} options={STATUSES.map((s) => ({ value: s, label: ot(`status.${s}`) }))} />
        </Form.Item>
      }
      toolbar={
        can('picking:manage') && (
          <Space>
            {selected.length > 1 && <span>{lt('fulfil.wave', { count: selected.length })}</span>}
            <Button type="primary" disabled={!selected.length} loading={busy} onClick={() => void makePick()} data-testid="make-pick-list">
              {lt('fulfil.makePick')}
            </Button>
          </Space>
        )
      }
    />
  );
}
