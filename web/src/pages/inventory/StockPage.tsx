import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Select, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { LIST_URL_FILTERS } from '../../app/list-url';
import { useInventoryT } from './i18n';
import { LooseListPage, LOT_STATUS_COLORS, useRefreshList, ZONES } from './kit';
import { AdjustmentModal, ReceiptDrawer, TransferModal } from './MovementForms';
import { WarehouseSelect } from './pickers';

type Row = {
  key: string;
  productId: string;
  productCode: string | null;
  productName: string | null;
  unit: string | null;
  lotId: string | null;
  lotCode: string | null;
  expiryDate: string | null;
  qualityStatus: string | null;
  expired: boolean | null;
  nearExpiry: boolean | null;
  warehouseCode: string | null;
  locationId: string | null;
  locationCode: string | null;
  zone: string | null;
  onHand: string;
  reserved: string;
  available: string;
  blocked: string;
  lotCount: number | null;
  earliestExpiry: string | null;
};

type By = 'product' | 'lot' | 'location';
type Target = { lotId: string; productId: string; lotCode: string; locationId?: string };

/** Stock overview by product, lot or location with filters, export and the movement forms. */
export function StockPage() {
  const it = useInventoryT();
  const { can } = useAuth();
  const refresh = useRefreshList();
  const [params] = useSearchParams();
  const [by, setBy] = useState<By>(() => (['product', 'lot', 'location'] as const).find((b) => b === params.get('by')) ?? 'product');
  const [receiving, setReceiving] = useState(false);
  const [transfer, setTransfer] = useState<Target | null>(null);
  const [adjust, setAdjust] = useState<Target | null>(null);

  const qtyCol = (key: 'onHand' | 'reserved' | 'available' | 'blocked'): ListColumn<Row> => ({
    title: it(`field.${key}`),
    dataIndex: key,
    align: 'right',
    sortField: key === 'onHand' || key === 'available' ? key : undefined,
    render: (v: string, r: Row) => (
      <span data-testid={`stock-${key}-${r.lotCode ?? r.productCode ?? ''}${r.locationCode ? `-${r.locationCode}` : ''}`}>
        {v} {r.unit}
      </span>
    ),
  });
  const expiry = (r: Row) => (
    <Space size={4}>
      {r.expiryDate ?? r.earliestExpiry ?? '—'}
      {r.expired && <Tag color="red">{it('field.expired')}</Tag>}
      {!r.expired && r.nearExpiry && <Tag color="orange">{it('lotDetail.nearExpiry')}</Tag>}
    </Space>
  );
  const columns: ListColumn<Row>[] = [
    { title: it('field.product'), key: 'product', render: (_: unknown, r: Row) => `${r.productCode ?? ''} ${r.productName ?? ''}` },
    ...(by !== 'product'
      ? ([
          { title: it('field.lotCode'), dataIndex: 'lotCode', sortField: 'lotCode', render: (v: string, r: Row) => <Link to={`/inventory/lots/${r.lotId}`}>{v}</Link> },
          { title: it('field.qualityStatus'), dataIndex: 'qualityStatus', render: (v: string) => <Tag color={LOT_STATUS_COLORS[v]}>{it(`status.${v as 'released'}`)}</Tag> },
        ] as ListColumn<Row>[])
      : []),
    ...(by === 'location'
      ? ([
          { title: it('field.warehouse'), dataIndex: 'warehouseCode', sortField: 'warehouseCode' },
          { title: it('field.location'), dataIndex: 'locationCode', sortField: 'locationCode' },
          { title: it('field.zone'), dataIndex: 'zone', render: (v: string) => it(`zone.${v as 'chilled'}`) },
        ] as ListColumn<Row>[])
      : []),
    ...(by === 'product' ? ([{ title: it('field.lots'), dataIndex: 'lotCount', align: 'right' }] as ListColumn<Row>[]) : []),
    {
      title: by === 'product' ? it('field.earliestExpiry') : it('field.expiryDate'),
      key: 'expiry',
      sortField: by === 'product' ? 'earliestExpiry' : 'expiryDate',
      render: (_: unknown, r: Row) => expiry(r),
    },
    qtyCol('onHand'),
    qtyCol('reserved'),
    qtyCol('available'),
    qtyCol('blocked'),
    ...(by === 'location' && can('inventory:move')
      ? ([
          {
            title: '',
            key: 'actions',
            render: (_: unknown, r: Row) => {
              const target = { lotId: r.lotId!, productId: r.productId, lotCode: r.lotCode ?? '', locationId: r.locationId ?? undefined };
              return (
                <Space>
                  <Button size="small" data-testid={`transfer-${r.lotCode}-${r.locationCode}`} onClick={() => setTransfer(target)}>
                    {it('transfer')}
                  </Button>
                  <Button size="small" data-testid={`adjust-${r.lotCode}-${r.locationCode}`} onClick={() => setAdjust(target)}>
                    {it('adjust')}
                  </Button>
                </Space>
              );
            },
          },
        ] as ListColumn<Row>[])
      : []),
  ];

  const done = () => {
    setReceiving(false);
    setTransfer(null);
    setAdjust(null);
    void refresh();
  };

  return (
    <>
      <Tabs
        activeKey={by}
        onChange={(k) => setBy(k as By)}
        items={[
          { key: 'product', label: <span data-testid="stock-tab-product">{it('byProduct')}</span> },
          { key: 'lot', label: <span data-testid="stock-tab-lot">{it('byLot')}</span> },
          { key: 'location', label: <span data-testid="stock-tab-location">{it('byLocation')}</span> },
        ]}
      />
      <LooseListPage<Row>
        key={by}
        endpoint="/api/inventory/stock"
        urlFilters={LIST_URL_FILTERS['/inventory/stock']}
        title={it('stock')}
        rowKey="key"
        columns={columns}
        keyword={{ placeholder: it('keyword') }}
        exportable
        tableProps={{ scroll: { x: 'max-content' } }}
        toQuery={(v) => ({ ...v, by })}
        toolbar={
          can('inventory:receive') && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="open-receipt" onClick={() => setReceiving(true)}>
              {it('receive')}
            </Button>
          )
        }
        filters={
          <>
            <Form.Item name="warehouseId">
              <WarehouseSelect placeholder={it('field.warehouse')} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="zone">
              <Select allowClear placeholder={it('field.zone')} style={{ width: 110 }} options={ZONES.map((z) => ({ value: z, label: it(`zone.${z}`) }))} />
            </Form.Item>
            <Form.Item name="lotStatus">
              <Select
                allowClear
                placeholder={it('field.qualityStatus')}
                style={{ width: 120 }}
                options={(['quarantined', 'released', 'on_hold', 'rejected'] as const).map((s) => ({ value: s, label: it(`status.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="expiringWithinDays">
              <InputNumber min={0} placeholder={it('field.expiringWithinDays')} style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="category">
              <Input placeholder={it('field.category')} style={{ width: 110 }} />
            </Form.Item>
          </>
        }
      />
      <ReceiptDrawer open={receiving} onClose={() => setReceiving(false)} onDone={done} />
      <TransferModal target={transfer} onClose={() => setTransfer(null)} onDone={done} />
      <AdjustmentModal target={adjust} onClose={() => setAdjust(null)} onDone={done} />
    </>
  );
}
