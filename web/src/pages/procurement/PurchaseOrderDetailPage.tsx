import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import { formatDate } from '../../app/format';
import { LocationPicker } from '../../app/pickers';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch } from '../catalog/page-kit';
import { PO_COLORS, useProcT, type Po, type PoLine } from './i18n';
import { FormModal } from './kit';

type ReceiveForm = { lines: { lineId: string; quantity?: number; supplierLotNo?: string; locationId?: string; productionDate?: Dayjs }[] };

/** One purchase order: lines, send / cancel, PDF, partial receipts into stock. */
export function PurchaseOrderDetailPage() {
  const { id = '' } = useParams();
  const pt = useProcT();
  const { can } = useAuth();
  const [receiving, setReceiving] = useState(false);
  const q = useQuery({ queryKey: ['po', id], queryFn: () => jsonFetch<Po>(`/api/procurement/orders/${id}`) });
  const po = q.data;
  if (!po) return <Card loading />;
  const act = async (event: 'send' | 'cancel') => {
    try {
      await jsonFetch(`/api/procurement/orders/${id}/${event}`, { method: 'POST', body: {} });
      await q.refetch();
    } catch (e) {
      showError(e);
    }
  };
  const receivable = po.status === 'sent' || po.status === 'partially_received';
  const lineNo = new Map(po.lines.map((l) => [l.id, l]));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Link to="/procurement/orders">← {pt('back')}</Link>
      <Card
        title={
          <Space>
            {po.code}
            <Tag color={PO_COLORS[po.status]} data-testid="po-status">
              {pt(`poStatus.${po.status}`)}
            </Tag>
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => void downloadFile(`/api/procurement/orders/${id}/pdf`, `${po.code}.pdf`).catch(showError)} data-testid="po-pdf">
              {pt('action.pdf')}
            </Button>
            {can('procurement:manage') && po.status === 'draft' && (
              <Button type="primary" onClick={() => void act('send')} data-testid="po-send">
                {pt('action.send')}
              </Button>
            )}
            {can('procurement:manage') && (po.status === 'draft' || po.status === 'sent') && (
              <Button danger onClick={() => void act('cancel')}>
                {pt('action.cancel')}
              </Button>
            )}
            {can('inventory:receive') && receivable && (
              <Button type="primary" onClick={() => setReceiving(true)} data-testid="po-receive">
                {pt('action.receive')}
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={pt('f.supplier')}>
            <Link to={`/procurement/suppliers/${po.supplierId}`}>{po.supplierName}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={pt('f.expectedDate')}>{formatDate(po.expectedDate)}</Descriptions.Item>
          <Descriptions.Item label={pt('f.total')}>{formatFen(po.totalFen)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={pt('lines')}>
        <Table<PoLine>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={po.lines}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: pt('f.lineNo'), dataIndex: 'lineNo' },
            { title: pt('f.material'), render: (_, l) => `${l.productCode} ${l.productName}` },
            { title: pt('f.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, l) => `${v} ${l.unit}` },
            { title: pt('f.unitPrice'), dataIndex: 'unitPriceFen', align: 'right', render: (v: number) => formatFen(v) },
            { title: pt('f.amount'), dataIndex: 'amountFen', align: 'right', render: (v: number) => formatFen(v) },
            { title: pt('f.received'), dataIndex: 'receivedQuantity', align: 'right' },
            { title: pt('f.open'), dataIndex: 'openQuantity', align: 'right' },
          ]}
        />
      </Card>
      {po.receipts.length > 0 && (
        <Card title={pt('receipts')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={po.receipts}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: pt('f.lineNo'), render: (_, r) => lineNo.get(r.lineId)?.lineNo },
              { title: pt('f.quantity'), dataIndex: 'quantity', align: 'right' },
              { title: pt('f.supplierLotNo'), dataIndex: 'supplierLotNo' },
              { title: pt('f.lot'), render: (_, r) => <Link to={`/inventory/lots/${r.lotId}`}>{r.lotCode}</Link> },
              { title: pt('f.lotStatus'), dataIndex: 'lotStatus', render: (v: string | null) => (v ? pt(`lotStatus.${v as 'released'}`) : '—') },
              { title: pt('f.receivedOn'), dataIndex: 'receivedOn', render: formatDate },
              { title: pt('f.onTime'), dataIndex: 'onTime', render: (v: boolean) => (v ? '✓' : <Tag color="red">✗</Tag>) },
            ]}
          />
        </Card>
      )}
      <FormModal<ReceiveForm>
        open={receiving}
        width={900}
        title={pt('receiveTitle')}
        testId="receive-form"
        initialValues={{ lines: po.lines.map((l) => ({ lineId: l.id, productionDate: dayjs() })) }}
        onClose={() => setReceiving(false)}
        submit={async (v) => {
          const lines = v.lines
            .filter((l) => l.quantity)
            .map((l) => ({
              lineId: l.lineId,
              quantity: String(l.quantity),
              supplierLotNo: l.supplierLotNo ?? '',
              locationId: l.locationId ?? '',
              productionDate: (l.productionDate ?? dayjs()).format('YYYY-MM-DD'),
            }));
          await jsonFetch(`/api/procurement/orders/${id}/receipts`, { method: 'POST', idempotent: true, body: { lines } });
          await q.refetch();
        }}
      >
        {() => (
          <Form.List name="lines">
            {(fields) =>
              fields.map((field, i) => {
                const line = po.lines[i]!;
                return (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'lineId']} hidden>
                      <Input />
                    </Form.Item>
                    <span style={{ width: 180, display: 'inline-block' }}>
                      {line.lineNo}. {line.productName} ({pt('f.open')} {line.openQuantity} {line.unit})
                    </span>
                    <Form.Item name={[field.name, 'quantity']} label={pt('f.quantity')}>
                      <InputNumber min={0.001} data-testid={`receive-${i}-qty`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'supplierLotNo']} label={pt('f.supplierLotNo')}>
                      <Input style={{ width: 120 }} data-testid={`receive-${i}-lot`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'locationId']} label={pt('f.location')}>
                      <LocationPicker warehouseId={po.warehouseId} style={{ width: 180 }} testId={`receive-${i}-location`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'productionDate']} label={pt('f.productionDate')}>
                      <DatePicker />
                    </Form.Item>
                  </Space>
                );
              })
            }
          </Form.List>
        )}
      </FormModal>
    </Space>
  );
}
