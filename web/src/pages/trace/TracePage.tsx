import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, List, Select, Space, Table, Tabs, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useConfirm } from '../../app/confirm';
import { useAuth } from '../../app/auth';
import { FieldPicker, LotPicker, type PickerOption } from '../../app/pickers';
import { LocationSelect, ProductSelect, UnitSelect } from '../inventory/pickers';
import { errorText, http, openPdf, type Page } from '../quality/http';
import { useTraceT } from './i18n';
import { TraceGraph, type GraphEdge, type GraphNode } from './TraceGraph';

type Run = {
  id: string;
  number: string;
  kind: 'wash' | 'grade' | 'cut' | 'pack' | 'mix';
  runOn: string;
  inputTotal: string;
  outputTotal: string;
  lossTotal: string;
  yieldRatio: string;
};
type Impact = {
  lots: { id: string; lotCode: string; qualityStatus: string }[];
  stock: { lotCode: string; warehouseCode: string; locationCode: string; onHand: string }[];
  orders: { orderId: string; orderNumber?: string | null; lotCode: string; quantity: string; customerName: string | null }[];
  customers: { customerId: string; customerName: string }[];
};
type Recall = { id: string; number: string; reason: string; status: string; drill: boolean; createdAt: string };
type Cert = { id: string; number: string; productName: string; quantity: string; unit: string; issuerName: string; issuedOn: string };
const day = (d: Dayjs | undefined | null): string | undefined => d?.format('YYYY-MM-DD');

type RunLine = { lotId?: string; productId?: string; locationId?: string; quantity?: string; unit?: string; lotCode?: string };
type RunForm = { kind: Run['kind']; runOn: Dayjs; inputs: RunLine[]; outputs: RunLine[]; overYieldReason?: string };

type LotBalance = { locationId: string; locationCode: string; warehouseCode: string; onHand: string };

/** The locations that hold stock of the chosen lot. */
function LotLocationSelect({ lotId, value, onChange, testId }: { lotId?: string; value?: string; onChange?: (v: string | undefined) => void; testId?: string }) {
  const { data } = useQuery({
    queryKey: ['trace', 'lot-balances', lotId],
    enabled: Boolean(lotId),
    queryFn: () => http<{ balances: LotBalance[] }>('GET', `/api/inventory/lots/${lotId}`),
  });
  return (
    <Select
      data-testid={testId}
      value={value}
      onChange={onChange}
      style={{ width: 220 }}
      disabled={!lotId}
      options={(data?.balances ?? []).map((b) => ({ value: b.locationId, label: `${b.warehouseCode} / ${b.locationCode} (${b.onHand})` }))}
    />
  );
}

