import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Drawer, Form, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { useMessage } from '../../app/feedback';
import { formatDate } from '../../app/format';
import { applyServerErrors, problemMessage, toProblem } from '../../app/problem';
import { useCatalogT } from './i18n';
import { fenToYuan, formatFen, jsonFetch, LooseListPage, queryString, useRefreshList, yuanToFen, type Page } from './page-kit';
import type { EffectivePrice, PriceList, PriceListDetail, Product } from './types';

const ENDPOINT = '/api/catalog/price-lists';
type CustomerOption = { id: string; code: string; name: string; group: string | null };

function useProducts() {
  return useQuery({
    queryKey: ['catalog', 'products', 'all'],
    queryFn: () => jsonFetch<Page<Product>>('/api/catalog/products?pageSize=200&kind=produce&active=true'),
    staleTime: 60_000,
  });
}

/** Customer picker backed by the quick search (name, code or phone). */
function CustomerSelect({ value, onChange, initialLabel }: { value?: string | null; onChange?: (v: string | null) => void; initialLabel?: string | null }) {
  const ct = useCatalogT();
  const [q, setQ] = useState('');
  const { can } = useAuth();
  const found = useQuery({
    queryKey: ['customers', 'search', q],
    queryFn: () => jsonFetch<{ items: CustomerOption[] }>(`/api/customers/search${queryString({ q })}`),
    enabled: can('customers:read'),
  });
  const options = (found.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }));
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      placeholder={ct('price.customer')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={found.isFetching}
      style={{ width: '100%' }}
    />
  );
}

type LineValues = { productId: string; unit: string; minQuantity?: string; unitPrice: string; floorPrice?: string };
type ListValues = {
  code?: string;
  name: string;
  customerId?: string | null;
  customerGroup?: string;
  validity: [Dayjs, Dayjs | null];
  active: boolean;
  note?: string;
  lines: LineValues[];
};

