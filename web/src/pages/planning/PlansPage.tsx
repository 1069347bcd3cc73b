import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Form, Input, InputNumber, Select, Tag, Tooltip } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { formatDate } from '../../app/format';
import { FieldPicker, ProductPicker } from '../../app/pickers';
import { jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { FormModal } from '../procurement/kit';
import { GanttBars, GanttLegend } from './Gantt';
import { PLAN_COLORS, usePlanT, type Plan } from './i18n';

const ENDPOINT = '/api/planning/plans';
const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Production plans with their stages as a Gantt strip; search, filter, sort, export; new back-scheduled plans. */
export function PlansPage() {
  const pt = usePlanT();
  const { can } = useAuth();
  const navigate = useNavigate();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const from = shift(-30);
  const to = shift(150);
  const columns: ListColumn<Plan>[] = [
    { title: pt('f.code'), dataIndex: 'code', sortField: 'code', render: (_, p) => <Link to={`/planning/plans/${p.id}`}>{p.code}</Link> },
    { title: pt('f.product'), dataIndex: 'productName' },
    { title: pt('f.quantity'), dataIndex: 'quantity', align: 'right' },
    { title: pt('f.deliveryDate'), dataIndex: 'deliveryDate', sortField: 'deliveryDate', render: formatDate },
    {
      title: pt('f.status'),
      dataIndex: 'status',
      sortField: 'status',
      render: (_, p) => (
        <>
          <Tag color={PLAN_COLORS[p.status]}>{pt(`planStatus.${p.status}`)}</Tag>
          {p.atRisk && (
            <Tooltip title={p.riskReason}>
              <Tag color="red" data-testid="plan-at-risk">
                {pt('atRisk')}
              </Tag>
            </Tooltip>
          )}
        </>
      ),
    },
    {
      title: (
        <span>
          {pt('gantt')} ({from} – {to}) <GanttLegend />
        </span>
      ),
      render: (_, p) => <GanttBars stages={p.stages} from={from} to={to} deliveryDate={p.deliveryDate} />,
    },
  ];
  return (
    <>
      <LooseListPage<Plan>
        endpoint={ENDPOINT}
        title={pt('plans')}
        rowKey="id"
        columns={columns}
        defaultSort="deliveryDate"
        keyword={{ placeholder: pt('planKeyword') }}
        tableProps={{ scroll: { x: 'max-content' } }}
        toQuery={(v) => ({ ...v, atRisk: v.atRisk ? 'true' : undefined })}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={pt('f.status')}
                style={{ width: 120 }}
                options={(['draft', 'confirmed', 'in_progress', 'completed', 'cancelled'] as const).map((s) => ({ value: s, label: pt(`planStatus.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="atRisk" valuePropName="checked">
              <Checkbox>{pt('atRiskOnly')}</Checkbox>
            </Form.Item>
          </>
        }
        toolbar={
          can('planning:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
              {pt('createPlan')}
            </Button>
          )
        }
      />
      <FormModal<{ productId: string; quantity: number; deliveryDate: Dayjs; fieldId?: string; note?: string }>
        open={creating}
        title={pt('createPlan')}
        testId="plan-form"
        onClose={() => setCreating(false)}
        submit={async (v) => {
          const p = await jsonFetch<Plan>(ENDPOINT, {
            method: 'POST',
            idempotent: true,
            body: {
              productId: v.productId,
              quantity: String(v.quantity),
              deliveryDate: v.deliveryDate.format('YYYY-MM-DD'),
              resourceType: v.fieldId ? 'field' : null,
              resourceId: v.fieldId ?? null,
              note: v.note ?? null,
            },
          });
          void refresh();
          void navigate(`/planning/plans/${p.id}`);
        }}
      >
        {() => (
          <>
            <Form.Item name="productId" label={pt('f.product')} rules={[{ required: true }]}>
              <ProductPicker testId="plan-product" />
            </Form.Item>
            <Form.Item name="quantity" label={pt('f.quantity')} rules={[{ required: true }]}>
              <InputNumber min={0.001} data-testid="plan-quantity" />
            </Form.Item>
            <Form.Item name="deliveryDate" label={pt('f.deliveryDate')} rules={[{ required: true }]}>
              <DatePicker data-testid="plan-delivery" />
            </Form.Item>
            <Form.Item name="fieldId" label={pt('f.fieldResource')}>
              <FieldPicker testId="plan-field" />
            </Form.Item>
            <Form.Item name="note" label="备注 / Note">
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
      </FormModal>
    </>
  );
}
