import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMessage } from '../../app/feedback';
import { ApiError, showError } from '../../app/problem';
import { formatFen, jsonFetch, queryString } from '../catalog/page-kit';
import { useOrderT } from './i18n';
import { CustomerSelect, useCustomerDetail } from './kit';
import type { CustomerPick, OrderDetail, ProductOption } from './types';

type Line = {
  key: string;
  product: ProductOption | null;
  productId: string | null;
  description: string | null;
  unit: string;
  quantity: string;
  price: string;
  reason: string;
  listPriceFen: number | null;
};

let seq = 0;
const blank = (): Line => ({ key: `l${++seq}`, product: null, productId: null, description: null, unit: '', quantity: '', price: '', reason: '', listPriceFen: null });

const toFen = (yuan: string): number | null => {
  const s = yuan.trim();
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(s)) return null;
  const [a, b = ''] = s.split('.');
  return Number(a) * 100 + Number(b.padEnd(2, '0'));
};
const toYuan = (fen: number | null) => (fen === null ? '' : (fen / 100).toFixed(2));

export function ProductPicker({
  customerId,
  date,
  value,
  onPick,
  testId,
}: {
  customerId: string | null;
  date: string;
  value: ProductOption | null;
  onPick: (p: ProductOption | null) => void;
  testId: string;
}) {
  const ot = useOrderT();
  const [q, setQ] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['orders', 'product-options', q, customerId, date],
    queryFn: () => jsonFetch<{ items: ProductOption[] }>(`/api/orders/product-options${queryString({ q, customerId, date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined })}`),
    staleTime: 10_000,
  });
  const items = data?.items ?? [];
  const all = value && !items.some((p) => p.id === value.id) ? [value, ...items] : items;
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      loading={isFetching}
      value={value?.id}
      placeholder={ot('entry.productSearch')}
      data-testid={testId}
      style={{ width: 320 }}
      popupMatchSelectWidth={460}
      onChange={(id: string | undefined) => onPick(all.find((p) => p.id === id) ?? null)}
      options={all.map((p) => {
        const u = p.units[0];
        return {
          value: p.id,
          label: (
            <Space size={4} data-testid={`product-option-${p.code}`}>
              <span>{`${p.code} ${p.name}${p.spec ? ` ${p.spec}` : ''}`}</span>
              <Tag color="blue">{u && u.unitPriceFen !== null ? `¥${formatFen(u.unitPriceFen)}/${u.unit}` : ot('entry.noPrice')}</Tag>
              <Tag color={Number(p.available) > 0 ? 'green' : 'red'}>{`${ot('field.available')} ${Number(p.available)} ${p.baseUnit}`}</Tag>
              {!p.inSeason && <Tag color="orange">{ot('entry.outOfSeason')}</Tag>}
            </Space>
          ),
        };
      })}
    />
  );
}

