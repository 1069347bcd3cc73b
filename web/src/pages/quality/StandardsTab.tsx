import { EditOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../app/auth';
import { useMessage } from '../../app/feedback';
import { ApiError } from '../../app/problem';
import { ProductSelect } from '../inventory/pickers';
import { errorText, http, type Page } from './http';
import { useQualityT } from './i18n';

type ParamType = 'number' | 'grade' | 'boolean';
type Param = { code: string; name: string; unit: string | null; type: ParamType; min: string | null; max: string | null; allowed: string[] };
type Plan = { mode: 'every_lot' | 'periodic'; sampleSize: number; periodDays: number | null };
export type Standard = {
  id: string;
  code: string;
  name: string;
  productId: string | null;
  checkType: 'soil' | 'water' | null;
  stages: string[];
  parameters: Param[];
  samplingPlan: Plan;
  active: boolean;
  updatedAt: string | null;
};
type ProductLite = { id: string; code: string; name: string };

const STAGES = ['source', 'in_process', 'finished', 'pre_shipment', 'returned'] as const;
const TYPES: ParamType[] = ['number', 'grade', 'boolean'];

type FormValues = {
  code: string;
  name: string;
  productId?: string | null;
  checkType?: 'soil' | 'water' | 'none';
  stages: string[];
  parameters: { code: string; name: string; unit?: string; type: ParamType; min?: string; max?: string; allowed?: string[] }[];
  samplingPlan: { mode: 'every_lot' | 'periodic'; sampleSize: number; periodDays?: number | null };
  active?: boolean;
};

const blank = (s: string | undefined | null): string | null => (s && s.trim() ? s.trim() : null);

/** Server field paths (`parameters.0.min`) become antd name paths (['parameters', 0, 'min']). */
const namePath = (field: string): (string | number)[] => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** Quality standards: list, create and edit (parameters with limits, sampling plan), with field-level server errors. */
export function StandardsTab() {
  const t = useQualityT();
  const { can } = useAuth();
  const list = useQuery({ queryKey: ['/api/quality/standards?pageSize=200'], queryFn: () => http<Page<Standard>>('GET', '/api/quality/standards?pageSize=200') });
  const productIds = [...new Set((list.data?.items ?? []).map((s) => s.productId).filter((x): x is string => Boolean(x)))];
  const products = useQuery({
    queryKey: ['quality', 'std-products', productIds.join(',')],
    enabled: productIds.length > 0,
    queryFn: async () => new Map((await Promise.all(productIds.map((id) => http<ProductLite>('GET', `/api/catalog/products/${id}`)))).map((p) => [p.id, p])),
  });
  const [editing, setEditing] = useState<Standard | 'new' | null>(null);
  const manage = can('quality:manage');
  return (
    <Card
      size="small"
      data-testid="standards-card"
      extra={
        <Space>
          <a href="/api/quality/standards/export.xlsx">{t('common.export')}</a>
          {manage && (
            <Button type="primary" size="small" icon={<PlusOutlined />} data-testid="standard-new" onClick={() => setEditing('new')}>
              {t('std.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<Standard>
        data-testid="standards-table"
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('std.code'), dataIndex: 'code' },
          { title: t('std.name'), dataIndex: 'name' },
          {
            title: t('std.appliesTo'),
            render: (_, r) => {
              if (r.checkType) return <Tag color="blue">{t(`std.checkTypes.${r.checkType}`)}</Tag>;
              const p = r.productId ? products.data?.get(r.productId) : undefined;
              return r.productId ? (p ? `${p.code} ${p.name}` : '…') : '—';
            },
          },
          { title: t('std.stages'), render: (_, r) => r.stages.map((s) => <Tag key={s}>{t(`stages.${s as (typeof STAGES)[number]}`)}</Tag>) },
          {
            title: t('std.params'),
            render: (_, r) =>
              r.parameters.map((p) => (
                <Tag
                  key={p.code}
                >{`${p.name}${p.type === 'number' ? ` ${p.min ?? ''}–${p.max ?? ''}` : ''}${p.unit ? ` ${p.unit}` : ''}${p.allowed.length ? ` [${p.allowed.join('/')}]` : ''}`}</Tag>
              )),
          },
          {
            title: t('std.sampling'),
            render: (_, r) =>
              r.samplingPlan.mode === 'every_lot'
                ? t('std.planEvery', { n: r.samplingPlan.sampleSize })
                : t('std.planPeriodic', { n: r.samplingPlan.sampleSize, days: r.samplingPlan.periodDays ?? '?' }),
          },
          { title: t('std.active'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('std.yes')}</Tag> : <Tag>{t('std.no')}</Tag>) },
          ...(manage
            ? [
                {
                  title: '',
                  key: 'edit',
                  render: (_: unknown, r: Standard) => (
                    <Button size="small" icon={<EditOutlined />} data-testid={`standard-edit-${r.code}`} onClick={() => setEditing(r)}>
                      {t('std.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <StandardDrawer standard={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function StandardDrawer({ standard, onClose }: { standard: Standard | null; onClose: () => void }) {
  const t = useQualityT();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const qc = useQueryClient();
  const msg = useMessage();
  const mode = Form.useWatch(['samplingPlan', 'mode'], form);
  const checkType = Form.useWatch('checkType', form);
  const initial: FormValues = standard
    ? {
        code: standard.code,
        name: standard.name,
        productId: standard.productId,
        checkType: standard.checkType ?? 'none',
        stages: standard.stages,
        parameters: standard.parameters.map((p) => ({ ...p, unit: p.unit ?? undefined, min: p.min ?? undefined, max: p.max ?? undefined })),
        samplingPlan: { ...standard.samplingPlan },
        active: standard.active,
      }
    : {
        code: '',
        name: '',
        checkType: 'none',
        stages: ['finished'],
        parameters: [{ code: '', name: '', type: 'number' }],
        samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
      };

  const submit = async (v: FormValues) => {
    setError(null);
    setSaving(true);
    const body = {
      name: v.name,
      productId: v.checkType && v.checkType !== 'none' ? null : (v.productId ?? null),
      checkType: v.checkType && v.checkType !== 'none' ? v.checkType : null,
      stages: v.stages,
      parameters: v.parameters.map((p) => ({
        code: p.code.trim(),
        name: p.name.trim(),
        unit: blank(p.unit),
        type: p.type,
        min: p.type === 'number' ? blank(p.min) : null,
        max: p.type === 'number' ? blank(p.max) : null,
        allowed: p.type === 'grade' ? (p.allowed ?? []) : [],
      })),
      samplingPlan: {
        mode: v.samplingPlan.mode,
        sampleSize: v.samplingPlan.sampleSize,
        periodDays: v.samplingPlan.mode === 'periodic' ? (v.samplingPlan.periodDays ?? null) : null,
      },
      ...(standard ? { active: v.active ?? true } : {}),
    };
    try {
      if (standard) await http('PATCH', `/api/quality/standards/${standard.id}`, body);
      else await http('POST', '/api/quality/standards', { code: v.code.trim(), ...body });
      await qc.invalidateQueries();
      void msg.success(t('common.ok'));
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) {
        form.setFields(err.problem.errors.map((e) => ({ name: namePath(e.field) as never, errors: [e.message] })));
        setError(err.problem.code === 'VALIDATION_FAILED' ? t('std.fixFields') : (err.problem.detail ?? t('std.fixFields')));
      } else setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width={880}
      title={standard ? `${t('std.edit')} · ${standard.code}` : t('std.create')}
      onClose={onClose}
      data-testid="standard-drawer"
      extra={
        <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="standard-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)} data-testid="standard-form">
        <Space wrap align="start">
          <Form.Item name="code" label={t('std.code')} rules={[{ required: true, message: t('std.required') }]}>
            <Input disabled={Boolean(standard)} style={{ width: 160 }} data-testid="standard-code" />
          </Form.Item>
          <Form.Item name="name" label={t('std.name')} rules={[{ required: true, message: t('std.required') }]}>
            <Input style={{ width: 260 }} data-testid="standard-name" />
          </Form.Item>
          <Form.Item name="checkType" label={t('std.kind')}>
            <Select
              style={{ width: 160 }}
              options={[
                { value: 'none', label: t('std.productStd') },
                { value: 'soil', label: t('std.checkTypes.soil') },
                { value: 'water', label: t('std.checkTypes.water') },
              ]}
            />
          </Form.Item>
          {checkType === 'none' && (
            <Form.Item name="productId" label={t('std.product')} extra={standard ? t('std.productFixed') : undefined}>
              <ProductSelect testId="standard-product" allowClear style={{ width: 240 }} />
            </Form.Item>
          )}
          {standard && (
            <Form.Item name="active" label={t('std.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="stages" label={t('std.stages')} rules={[{ required: true, message: t('std.required') }]}>
          <Select mode="multiple" style={{ maxWidth: 600 }} options={STAGES.map((s) => ({ value: s, label: t(`stages.${s}`) }))} />
        </Form.Item>
        <Typography.Title level={5}>{t('std.params')}</Typography.Title>
        <Form.List name="parameters">
          {(items, { add, remove }) => (
            <>
              {items.map(({ key, name }) => (
                <ParamRow key={key} name={name} onRemove={items.length > 1 ? () => remove(name) : undefined} />
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', name: '', type: 'number' })} data-testid="standard-add-param">
                {t('std.addParam')}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('std.sampling')}
        </Typography.Title>
        <Space wrap align="start">
          <Form.Item name={['samplingPlan', 'mode']} label={t('std.planMode')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'every_lot', label: t('std.modes.every_lot') },
                { value: 'periodic', label: t('std.modes.periodic') },
              ]}
            />
          </Form.Item>
          <Form.Item name={['samplingPlan', 'sampleSize']} label={t('std.sampleSize')} rules={[{ required: true, message: t('std.required') }]}>
            <InputNumber min={1} max={10000} precision={0} data-testid="standard-sample-size" />
          </Form.Item>
          {mode === 'periodic' && (
            <Form.Item name={['samplingPlan', 'periodDays']} label={t('std.periodDays')}>
              <InputNumber min={1} max={3650} precision={0} data-testid="standard-period-days" />
            </Form.Item>
          )}
        </Space>
        <Typography.Paragraph type="secondary">{mode === 'periodic' ? t('std.periodicHelp') : t('std.everyHelp')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} data-testid="standard-error" />}
      </Form>
    </Drawer>
  );
}

function ParamRow({ name, onRemove }: { name: number; onRemove?: () => void }) {
  const t = useQualityT();
  const form = Form.useFormInstance<FormValues>();
  const type = Form.useWatch(['parameters', name, 'type'], form);
  return (
    <Space wrap align="start" data-testid={`standard-param-${name}`} style={{ display: 'flex' }}>
      <Form.Item name={[name, 'code']} label={t('std.pCode')} rules={[{ required: true, message: t('std.required') }]}>
        <Input style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name={[name, 'name']} label={t('std.pName')} rules={[{ required: true, message: t('std.required') }]}>
        <Input style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name={[name, 'type']} label={t('std.pType')}>
        <Select style={{ width: 100 }} options={TYPES.map((x) => ({ value: x, label: t(`std.types.${x}`) }))} />
      </Form.Item>
      <Form.Item name={[name, 'unit']} label={t('std.pUnit')}>
        <Input style={{ width: 80 }} />
      </Form.Item>
      {type === 'number' && (
        <>
          <Form.Item name={[name, 'min']} label={t('std.pMin')}>
            <Input style={{ width: 90 }} />
          </Form.Item>
          <Form.Item name={[name, 'max']} label={t('std.pMax')}>
            <Input style={{ width: 90 }} />
          </Form.Item>
        </>
      )}
      {type === 'grade' && (
        <Form.Item name={[name, 'allowed']} label={t('std.pAllowed')}>
          <Select mode="tags" style={{ width: 200 }} tokenSeparators={[',', '，', '、']} />
        </Form.Item>
      )}
      {onRemove && (
        <Form.Item label=" ">
          <Button type="text" danger icon={<MinusCircleOutlined />} onClick={onRemove} aria-label={t('std.removeParam')} />
        </Form.Item>
      )}
    </Space>
  );
}
