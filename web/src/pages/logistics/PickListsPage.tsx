import { Form, Select, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { LooseListPage } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import { PICK_COLORS, type Backorder, type PickListSummary } from './types';

/** Pick lists (single orders and waves): search by pick list or order number, filter by status, export. */
export function PickListsPage() {
  const lt = useLogisticsT();
  const navigate = useNavigate();
  const columns: ListColumn<PickListSummary>[] = [
    { title: lt('pick.number'), dataIndex: 'number', sortField: 'number', render: (_, p) => <Link to={`/logistics/pick-lists/${p.id}`}>{p.number}</Link> },
    { title: lt('pick.orders'), dataIndex: 'orderNumbers', render: (_, p) => p.orderNumbers.join(', ') },
    { title: lt('pick.status'), dataIndex: 'status', sortField: 'status', render: (_, p) => <Tag color={PICK_COLORS[p.status]}>{lt(`pick.statuses.${p.status}`)}</Tag> },
    { title: lt('pick.lines'), dataIndex: 'lineCount', align: 'right' },
    { title: lt('pick.shortLines'), dataIndex: 'shortLines', align: 'right', render: (_, p) => (p.shortLines ? <Tag color="orange">{p.shortLines}</Tag> : 0) },
    { title: lt('pick.createdBy'), dataIndex: 'createdBy' },
    { title: lt('pick.createdAt'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, p) => formatDateTime(p.createdAt) },
    { title: lt('pick.confirmedAt'), dataIndex: 'confirmedAt', sortField: 'confirmedAt', render: (_, p) => formatDateTime(p.confirmedAt) },
  ];
  return (
    <LooseListPage<PickListSummary>
      endpoint="/api/logistics/pick-lists"
      title={lt('pick.title')}
      rowKey="id"
      columns={columns}
      defaultSort="-createdAt"
      keyword={{ placeholder: lt('pick.keyword') }}
      tableProps={{ onRow: (p: PickListSummary) => ({ onDoubleClick: () => void navigate(`/logistics/pick-lists/${p.id}`) }) }}
      filters={
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={lt('pick.status')}
            style={{ width: 120 }}
            options={(['open', 'confirmed', 'cancelled'] as const).map((s) => ({ value: s, label: lt(`pick.statuses.${s}`) }))}
          />
        </Form.Item>
      }
    />
  );
}

/** Backorder lines left by short picks, until the stock is found or the order line is settled. */
export function BackordersPage() {
  const lt = useLogisticsT();
  const columns: ListColumn<Backorder>[] = [
    { title: lt('backorder.order'), dataIndex: 'orderNumber', sortField: 'orderNumber', render: (_, b) => <Link to={`/orders/${b.orderId}`}>{b.orderNumber}</Link> },
    { title: lt('backorder.pickList'), dataIndex: 'pickListNumber' },
    { title: lt('backorder.productCode'), dataIndex: 'productCode', sortField: 'productCode' },
    { title: lt('backorder.product'), dataIndex: 'productName' },
    { title: lt('backorder.quantity'), dataIndex: 'quantity', sortField: 'quantity', align: 'right' },
    { title: lt('backorder.unit'), dataIndex: 'unit' },
    { title: lt('backorder.status'), dataIndex: 'status', render: (_, b) => <Tag color={b.status === 'open' ? 'orange' : 'default'}>{lt(`backorder.statuses.${b.status}`)}</Tag> },
    { title: lt('backorder.createdAt'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, b) => formatDateTime(b.createdAt) },
  ];
  return (
    <LooseListPage<Backorder>
      endpoint="/api/logistics/backorders"
      title={lt('backorder.title')}
      rowKey="id"
      columns={columns}
      defaultSort="-createdAt"
      keyword={{ placeholder: lt('backorder.keyword') }}
      initialValues={{ status: 'open' }}
      filters={
        <Form.Item name="status">
          <Select
            allowClear
            placeholder={lt('backorder.status')}
            style={{ width: 120 }}
            options={(['open', 'resolved'] as const).map((s) => ({ value: s, label: lt(`backorder.statuses.${s}`) }))}
          />
        </Form.Item>
      }
    />
  );
}