function PriceListDrawer({ list, open, readOnly, onClose, onSaved }: { list: PriceListDetail | null; open: boolean; readOnly: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const ct = useCatalogT();
  const message = useMessage();
  const [form] = Form.useForm<ListValues>();
  const [saving, setSaving] = useState(false);
  const products = useProducts();
  const byId = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.id, p])), [products.data]);
  const lines = Form.useWatch('lines', form);

  const initialValues: Partial<ListValues> = list
    ? {
        code: list.code,
        name: list.name,
        customerId: list.customerId,
        customerGroup: list.customerGroup ?? undefined,
        validity: [dayjs(list.validFrom), list.validTo ? dayjs(list.validTo) : null],
        active: list.active,
        note: list.note ?? undefined,
        lines: list.lines.map((l) => ({
          productId: l.productId,
          unit: l.unit,
          minQuantity: l.minQuantity,
          unitPrice: fenToYuan(l.unitPriceFen) ?? '',
          floorPrice: fenToYuan(l.floorPriceFen),
        })),
      }
    : { active: true, validity: [dayjs().startOf('year'), dayjs().endOf('year')], lines: [] };

  const save = async (v: ListValues) => {
    const body = {
      ...(v.code?.trim() ? { code: v.code.trim() } : {}),
      name: v.name,
      customerId: v.customerId ?? null,
      customerGroup: v.customerGroup?.trim() || null,
      validFrom: v.validity[0].format('YYYY-MM-DD'),
      validTo: v.validity[1] ? v.validity[1].format('YYYY-MM-DD') : null,
      active: v.active,
      note: v.note?.trim() || null,
      lines: (v.lines ?? []).map((l) => ({
        productId: l.productId,
        unit: l.unit,
        minQuantity: l.minQuantity?.trim() || '0',
        unitPriceFen: yuanToFen(l.unitPrice) ?? -1,
        floorPriceFen: yuanToFen(l.floorPrice),
      })),
    };
    setSaving(true);
    try {
      if (list) await jsonFetch(`${ENDPOINT}/${list.id}`, { method: 'PATCH', body });
      else await jsonFetch(ENDPOINT, { method: 'POST', body, idempotent: true });
      void message.success(ct('saved'));
      onSaved();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  const money = { pattern: /^\d{1,9}(\.\d{1,2})?$/, message: ct('price.unitPrice') };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={880}
      destroyOnHidden
      title={list ? ct('price.editTitle', { name: list.name }) : ct('price.create')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {!readOnly && (
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="price-list-submit">
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      <Form<ListValues> form={form} layout="vertical" disabled={readOnly} preserve={false} initialValues={initialValues} onFinish={(v) => void save(v)}>
        <Space.Compact block>
          <Form.Item name="code" label={ct('price.code')} style={{ width: '30%' }}>
            <Input placeholder="PL…" />
          </Form.Item>
          <Form.Item name="name" label={ct('price.name')} style={{ width: '70%' }} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="customerId" label={ct('price.customer')} style={{ width: '50%' }}>
            <CustomerSelect initialLabel={list?.customerName} />
          </Form.Item>
          <Form.Item name="customerGroup" label={ct('price.group')} style={{ width: '50%' }}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Space align="start">
          <Form.Item name="validity" label={`${ct('price.validFrom')} ~ ${ct('price.validTo')}`} rules={[{ required: true, message: ct('required') }]}>
            <DatePicker.RangePicker allowEmpty={[false, true]} />
          </Form.Item>
          <Form.Item name="active" label={ct('price.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={ct('price.note')}>
          <Input />
        </Form.Item>
        <Typography.Title level={5}>{ct('price.lines')}</Typography.Title>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => {
                const product = byId.get(lines?.[field.name]?.productId ?? '');
                return (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'productId']} rules={[{ required: true, message: ct('required') }]}>
                      <Select
                        showSearch={{ optionFilterProp: 'label' }}
                        placeholder={ct('price.product')}
                        style={{ width: 220 }}
                        options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unit']} rules={[{ required: true, message: ct('required') }]}>
                      <Select placeholder={ct('price.unit')} style={{ width: 90 }} options={(product?.units ?? []).map((u) => ({ value: u.unit, label: u.unit }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'minQuantity']} rules={[{ pattern: /^\d{1,11}(\.\d{1,3})?$/, message: ct('price.minQuantity') }]}>
                      <Input placeholder={ct('price.minQuantity')} style={{ width: 110 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unitPrice']} rules={[{ required: true, ...money }]}>
                      <Input placeholder={ct('price.unitPrice')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'floorPrice']} rules={[money]}>
                      <Input placeholder={ct('price.floorPrice')} style={{ width: 120 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ minQuantity: '0' })}>
                {ct('price.addLine')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

type CheckValues = { customerId?: string | null; productId: string; unit: string; quantity: string; date: Dayjs };

/** Which price applies, and why. */
function PriceChecker() {
  const ct = useCatalogT();
  const [form] = Form.useForm<CheckValues>();
  const products = useProducts();
  const productId = Form.useWatch('productId', form);
  const product = products.data?.items.find((p) => p.id === productId);
  const [result, setResult] = useState<{ price: EffectivePrice; unit: string } | { error: string } | null>(null);

  const check = async (v: CheckValues) => {
    try {
      const price = await jsonFetch<EffectivePrice>(
        `/api/catalog/prices/effective${queryString({ customerId: v.customerId, productId: v.productId, unit: v.unit, quantity: v.quantity, date: v.date.format('YYYY-MM-DD') })}`,
      );
      setResult({ price, unit: v.unit });
    } catch (error) {
      setResult({ error: problemMessage(toProblem(error)) });
    }
  };

  return (
    <Card size="small" title={ct('price.checker')} extra={<Typography.Text type="secondary">{ct('price.checkerHint')}</Typography.Text>}>
      <Form<CheckValues> form={form} layout="inline" initialValues={{ date: dayjs(), quantity: '1' }} onFinish={(v) => void check(v)} style={{ rowGap: 8 }}>
        <Form.Item name="customerId" style={{ width: 240 }}>
          <CustomerSelect />
        </Form.Item>
        <Form.Item name="productId" rules={[{ required: true, message: ct('required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={ct('price.product')}
            style={{ width: 220 }}
            options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
          />
        </Form.Item>
        <Form.Item name="unit" rules={[{ required: true, message: ct('required') }]}>
          <Select placeholder={ct('price.unit')} style={{ width: 90 }} options={(product?.units ?? []).map((u) => ({ value: u.unit, label: u.unit }))} />
        </Form.Item>
        <Form.Item name="quantity" rules={[{ required: true, pattern: /^\d{1,11}(\.\d{1,3})?$/, message: ct('price.quantity') }]}>
          <Input placeholder={ct('price.quantity')} style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="date">
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="price-check">
            {ct('price.check')}
          </Button>
        </Form.Item>
      </Form>
      {result && 'error' in result && <Alert style={{ marginTop: 12 }} type="warning" showIcon title={result.error} />}
      {result && 'price' in result && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          data-testid="price-result"
          title={
            <Space wrap>
              <strong>{ct('price.result', { price: formatFen(result.price.unitPriceFen), unit: result.unit })}</strong>
              <Tag color="blue">{ct(`price.rule.${result.price.rule}`)}</Tag>
              <span>{ct('price.fromList', { name: result.price.priceListName, min: result.price.minQuantity })}</span>
              {result.price.floorPriceFen !== null && <span>{ct('price.floor', { price: formatFen(result.price.floorPriceFen) })}</span>}
            </Space>
          }
        />
      )}
    </Card>
  );
}

/** Price lists by validity and scope, their lines, and the effective-price check. */
export function PriceListsPage() {
  const { t } = useTranslation();
  const ct = useCatalogT();
  const { can } = useAuth();
  const refresh = useRefreshList(ENDPOINT);
  const [editing, setEditing] = useState<{ list: PriceListDetail | null } | null>(null);
  const canManage = can('prices:manage');

  const open = async (id: string) => setEditing({ list: await jsonFetch<PriceListDetail>(`${ENDPOINT}/${id}`) });

  const columns: ListColumn<PriceList>[] = [
    { title: ct('price.code'), dataIndex: 'code', sortField: 'code' },
    { title: ct('price.name'), dataIndex: 'name', sortField: 'name' },
    {
      title: ct('price.scope'),
      key: 'scope',
      render: (_, l) =>
        l.customerId ? (
          <Tag color="purple">{`${ct('price.customer')}: ${l.customerName ?? ''}`}</Tag>
        ) : l.customerGroup ? (
          <Tag color="cyan">{`${ct('price.group')}: ${l.customerGroup}`}</Tag>
        ) : (
          <Tag>{ct('price.scopeAll')}</Tag>
        ),
    },
    { title: ct('price.validFrom'), dataIndex: 'validFrom', sortField: 'validFrom', render: (_, l) => formatDate(l.validFrom) },
    { title: ct('price.validTo'), dataIndex: 'validTo', sortField: 'validTo', render: (_, l) => (l.validTo ? formatDate(l.validTo) : ct('price.openEnded')) },
    { title: ct('price.lineCount'), dataIndex: 'lineCount', align: 'right' },
    { title: ct('price.active'), dataIndex: 'active', render: (_, l) => (l.active ? <Tag color="green">{ct('yes')}</Tag> : <Tag>{ct('no')}</Tag>) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, l) => (
        <Button type="link" size="small" onClick={() => void open(l.id)}>
          {canManage ? t('common.edit') : ct('price.lines')}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <PriceChecker />
      <LooseListPage<PriceList>
        endpoint={ENDPOINT}
        title={ct('priceLists')}
        rowKey="id"
        columns={columns}
        defaultSort="-validFrom"
        toQuery={(v) => ({ ...v, validOn: v.validOn ? (v.validOn as Dayjs).format('YYYY-MM-DD') : undefined })}
        filters={
          <>
            <Form.Item name="validOn">
              <DatePicker placeholder={ct('price.validOn')} />
            </Form.Item>
            <Form.Item name="active">
              <Select
                allowClear
                placeholder={ct('price.active')}
                style={{ width: 100 }}
                options={[
                  { value: 'true', label: ct('yes') },
                  { value: 'false', label: ct('no') },
                ]}
              />
            </Form.Item>
          </>
        }
        toolbar={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ list: null })} data-testid="price-list-create">
              {ct('price.create')}
            </Button>
          )
        }
      />
      <PriceListDrawer
        open={editing !== null}
        readOnly={!canManage}
        list={editing?.list ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void refresh();
        }}
      />
    </Space>
  );
}
