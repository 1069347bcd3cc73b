import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Form, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { LIST_URL_FILTERS } from '../../app/list-url';
import { formatFen, LooseListPage } from '../catalog/page-kit';
import { useOrderT } from './i18n';
import { CustomerSelect, StatusTag } from './kit';
import type { Order, OrderStatus } from './types';

const STATUSES: OrderStatus[] = ['draft', 'needs_confirmation', 'in_review', 'approved', 'rejected', 'cancelled', 'in_production', 'ready', 'shipped', 'delivered', 'completed'];
const day = (d: unknown) => (d && typeof (d as Dayjs).format === 'function' ? (d as Dayjs).format('YYYY-MM-DD') : undefined);

/** Order list: filters by status, customer, dates, product, owner (mine) and channel; Excel export. */
export function OrdersPage() {
  const ot = useOrderT();
  const { can, user } = useAuth();
  const navigate = useNavigate();
  const columns: ListColumn<Order>[] = [
    { title: ot('field.number'), dataIndex: 'number', sortField: 'number', render: (_, o) => <Link to={`/orders/${o.id}`}>{o.number}</Link> },
    { title: ot('field.customer'), dataIndex: 'customerName', sortField: 'customerName', render: (_, o) => `${o.customerCode} ${o.customerName}` },
    { title: ot('field.status'), dataIndex: 'status', sortField: 'status', render: (_, o) => <StatusTag status={o.status} /> },
    { title: ot('field.deliveryDate'), dataIndex: 'deliveryDate', sortField: 'deliveryDate', render: (_, o) => o.deliveryDate ?? '—' },
    { title: ot('field.total'), dataIndex: 'totalFen', sortField: 'totalFen', align: 'right', render: (_, o) => formatFen(o.totalFen) },
    { title: ot('field.coldChain'), dataIndex: 'coldChain', render: (_, o) => (o.coldChain ? '❄' : '') },
    { title: ot('field.channel'), dataIndex: 'channel', render: (_, o) => ot(`channel.${o.channel}`) },
    { title: ot('field.owner'), dataIndex: 'salesOwnerName', render: (_, o) => o.salesOwnerName ?? '—' },
    { title: ot('field.createdAt'), dataIndex: 'createdAt', sortField: 'createdAt', render: (_, o) => formatDateTime(o.createdAt) },
  ];
  return (
    <LooseListPage<Order>
      endpoint="/api/orders"
      urlFilters={LIST_URL_FILTERS['/orders']}
      title={ot('orders')}
      rowKey="id"
      columns={columns}
      defaultSort="-createdAt"
      keyword={{ placeholder: ot('keyword') }}
      tableProps={{ onRow: (o: Order) => ({ onDoubleClick: () => void navigate(`/orders/${o.id}`) }) }}
      toQuery={(v) => ({
        ...v,
        status: Array.isArray(v.status) && v.status.length ? v.status.join(',') : undefined,
        from: day(v.from),
        to: day(v.to),
        deliveryFrom: day(v.deliveryFrom),
        deliveryTo: day(v.deliveryTo),
        ownerId: v.mine ? user?.id : undefined,
        mine: undefined,
      })}
      filters={
        <>
          <Form.Item name="status">
            <Select
              mode="multiple"
              allowClear
              placeholder={ot('filter.status')}
              style={{ minWidth: 160 }}
              data-testid="orders-filter-status"
              options={STATUSES.map((s) => ({ value: s, label: ot(`status.${s}`) }))}
            />
          </Form.Item>
          {can('customers:read') && (
            <Form.Item name="customerId">
              <CustomerSelect placeholder={ot('filter.customer')} />
            </Form.Item>
          )}
          <Form.Item name="channel">
            <Select
              allowClear
              placeholder={ot('filter.channel')}
              style={{ width: 110 }}
              options={(['phone', 'email', 'online', 'wechat', 'visit', 'api', 'import'] as const).map((c) => ({ value: c, label: ot(`channel.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="from">
            <DatePicker placeholder={ot('filter.from')} />
          </Form.Item>
          <Form.Item name="to">
            <DatePicker placeholder={ot('filter.to')} />
          </Form.Item>
          <Form.Item name="deliveryFrom">
            <DatePicker placeholder={ot('filter.deliveryFrom')} />
          </Form.Item>
          <Form.Item name="deliveryTo">
            <DatePicker placeholder={ot('filter.deliveryTo')} />
          </Form.Item>
          <Form.Item name="mine" valuePropName="checked">
            <Checkbox>{ot('mine')}</Checkbox>
          </Form.Item>
        </>
      }
      toolbar={
        can('orders:create') && (
          <>
            <Button icon={<UploadOutlined />} onClick={() => void navigate('/orders/import')}>
              {ot('import')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/orders/new')} data-testid="order-new">
              {ot('newOrder')}
            </Button>
          </>
        )
      }
    />
  );
}
