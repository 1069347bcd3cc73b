import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { useMessage } from '../../app/feedback';
import { applyServerErrors } from '../../app/problem';
import { formatFen, jsonFetch, LooseListPage, useRefreshList, yuanToFen } from '../catalog/page-kit';
import { useLogisticsT } from './i18n';
import { STATE_COLORS, type Carrier, type Contract, type ServiceType, type TempClass } from './types';

const CARRIERS = '/api/logistics/carriers';
const CONTRACTS = '/api/logistics/contracts';
const SERVICES: ServiceType[] = ['standard', 'express', 'cold_chain', 'freight', 'own_fleet'];
const TEMPS: TempClass[] = ['frozen', 'chilled', 'cool', 'ambient'];
const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

type CarrierValues = { code: string; name: string; nameEn?: string; ownFleet?: boolean; contactName?: string; phone?: string; trackingUrlTemplate?: string; active?: boolean };

function CarrierDrawer({ carrier, open, onClose, onSaved }: { carrier: Carrier | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const lt = useLogisticsT();
  const message = useMessage();
  const [form] = Form.useForm<CarrierValues>();
  const [saving, setSaving] = useState(false);
  const save = async (v: CarrierValues) => {
    const body = {
      name: v.name.trim(),
      nameEn: blank(v.nameEn),
      ownFleet: v.ownFleet ?? false,
      contactName: blank(v.contactName),
      phone: blank(v.phone),
      trackingUrlTemplate: blank(v.trackingUrlTemplate),
      active: v.active ?? true,
    };
    setSaving(true);
    try {
      if (carrier) await jsonFetch(`${CARRIERS}/${carrier.id}`, { method: 'PATCH', body });
      else await jsonFetch(CARRIERS, { method: 'POST', body: { ...body, code: v.code.trim() }, idempotent: true });
      void message.success(lt('carriers.saved'));
      onSaved();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={480}
      destroyOnHidden
      title={carrier ? lt('carriers.edit') : lt('carriers.create')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="carrier-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<CarrierValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={carrier ? { ...carrier, nameEn: carrier.nameEn ?? undefined } : { active: true, ownFleet: false }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="code" label={lt('carriers.code')} rules={[{ required: true, message: lt('required') }]}>
          <Input disabled={!!carrier} data-testid="carrier-code" />
        </Form.Item>
        <Form.Item name="name" label={lt('carriers.name')} rules={[{ required: true, whitespace: true, message: lt('required') }]}>
          <Input data-testid="carrier-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={lt('carriers.nameEn')}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="ownFleet" label={lt('carriers.ownFleet')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={lt('carriers.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item name="contactName" label={lt('carriers.contactName')}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={lt('carriers.phone')}>
          <Input />
        </Form.Item>
        <Form.Item name="trackingUrlTemplate" label={lt('carriers.trackingUrlTemplate')}>
          <Input placeholder="https://example.com/track?no={tracking}" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

type ContractValues = {
  carrierId: string;
  number: string;
  serviceType: ServiceType;
  coldChain?: boolean;
  tempClass?: TempClass;
  tempMinC?: number | null;
  tempMaxC?: number | null;
  transitDays: number;
  regions?: string;
  perKg?: string;
  perShipment?: string;
  minCharge?: string;
  regionRates?: { regionCode: string; perKg?: string; perShipment?: string }[];
  qualityTerms?: string;
  safetyTerms?: string;
  liabilityTerms?: string;
  liabilityLimit?: string;
  validity: [Dayjs, Dayjs];
};

function ContractDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const lt = useLogisticsT();
  const message = useMessage();
  const [form] = Form.useForm<ContractValues>();
  const [saving, setSaving] = useState(false);
  const carriers = useQuery({ queryKey: ['logistics', 'carrier-options'], queryFn: () => jsonFetch<{ items: Carrier[] }>(`${CARRIERS}?pageSize=200&active=true`), enabled: open })
    .data?.items;
  const save = async (v: ContractValues) => {
    const body = {
      carrierId: v.carrierId,
      number: v.number.trim(),
      serviceType: v.serviceType,
      coldChain: v.coldChain ?? v.serviceType === 'cold_chain',
      tempClass: v.tempClass,
      tempMinC: v.tempMinC ?? null,
      tempMaxC: v.tempMaxC ?? null,
      transitDays: v.transitDays,
      regions: (v.regions ?? '')
        .split(/[,，\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
      perKgFen: yuanToFen(v.perKg) ?? 0,
      perShipmentFen: yuanToFen(v.perShipment) ?? 0,
      minChargeFen: yuanToFen(v.minCharge) ?? 0,
      regionRates: (v.regionRates ?? []).map((r) => ({ regionCode: r.regionCode, perKgFen: yuanToFen(r.perKg) ?? 0, perShipmentFen: yuanToFen(r.perShipment) ?? 0 })),
      qualityTerms: blank(v.qualityTerms),
      safetyTerms: blank(v.safetyTerms),
      liabilityTerms: blank(v.liabilityTerms),
      liabilityLimitFen: yuanToFen(v.liabilityLimit),
      validFrom: v.validity[0].format('YYYY-MM-DD'),
      validTo: v.validity[1].format('YYYY-MM-DD'),
    };
    setSaving(true);
    try {
      await jsonFetch(CONTRACTS, { method: 'POST', body, idempotent: true });
      void message.success(lt('carriers.saved'));
      onSaved();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={lt('contracts.create')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="contract-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<ContractValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          serviceType: 'cold_chain',
          coldChain: true,
          tempClass: 'chilled',
          tempMinC: 0,
          tempMaxC: 4,
          transitDays: 1,
          validity: [dayjs().startOf('year'), dayjs().endOf('year')],
        }}
        onFinish={(v) => void save(v)}
      >
        <Space.Compact block>
          <Form.Item name="carrierId" label={lt('contracts.carrier')} style={{ width: '55%' }} rules={[{ required: true, message: lt('required') }]}>
            <Select showSearch optionFilterProp="label" options={(carriers ?? []).map((c) => ({ value: c.id, label: `${c.code} ${c.name}` }))} data-testid="contract-carrier" />
          </Form.Item>
          <Form.Item name="number" label={lt('contracts.number')} style={{ width: '45%' }} rules={[{ required: true, message: lt('required') }]}>
            <Input data-testid="contract-number" />
          </Form.Item>
        </Space.Compact>
        <Space wrap>
          <Form.Item name="serviceType" label={lt('contracts.serviceType')}>
            <Select style={{ width: 140 }} options={SERVICES.map((s) => ({ value: s, label: lt(`service.${s}`) }))} />
          </Form.Item>
          <Form.Item name="coldChain" label={lt('contracts.coldChain')} valuePropName="checked">
            <Checkbox />
          </Form.Item>
          <Form.Item name="tempClass" label={lt('contracts.tempClass')}>
            <Select style={{ width: 110 }} options={TEMPS.map((s) => ({ value: s, label: lt(`temp.${s}`) }))} />
          </Form.Item>
          <Form.Item name="tempMinC" label={lt('contracts.tempMinC')}>
            <InputNumber step={0.5} data-testid="contract-temp-min" />
          </Form.Item>
          <Form.Item name="tempMaxC" label={lt('contracts.tempMaxC')}>
            <InputNumber step={0.5} data-testid="contract-temp-max" />
          </Form.Item>
          <Form.Item name="transitDays" label={lt('contracts.transitDays')} rules={[{ required: true, message: lt('required') }]}>
            <InputNumber min={0} max={60} />
          </Form.Item>
        </Space>
        <Form.Item name="validity" label={`${lt('contracts.validFrom')} – ${lt('contracts.validTo')}`} rules={[{ required: true, message: lt('required') }]}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="regions" label={lt('contracts.regions')}>
          <Input placeholder="310000, 320100" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="perKg" label={lt('contracts.perKg')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="perShipment" label={lt('contracts.perShipment')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="minCharge" label={lt('contracts.minCharge')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="liabilityLimit" label={lt('contracts.liabilityLimit')}>
            <Input style={{ width: 140 }} />
          </Form.Item>
        </Space>
        <Form.Item label={lt('contracts.regionRates')}>
          <Form.List name="regionRates">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'regionCode']} rules={[{ required: true, message: lt('required') }]}>
                      <Input placeholder={lt('contracts.regionCode')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'perKg']}>
                      <Input placeholder={lt('contracts.perKg')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'perShipment']}>
                      <Input placeholder={lt('contracts.perShipment')} style={{ width: 120 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />}>
                  {lt('contracts.addRate')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="qualityTerms" label={lt('contracts.qualityTerms')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="safetyTerms" label={lt('contracts.safetyTerms')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="liabilityTerms" label={lt('contracts.liabilityTerms')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function CarrierList() {
  const lt = useLogisticsT();
  const { can } = useAuth();
  const refresh = useRefreshList(CARRIERS);
  const [editing, setEditing] = useState<Carrier | null | 'new'>(null);
  const yesNo = (b: boolean) => (b ? lt('yes') : lt('no'));
  const columns: ListColumn<Carrier>[] = [
    { title: lt('carriers.code'), dataIndex: 'code', sortField: 'code' },
    { title: lt('carriers.name'), dataIndex: 'name', sortField: 'name' },
    { title: lt('carriers.ownFleet'), dataIndex: 'ownFleet', render: (_, c) => yesNo(c.ownFleet) },
    { title: lt('carriers.contactName'), dataIndex: 'contactName', render: (_, c) => c.contactName ?? '—' },
    { title: lt('carriers.phone'), dataIndex: 'phone', render: (_, c) => c.phone ?? '—' },
    { title: lt('carriers.validContracts'), dataIndex: 'validContracts', sortField: 'validContracts', align: 'right' },
    { title: lt('carriers.active'), dataIndex: 'active', render: (_, c) => <Tag color={c.active ? 'green' : 'default'}>{yesNo(c.active)}</Tag> },
    ...(can('carriers:manage')
      ? [
          {
            title: '',
            dataIndex: 'id',
            render: (_: unknown, c: Carrier) => (
              <Button size="small" onClick={() => setEditing(c)}>
                {lt('carriers.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <LooseListPage<Carrier>
        endpoint={CARRIERS}
        rowKey="id"
        columns={columns}
        defaultSort="code"
        keyword={{ placeholder: lt('carriers.keyword') }}
        filters={
          <Form.Item name="active">
            <Select
              allowClear
              placeholder={lt('carriers.onlyActive')}
              style={{ width: 120 }}
              options={[
                { value: 'true', label: lt('yes') },
                { value: 'false', label: lt('no') },
              ]}
            />
          </Form.Item>
        }
        toolbar={
          can('carriers:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="carrier-create">
              {lt('carriers.create')}
            </Button>
          )
        }
      />
      <CarrierDrawer
        open={editing !== null}
        carrier={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void refresh();
        }}
      />
    </>
  );
}

function ContractList() {
  const lt = useLogisticsT();
  const { can } = useAuth();
  const refresh = useRefreshList(CONTRACTS);
  const [creating, setCreating] = useState(false);
  const columns: ListColumn<Contract>[] = [
    { title: lt('contracts.number'), dataIndex: 'number', sortField: 'number' },
    { title: lt('contracts.carrier'), dataIndex: 'carrierName', sortField: 'carrier' },
    { title: lt('contracts.serviceType'), dataIndex: 'serviceType', render: (_, c) => lt(`service.${c.serviceType}`) },
    { title: lt('contracts.tempClass'), dataIndex: 'tempClass', render: (_, c) => (c.coldChain ? <Tag color="blue">{lt(`temp.${c.tempClass}`)}</Tag> : lt(`temp.${c.tempClass}`)) },
    { title: lt('contracts.band'), dataIndex: 'tempMinC', render: (_, c) => (c.tempMinC === null ? '—' : `${c.tempMinC} – ${c.tempMaxC}`) },
    { title: lt('contracts.transitDays'), dataIndex: 'transitDays', sortField: 'transitDays', align: 'right' },
    { title: lt('contracts.regionsShort'), dataIndex: 'regions', render: (_, c) => (c.regions.length ? c.regions.join(', ') : lt('contracts.everywhere')) },
    { title: lt('contracts.perKg'), dataIndex: 'perKgFen', sortField: 'perKgFen', align: 'right', render: (_, c) => formatFen(c.perKgFen) },
    { title: lt('contracts.perShipment'), dataIndex: 'perShipmentFen', align: 'right', render: (_, c) => formatFen(c.perShipmentFen) },
    { title: lt('contracts.validFrom'), dataIndex: 'validFrom', sortField: 'validFrom' },
    { title: lt('contracts.validTo'), dataIndex: 'validTo', sortField: 'validTo' },
    { title: lt('contracts.state'), dataIndex: 'state', render: (_, c) => <Tag color={STATE_COLORS[c.state]}>{lt(`state.${c.state}`)}</Tag> },
  ];
  return (
    <>
      <LooseListPage<Contract>
        endpoint={CONTRACTS}
        rowKey="id"
        columns={columns}
        defaultSort="number"
        keyword={{ placeholder: lt('contracts.keyword') }}
        filters={
          <>
            <Form.Item name="state">
              <Select
                allowClear
                placeholder={lt('contracts.state')}
                style={{ width: 120 }}
                options={(['valid', 'expired', 'not_started'] as const).map((s) => ({ value: s, label: lt(`state.${s}`) }))}
              />
            </Form.Item>
            <Form.Item name="serviceType">
              <Select allowClear placeholder={lt('contracts.serviceType')} style={{ width: 130 }} options={SERVICES.map((s) => ({ value: s, label: lt(`service.${s}`) }))} />
            </Form.Item>
            <Form.Item name="tempClass">
              <Select allowClear placeholder={lt('contracts.tempClass')} style={{ width: 110 }} options={TEMPS.map((s) => ({ value: s, label: lt(`temp.${s}`) }))} />
            </Form.Item>
          </>
        }
        toolbar={
          can('carriers:manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contract-create">
              {lt('contracts.create')}
            </Button>
          )
        }
      />
      <ContractDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={() => {
          setCreating(false);
          void refresh();
        }}
      />
    </>
  );
}

type Performance = {
  carrierId: string;
  carrierCode: string;
  carrierName: string;
  dispatched: number;
  delivered: number;
  failed: number;
  onTimeRate: number | null;
  excursionRate: number | null;
  damageRate: number | null;
};

function PerformanceTab() {
  const lt = useLogisticsT();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const q = useQuery({ queryKey: ['logistics', 'performance', from, to], queryFn: () => jsonFetch<{ items: Performance[] }>(`${CARRIERS}/performance?from=${from}&to=${to}`) });
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        {lt('carriers.period')}
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
      </Space>
      <Table<Performance>
        size="small"
        rowKey="carrierId"
        loading={q.isFetching}
        dataSource={q.data?.items ?? []}
        pagination={false}
        columns={[
          { title: lt('carriers.code'), dataIndex: 'carrierCode' },
          { title: lt('carriers.name'), dataIndex: 'carrierName' },
          { title: lt('carriers.dispatched'), dataIndex: 'dispatched', align: 'right' },
          { title: lt('carriers.delivered'), dataIndex: 'delivered', align: 'right' },
          { title: lt('carriers.failed'), dataIndex: 'failed', align: 'right' },
          { title: lt('carriers.onTimeRate'), dataIndex: 'onTimeRate', align: 'right', render: pct },
          { title: lt('carriers.excursionRate'), dataIndex: 'excursionRate', align: 'right', render: pct },
          { title: lt('carriers.damageRate'), dataIndex: 'damageRate', align: 'right', render: pct },
        ]}
      />
    </Space>
  );
}

/** Carriers and their contracts (service, temperature, transit, rates, validity). */
export function CarriersPage() {
  const lt = useLogisticsT();
  return (
    <Tabs
      items={[
        { key: 'carriers', label: lt('carriers.tabCarriers'), children: <CarrierList /> },
        { key: 'contracts', label: lt('carriers.tabContracts'), children: <ContractList /> },
        { key: 'performance', label: lt('carriers.tabPerformance'), children: <PerformanceTab /> },
      ]}
    />
  );
}
