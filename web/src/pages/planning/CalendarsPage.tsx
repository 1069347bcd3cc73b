import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../app/auth';
import { ProductPicker } from '../../app/pickers';
import { jsonFetch, type Page } from '../catalog/page-kit';
import { FormModal } from '../procurement/kit';
import { usePlanT } from './i18n';

type Calendar = {
  id: string;
  productCode: string;
  productName: string;
  season: string;
  variety: string | null;
  sowFrom: string;
  sowTo: string;
  harvestFrom: string;
  harvestTo: string;
  growthDays: number;
  expectedYieldPerMu: string;
};
type Capacity = { id: string; resourceType: 'base' | 'field' | 'line'; resourceId: string; name: string; dailyCapacity: string };
const MD = { pattern: /^\d{2}-\d{2}$/, message: 'MM-DD' };

/** Crop calendars (sowing and harvest windows, growth days, yield) and daily capacities of bases, fields and lines. */
export function CalendarsPage() {
  const pt = usePlanT();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const [capacity, setCapacity] = useState(false);
  const cals = useQuery({ queryKey: ['calendars'], queryFn: () => jsonFetch<Page<Calendar>>('/api/planning/calendars?pageSize=200') });
  const caps = useQuery({ queryKey: ['capacities'], queryFn: () => jsonFetch<{ items: Capacity[] }>('/api/planning/capacities') });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title={pt('calendars')} extra={can('planning:manage') && <Button onClick={() => setAdding(true)}>{pt('createCalendar')}</Button>}>
        <Table<Calendar>
          rowKey="id"
          size="small"
          dataSource={cals.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: pt('f.product'), render: (_, c) => `${c.productCode} ${c.productName}` },
            { title: pt('f.season'), dataIndex: 'season' },
            { title: pt('f.sowWindow'), render: (_, c) => `${c.sowFrom} – ${c.sowTo}` },
            { title: pt('f.harvestWindow'), render: (_, c) => `${c.harvestFrom} – ${c.harvestTo}` },
            { title: pt('f.growthDays'), dataIndex: 'growthDays', align: 'right' },
            { title: pt('f.yieldPerMu'), dataIndex: 'expectedYieldPerMu', align: 'right' },
          ]}
        />
      </Card>
      <Card title={pt('capacities')} extra={can('planning:manage') && <Button onClick={() => setCapacity(true)}>{pt('setCapacity')}</Button>}>
        <Table<Capacity>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={caps.data?.items ?? []}
          columns={[
            { title: pt('f.resourceType'), dataIndex: 'resourceType', render: (v: Capacity['resourceType']) => pt(`resourceType.${v}`) },
            { title: pt('f.name'), dataIndex: 'name' },
            { title: pt('f.dailyCapacity'), dataIndex: 'dailyCapacity', align: 'right' },
          ]}
        />
      </Card>
      <FormModal<{ productId: string; season: string; sowFrom: string; sowTo: string; harvestFrom: string; harvestTo: string; growthDays: number; expectedYieldPerMu: number }>
        open={adding}
        title={pt('createCalendar')}
        onClose={() => setAdding(false)}
        submit={async (v) => {
          await jsonFetch('/api/planning/calendars', { method: 'POST', idempotent: true, body: { ...v, expectedYieldPerMu: String(v.expectedYieldPerMu) } });
          await cals.refetch();
        }}
      >
        {() => (
          <>
            <Form.Item name="productId" label={pt('f.product')} rules={[{ required: true }]}>
              <ProductPicker />
            </Form.Item>
            <Form.Item name="season" label={pt('f.season')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Space wrap>
              {(['sowFrom', 'sowTo', 'harvestFrom', 'harvestTo'] as const).map((k) => (
                <Form.Item
                  key={k}
                  name={k}
                  label={`${k.startsWith('sow') ? pt('f.sowWindow') : pt('f.harvestWindow')} ${k.endsWith('From') ? pt('f.from') : pt('f.to')}`}
                  rules={[{ required: true }, MD]}
                >
                  <Input placeholder="MM-DD" style={{ width: 100 }} />
                </Form.Item>
              ))}
            </Space>
            <Space>
              <Form.Item name="growthDays" label={pt('f.growthDays')} rules={[{ required: true }]}>
                <InputNumber min={1} />
              </Form.Item>
              <Form.Item name="expectedYieldPerMu" label={pt('f.yieldPerMu')} rules={[{ required: true }]}>
                <InputNumber min={0} />
              </Form.Item>
            </Space>
          </>
        )}
      </FormModal>
      <FormModal<{ resourceType: Capacity['resourceType']; resourceId: string; name: string; dailyCapacity: number }>
        open={capacity}
        title={pt('setCapacity')}
        onClose={() => setCapacity(false)}
        submit={async (v) => {
          await jsonFetch('/api/planning/capacities', { method: 'PUT', body: { ...v, dailyCapacity: String(v.dailyCapacity) } });
          await caps.refetch();
        }}
      >
        {() => (
          <>
            <Form.Item name="resourceType" label={pt('f.resourceType')} rules={[{ required: true }]}>
              <Select options={(['base', 'field', 'line'] as const).map((r) => ({ value: r, label: pt(`resourceType.${r}`) }))} />
            </Form.Item>
            <Form.Item name="resourceId" label={pt('f.resourceId')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="name" label={pt('f.name')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="dailyCapacity" label={pt('f.dailyCapacity')} rules={[{ required: true }]}>
              <InputNumber min={0} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </Space>
  );
}
