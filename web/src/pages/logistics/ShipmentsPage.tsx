import { Checkbox, Form, Select, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { LooseListPage } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import { SHIPMENT_COLORS, type Shipment, type ShipmentStatus } from './types';

const STATUSES: ShipmentStatus[] = ['packing', 'checked', 'dispatched', 'delivered', 'failed'];

/** Shipments: search by number, order, customer or tracking number; filter by status and excursions; export. */
export function ShipmentsPage() {
  const lt = useLogisticsT();
  const navigate = useNavigate();
  const columns: ListColumn<Shipment>[] = [
    { title: lt('ship.number'), dataIndex: 'number', sortField: 'number', render: (_, s) => <Link to={`/logistics/shipments/${s.id}`}>{s.number}</Link> },
    { title: lt('ship.order'), dataIndex: 'orderNumber', render: (_, s) => <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link> },
    { title: lt('ship.customer'), dataIndex: 'customerName' },
    { title: lt('ship.status'), dataIndex: 'status', sortField: 'status', render: (_, s) => <Tag color={SHIPMENT_COLORS[s.status]}>{lt(`ship.statuses.${s.status}`)}</Tag> },
    { title: lt('ship.carrier'), dataIndex: 'carrierName', render: (_, s) => s.carrierName ?? '—' },
    {
      title: lt('ship.tracking'),
      dataIndex: 'trackingNumber',
      render: (_, s) =>
        s.trackingUrl ? (
          <a href={s.trackingUrl} target="_blank" rel="noreferrer">
            {s.trackingNumber}
          </a>
        ) : (
          (s.trackingNumber ?? '—')
        ),
    },
    { title: lt('ship.dispatchedAt'), dataIndex: 'dispatchedAt', sortField: 'dispatchedAt', render: (_, s) => formatDateTime(s.dispatchedAt) },
    { title: lt('ship.deliveredAt'), dataIndex: 'deliveredAt', sortField: 'deliveredAt', render: (_, s) => formatDateTime(s.deliveredAt) },
    { title: lt('ship.excursion'), dataIndex: 'excursion', render: (_, s) => (s.excursion ? <Tag color="red">{lt('ship.excursion')}</Tag> : '') },
  ];
  return (
    <LooseListPage<Shipment>
      endpoint="/api/logistics/shipments"
      title={lt('ship.title')}
      rowKey="id"
      columns={columns}
      defaultSort="-createdAt"
      keyword={{ placeholder: lt('ship.keyword') }}
      tableProps={{ onRow: (s: Shipment) => ({ onDoubleClick: () => void navigate(`/logistics/shipments/${s.id}`) }) }}
      toQuery={(v) => ({ ...v, excursion: v.excursion ? 'true' : undefined })}
      filters={
        <>
          <Form.Item name="status">
            <Select allowClear placeholder={lt('ship.status')} style={{ width: 120 }} options={STATUSES.map((s) => ({ value: s, label: lt(`ship.statuses.${s}`) }))} />
          </Form.Item>
          <Form.Item name="excursion" valuePropName="checked">
            <Checkbox>{lt('ship.onlyExcursion')}</Checkbox>
          </Form.Item>
        </>
      }
    />
  );
}
