import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Select, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDateTime } from '../../app/format';
import { applyServerErrors } from '../../app/problem';
import { LIST_URL_FILTERS } from '../../app/list-url';
import { useInventoryT } from './i18n';
import { jsonFetch, LooseListPage, ZONES } from './kit';
import { WarehouseSelect } from './pickers';

type Row = {
  id: string;
  number: string;
  warehouseCode: string;
  zone: string | null;
  category: string | null;
  status: string;
  lineCount: number;
  countedCount: number;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
};

export const STOCKTAKE_STATUS = { counting: 'blue', submitted: 'orange', approved: 'green', cancelled: 'default' } as const;
export const STATUS_KEY = { counting: 'st.statusCounting', submitted: 'st.statusSubmitted', approved: 'st.statusApproved', cancelled: 'st.statusCancelled' } as const;

/** Stocktakes: list and create (warehouse, optional zone and product category). */
export function StocktakesPage() {
  const it = useInventoryT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ warehouseId?: string; zone?: string; category?: string; note?: string }>();
  const columns: ListColumn<Row>[] = [
    { title: it('st.number'), dataIndex: 'number', sortField: 'number', render: (v: string, r) => <Link to={`/inventory/stocktakes/${r.id}`}>{v}</Link> },
    { title: it('field.warehouse'), dataIndex: 'warehouseCode' },
    { title: it('field.zone'), dataIndex: 'zone', render: (v: string | null) => (v ? it(`zone.${v as 'chilled'}`) : '—') },
    { title: it('field.category'), dataIndex: 'category', render: (v: string | null) => v ?? '—' },
    { title: it('field.status'), dataIndex: 'status', sortField: 'status', render: (v: keyof typeof STATUS_KEY) => <Tag color={STOCKTAKE_STATUS[v]}>{it(STATUS_KEY[v])}</Tag> },
    { title: it('st.counted'), key: 'progress', render: (_: unknown, r) => `${r.countedCount} / ${r.lineCount}` },
    { title: it('field.user'), dataIndex: 'createdBy' },
    { title: it('field.time'), dataIndex: 'createdAt', sortField: 'createdAt', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <>
      <LooseListPage<Row>
        endpoint="/api/inventory/stocktakes"
        urlFilters={LIST_URL_FILTERS['/inventory/stocktakes']}
        title={it('stocktakes')}
        rowKey="id"
        columns={columns}
        exportable
        defaultSort="-createdAt"
        toolbar={
          can('inventory:stocktake') && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="stocktake-create" onClick={() => setOpen(true)}>
              {it('st.create')}
            </Button>
          )
        }
        filters={
          <>
            <Form.Item name="warehouseId">
              <WarehouseSelect placeholder={it('field.warehouse')} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={it('field.status')}
                style={{ width: 130 }}
                options={(Object.keys(STATUS_KEY) as (keyof typeof STATUS_KEY)[]).map((s) => ({ value: s, label: it(STATUS_KEY[s]) }))}
              />
            </Form.Item>
          </>
        }
      />
      <Modal
        open={open}
        title={it('st.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'stocktake-create-submit' }}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            try {
              const st = await jsonFetch<{ id: string }>('/api/inventory/stocktakes', {
                method: 'POST',
                idempotent: true,
                body: { warehouseId: v.warehouseId, zone: v.zone ?? null, category: v.category || null, note: v.note || null },
              });
              setOpen(false);
              void navigate(`/inventory/stocktakes/${st.id}`);
            } catch (error) {
              applyServerErrors(form, error);
            }
          }}
        >
          <Form.Item name="warehouseId" label={it('field.warehouse')} rules={[{ required: true }]}>
            <WarehouseSelect testId="stocktake-warehouse" />
          </Form.Item>
          <Form.Item name="zone" label={it('field.zone')}>
            <Select allowClear options={ZONES.map((z) => ({ value: z, label: it(`zone.${z}`) }))} />
          </Form.Item>
          <Form.Item name="category" label={it('field.category')}>
            <Input />
          </Form.Item>
          <Form.Item name="note" label={it('field.note')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
