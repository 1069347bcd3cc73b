import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Select, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDate } from '../../app/format';
import { jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { SUPPLIER_COLORS, useProcT, type Supplier } from './i18n';
import { FormModal } from './kit';

const ENDPOINT = '/api/procurement/suppliers';
const score = (n: number | null) => (n === null ? '—' : String(n));

/** Suppliers: status, rating, next document expiry; search, filter, sort, export. */
export function SuppliersPage() {
  const pt = useProcT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const columns: ListColumn<Supplier>[] = [
    { title: pt('f.code'), dataIndex: 'code', sortField: 'code', render: (_, s) => <Link to={`/procurement/suppliers/${s.id}`}>{s.code}</Link> },
    { title: pt('f.name'), dataIndex: 'name', sortField: 'name' },
    { title: pt('f.status'), dataIndex: 'status', sortField: 'status', render: (_, s) => <Tag color={SUPPLIER_COLORS[s.status]}>{pt(`supplierStatus.${s.status}`)}</Tag> },
    { title: pt('f.grade'), dataIndex: ['rating', 'grade'], render: (_, s) => (s.rating.grade ? <Tag>{s.rating.grade}</Tag> : '—') },
    { title: pt('f.rating'), dataIndex: ['rating', 'score'], align: 'right', render: (_, s) => score(s.rating.score) },
    { title: pt('f.quality'), dataIndex: ['rating', 'qualityScore'], align: 'right', render: (_, s) => score(s.rating.qualityScore) },
    { title: pt('f.onTime'), dataIndex: ['rating', 'onTimeScore'], align: 'right', render: (_, s) => score(s.rating.onTimeScore) },
    { title: pt('f.price'), dataIndex: ['rating', 'priceScore'], align: 'right', render: (_, s) => score(s.rating.priceScore) },
    {
      title: pt('f.nextExpiry'),
      dataIndex: 'nextDocumentExpiry',
      render: (_, s) => (s.nextDocumentExpiry ? <span style={s.documentAlert ? { color: '#cf1322' } : undefined}>{formatDate(s.nextDocumentExpiry)}</span> : '—'),
    },
    { title: pt('f.contactName'), dataIndex: 'contactName', render: (_, s) => s.contactName ?? '—' },
  ];
  return (
    <>
      <LooseListPage<Supplier>
        endpoint={ENDPOINT}
        title={pt('suppliers')}
        rowKey="id"
        columns={columns}
        defaultSort="code"
        keyword={{ placeholder: pt('supplierKeyword') }}
        tableProps={{ onRow: (s: Supplier) => ({ onDoubleClick: () => void navigate(`/procurement/suppliers/${s.id}`) }) }}
        toQuery={(v) => ({ ...v, documentAlert: v.documentAlert ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={pt('f.status')}
                style={{ width: 120 }}
                options={(['pending', 'approved', 'suspended'] as const).map((s) => ({ value: s, label: pt(`supplierStatus.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="documentAlert" valuePropName="checked">
              <Checkbox>{pt('docAlertOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          can('procurement:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="supplier-create">
              {pt('createSupplier')}
            </Button>
          )
        }
      />
      <FormModal<{ name: string; code?: string; usci?: string; contactName?: string; phone?: string; leadDays?: number; address?: string }>
        open={creating}
        title={pt('createSupplier')}
        testId="supplier-form"
        onClose={() => setCreating(false)}
        submit={async (v) => {
          const s = await jsonFetch<Supplier>(ENDPOINT, { method: 'POST', body: v, idempotent: true });
          void refresh();
          void navigate(`/procurement/suppliers/${s.id}`);
        }}
      >
        {() => (
          <>
            <Form.Item name="name" label={pt('f.name')} rules={[{ required: true }]}>
              <Input data-testid="supplier-name" />
            </Form.Item>
            <Form.Item name="code" label={pt('f.code')}>
              <Input />
            </Form.Item>
            <Form.Item name="usci" label={pt('f.usci')}>
              <Input />
            </Form.Item>
            <Form.Item name="contactName" label={pt('f.contactName')}>
              <Input />
            </Form.Item>
            <Form.Item name="phone" label={pt('f.phone')}>
              <Input />
            </Form.Item>
            <Form.Item name="address" label={pt('f.address')}>
              <Input />
            </Form.Item>
            <Form.Item name="leadDays" label={pt('f.leadDays')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
