import { Alert, Button, DatePicker, Drawer, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useConfirm } from '../../app/confirm';
import { LotPicker, type PickerOption } from '../../app/pickers';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useMessage } from '../../app/feedback';
import { applyServerErrors } from '../../app/problem';
import { useInventoryT } from './i18n';
import { jsonFetch, REASONS } from './kit';
import { LocationSelect, ProductSelect, UnitSelect, useProduct, WarehouseSelect } from './pickers';

type ReceiptForm = {
  productId?: string;
  mode: 'new' | 'existing';
  lotId?: string;
  lotCode?: string;
  productionDate?: Dayjs;
  expiryDate?: Dayjs;
  qualityStatus: 'released' | 'quarantined';
  origin?: string;
  warehouseId?: string;
  locationId?: string;
  quantity?: string;
  unit?: string;
  reason?: string;
};

/** Receipt into a new lot (expiry from shelf life unless given) or an existing lot of the product. */
export function ReceiptDrawer({
  open,
  onClose,
  onDone,
  lot,
}: {
  open: boolean;
  onClose: () => void;
  onDone: () => void;
  lot?: { id: string; productId: string; lotCode: string };
}) {
  const it = useInventoryT();
  const message = useMessage();
  const [form] = Form.useForm<ReceiptForm>();
  const [busy, setBusy] = useState(false);
  const productId = Form.useWatch('productId', form) ?? lot?.productId;
  const mode = Form.useWatch('mode', form) ?? (lot ? 'existing' : 'new');
  const warehouseId = Form.useWatch('warehouseId', form);
  // The quality status the product allows: quarantined (and release disabled) when it must be inspected first.
  const defaults = useQuery({
    queryKey: ['inventory', 'receipt-defaults', productId],
    enabled: Boolean(productId) && mode === 'new',
    queryFn: () => jsonFetch<{ qualityStatus: 'quarantined' | 'released'; reason: string | null }>(`/api/inventory/receipt-defaults?productId=${productId}`),
  });
  const mustInspect = defaults.data?.qualityStatus === 'quarantined';
  useEffect(() => {
    if (defaults.data) form.setFieldValue('qualityStatus', defaults.data.qualityStatus);
  }, [defaults.data, form]);

  const submit = async (v: ReceiptForm) => {
    setBusy(true);
    try {
      const body = {
        productId: lot?.productId ?? v.productId,
        ...(mode === 'existing'
          ? { lotId: lot?.id ?? v.lotId }
          : {
              lot: {
                lotCode: v.lotCode || undefined,
                productionDate: v.productionDate?.format('YYYY-MM-DD'),
                expiryDate: v.expiryDate?.format('YYYY-MM-DD'),
                qualityStatus: v.qualityStatus,
                origin: v.origin || undefined,
              },
            }),
        warehouseId: v.warehouseId,
        locationId: v.locationId,
        quantity: String(v.quantity ?? ''),
        unit: v.unit,
        reason: v.reason || undefined,
      };
      const res = await jsonFetch<{ lot: { lotCode: string } }>('/api/inventory/receipts', { method: 'POST', body, idempotent: true });
      void message.success(it('received', { lot: res.lot.lotCode, quantity: body.quantity, unit: body.unit ?? '' }));
      form.resetFields();
      onDone();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={it('receive')}
      width={520}
      destroyOnHidden
      extra={
        <Button type="primary" loading={busy} data-testid="receipt-submit" onClick={() => form.submit()}>
          {it('receive')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ mode: lot ? 'existing' : 'new', qualityStatus: 'quarantined' }}>
        {!lot && (
          <Form.Item name="productId" label={it('field.product')} rules={[{ required: true }]}>
            <ProductSelect testId="receipt-product" />
          </Form.Item>
        )}
        {!lot && (
          <Form.Item name="mode">
            <Radio.Group
              options={[
                { value: 'new', label: it('field.newLot') },
                { value: 'existing', label: it('field.existingLot') },
              ]}
            />
          </Form.Item>
        )}
        {mode === 'new' && !lot ? (
          <>
            <Form.Item name="lotCode" label={it('field.lotCode')}>
              <Input data-testid="receipt-lot-code" />
            </Form.Item>
            <Form.Item name="productionDate" label={it('field.productionDate')} rules={[{ required: true }]}>
              <DatePicker data-testid="receipt-production-date" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
            <Form.Item name="expiryDate" label={it('field.expiryDate')} extra={it('field.expiryHint')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item
              name="qualityStatus"
              label={it('field.qualityStatus')}
              extra={mustInspect ? <span data-testid="receipt-status-why">{it('mustInspect', { reason: defaults.data?.reason ?? '' })}</span> : undefined}
            >
              <Radio.Group
                data-testid="receipt-status"
                options={(['released', 'quarantined'] as const).map((s) => ({ value: s, label: it(`status.${s}`), disabled: s === 'released' && mustInspect }))}
              />
            </Form.Item>
            <Form.Item name="origin" label={it('field.origin')}>
              <Input />
            </Form.Item>
          </>
        ) : (
          !lot && (
            <Form.Item name="lotId" label={it('field.lot')} rules={[{ required: true }]}>
              <LotPicker productId={productId} testId="receipt-lot" />
            </Form.Item>
          )
        )}
        <Form.Item name="warehouseId" label={it('field.warehouse')}>
          <WarehouseSelect testId="receipt-warehouse" />
        </Form.Item>
        <Form.Item name="locationId" label={it('field.location')} rules={[{ required: true }]}>
          <LocationSelect warehouseId={warehouseId} testId="receipt-location" />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="quantity" label={it('field.quantity')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Input data-testid="receipt-quantity" inputMode="decimal" />
          </Form.Item>
          <Form.Item name="unit" label={it('field.unit')} rules={[{ required: true }]} style={{ width: 160 }}>
            <UnitSelect productId={productId} testId="receipt-unit" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="reason" label={it('field.note')}>
          <Input />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type Target = { lotId: string; productId: string; lotCode: string; locationId?: string; locationLabel?: string };

/** Move stock of a lot between locations. */
export function TransferModal({ target, onClose, onDone }: { target: Target | null; onClose: () => void; onDone: () => void }) {
  const it = useInventoryT();
  const message = useMessage();
  const [form] = Form.useForm<{ fromLocationId?: string; toLocationId?: string; quantity?: string; unit?: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const { data: product } = useProduct(target?.productId);
  const [toZone, setToZone] = useState<string | undefined>();
  // Chilled or frozen stock into a bin of another zone breaks the cold chain: warn, and the server wants a reason.
  const cold = product?.tempProfile === 'frozen' || product?.tempProfile === 'chilled' ? it(`zone.${product.tempProfile}`) : null;
  const crossing = Boolean(cold && toZone && toZone !== cold);
  return (
    <Modal
      open={Boolean(target)}
      onCancel={onClose}
      title={`${it('transfer')} ${target?.lotCode ?? ''}`}
      destroyOnHidden
      okButtonProps={{ loading: busy, 'data-testid': 'transfer-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ fromLocationId: target?.locationId }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            await jsonFetch('/api/inventory/transfers', { method: 'POST', idempotent: true, body: { lotId: target!.lotId, ...v, quantity: String(v.quantity ?? '') } });
            void message.success(it('transferred', { lot: target!.lotCode, quantity: String(v.quantity ?? ''), unit: v.unit ?? '' }));
            onDone();
          } catch (error) {
            applyServerErrors(form, error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="fromLocationId" label={it('field.fromLocation')} rules={[{ required: true }]}>
          <LocationSelect initialLabel={target?.locationLabel} />
        </Form.Item>
        <Form.Item name="toLocationId" label={it('field.toLocation')} rules={[{ required: true }]}>
          <LocationSelect testId="transfer-to" onChange={(_id, option) => setToZone(option?.extra)} />
        </Form.Item>
        {crossing && (
          <Alert type="warning" showIcon data-testid="transfer-zone-warning" style={{ marginBottom: 16 }} title={it('zoneWarning', { zone: cold ?? '', toZone: toZone ?? '' })} />
        )}
        <Form.Item name="quantity" label={it('field.quantity')} rules={[{ required: true }]}>
          <Input data-testid="transfer-quantity" />
        </Form.Item>
        <Form.Item name="unit" label={it('field.unit')} rules={[{ required: true }]}>
          <UnitSelect productId={target?.productId} />
        </Form.Item>
        <Form.Item name="reason" label={it('field.reason')} rules={crossing ? [{ required: true, whitespace: true, message: it('zoneReasonRequired') }] : []}>
          <Input data-testid="transfer-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Signed stock correction with a reason code. */
export function AdjustmentModal({ target, onClose, onDone }: { target: Target | null; onClose: () => void; onDone: () => void }) {
  const it = useInventoryT();
  const message = useMessage();
  const [form] = Form.useForm<{ locationId?: string; quantity?: string; unit?: string; reason?: (typeof REASONS)[number]; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [location, setLocation] = useState<PickerOption | undefined>();
  const [confirm, confirmHolder] = useConfirm();
  return (
    <Modal
      open={Boolean(target)}
      onCancel={onClose}
      title={`${it('adjust')} ${target?.lotCode ?? ''}`}
      destroyOnHidden
      okButtonProps={{ loading: busy, 'data-testid': 'adjust-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ locationId: target?.locationId }}
        onFinish={async (v) => {
          const qty = String(v.quantity ?? '').trim();
          const down = qty.startsWith('-');
          const ok = await confirm({
            title: `${it('adjust')} ${target?.lotCode ?? ''}`,
            consequence: `${it(down ? 'confirm.adjustDown' : 'confirm.adjustUp', {
              lot: target?.lotCode ?? '',
              location: location?.code ?? target?.locationLabel ?? '',
              qty: qty.replace(/^[-+]/, ''),
              unit: v.unit ?? '',
              reason: v.reason ? it(`reason.${v.reason}`) : '',
            })} ${it('confirm.adjustFix')}`,
            okText: it('adjust'),
            testId: 'adjust-confirm',
          });
          if (!ok) return;
          setBusy(true);
          try {
            await jsonFetch('/api/inventory/adjustments', {
              method: 'POST',
              idempotent: true,
              body: { lotId: target!.lotId, locationId: v.locationId, quantity: String(v.quantity ?? ''), unit: v.unit, reason: v.reason, note: v.note || undefined },
            });
            void message.success(it('saved'));
            onDone();
          } catch (error) {
            applyServerErrors(form, error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="locationId" label={it('field.location')} rules={[{ required: true }]}>
          <LocationSelect initialLabel={target?.locationLabel} onChange={(_id, o) => setLocation(o)} />
        </Form.Item>
        <Form.Item name="quantity" label={it('field.quantity')} rules={[{ required: true }]} extra="+ / −">
          <InputNumber data-testid="adjust-quantity" stringMode step="0.001" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="unit" label={it('field.unit')} rules={[{ required: true }]}>
          <UnitSelect productId={target?.productId} />
        </Form.Item>
        <Form.Item name="reason" label={it('field.reason')} rules={[{ required: true }]}>
          <Select data-testid="adjust-reason" options={REASONS.map((r) => ({ value: r, label: it(`reason.${r}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={it('field.note')}>
          <Input />
        </Form.Item>
      </Form>
      {confirmHolder}
    </Modal>
  );
}

/** Reserve stock of one lot for a document (manual reservation). */
export function ReserveModal({ target, onClose, onDone }: { target: Target | null; onClose: () => void; onDone: () => void }) {
  const it = useInventoryT();
  const message = useMessage();
  const [form] = Form.useForm<{ refType: string; refId?: string; quantity?: string; unit?: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={Boolean(target)}
      onCancel={onClose}
      title={`${it('reserve')} ${target?.lotCode ?? ''}`}
      destroyOnHidden
      okButtonProps={{ loading: busy, 'data-testid': 'reserve-submit' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ refType: 'manual' }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const res = await jsonFetch<{ allocations: { quantity: string }[] }>('/api/inventory/reservations', {
              method: 'POST',
              idempotent: true,
              body: { refType: v.refType, refId: v.refId, lines: [{ productId: target!.productId, lotId: target!.lotId, quantity: String(v.quantity ?? ''), unit: v.unit }] },
            });
            void message.success(it('reserved', { qty: res.allocations.map((a) => a.quantity).join(' + ') }));
            onDone();
          } catch (error) {
            applyServerErrors(form, error);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="refType" label={it('field.refType')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="refId" label={it('field.refId')} rules={[{ required: true }]}>
          <Input data-testid="reserve-ref" />
        </Form.Item>
        <Form.Item name="quantity" label={it('field.quantity')} rules={[{ required: true }]}>
          <Input data-testid="reserve-quantity" />
        </Form.Item>
        <Form.Item name="unit" label={it('field.unit')} rules={[{ required: true }]}>
          <UnitSelect productId={target?.productId} testId="reserve-unit" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
