import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Form, Input, InputNumber, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { showError } from '../../app/problem';
import { formatFen, jsonFetch, uploadFile } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import { SHIPMENT_COLORS, type ShipmentDetail } from './types';

type PackValues = { packages: { orderLineId: string; packageType: string; quantity: string; actualKg?: string }[] };

/** Temperatures against the band, as a small line chart (SVG). */
function TemperatureChart({ s }: { s: ShipmentDetail }) {
  const lt = useLogisticsT();
  if (!s.readings.length) return <span>{lt('ship.noReadings')}</span>;
  const w = 720;
  const h = 180;
  const times = s.readings.map((r) => new Date(r.at).getTime());
  const values = [...s.readings.map((r) => r.celsius), ...(s.tempMinC === null ? [] : [s.tempMinC]), ...(s.tempMaxC === null ? [] : [s.tempMaxC])];
  const [t0, t1] = [Math.min(...times), Math.max(...times) || 1];
  const [v0, v1] = [Math.min(...values) - 1, Math.max(...values) + 1];
  const x = (t: number) => 30 + ((t - t0) / Math.max(t1 - t0, 1)) * (w - 40);
  const y = (v: number) => h - 20 - ((v - v0) / (v1 - v0)) * (h - 30);
  return (
    <svg width={w} height={h} data-testid="temperature-chart" role="img">
      {s.tempMinC !== null && s.tempMaxC !== null && <rect x={30} width={w - 40} y={y(s.tempMaxC)} height={y(s.tempMinC) - y(s.tempMaxC)} fill="#e6f4ff" />}
      <polyline fill="none" stroke="#1677ff" strokeWidth={2} points={s.readings.map((r, i) => `${x(times[i]!)},${y(r.celsius)}`).join(' ')} />
      {s.readings.map((r, i) => (r.outOfBand ? <circle key={i} cx={x(times[i]!)} cy={y(r.celsius)} r={3} fill="#cf1322" /> : null))}
      <text x={0} y={y(v1 - 1) + 4} fontSize={10}>
        {(v1 - 1).toFixed(1)}°
      </text>
      <text x={0} y={y(v0 + 1) + 4} fontSize={10}>
        {(v0 + 1).toFixed(1)}°
      </text>
    </svg>
  );
}

