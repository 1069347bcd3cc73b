import { Button, Checkbox, Form, Input, InputNumber, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { MaterialPicker } from '../../app/pickers';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch, queryString, type Page } from '../catalog/page-kit';
import { ALERT_COLORS, useProcT, type Po } from './i18n';
import { fenOf, FormModal, SupplierPicker, WarehousePicker } from './kit';

type Level = {
  id: string;
  productId: string;
  productCode: string;
  productName: string;
  baseUnit: string;
  warehouseId: string;
  safetyStock: string;
  reorderPoint: string;
  supplierName: string | null;
  unitPriceFen: number | null;
  available: string;
  onOrder: string;
  alert: 'ok' | 'reorder' | 'below_safety';
  proposedQuantity: string;
};

/** Material stock policies per warehouse with alerts; the chosen proposals become draft purchase orders in one step. */
export function MaterialLevelsPage() {
  const pt = useProcT();
  const { can } = useAuth();
  const message = useMessage();
  const navigate = useNavigate();
  const [alertOnly, setAlertOnly] = useState(true);
  const [keyword, setKeyword] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [setting, setSetting] = useState(false);
  const q = useQuery({
    queryKey: ['material-levels', alertOnly, keyword],
    queryFn: () => jsonFetch<Page<Level>>(`/api/procurement/material-levels?${queryString({ alert: alertOnly ? 'true' : undefined, q: keyword || undefined, pageSize: 200 })}`),
  });
  const replenish = async () => {
    try {
      const res = await jsonFetch<{ orders: Po[] }>('/api/procurement/replenishment', {
        method: 'POST',
        idempotent: true,
        body: { items: selected.map((levelId) => ({ levelId })) },
      });
      void message.success(pt('replenished', { count: res.orders.length }));
      setSelected([]);
      await q.refetch();
      if (res.orders.length === 1) void navigate(`/procurement/orders/${res.orders[0]!.id}`);
    } catch (e) {
      showError(e);
    }
  };
  const unit = (v: string, r: Level) => `${v} ${r.baseUnit}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <h2 style={{ margin: 0 }}>{pt('levels')}</h2>
        <Input.Search allowClear placeholder={pt('levelKeyword')} onSearch={setKeyword} style={{ width: 220 }} />
        <Checkbox checked={alertOnly} onChange={(e) => setAlertOnly(e.target.checked)}>
          {pt('alertOnly')}
        </Checkbox>
        {can('procurement:manage') && (
          <>
            <Button onClick={() => setSetting(true)}>{pt('setLevel')}</Button>
            <Button type="primary" disabled={!selected.length} onClick={() => void replenish()} data-testid="replenish">
              {pt('replenish')}
            </Button>
          </>
        )}
      </Space>
      <Table<Level>
        rowKey="id"
        size="small"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        rowSelection={can('procurement:manage') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: pt('f.material'), render: (_, r) => `${r.productCode} ${r.productName}` },
          { title: pt('f.available'), dataIndex: 'available', align: 'right', render: unit },
          { title: pt('f.onOrder'), dataIndex: 'onOrder', align: 'right', render: unit },
          { title: pt('f.safetyStock'), dataIndex: 'safetyStock', align: 'right', render: unit },
          { title: pt('f.reorderPoint'), dataIndex: 'reorderPoint', align: 'right', render: unit },
          { title: pt('f.alert'), dataIndex: 'alert', render: (v: Level['alert']) => <Tag color={ALERT_COLORS[v]}>{pt(`alert.${v}`)}</Tag> },
          { title: pt('f.proposed'), dataIndex: 'proposedQuantity', align: 'right', render: (v: string, r) => <strong>{unit(v, r)}</strong> },
          { title: pt('f.supplier'), dataIndex: 'supplierName', render: (v: string | null) => v ?? '—' },
          { title: pt('f.unitPrice'), dataIndex: 'unitPriceFen', align: 'right', render: (v: number | null) => (v === null ? '—' : formatFen(v)) },
        ]}
      />
      <FormModal<{ productId: string; warehouseId: string; safetyStock: number; reorderPoint: number; reorderQuantity?: number; supplierId?: string; unitPrice?: number }>
        open={setting}
        title={pt('setLevel')}
        onClose={() => setSetting(false)}
        submit={async (v) => {
          await jsonFetch('/api/procurement/material-levels', {
            method: 'PUT',
            body: {
              productId: v.productId,
              warehouseId: v.warehouseId,
              safetyStock: String(v.safetyStock),
              reorderPoint: String(v.reorderPoint),
              reorderQuantity: v.reorderQuantity ? String(v.reorderQuantity) : undefined,
              supplierId: v.supplierId ?? null,
              unitPriceFen: v.unitPrice === undefined ? null : fenOf(v.unitPrice),
            },
          });
          await q.refetch();
        }}
      >
        {() => (
          <>
            <Form.Item name="productId" label={pt('f.material')} rules={[{ required: true }]}>
              <MaterialPicker />
            </Form.Item>
            <Form.Item name="warehouseId" label={pt('f.warehouse')} rules={[{ required: true }]}>
              <WarehousePicker />
            </Form.Item>
            <Space>
              <Form.Item name="safetyStock" label={pt('f.safetyStock')} rules={[{ required: true }]}>
                <InputNumber min={0} />
              </Form.Item>
              <Form.Item name="reorderPoint" label={pt('f.reorderPoint')} rules={[{ required: true }]}>
                <InputNumber min={0} />
              </Form.Item>
              <Form.Item name="reorderQuantity" label={pt('f.reorderQuantity')}>
                <InputNumber min={0} />
              </Form.Item>
            </Space>
            <Form.Item name="supplierId" label={pt('f.supplier')}>
              <SupplierPicker />
            </Form.Item>
            <Form.Item name="unitPrice" label={pt('f.unitPrice')}>
              <InputNumber min={0} precision={2} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}
