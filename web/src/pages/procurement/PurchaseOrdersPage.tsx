import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDate } from '../../app/format';
import { MaterialPicker } from '../../app/pickers';
import { formatFen, jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { PO_COLORS, useProcT, type Po } from './i18n';
import { fenOf, FormModal, SupplierPicker, WarehousePicker } from './kit';

const ENDPOINT = '/api/procurement/orders';
type PoForm = { supplierId: string; warehouseId: string; expectedDate: Dayjs; note?: string; lines: { productId: string; unit: string; quantity: number; unitPrice: number }[] };

/** Purchase orders: search, filter by status/supplier/overdue, sort, export; create with lines. */
export function PurchaseOrdersPage() {
  const pt = useProcT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const columns: ListColumn<Po>[] = [
    { title: pt('f.number'), dataIndex: 'code', sortField: 'code', render: (_, p) => <Link to={`/procurement/orders/${p.id}`}>{p.code}</Link> },
    { title: pt('f.supplier'), dataIndex: 'supplierName' },
    { title: pt('f.status'), dataIndex: 'status', sortField: 'status', render: (_, p) => <Tag color={PO_COLORS[p.status]}>{pt(`poStatus.${p.status}`)}</Tag> },
    { title: pt('f.expectedDate'), dataIndex: 'expectedDate', sortField: 'expectedDate', render: formatDate },
    { title: pt('f.total'), dataIndex: 'totalFen', sortField: 'totalFen', align: 'right', render: (_, p) => formatFen(p.totalFen) },
  ];
  return (
    <>
      <LooseListPage<Po>
        endpoint={ENDPOINT}
        title={pt('orders')}
        rowKey="id"
        columns={columns}
        defaultSort="-createdAt"
        keyword={{ placeholder: pt('orderKeyword') }}
        toQuery={(v) => ({ ...v, overdue: v.overdue ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={pt('f.status')}
                style={{ width: 130 }}
                options={(['draft', 'sent', 'partially_received', 'received', 'cancelled'] as const).map((s) => ({ value: s, label: pt(`poStatus.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="supplierId">
              <SupplierPicker approvedOnly={false} placeholder={pt('f.supplier')} />
            </Form.Item>
            <Form.Item name="overdue" valuePropName="checked">
              <Checkbox>{pt('overdueOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          can('procurement:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="po-create">
              {pt('createOrder')}
            </Button>
          )
        }
      />
      <FormModal<PoForm>
        open={creating}
        width={820}
        title={pt('createOrder')}
        testId="po-form"
        initialValues={{ lines: [{ productId: '', unit: 'kg', quantity: 1, unitPrice: 0 }] }}
        onClose={() => setCreating(false)}
        submit={async (v) => {
          const po = await jsonFetch<Po>(ENDPOINT, {
            method: 'POST',
            idempotent: true,
            body: {
              supplierId: v.supplierId,
              warehouseId: v.warehouseId,
              expectedDate: v.expectedDate.format('YYYY-MM-DD'),
              note: v.note ?? null,
              lines: v.lines.map((l) => ({ productId: l.productId, unit: l.unit, quantity: String(l.quantity), unitPriceFen: fenOf(l.unitPrice) })),
            },
          });
          void refresh();
          void navigate(`/procurement/orders/${po.id}`);
        }}
      >
        {() => (
          <>
            <Space wrap>
              <Form.Item name="supplierId" label={pt('f.supplier')} rules={[{ required: true }]}>
                <SupplierPicker style={{ width: 240 }} testId="po-supplier" />
              </Form.Item>
              <Form.Item name="warehouseId" label={pt('f.warehouse')} rules={[{ required: true }]}>
                <WarehousePicker testId="po-warehouse" />
              </Form.Item>
              <Form.Item name="expectedDate" label={pt('f.expectedDate')} rules={[{ required: true }]}>
                <DatePicker data-testid="po-expected" />
              </Form.Item>
            </Space>
            <Form.List name="lines">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'productId']} label={pt('f.material')} rules={[{ required: true }]}>
                        <MaterialPicker style={{ width: 240 }} testId={`po-line-${field.name}-product`} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'unit']} label={pt('f.unit')} rules={[{ required: true }]}>
                        <Input style={{ width: 70 }} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'quantity']} label={pt('f.quantity')} rules={[{ required: true }]}>
                        <InputNumber min={0.001} data-testid={`po-line-${field.name}-qty`} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'unitPrice']} label={pt('f.unitPrice')} rules={[{ required: true }]}>
                        <InputNumber min={0} precision={2} data-testid={`po-line-${field.name}-price`} />
                      </Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  <Button onClick={() => add({ unit: 'kg', quantity: 1, unitPrice: 0 })} icon={<PlusOutlined />}>
                    {pt('action.addLine')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="note" label={pt('f.note')} style={{ marginTop: 12 }}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
