import { Form, InputNumber, Tag } from 'antd';
import { Link } from 'react-router';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDate } from '../../app/format';
import { LooseListPage } from '../catalog/page-kit';
import { useCustomerT } from './i18n';
import type { ExpiringQualification } from './types';

/** Qualification documents that expire within the alert window (or already have), soonest first. */
export function QualificationAlertsPage() {
  const ct = useCustomerT();
  const columns: ListColumn<ExpiringQualification>[] = [
    { title: ct('qual.customer'), dataIndex: 'customerName', render: (_, q) => <Link to={`/customers/${q.customerId}`}>{`${q.customerCode} ${q.customerName}`}</Link> },
    { title: ct('qual.type'), dataIndex: 'type', render: (_, q) => ct(`qual.types.${q.type}`) },
    { title: ct('qual.number'), dataIndex: 'number' },
    { title: ct('qual.expiresOn'), dataIndex: 'expiresOn', render: (_, q) => formatDate(q.expiresOn) },
    {
      title: ct('qual.daysLeft'),
      dataIndex: 'daysLeft',
      align: 'right',
      render: (_, q) => <Tag color={q.daysLeft < 0 ? 'red' : q.daysLeft <= 7 ? 'orange' : 'gold'}>{q.daysLeft < 0 ? ct('qual.expired') : q.daysLeft}</Tag>,
    },
  ];
  return (
    <LooseListPage<ExpiringQualification>
      endpoint="/api/customers/qualifications/expiring"
      title={ct('qual.alertsTitle')}
      rowKey="id"
      columns={columns}
      keyword={false}
      filters={
        <Form.Item name="withinDays" label={ct('qual.withinDays')}>
          <InputNumber min={0} max={3650} precision={0} style={{ width: 120 }} />
        </Form.Item>
      }
    />
  );
}
