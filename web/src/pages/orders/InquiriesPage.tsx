import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, DatePicker, Form, Input, Modal, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { useMessage } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { ApiError, showError } from '../../app/problem';
import { LIST_URL_FILTERS } from '../../app/list-url';
import { jsonFetch, LooseListPage, useRefreshList } from '../catalog/page-kit';
import { useOrderT } from './i18n';
import { CustomerSelect, useCustomerDetail } from './kit';
import { ReasonModal } from './OrderDetailPage';
import { ProductPicker } from './OrderEntryPage';
import type { ConversionRow, Inquiry, OrderDetail, ProductOption } from './types';

const ENDPOINT = '/api/inquiries';
const CHANNELS = ['phone', 'email', 'online', 'wechat', 'visit'] as const;
type Need = { key: number; product: ProductOption | null; description: string; quantity: string; unit: string; deliveryDate: string; deliveryPlace: string };
let needSeq = 0;
const blankNeed = (): Need => ({ key: ++needSeq, product: null, description: '', quantity: '', unit: '', deliveryDate: '', deliveryPlace: '' });

function CreateInquiryModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const ot = useOrderT();
  const message = useMessage();
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('phone');
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [prospectName, setProspectName] = useState('');
  const [prospectPhone, setProspectPhone] = useState('');
  const [notes, setNotes] = useState('');
  const [needs, setNeeds] = useState<Need[]>([blankNeed()]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const update = (key: number, patch: Partial<Need>) => setNeeds((ns) => ns.map((n) => (n.key === key ? { ...n, ...patch } : n)));
  const err = (f: string) => (errors[f] ? { validateStatus: 'error' as const, help: errors[f] } : {});
  const save = async () => {
    setBusy(true);
    setErrors({});
    try {
      const iq = await jsonFetch<Inquiry>(ENDPOINT, {
        method: 'POST',
        idempotent: true,
        body: {
          channel,
          customerId,
          prospectName: prospectName || null,
          prospectPhone: prospectPhone || null,
          notes: notes || null,
          needs: needs.map((n) => ({
            productId: n.product?.id ?? null,
            description: n.description || n.product?.name || '',
            quantity: n.quantity || null,
            unit: n.unit || n.product?.units[0]?.unit || null,
            deliveryDate: n.deliveryDate || null,
            deliveryPlace: n.deliveryPlace || null,
          })),
        },
      });
      void message.success(ot('inquiry.created', { number: iq.number }));
      setNeeds([blankNeed()]);
      setCustomerId(null);
      setProspectName('');
      setProspectPhone('');
      setNotes('');
      onDone();
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors?.length) setErrors(Object.fromEntries(error.problem.errors.map((e) => [e.field, e.message])));
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={ot('inquiry.create')}
      width={980}
      onOk={() => void save()}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'inquiry-save' } as object) }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={ot('inquiry.channel')}>
          <Radio.Group value={channel} onChange={(e) => setChannel(e.target.value as (typeof CHANNELS)[number])} data-testid="inquiry-channel">
            {CHANNELS.map((c) => (
              <Radio.Button key={c} value={c}>
                {ot(`channel.${c}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item label={ot('field.customer')} {...err('customerId')}>
              <CustomerSelect value={customerId} onChange={(id) => setCustomerId(id)} placeholder={ot('entry.customerSearch')} testId="inquiry-customer" />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item label={ot('inquiry.prospectName')} {...err('prospectName')}>
              <Input value={prospectName} onChange={(e) => setProspectName(e.target.value)} disabled={!!customerId} data-testid="inquiry-prospect-name" />
            </Form.Item>
          </Col>
          <Col span={7}>
            <Form.Item label={ot('inquiry.prospectPhone')} {...err('prospectPhone')}>
              <Input value={prospectPhone} onChange={(e) => setProspectPhone(e.target.value)} disabled={!!customerId} />
            </Form.Item>
          </Col>
        </Row>
        <Table<Need>
          size="small"
          rowKey="key"
          dataSource={needs}
          pagination={false}
          title={() => ot('inquiry.needs')}
          columns={[
            {
              title: ot('field.product'),
              render: (_, n, i) => (
                <ProductPicker
                  customerId={customerId}
                  date={n.deliveryDate}
                  value={n.product}
                  testId={`inquiry-need-product-${i}`}
                  onPick={(p) => update(n.key, { product: p, unit: p?.units[0]?.unit ?? n.unit })}
                />
              ),
            },
            {
              title: ot('inquiry.needDescription'),
              render: (_, n, i) => <Input value={n.description} onChange={(e) => update(n.key, { description: e.target.value })} data-testid={`inquiry-need-desc-${i}`} />,
            },
            {
              title: ot('inquiry.needQuantity'),
              width: 90,
              render: (_, n, i) => (
                <Input
                  value={n.quantity}
                  onChange={(e) => update(n.key, { quantity: e.target.value })}
                  data-testid={`inquiry-need-qty-${i}`}
                  status={errors[`needs.${i}.quantity`] ? 'error' : undefined}
                />
              ),
            },
            {
              title: ot('inquiry.needUnit'),
              width: 90,
              render: (_, n, i) =>
                n.product ? (
                  <Select
                    style={{ width: 80 }}
                    value={n.unit || undefined}
                    onChange={(u: string) => update(n.key, { unit: u })}
                    options={n.product.units.map((u) => ({ value: u.unit, label: u.unit }))}
                    data-testid={`inquiry-need-unit-${i}`}
                  />
                ) : (
                  <Input value={n.unit} onChange={(e) => update(n.key, { unit: e.target.value })} data-testid={`inquiry-need-unit-${i}`} />
                ),
            },
            {
              title: ot('inquiry.needDate'),
              width: 130,
              render: (_, n, i) => (
                <DatePicker
                  value={n.deliveryDate ? dayjs(n.deliveryDate) : null}
                  onChange={(d: Dayjs | null) => update(n.key, { deliveryDate: d ? d.format('YYYY-MM-DD') : '' })}
                  disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                  data-testid={`inquiry-need-date-${i}`}
                  status={errors[`needs.${i}.deliveryDate`] ? 'error' : undefined}
                />
              ),
            },
            { title: ot('inquiry.needPlace'), render: (_, n) => <Input value={n.deliveryPlace} onChange={(e) => update(n.key, { deliveryPlace: e.target.value })} /> },
          ]}
          footer={() => (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setNeeds((ns) => [...ns, blankNeed()])}>
              {ot('inquiry.addNeed')}
            </Button>
          )}
        />
        <Form.Item label={ot('field.notes')} style={{ marginTop: 12 }}>
          <Input.TextArea rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Converts an inquiry into a draft order. A prospect's inquiry becomes a customer first, in the same step: the
 * customer (name, kind) and its contact (the prospect's phone) are created, the inquiry is linked, then converted.
 */
function ConvertModal({ inquiry, onClose }: { inquiry: Inquiry | null; onClose: () => void }) {
  const ot = useOrderT();
  const navigate = useNavigate();
  const message = useMessage();
  const customer = useCustomerDetail(inquiry?.customerId);
  const [addressId, setAddressId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string; kind: 'company' | 'individual'; phone?: string }>();
  const prospect = Boolean(inquiry && !inquiry.customerId);
  const addresses = customer.data?.addresses ?? [];
  const chosen = addressId ?? addresses.find((a) => a.isDefault)?.id ?? addresses[0]?.id ?? null;
  const convert = async () => {
    if (!inquiry) return;
    setBusy(true);
    try {
      let contactId: string | null = null;
      if (prospect) {
        const v = await form.validateFields();
        const created = await jsonFetch<{ id: string; code: string }>('/api/customers', {
          method: 'POST',
          idempotent: true,
          body: { name: v.name.trim(), kind: v.kind, status: 'active', salesOwnerId: inquiry.ownerId ?? null },
        });
        if (v.phone?.trim())
          contactId = (
            await jsonFetch<{ id: string }>(`/api/customers/${created.id}/contacts`, {
              method: 'POST',
              idempotent: true,
              body: { name: v.name.trim(), phone: v.phone.trim(), isPrimary: true },
            })
          ).id;
        await jsonFetch(`${ENDPOINT}/${inquiry.id}`, { method: 'PATCH', body: { customerId: created.id } });
        void message.success(ot('inquiry.customerCreated', { code: created.code, name: v.name.trim() }));
      } else {
        const contact = customer.data?.contacts?.find((c) => c.isPrimary) ?? customer.data?.contacts?.[0];
        contactId = contact?.id ?? null;
      }
      const order = await jsonFetch<OrderDetail>(`${ENDPOINT}/${inquiry.id}/convert`, { method: 'POST', body: { addressId: prospect ? null : chosen, contactId } });
      void message.success(ot('inquiry.convertedTo', { number: inquiry.number, order: order.number }));
      onClose();
      void navigate(`/orders/${order.id}`);
    } catch (error) {
      if (error instanceof ApiError) showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={!!inquiry}
      title={ot('inquiry.convertTitle', { number: inquiry?.number ?? '' })}
      onCancel={onClose}
      onOk={() => void convert()}
      okButtonProps={{ loading: busy, ...({ 'data-testid': 'inquiry-convert-ok' } as object) }}
      destroyOnHidden
    >
      {prospect ? (
        <Form form={form} layout="vertical" initialValues={{ name: inquiry?.prospectName ?? '', kind: 'individual', phone: inquiry?.prospectPhone ?? '' }}>
          <Typography.Paragraph type="secondary">{ot('inquiry.newCustomerIntro')}</Typography.Paragraph>
          <Form.Item name="name" label={ot('inquiry.newCustomerName')} rules={[{ required: true, whitespace: true }]}>
            <Input data-testid="inquiry-new-customer-name" />
          </Form.Item>
          <Form.Item name="kind" label={ot('inquiry.newCustomerKind')}>
            <Radio.Group
              options={[
                { value: 'individual', label: ot('inquiry.kindIndividual') },
                { value: 'company', label: ot('inquiry.kindCompany') },
              ]}
            />
          </Form.Item>
          <Form.Item name="phone" label={ot('inquiry.prospectPhone')}>
            <Input />
          </Form.Item>
        </Form>
      ) : (
        <Form layout="vertical">
          <Form.Item label={ot('field.address')}>
            <Select
              data-testid="inquiry-convert-address"
              value={chosen ?? undefined}
              onChange={(v: string) => setAddressId(v)}
              options={addresses.map((a) => ({ value: a.id, label: `${a.label} · ${a.address}` }))}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function ConversionReport() {
  const ot = useOrderT();
  const { data } = useQuery({
    queryKey: ['orders', 'conversion'],
    queryFn: () => jsonFetch<{ byChannel: ConversionRow[]; byOwner: ConversionRow[]; total: ConversionRow }>(`${ENDPOINT}/conversion`),
  });
  const cols = (first: string) => [
    {
      title: first,
      dataIndex: 'label',
      render: (_: unknown, r: ConversionRow) => (first === ot('inquiry.byChannel') ? ot(`channel.${r.key as (typeof CHANNELS)[number]}`) : r.label),
    },
    { title: ot('inquiry.total'), dataIndex: 'total', align: 'right' as const },
    { title: ot('inquiry.converted'), dataIndex: 'converted', align: 'right' as const },
    { title: ot('inquiry.lost'), dataIndex: 'lost', align: 'right' as const },
    { title: ot('inquiry.open'), render: (_: unknown, r: ConversionRow) => r.open + r.quoted, align: 'right' as const },
    { title: ot('inquiry.rate'), dataIndex: 'ratePercent', align: 'right' as const, render: (v: number) => `${v}%` },
  ];
  return (
    <Card title={`${ot('inquiry.conversion')}${data ? ` · ${data.total.ratePercent}%` : ''}`} data-testid="inquiry-conversion">
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Table<ConversionRow> size="small" rowKey="key" pagination={false} dataSource={data?.byChannel ?? []} columns={cols(ot('inquiry.byChannel'))} />
        </Col>
        <Col xs={24} md={12}>
          <Table<ConversionRow> size="small" rowKey="key" pagination={false} dataSource={data?.byOwner ?? []} columns={cols(ot('inquiry.byOwner'))} />
        </Col>
      </Row>
    </Card>
  );
}

/** Inquiries from every channel: record, quote, lose with a reason, convert to a draft order in one step; conversion by channel and owner. */
export function InquiriesPage() {
  const ot = useOrderT();
  const { can } = useAuth();
  const refresh = useRefreshList(ENDPOINT);
  const [creating, setCreating] = useState(false);
  const [converting, setConverting] = useState<Inquiry | null>(null);
  const [losing, setLosing] = useState<Inquiry | null>(null);
  const act = async (i: Inquiry, path: string, body: unknown = {}) => {
    try {
      await jsonFetch(`${ENDPOINT}/${i.id}/${path}`, { method: 'POST', body });
      await refresh();
    } catch (error) {
      showError(error);
    }
  };
  const columns: ListColumn<Inquiry>[] = [
    { title: ot('inquiry.number'), dataIndex: 'number', sortField: 'number' },
    { title: ot('inquiry.channel'), dataIndex: 'channel', sortField: 'channel', render: (_, i) => ot(`channel.${i.channel}`) },
    { title: ot('inquiry.who'), render: (_, i) => i.customerName ?? `${i.prospectName ?? ''} ${i.prospectPhone ?? ''}` },
    {
      title: ot('inquiry.needs'),
      render: (_, i) => i.needs.map((n) => [n.description, n.quantity && `${Number(n.quantity)}${n.unit ?? ''}`, n.deliveryDate].filter(Boolean).join(' ')).join('; '),
    },
    { title: ot('inquiry.owner'), dataIndex: 'ownerName', render: (_, i) => i.ownerName ?? '—' },
    {
      title: ot('inquiry.status'),
      dataIndex: 'status',
      sortField: 'status',
      render: (_, i) => (
        <Space>
          <Tag color={{ open: 'blue', quoted: 'gold', converted: 'green', lost: 'default' }[i.status]}>{ot(`inquiry.statusText.${i.status}`)}</Tag>
          {i.orderId && <Link to={`/orders/${i.orderId}`}>→</Link>}
          {i.lostReason}
        </Space>
      ),
    },
    { title: ot('inquiry.receivedAt'), dataIndex: 'receivedAt', sortField: 'receivedAt', render: (_, i) => formatDateTime(i.receivedAt) },
    {
      title: '',
      render: (_, i) =>
        (i.status === 'open' || i.status === 'quoted') && (
          <Space>
            {can('orders:create') && (
              <Button size="small" type="primary" disabled={!i.customerId && !can('customers:manage')} onClick={() => setConverting(i)} data-testid={`inquiry-convert-${i.number}`}>
                {ot('inquiry.convert')}
              </Button>
            )}
            {can('inquiries:manage') && i.status === 'open' && (
              <Button size="small" onClick={() => void act(i, 'quote')}>
                {ot('inquiry.quote')}
              </Button>
            )}
            {can('inquiries:manage') && (
              <Button size="small" danger onClick={() => setLosing(i)}>
                {ot('inquiry.lose')}
              </Button>
            )}
          </Space>
        ),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <LooseListPage<Inquiry>
        endpoint={ENDPOINT}
        urlFilters={LIST_URL_FILTERS['/inquiries']}
        title={ot('inquiry.title')}
        rowKey="id"
        columns={columns}
        defaultSort="-receivedAt"
        keyword={{ placeholder: ot('inquiry.keyword') }}
        filters={
          <>
            <Form.Item name="status">
              <Select
                allowClear
                placeholder={ot('inquiry.status')}
                style={{ width: 120 }}
                options={(['open', 'quoted', 'converted', 'lost'] as const).map((s) => ({ value: s, label: ot(`inquiry.statusText.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="channel">
              <Select allowClear placeholder={ot('inquiry.channel')} style={{ width: 110 }} options={CHANNELS.map((c) => ({ value: c, label: ot(`channel.${c}`) }))} />
            </Form.Item>
          </>
        }
        toolbar={
          can('inquiries:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="inquiry-create">
              {ot('inquiry.create')}
            </Button>
          )
        }
      />
      <ConversionReport />
      <CreateInquiryModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          void refresh();
        }}
      />
      <ConvertModal inquiry={converting} onClose={() => setConverting(null)} />
      <ReasonModal
        open={!!losing}
        title={ot('inquiry.lostReason')}
        required
        testId="inquiry-lose"
        onClose={() => setLosing(null)}
        onOk={async (reason) => {
          if (losing) await act(losing, 'lose', { reason });
          setLosing(null);
        }}
      />
    </Space>
  );
}