/** Order entry for the phone: search the customer, then type lines with the keyboard (Enter adds a line). */
export function OrderEntryPage() {
  const ot = useOrderT();
  const navigate = useNavigate();
  const message = useMessage();
  const { id } = useParams();
  const editing = !!id;
  const existing = useQuery({ queryKey: ['orders', 'detail', id], enabled: editing, queryFn: () => jsonFetch<OrderDetail>(`/api/orders/${id}`) });
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [contactId, setContactId] = useState<string | null>(null);
  const [deliveryDate, setDeliveryDate] = useState('');
  const [coldChain, setColdChain] = useState<boolean | null>(null);
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<Line[]>([blank()]);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const qtyRefs = useRef<Map<string, HTMLInputElement | null>>(new Map());
  const customer = useCustomerDetail(customerId);

  useEffect(() => {
    const o = existing.data;
    if (!o) return;
    setCustomerId(o.customerId);
    setAddressId(o.addressId);
    setContactId(o.contactId);
    setDeliveryDate(o.deliveryDate ?? '');
    setNotes(o.notes ?? '');
    setLines(
      o.lines.map((l) => ({
        key: `l${++seq}`,
        product: l.productId
          ? {
              id: l.productId,
              code: l.productCode ?? '',
              name: l.productName ?? '',
              spec: l.spec,
              baseUnit: l.baseUnit ?? l.unit,
              coldChain: o.coldChain,
              units: [{ unit: l.unit, factorToBase: '1', unitPriceFen: l.listPriceFen }],
              available: '0',
              inSeason: true,
            }
          : null,
        productId: l.productId,
        description: l.description,
        unit: l.unit,
        quantity: l.quantity.replace(/\.?0+$/, ''),
        price: l.priceOverrideReason ? toYuan(l.unitPriceFen) : '',
        reason: l.priceOverrideReason ?? '',
        listPriceFen: l.listPriceFen,
      })),
    );
  }, [existing.data]);

  useEffect(() => {
    const c = customer.data;
    if (!c || editing) return;
    const a = c.addresses?.find((x) => x.isDefault) ?? c.addresses?.[0];
    setAddressId(a?.id ?? null);
    const ct = c.contacts?.find((x) => x.isPrimary) ?? c.contacts?.[0];
    setContactId(ct?.id ?? null);
  }, [customer.data, editing]);

  const update = (key: string, patch: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const addLine = () => {
    const l = blank();
    setLines((ls) => [...ls, l]);
  };
  const onQtyKey = (e: KeyboardEvent<HTMLInputElement>, index: number) => {
    if (e.key === 'Enter' && !e.ctrlKey) {
      e.preventDefault();
      if (index === lines.length - 1) addLine();
    }
  };

  const totalFen = useMemo(
    () =>
      lines.reduce((s, l) => {
        const price = l.price ? toFen(l.price) : l.listPriceFen;
        const q = Number(l.quantity);
        return price !== null && Number.isFinite(q) ? s + Math.round(q * price) : s;
      }, 0),
    [lines],
  );

  const save = async (submit: boolean) => {
    if (!customerId) return;
    // A price that does not parse is an error on its line, never sent as "no price" (the price list would replace it).
    const badPrices = Object.fromEntries(lines.flatMap((l, i) => (l.price.trim() && toFen(l.price) === null ? [[`lines.${i}.unitPriceFen`, ot('entry.priceInvalid')]] : [])));
    if (Object.keys(badPrices).length) {
      setFieldErrors(badPrices);
      return;
    }
    setBusy(true);
    setFieldErrors({});
    const body = {
      addressId,
      contactId,
      deliveryDate: deliveryDate || null,
      notes: notes || null,
      ...(coldChain !== null ? { coldChain } : {}),
      lines: lines
        .filter((l) => l.productId || l.description || l.quantity)
        .map((l) => ({
          productId: l.productId,
          description: l.productId ? null : l.description,
          quantity: l.quantity || '0',
          unit: l.unit || l.product?.units[0]?.unit || 'kg',
          ...(l.price ? { unitPriceFen: toFen(l.price), priceOverrideReason: l.reason || null } : {}),
        })),
    };
    try {
      const saved = editing
        ? await jsonFetch<OrderDetail>(`/api/orders/${id}`, { method: 'PATCH', body: { ...body, version: existing.data?.version } })
        : await jsonFetch<OrderDetail>('/api/orders', { method: 'POST', body: { customerId, channel: 'phone', ...body, ...(submit ? { submit: true } : {}) }, idempotent: true });
      // A new order is created and submitted by one request; an edited one is saved, then submitted.
      const final =
        editing && submit && (saved.status === 'draft' || saved.status === 'needs_confirmation')
          ? await jsonFetch<OrderDetail>(`/api/orders/${saved.id}/submit`, { method: 'POST' })
          : saved;
      void message.success(ot('entry.saved', { number: final.number }));
      void navigate(`/orders/${final.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) setFieldErrors(Object.fromEntries(error.problem.errors.map((e) => [e.field, e.message])));
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  const c: CustomerPick | undefined = customer.data;
  const err = (f: string) => (fieldErrors[f] ? { validateStatus: 'error' as const, help: fieldErrors[f] } : {});

  return (
    <Card
      title={editing ? ot('editOrder', { number: existing.data?.number ?? '' }) : ot('newOrder')}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.ctrlKey) void save(true);
      }}
    >
      <Typography.Paragraph type="secondary">{ot('entry.hint')}</Typography.Paragraph>
      <Form layout="vertical">
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item label={ot('field.customer')} required {...err('customerId')}>
              {editing ? (
                <Input value={`${existing.data?.customerCode ?? ''} ${existing.data?.customerName ?? ''}`} disabled />
              ) : (
                <CustomerSelect value={customerId} onChange={(cid) => setCustomerId(cid)} placeholder={ot('entry.customerSearch')} testId="order-customer" />
              )}
            </Form.Item>
            {c && (
              <Typography.Text type="secondary" data-testid="order-customer-credit">
                {ot('entry.credit', { limit: formatFen(c.creditLimitFen), overdue: formatFen(c.overdueFen) })}
              </Typography.Text>
            )}
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={ot('field.address')} {...err('addressId')}>
              <Select
                data-testid="order-address"
                allowClear
                value={addressId ?? undefined}
                onChange={(v: string | undefined) => setAddressId(v ?? null)}
                options={(c?.addresses ?? []).map((a) => ({ value: a.id, label: `${a.label} · ${a.address}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item label={ot('field.contact')} {...err('contactId')}>
              <Select
                allowClear
                value={contactId ?? undefined}
                onChange={(v: string | undefined) => setContactId(v ?? null)}
                options={(c?.contacts ?? []).map((x) => ({ value: x.id, label: `${x.name} ${x.phone ?? ''}` }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item label={ot('field.deliveryDate')} {...err('deliveryDate')}>
              <DatePicker
                data-testid="order-delivery-date"
                value={deliveryDate ? dayjs(deliveryDate) : null}
                onChange={(d: Dayjs | null) => setDeliveryDate(d ? d.format('YYYY-MM-DD') : '')}
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item label={ot('field.coldChain')}>
              <Checkbox indeterminate={coldChain === null} checked={coldChain === true} onChange={(e) => setColdChain(e.target.checked)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={15}>
            <Form.Item label={ot('field.notes')}>
              <Input value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {fieldErrors.lines && <Alert type="error" showIcon title={fieldErrors.lines} style={{ marginBottom: 8 }} />}
      <Table<Line>
        size="small"
        rowKey="key"
        dataSource={lines}
        pagination={false}
        data-testid="order-lines"
        columns={[
          { title: '#', width: 40, render: (_, __, i) => i + 1 },
          {
            title: ot('field.product'),
            render: (_, l, i) =>
              l.productId || !l.description ? (
                <Form.Item style={{ margin: 0 }} {...err(`lines.${i}.productId`)}>
                  <ProductPicker
                    customerId={customerId}
                    date={deliveryDate}
                    value={l.product}
                    testId={`order-line-product-${i}`}
                    onPick={(p) => {
                      update(l.key, {
                        product: p,
                        productId: p?.id ?? null,
                        unit: p?.units[0]?.unit ?? '',
                        listPriceFen: p?.units[0]?.unitPriceFen ?? null,
                        price: '',
                        reason: '',
                      });
                      setTimeout(() => qtyRefs.current.get(l.key)?.focus(), 0);
                    }}
                  />
                </Form.Item>
              ) : (
                <Space>
                  <Tag color="orange">{ot('field.description')}</Tag>
                  {l.description}
                </Space>
              ),
          },
          {
            title: ot('field.quantity'),
            width: 120,
            render: (_, l, i) => (
              <Form.Item style={{ margin: 0 }} {...err(`lines.${i}.quantity`)}>
                <Input
                  ref={(el) => void qtyRefs.current.set(l.key, el?.input ?? null)}
                  data-testid={`order-line-qty-${i}`}
                  value={l.quantity}
                  onChange={(e) => update(l.key, { quantity: e.target.value })}
                  onKeyDown={(e) => onQtyKey(e, i)}
                />
              </Form.Item>
            ),
          },
          {
            title: ot('field.unit'),
            width: 100,
            render: (_, l) => (
              <Select
                value={l.unit || undefined}
                style={{ width: 90 }}
                onChange={(u: string) => update(l.key, { unit: u, listPriceFen: l.product?.units.find((x) => x.unit === u)?.unitPriceFen ?? null })}
                options={(l.product?.units ?? (l.unit ? [{ unit: l.unit }] : [])).map((u) => ({ value: u.unit, label: u.unit }))}
              />
            ),
          },
          {
            title: ot('field.unitPrice'),
            width: 130,
            render: (_, l, i) => (
              <Form.Item style={{ margin: 0 }} {...err(`lines.${i}.unitPriceFen`)}>
                <Input data-testid={`order-line-price-${i}`} placeholder={toYuan(l.listPriceFen)} value={l.price} onChange={(e) => update(l.key, { price: e.target.value })} />
              </Form.Item>
            ),
          },
          {
            title: ot('field.priceReason'),
            render: (_, l, i) =>
              l.price && toFen(l.price) !== l.listPriceFen ? (
                <Form.Item style={{ margin: 0 }} {...err(`lines.${i}.priceOverrideReason`)}>
                  <Input
                    data-testid={`order-line-reason-${i}`}
                    placeholder={ot('entry.priceDiffers')}
                    value={l.reason}
                    onChange={(e) => update(l.key, { reason: e.target.value })}
                  />
                </Form.Item>
              ) : null,
          },
          {
            title: ot('field.amount'),
            align: 'right',
            width: 110,
            render: (_, l) => {
              const p = l.price ? toFen(l.price) : l.listPriceFen;
              const q = Number(l.quantity);
              return p !== null && Number.isFinite(q) ? formatFen(Math.round(q * p)) : '—';
            },
          },
          {
            width: 50,
            render: (_, l) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={ot('entry.removeLine')}
                onClick={() => setLines((ls) => (ls.length > 1 ? ls.filter((x) => x.key !== l.key) : [blank()]))}
              />
            ),
          },
        ]}
        footer={() => (
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Button icon={<PlusOutlined />} onClick={addLine} data-testid="order-add-line">
              {ot('entry.addLine')}
            </Button>
            <Typography.Text strong data-testid="order-total">
              {ot('field.total')}: {formatFen(totalFen)}
            </Typography.Text>
          </Space>
        )}
      />
      <Space style={{ marginTop: 16 }}>
        <Button onClick={() => void save(false)} loading={busy} disabled={!customerId} data-testid="order-save">
          {ot('entry.saveDraft')}
        </Button>
        <Button type="primary" onClick={() => void save(true)} loading={busy} disabled={!customerId} data-testid="order-save-submit">
          {ot('entry.saveAndSubmit')}
        </Button>
      </Space>
    </Card>
  );
}
