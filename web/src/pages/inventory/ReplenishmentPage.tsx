import { Checkbox, Form, Input, Select, Tag } from 'antd';
import type { ListColumn } from '../../app/components/ListPage';
import { useInventoryT } from './i18n';
import { LooseListPage } from './kit';

type Row = {
  productId: string;
  productCode: string;
  productName: string;
  kind: 'produce' | 'material';
  category: string;
  unit: string;
  onHand: string;
  openReservations: string;
  blocked: string;
  expiringBeforeUse: string;
  projectedAvailable: string;
  safetyStock: string;
  reorderPoint: string;
  suggestedQuantity: string;
  urgency: 'critical' | 'reorder' | 'ok';
};

const URGENCY_COLORS = { critical: 'red', reorder: 'orange', ok: 'green' } as const;

/** Replenishment suggestions for products and materials, with export. */
export function ReplenishmentPage() {
  const it = useInventoryT();
  const q = (v: string, r: Row) => `${v} ${r.unit}`;
  const columns: ListColumn<Row>[] = [
    { title: it('field.productCode'), dataIndex: 'productCode' },
    { title: it('field.name'), dataIndex: 'productName' },
    { title: it('field.kind'), dataIndex: 'kind', render: (v: Row['kind']) => it(`rep.${v}`) },
    { title: it('field.category'), dataIndex: 'category' },
    { title: it('field.onHand'), dataIndex: 'onHand', align: 'right', render: q },
    { title: it('rep.openReservations'), dataIndex: 'openReservations', align: 'right', render: q },
    { title: it('field.blocked'), dataIndex: 'blocked', align: 'right', render: q },
    { title: it('rep.expiringBeforeUse'), dataIndex: 'expiringBeforeUse', align: 'right', render: q },
    { title: it('rep.projected'), dataIndex: 'projectedAvailable', align: 'right', render: q },
    { title: it('rep.safetyStock'), dataIndex: 'safetyStock', align: 'right', render: q },
    { title: it('rep.reorderPoint'), dataIndex: 'reorderPoint', align: 'right', render: q },
    {
      title: it('rep.suggested'),
      dataIndex: 'suggestedQuantity',
      align: 'right',
      render: (v: string, r: Row) => <strong data-testid={`suggested-${r.productCode}`}>{q(v, r)}</strong>,
    },
    { title: it('rep.urgency'), dataIndex: 'urgency', render: (v: Row['urgency']) => <Tag color={URGENCY_COLORS[v]}>{it(`stUrgency.${v}`)}</Tag> },
  ];
  return (
    <LooseListPage<Row>
      endpoint="/api/inventory/replenishment"
      title={it('replenishment')}
      rowKey="productId"
      columns={columns}
      exportable
      tableProps={{ scroll: { x: 'max-content' } }}
      filters={
        <>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={it('field.kind')}
              style={{ width: 120 }}
              options={(['produce', 'material'] as const).map((k) => ({ value: k, label: it(`rep.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="category">
            <Input placeholder={it('field.category')} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="all" valuePropName="checked">
            <Checkbox>{it('rep.showAll')}</Checkbox>
          </Form.Item>
        </>
      }
      toQuery={(v) => ({ ...v, all: v.all ? 'true' : undefined })}
    />
  );
}