/** One shipment: packing (catch weight), pre-dispatch check, dispatch, delivery, temperatures. */
export function ShipmentDetailPage() {
  const { id = '' } = useParams();
  const lt = useLogisticsT();
  const { can } = useAuth();
  const message = useMessage();
  const client = useQueryClient();
  const key = ['logistics', 'shipment', id];
  const q = useQuery({ queryKey: key, queryFn: () => jsonFetch<ShipmentDetail>(`/api/logistics/shipments/${id}`) });
  const s = q.data;
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (name: string, url: string, body: unknown, done: string, method: 'POST' | 'PUT' = 'POST') => {
    setBusy(name);
    try {
      await jsonFetch(url, { method, body });
      void message.success(done);
      await client.invalidateQueries({ queryKey: key });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };
  if (!s) return <Card loading />;
  const base = `/api/logistics/shipments/${id}`;
  const packing = (s.status === 'packing' || s.status === 'checked') && can('picking:manage');
  const lastCheck = s.checks[0];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Link to="/logistics/shipments">← {lt('ship.back')}</Link>
      <Card
        title={`${lt('ship.number')} ${s.number}`}
        extra={
          <Space>
            <Button onClick={() => void downloadFile(`${base}/delivery-note.pdf`, `${s.number}.pdf`).catch(showError)}>{lt('ship.deliveryNote')}</Button>
            {s.packages.length > 0 && <Button onClick={() => void downloadFile(`${base}/labels.pdf`, `${s.number}-labels.pdf`).catch(showError)}>{lt('ship.labels')}</Button>}
            <Tag color={SHIPMENT_COLORS[s.status]} data-testid="shipment-status" data-status={s.status}>
              {lt(`ship.statuses.${s.status}`)}
            </Tag>
          </Space>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={lt('ship.order')}>
            <Link to={`/orders/${s.orderId}`}>{s.orderNumber}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={lt('ship.customer')}>{s.customerName}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.band')}>{s.coldChain ? `❄ ${s.tempMinC ?? '-'} – ${s.tempMaxC ?? '-'} °C` : '—'}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.carrier')}>{s.carrierName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.tracking')}>{s.trackingUrl ? <a href={s.trackingUrl}>{s.trackingNumber}</a> : (s.trackingNumber ?? '—')}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.dispatchedAt')}>{formatDateTime(s.dispatchedAt)}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.receiver')}>{s.receiver ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={lt('ship.deliveredAt')}>{formatDateTime(s.deliveredAt)}</Descriptions.Item>
          {s.failedReason && <Descriptions.Item label={lt('ship.failReason')}>{s.failedReason}</Descriptions.Item>}
        </Descriptions>
        {s.excursion && <Alert type="error" showIcon title={lt('ship.excursionFlag')} data-testid="shipment-excursion" />}
      </Card>
      <Card
        title={lt('ship.lines')}
        extra={
          <Space>
            <Tag color={s.weightStatus === 'needs_approval' ? 'orange' : 'green'} data-testid="weight-status">
              {lt(`ship.weight.${s.weightStatus}`)}
            </Tag>
            {s.weightStatus === 'needs_approval' && can('weights:approve') && (
              <Button size="small" onClick={() => void act('approve', `${base}/approve-weights`, {}, lt('ship.approve'))}>
                {lt('ship.approve')}
              </Button>
            )}
          </Space>
        }
      >
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={s.lines}
          columns={[
            { title: lt('ship.line'), dataIndex: 'lineNo', width: 60 },
            { title: lt('ship.product'), dataIndex: 'productName', render: (v: string, l) => (l.catchWeight ? `${v} ⚖` : v) },
            { title: lt('ship.nominal'), dataIndex: 'nominalQuantity', align: 'right', render: (v: string, l) => `${v} ${l.unit}` },
            { title: lt('ship.actualKg'), dataIndex: 'actualKg', align: 'right', render: (v: string | null) => v ?? '—' },
            { title: lt('ship.deviation'), dataIndex: 'deviationPct', align: 'right', render: (v: number | null) => (v === null ? '—' : `${v}%`) },
            { title: lt('ship.ordered'), dataIndex: 'orderedAmountFen', align: 'right', render: (v: number) => formatFen(v) },
            { title: lt('ship.invoiced'), dataIndex: 'invoicedAmountFen', align: 'right', render: (v: number) => formatFen(v) },
            { title: lt('ship.lots'), dataIndex: 'lots', render: (v: ShipmentDetail['lines'][number]['lots']) => v.map((x) => `${x.lotCode}×${x.quantity}`).join(', ') },
          ]}
        />
      </Card>
      <Card title={lt('ship.packages')}>
        {packing ? (
          <Form<PackValues>
            key={s.packages.map((p) => p.id).join()}
            initialValues={{
              packages: s.packages.length
                ? s.packages.map((p) => ({ orderLineId: p.orderLineId, packageType: p.packageType, quantity: p.quantity, actualKg: p.actualKg ?? undefined }))
                : s.lines.map((l) => ({ orderLineId: l.orderLineId, packageType: '', quantity: l.nominalQuantity, actualKg: undefined })),
            }}
            onFinish={(v) => void act('pack', `${base}/packages`, { packages: v.packages.map((p) => ({ ...p, actualKg: p.actualKg || null })) }, lt('ship.packed'), 'PUT')}
          >
            <Form.List name="packages">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline">
                      <Form.Item name={[f.name, 'orderLineId']} rules={[{ required: true, message: lt('required') }]}>
                        <Select style={{ width: 220 }} options={s.lines.map((l) => ({ value: l.orderLineId, label: `${l.lineNo}. ${l.productName}` }))} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'packageType']} rules={[{ required: true, message: lt('required') }]}>
                        <Input placeholder={lt('ship.packageType')} style={{ width: 140 }} data-testid={`pack-type-${f.name}`} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: lt('required') }]}>
                        <Input placeholder={lt('ship.quantity')} style={{ width: 100 }} data-testid={`pack-qty-${f.name}`} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'actualKg']}>
                        <Input placeholder={lt('ship.actualKg')} style={{ width: 120 }} data-testid={`pack-kg-${f.name}`} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(f.name)} />
                    </Space>
                  ))}
                  <Space>
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ orderLineId: s.lines[0]?.orderLineId, packageType: '', quantity: '' })}>
                      {lt('ship.addPackage')}
                    </Button>
                    <Button type="primary" htmlType="submit" loading={busy === 'pack'} data-testid="pack-save">
                      {lt('ship.savePackages')}
                    </Button>
                  </Space>
                </>
              )}
            </Form.List>
          </Form>
        ) : null}
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={s.packages}
          style={{ marginTop: 12 }}
          columns={[
            { title: '#', dataIndex: 'seq', width: 50 },
            { title: 'SSCC (00)', dataIndex: 'sscc', render: (v: string) => `(00) ${v}` },
            { title: lt('ship.packageType'), dataIndex: 'packageType' },
            { title: lt('ship.quantity'), dataIndex: 'quantity', align: 'right' },
            { title: lt('ship.actualKg'), dataIndex: 'actualKg', align: 'right', render: (v: string | null) => v ?? '—' },
          ]}
        />
      </Card>
      <Card title={lt('ship.check')}>
        {s.status === 'packing' && can('picking:manage') && s.packages.length > 0 && (
          <Form
            layout="inline"
            initialValues={{ packagingIntact: false, labelsPresent: false }}
            onFinish={(v: { packagingIntact: boolean; labelsPresent: boolean; productTempC?: number }) =>
              void act('check', `${base}/check`, { ...v, productTempC: v.productTempC ?? null }, lt('ship.check'))
            }
          >
            <Form.Item name="packagingIntact" valuePropName="checked">
              <Checkbox data-testid="check-packaging">{lt('ship.packagingIntact')}</Checkbox>
            </Form.Item>
            <Form.Item name="labelsPresent" valuePropName="checked">
              <Checkbox data-testid="check-labels">{lt('ship.labelsPresent')}</Checkbox>
            </Form.Item>
            {s.coldChain && (
              <Form.Item name="productTempC" label={lt('ship.productTemp')}>
                <InputNumber step={0.1} data-testid="check-temp" />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={busy === 'check'} data-testid="check-submit">
              {lt('ship.runCheck')}
            </Button>
          </Form>
        )}
        {lastCheck && (
          <Alert
            style={{ marginTop: 12 }}
            type={lastCheck.passed ? 'success' : 'error'}
            showIcon
            data-testid="check-result"
            title={`${lastCheck.passed ? lt('ship.checkPassed') : lt('ship.checkFailed')} · ${lt('ship.checkedBy')} ${lastCheck.checkedBy} · ${formatDateTime(lastCheck.checkedAt)}`}
            description={lastCheck.results.map((r) => `${r.passed ? '✔' : '✘'} ${lt(`ship.items.${r.item}`)}${r.note ? ` (${r.note})` : ''}`).join('  ')}
          />
        )}
      </Card>
      {s.status === 'checked' && can('shipping:manage') && (
        <Card title={lt('ship.dispatch')}>
          <Form
            layout="inline"
            onFinish={(v: { trackingNumber?: string; driver?: string; vehicle?: string }) => void act('dispatch', `${base}/dispatch`, v, lt('ship.dispatched'))}
          >
            <Form.Item name="trackingNumber" label={lt('ship.tracking')}>
              <Input data-testid="dispatch-tracking" />
            </Form.Item>
            <Form.Item name="driver" label={lt('ship.driver')}>
              <Input style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="vehicle" label={lt('ship.vehicle')}>
              <Input style={{ width: 120 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'dispatch'} data-testid="dispatch-submit">
              {lt('ship.dispatch')}
            </Button>
          </Form>
        </Card>
      )}
      {s.status === 'dispatched' && can('shipping:manage') && (
        <Card title={lt('ship.deliver')}>
          <Space orientation="vertical">
            <Form
              layout="inline"
              onFinish={(v: { receiver: string; proofNote?: string; damaged?: boolean }) =>
                void act('deliver', `${base}/deliver`, { ...v, deliveredAt: new Date().toISOString() }, lt('ship.delivered'))
              }
            >
              <Form.Item name="receiver" label={lt('ship.receiver')} rules={[{ required: true, message: lt('required') }]}>
                <Input data-testid="deliver-receiver" />
              </Form.Item>
              <Form.Item name="proofNote" label={lt('ship.proof')}>
                <Input style={{ width: 240 }} />
              </Form.Item>
              <Form.Item name="damaged" valuePropName="checked">
                <Checkbox>{lt('ship.damaged')}</Checkbox>
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'deliver'} data-testid="deliver-submit">
                {lt('ship.deliver')}
              </Button>
            </Form>
            <Form layout="inline" onFinish={(v: { reason: string }) => void act('fail', `${base}/fail`, v, lt('ship.fail'))}>
              <Form.Item name="reason" label={lt('ship.failReason')} rules={[{ required: true, message: lt('required') }]}>
                <Input style={{ width: 240 }} />
              </Form.Item>
              <Button danger htmlType="submit" loading={busy === 'fail'}>
                {lt('ship.fail')}
              </Button>
            </Form>
          </Space>
        </Card>
      )}
      <Card
        title={lt('ship.temperatures')}
        extra={
          can('shipping:manage') && (
            <Upload
              accept=".csv,text/csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void uploadFile<{ saved: number }>(`${base}/temperatures.csv`, file)
                  .then((r) => {
                    void message.success(lt('ship.uploaded', { count: r.saved }));
                    return client.invalidateQueries({ queryKey: key });
                  })
                  .catch(showError);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />}>{lt('ship.uploadCsv')}</Button>
            </Upload>
          )
        }
      >
        <TemperatureChart s={s} />
      </Card>
    </Space>
  );
}