function RunsTab() {
  const t = useTraceT();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['runs'], queryFn: () => http<Page<Run>>('GET', '/api/trace/processing-runs?pageSize=100') });
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<RunForm>();
  const lineRules = [{ required: true, message: t('run.required') }];
  const canRun = useAuth().can('processing:manage');
  return (
    <Card size="small" title={canRun ? t('run.create') : t('tabs.runs')} extra={<a href="/api/trace/processing-runs/export.xlsx">{t('common.export')}</a>}>
      {canRun && (
        <Form<RunForm>
          form={form}
          layout="vertical"
          data-testid="run-form"
          initialValues={{ inputs: [{}], outputs: [{}] }}
          onFinish={async (v) => {
            setError(null);
            try {
              await http('POST', '/api/trace/processing-runs', {
                kind: v.kind,
                runOn: day(v.runOn),
                inputs: v.inputs.map(({ lotId, locationId, quantity, unit }) => ({ lotId, locationId, quantity, unit })),
                outputs: v.outputs.map(({ productId, locationId, quantity, unit, lotCode }) => ({ productId, locationId, quantity, unit, ...(lotCode ? { lotCode } : {}) })),
                overYieldReason: v.overYieldReason || null,
              });
              form.resetFields();
              await qc.invalidateQueries({ queryKey: ['runs'] });
            } catch (err) {
              setError(errorText(err));
            }
          }}
        >
          <Space>
            <Form.Item name="kind" label={t('run.kind')} rules={[{ required: true }]}>
              <Select style={{ width: 120 }} options={(['wash', 'grade', 'cut', 'pack', 'mix'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
            </Form.Item>
            <Form.Item name="runOn" label={t('run.date')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="overYieldReason" label={t('run.reason')}>
              <Input />
            </Form.Item>
          </Space>
          <Form.List name="inputs">
            {(fields, { add, remove }) => (
              <Form.Item label={t('run.inputs')} required>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'lotId']} rules={lineRules}>
                      <LotPicker status="released" inStock testId={`run-input-lot-${f.name}`} style={{ width: 320 }} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => (
                        <Form.Item name={[f.name, 'locationId']} rules={lineRules}>
                          <LotLocationSelect lotId={form.getFieldValue(['inputs', f.name, 'lotId']) as string | undefined} testId={`run-input-location-${f.name}`} />
                        </Form.Item>
                      )}
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} rules={lineRules}>
                      <Input style={{ width: 110 }} placeholder={t('run.quantity')} data-testid={`run-input-quantity-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'unit']} rules={lineRules}>
                      <Input style={{ width: 80 }} placeholder={t('run.unit')} data-testid={`run-input-unit-${f.name}`} />
                    </Form.Item>
                    {fields.length > 1 && <Button onClick={() => remove(f.name)}>{t('run.removeLine')}</Button>}
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})}>
                  {t('run.addInput')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
          <Form.List name="outputs">
            {(fields, { add, remove }) => (
              <Form.Item label={t('run.outputs')} required>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'productId']} rules={lineRules}>
                      <ProductSelect style={{ width: 240 }} placeholder={t('run.product')} testId={`run-output-product-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'locationId']} rules={lineRules}>
                      <LocationSelect style={{ width: 200 }} placeholder={t('run.location')} testId={`run-output-location-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'quantity']} rules={lineRules}>
                      <Input style={{ width: 110 }} placeholder={t('run.quantity')} data-testid={`run-output-quantity-${f.name}`} />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => (
                        <Form.Item name={[f.name, 'unit']} rules={lineRules}>
                          <UnitSelect productId={form.getFieldValue(['outputs', f.name, 'productId']) as string | undefined} testId={`run-output-unit-${f.name}`} />
                        </Form.Item>
                      )}
                    </Form.Item>
                    <Form.Item name={[f.name, 'lotCode']}>
                      <Input style={{ width: 140 }} placeholder={t('run.lotCode')} />
                    </Form.Item>
                    {fields.length > 1 && <Button onClick={() => remove(f.name)}>{t('run.removeLine')}</Button>}
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})}>
                  {t('run.addOutput')}
                </Button>
              </Form.Item>
            )}
          </Form.List>
          <Button type="primary" htmlType="submit" data-testid="run-submit">
            {t('run.create')}
          </Button>
          {error && <Alert type="error" showIcon message={error} data-testid="run-error" />}
        </Form>
      )}
      <Table<Run>
        size="small"
        rowKey="id"
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('run.number'), dataIndex: 'number' },
          { title: t('run.kind'), dataIndex: 'kind', render: (k: Run['kind']) => t(`kinds.${k}`) },
          { title: t('run.date'), dataIndex: 'runOn' },
          { title: t('run.input'), dataIndex: 'inputTotal' },
          { title: t('run.output'), dataIndex: 'outputTotal' },
          { title: t('run.loss'), dataIndex: 'lossTotal' },
          { title: t('run.yield'), dataIndex: 'yieldRatio' },
        ]}
      />
    </Card>
  );
}

function GraphTab() {
  const t = useTraceT();
  const [lotId, setLotId] = useState<string | undefined>();
  const [lotLabel, setLotLabel] = useState<string | undefined>();
  const [dir, setDir] = useState<'backward' | 'forward'>('backward');
  const [graph, setGraph] = useState<{ nodes: GraphNode[]; edges: GraphEdge[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const load = async (id: string | undefined, d: 'backward' | 'forward', label?: string) => {
    setError(null);
    if (!id) {
      setError(t('graph.empty'));
      return;
    }
    try {
      const res = await http<{ graph: { nodes: GraphNode[]; edges: GraphEdge[] } }>('GET', `/api/trace/lots/${encodeURIComponent(id)}/${d}`);
      setGraph(res.graph);
      setLotId(id);
      if (label) setLotLabel(label);
      setDir(d);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Card size="small">
      <Space style={{ marginBottom: 12 }}>
        <LotPicker
          testId="graph-lot"
          aria-label={t('graph.lotId')}
          style={{ width: 360 }}
          value={lotId}
          initialLabel={lotLabel}
          onChange={(id, o) => {
            setLotId(id);
            setLotLabel(o ? `${o.code} ${o.name}` : undefined);
          }}
        />
        <Button data-testid="graph-backward" onClick={() => void load(lotId, 'backward')}>
          {t('graph.backward')}
        </Button>
        <Button data-testid="graph-forward" onClick={() => void load(lotId, 'forward')}>
          {t('graph.forward')}
        </Button>
      </Space>
      {error && <Alert type="error" message={error} showIcon />}
      {graph ? (
        <TraceGraph
          nodes={graph.nodes}
          edges={graph.edges}
          reverse={dir === 'backward'}
          onSelect={(n) => {
            setSelected(n);
            if (n.kind === 'lot' && n.id !== lotId) void load(n.id, dir, n.label);
          }}
        />
      ) : (
        <Alert type="info" message={t('graph.empty')} />
      )}
      {selected && <Tag style={{ marginTop: 8 }}>{`${t(`graph.${selected.kind}`)}: ${selected.label} ${selected.sub ?? ''}`}</Tag>}
    </Card>
  );
}

/** The lots and customers a recall reaches, for its confirmation. */
function ImpactSummary({ impact }: { impact: Impact }) {
  const t = useTraceT();
  return (
    <Descriptions size="small" column={1} bordered data-testid="recall-confirm-impact">
      <Descriptions.Item label={t('recall.lots')}>
        {impact.lots.map((l) => (
          <Tag key={l.id}>{l.lotCode}</Tag>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label={t('recall.customers')}>
        {impact.customers.map((c) => (
          <Tag color="red" key={c.customerId}>
            {c.customerName}
          </Tag>
        ))}
      </Descriptions.Item>
    </Descriptions>
  );
}

function RecallTab() {
  const t = useTraceT();
  const qc = useQueryClient();
  const recalls = useQuery({ queryKey: ['recalls'], queryFn: () => http<Page<Recall>>('GET', '/api/trace/recalls?pageSize=50') });
  const [form] = Form.useForm<{
    kind: 'lot' | 'field' | 'material_lot' | 'date_range';
    lotId?: string;
    fieldId?: string;
    materialLotCode?: string;
    from?: Dayjs;
    to?: Dayjs;
    reason?: string;
    drill?: boolean;
  }>();
  const kind = Form.useWatch('kind', form) ?? 'field';
  const [impact, setImpact] = useState<Impact | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [lot, setLot] = useState<PickerOption | undefined>();
  const [field, setField] = useState<PickerOption | undefined>();
  const [confirm, confirmHolder] = useConfirm();
  const canRecall = useAuth().can('trace:recall');
  const scopeName = (): string => {
    const v = form.getFieldsValue();
    const k = v.kind ?? 'field';
    const dates = v.from || v.to ? t('recall.scopeDates', { from: day(v.from) ?? t('recall.open'), to: day(v.to) ?? t('recall.open') }) : '';
    if (k === 'lot') return t('recall.scopeLot', { lot: lot?.code ?? '' });
    if (k === 'material_lot') return t('recall.scopeMaterial', { code: v.materialLotCode ?? '' });
    if (k === 'field') return `${t('recall.scopeField', { field: field ? `${field.code} ${field.name}` : '' })}${dates ? ` · ${dates}` : ''}`;
    return dates;
  };
  const scope = () => {
    const v = form.getFieldsValue();
    return {
      kind: v.kind ?? 'field',
      lotId: v.lotId || undefined,
      fieldId: v.fieldId || undefined,
      materialLotCode: v.materialLotCode || undefined,
      from: day(v.from),
      to: day(v.to),
    };
  };
  const act = async (execute: boolean) => {
    setError(null);
    try {
      if (!execute) setImpact(await http<Impact>('POST', '/api/trace/recalls/preview', { scope: scope() }));
      else {
        const v = form.getFieldsValue();
        // what will happen, from the impact as it is now
        const preview = await http<Impact>('POST', '/api/trace/recalls/preview', { scope: scope() });
        setImpact(preview);
        // a recall holds the lots that are released or quarantined; lots already held or rejected stay as they are
        const holdable = preview.lots.filter((l) => l.qualityStatus === 'released' || l.qualityStatus === 'quarantined').length;
        const counts = {
          scope: scopeName(),
          lots: v.drill ? preview.lots.length : holdable,
          customers: preview.customers.length,
          orders: new Set(preview.orders.map((o) => o.orderId)).size,
        };
        const ok = await confirm({
          title: t('recall.confirmTitle', { scope: counts.scope }),
          consequence: t(v.drill ? 'recall.confirmDrill' : 'recall.confirmLive', counts),
          details: <ImpactSummary impact={preview} />,
          irreversible: !v.drill,
          danger: !v.drill,
          okText: t('recall.execute'),
          testId: 'recall-confirm',
        });
        if (!ok) return;
        const r = await http<{ number: string; impact: Impact }>('POST', '/api/trace/recalls', { scope: scope(), reason: v.reason || '-', drill: v.drill ?? false, execute: true });
        setImpact(r.impact);
        setDone(r.number);
        await qc.invalidateQueries({ queryKey: ['recalls'] });
      }
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canRecall && (
        <Card size="small">
          <Form form={form} layout="inline" initialValues={{ kind: 'field' }} style={{ rowGap: 8 }}>
            <Form.Item name="kind" label={t('recall.kind')}>
              <Select
                data-testid="recall-kind"
                style={{ width: 140 }}
                options={(['lot', 'field', 'material_lot', 'date_range'] as const).map((k) => ({ value: k, label: t(`recall.kinds.${k}`) }))}
              />
            </Form.Item>
            {kind === 'lot' && (
              <Form.Item name="lotId" label={t('recall.lotId')}>
                <LotPicker testId="recall-lot" style={{ width: 320 }} onChange={(_id, o) => setLot(o)} />
              </Form.Item>
            )}
            {kind === 'field' && (
              <Form.Item name="fieldId" label={t('recall.field')}>
                <FieldPicker testId="recall-field" onChange={(_id, o) => setField(o)} />
              </Form.Item>
            )}
            {kind === 'material_lot' && (
              <Form.Item name="materialLotCode" label={t('recall.materialLot')}>
                <Input />
              </Form.Item>
            )}
            {(kind === 'date_range' || kind === 'field') && (
              <>
                <Form.Item name="from" label={t('recall.from')}>
                  <DatePicker />
                </Form.Item>
                <Form.Item name="to" label={t('recall.to')}>
                  <DatePicker />
                </Form.Item>
              </>
            )}
            <Form.Item name="reason" label={t('recall.reason')}>
              <Input data-testid="recall-reason" />
            </Form.Item>
            <Form.Item name="drill" valuePropName="checked">
              <Checkbox>{t('recall.drill')}</Checkbox>
            </Form.Item>
            <Button data-testid="recall-preview" onClick={() => void act(false)}>
              {t('recall.preview')}
            </Button>
            <Button danger type="primary" data-testid="recall-execute" onClick={() => void act(true)}>
              {t('recall.execute')}
            </Button>
          </Form>
          {error && <Alert type="error" showIcon message={error} data-testid="recall-error" />}
          {done && <Alert type="success" showIcon message={t('recall.executed', { number: done })} data-testid="recall-done" />}
          {confirmHolder}
        </Card>
      )}
      {impact && (
        <Card size="small" data-testid="recall-impact">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('recall.lots')}>
              {impact.lots.map((l) => (
                <Tag key={l.id}>{`${l.lotCode} (${l.qualityStatus})`}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('recall.stock')}>
              {impact.stock.map((s, i) => (
                <Tag key={i}>{`${s.lotCode} @ ${s.warehouseCode}/${s.locationCode}: ${s.onHand}`}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('recall.orders')}>
              {impact.orders.map((o, i) => (
                <Tag key={i}>{`${o.orderNumber ?? o.orderId.slice(0, 8)} ${o.lotCode} ${o.quantity}`}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('recall.customers')}>
              <span data-testid="recall-customers">
                {impact.customers.map((c) => (
                  <Tag color="red" key={c.customerId}>
                    {c.customerName}
                  </Tag>
                ))}
              </span>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card size="small" title={t('recall.list')}>
        <Table<Recall>
          size="small"
          rowKey="id"
          dataSource={recalls.data?.items ?? []}
          columns={[
            { title: '#', dataIndex: 'number' },
            { title: t('recall.reason'), dataIndex: 'reason' },
            { title: '', dataIndex: 'status', render: (s: string, r) => <Tag color={r.drill ? 'blue' : 'red'}>{`${s}${r.drill ? ' · drill' : ''}`}</Tag> },
            {
              title: '',
              render: (_, r) => (
                <Space>
                  <a href={`/api/trace/recalls/${r.id}/report.xlsx`}>{t('recall.xlsx')}</a>
                  <a href={`/api/trace/recalls/${r.id}/report.pdf`} target="_blank" rel="noreferrer">
                    {t('recall.pdf')}
                  </a>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

function LabelsTab() {
  const t = useTraceT();
  const qc = useQueryClient();
  const [form] = Form.useForm<Record<string, string | number | undefined>>();
  const [preview, setPreview] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const certs = useQuery({ queryKey: ['certs'], queryFn: () => http<Page<Cert>>('GET', '/api/trace/certificates?pageSize=50') });
  const [certLot, setCertLot] = useState<PickerOption | undefined>();
  const [confirm, confirmHolder] = useConfirm();
  const canPrint = useAuth().can('labels:print');
  const body = () => {
    const v = form.getFieldsValue();
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''));
  };
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canPrint && (
        <Card size="small" title={t('label.title')}>
          <Form form={form} layout="inline" style={{ rowGap: 8 }} data-testid="label-form">
            <Form.Item name="lotId" label={t('label.lotId')}>
              <LotPicker testId="label-lot" style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name="netWeight" label={t('label.net')}>
              <Input style={{ width: 80 }} />
            </Form.Item>
            <Form.Item name="producerName" label={t('label.producer')}>
              <Input />
            </Form.Item>
            <Form.Item name="producerAddress" label={t('label.address')}>
              <Input />
            </Form.Item>
            <Form.Item name="producerContact" label={t('label.contact')}>
              <Input />
            </Form.Item>
            <Form.Item name="licenceNo" label={t('label.licence')}>
              <Input />
            </Form.Item>
            <Form.Item name="standardCode" label={t('label.standard')}>
              <Input />
            </Form.Item>
            <Form.Item name="allergens" label={t('label.allergens')}>
              <Input />
            </Form.Item>
            <Form.Item name="copies" label={t('label.copies')}>
              <InputNumber min={1} max={500} />
            </Form.Item>
            <Button data-testid="label-preview" onClick={() => void run(async () => setPreview(await http('POST', '/api/trace/labels/preview', body())))}>
              {t('label.preview')}
            </Button>
            <Button type="primary" data-testid="label-print" onClick={() => void run(() => openPdf('/api/trace/labels/pdf', body()))}>
              {t('label.print')}
            </Button>
          </Form>
          {error && <Alert type="error" showIcon message={error} data-testid="label-error" />}
          {preview && (
            <Descriptions size="small" bordered column={2} style={{ marginTop: 12 }}>
              {Object.entries(preview).map(([k, v]) => (
                <Descriptions.Item key={k} label={k}>
                  {String(v ?? '—')}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </Card>
      )}
      <Card size="small" title={t('cert.title')} extra={<a href="/api/trace/certificates/export.xlsx">{t('common.export')}</a>}>
        {canPrint && (
          <Form<{ lotId: string; quantity: string; unit: string; issuerName: string; contactPhone: string; basis: string; reportNo?: string }>
            layout="inline"
            style={{ rowGap: 8 }}
            onFinish={(v) =>
              void run(async () => {
                const ok = await confirm({
                  title: t('cert.confirmTitle', { lot: certLot?.code ?? '' }),
                  consequence: t('cert.confirm', {
                    lot: certLot?.code ?? '',
                    quantity: v.quantity,
                    unit: v.unit,
                    issuer: v.issuerName,
                    basis: t(`cert.bases.${v.basis as 'own_test'}`),
                  }),
                  irreversible: true,
                  danger: false,
                  okText: t('cert.issue'),
                  testId: 'cert-confirm',
                });
                if (!ok) return;
                await http('POST', '/api/trace/certificates', { ...v, reportNo: v.reportNo || null });
                await qc.invalidateQueries({ queryKey: ['certs'] });
              })
            }
          >
            <Form.Item name="lotId" label={t('label.lotId')} rules={[{ required: true }]}>
              <LotPicker testId="cert-lot" style={{ width: 320 }} onChange={(_id, o) => setCertLot(o)} />
            </Form.Item>
            <Form.Item name="quantity" label={t('cert.quantity')} rules={[{ required: true }]}>
              <Input style={{ width: 80 }} />
            </Form.Item>
            <Form.Item name="unit" label={t('cert.unit')} initialValue="kg" rules={[{ required: true }]}>
              <Input style={{ width: 60 }} />
            </Form.Item>
            <Form.Item name="issuerName" label={t('cert.issuer')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="contactPhone" label={t('cert.phone')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="basis" label={t('cert.basis')} initialValue="own_test" rules={[{ required: true }]}>
              <Select style={{ width: 120 }} options={(['quality_control', 'own_test', 'commissioned_test'] as const).map((b) => ({ value: b, label: t(`cert.bases.${b}`) }))} />
            </Form.Item>
            <Form.Item name="reportNo" label={t('cert.report')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="cert-issue">
              {t('cert.issue')}
            </Button>
          </Form>
        )}
        {confirmHolder}
        <List<Cert>
          header={t('cert.list')}
          dataSource={certs.data?.items ?? []}
          renderItem={(c) => (
            <List.Item
              actions={[
                <a key="p" onClick={() => void run(() => openPdf(`/api/trace/certificates/${c.id}/pdf`))}>
                  {t('cert.print')}
                </a>,
              ]}
            >
              {`${c.number} · ${c.productName} · ${c.quantity} ${c.unit} · ${c.issuerName} · ${c.issuedOn}`}
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}

/** Processing runs, the interactive trace graph, recalls and labels & certificates. */
export function TracePage() {
  const t = useTraceT();
  return (
    <Card title={t('title')} data-testid="trace-page">
      <Tabs
        items={[
          { key: 'runs', label: t('tabs.runs'), children: <RunsTab /> },
          { key: 'graph', label: t('tabs.graph'), children: <GraphTab /> },
          { key: 'recall', label: t('tabs.recall'), children: <RecallTab /> },
          { key: 'labels', label: t('tabs.labels'), children: <LabelsTab /> },
        ]}
      />
    </Card>
  );
}
