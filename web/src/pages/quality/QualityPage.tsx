import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useConfirm } from '../../app/confirm';
import { useMessage } from '../../app/feedback';
import { FieldPicker, LocationPicker, LotPicker, MaterialPicker, ProductPicker, type PickerOption } from '../../app/pickers';
import { errorText, http, type Page } from './http';
import { useQualityT } from './i18n';
import { InspectionDrawer } from './InspectionDrawer';
import { StandardsTab } from './StandardsTab';

type SourceStatus = { checkType: string; state: 'ok' | 'failed' | 'expired' | 'missing' };
type Base = { id: string; code: string; name: string; regionCode: string | null; areaMu: string | null; address: string | null };
type Field = { id: string; code: string; name: string; baseName: string; crops: string[]; sourceStatus: SourceStatus[] };
type Application = {
  id: string;
  fieldCode: string;
  materialName: string;
  materialLotCode: string | null;
  dose: string;
  doseUnit: string;
  appliedOn: string;
  safeHarvestOn: string;
  operator: string;
};
type Harvest = { id: string; lotId: string; lotCode: string; fieldCode: string; harvestedOn: string; quantity: string; unit: string };
type Param = { code: string; name: string; unit: string | null; type: 'number' | 'grade' | 'boolean'; min: string | null; max: string | null; allowed: string[] };
type Standard = { id: string; code: string; name: string; checkType: string | null; active: boolean; parameters: Param[]; samplingPlan: { mode: string; sampleSize: number } };
type Inspection = {
  id: string;
  number: string;
  stage: string;
  standardName: string;
  lotId: string | null;
  inspectedOn: string;
  result: 'pass' | 'fail';
  status: 'draft' | 'signed';
  signedBy: string | null;
  lotDecision: string | null;
  values: { code: string; value: unknown; pass: boolean }[];
};
type Nc = { id: string; number: string; description: string; correctiveAction: string | null; owner: string | null; dueOn: string | null; status: 'open' | 'closed' };

const day = (d: Dayjs | undefined | null): string | undefined => d?.format('YYYY-MM-DD');

function useList<T>(url: string) {
  return useQuery({ queryKey: [url], queryFn: () => http<Page<T>>('GET', url) });
}

/** A form that POSTs and refreshes the lists; server field errors are shown under the form. */
function PostForm<V extends object>({
  testId,
  url,
  method = 'POST',
  toBody,
  children,
  submit,
  onDone,
  beforeSubmit,
}: {
  testId: string;
  url: string | ((v: V) => string);
  method?: 'POST' | 'PATCH';
  toBody: (v: V) => unknown;
  children: ReactNode;
  submit: string;
  onDone?: (res: unknown) => void;
  /** Asks before sending (a destructive action); false leaves the form as it is. */
  beforeSubmit?: (v: V) => Promise<boolean>;
}) {
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();
  const msg = useMessage();
  const t = useQualityT();
  return (
    <Form
      form={form}
      layout="inline"
      data-testid={testId}
      onFinish={async (v) => {
        setError(null);
        if (beforeSubmit && !(await beforeSubmit(v))) return;
        try {
          const res = await http<unknown>(method, typeof url === 'string' ? url : url(v), toBody(v));
          await qc.invalidateQueries();
          void msg.success(t('common.ok'));
          onDone?.(res);
        } catch (err) {
          setError(errorText(err));
        }
      }}
      style={{ rowGap: 8, marginBottom: 12 }}
    >
      {children}
      <Button type="primary" htmlType="submit" data-testid={`${testId}-submit`}>
        {submit}
      </Button>
      {error && <Alert type="error" showIcon message={error} data-testid={`${testId}-error`} style={{ width: '100%' }} />}
    </Form>
  );
}

function FieldsTab() {
  const t = useQualityT();
  const bases = useList<Base>('/api/quality/bases?pageSize=200');
  const fields = useList<Field>('/api/quality/fields?pageSize=200');
  const cols: TableColumnsType<Field> = [
    { title: t('field.code'), dataIndex: 'code' },
    { title: t('field.name'), dataIndex: 'name' },
    { title: t('field.base'), dataIndex: 'baseName' },
    { title: t('field.crops'), render: (_, r) => r.crops.join('、') },
    {
      title: t('field.source'),
      render: (_, r) => r.sourceStatus.map((s) => <Tag key={s.checkType} color={s.state === 'ok' ? 'green' : 'red'}>{`${s.checkType}: ${t(`state.${s.state}`)}`}</Tag>),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('base.create')}>
        <PostForm<{ code: string; name: string; regionCode?: string; areaMu?: string; address?: string }>
          testId="base-form"
          url="/api/quality/bases"
          submit={t('common.save')}
          toBody={(v) => ({ ...v, regionCode: v.regionCode || null, areaMu: v.areaMu || null, address: v.address || null })}
        >
          <Form.Item name="code" label={t('base.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('base.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="regionCode" label={t('base.region')}>
            <Input />
          </Form.Item>
          <Form.Item name="areaMu" label={t('base.area')}>
            <Input />
          </Form.Item>
        </PostForm>
        <Table<Base>
          size="small"
          rowKey="id"
          dataSource={bases.data?.items ?? []}
          pagination={false}
          columns={[
            { title: t('base.code'), dataIndex: 'code' },
            { title: t('base.name'), dataIndex: 'name' },
            { title: t('base.region'), dataIndex: 'regionCode' },
            { title: t('base.area'), dataIndex: 'areaMu' },
          ]}
        />
      </Card>
      <Card size="small" title={t('field.create')} extra={<a href="/api/quality/fields/export.xlsx">{t('common.export')}</a>}>
        <PostForm<{ baseId: string; code: string; name: string; crops?: string }>
          testId="field-form"
          url="/api/quality/fields"
          submit={t('common.save')}
          toBody={(v) => ({ ...v, crops: v.crops ? v.crops.split(/[,，、]/).filter(Boolean) : [] })}
        >
          <Form.Item name="baseId" label={t('field.base')} rules={[{ required: true }]}>
            <Select style={{ width: 180 }} options={(bases.data?.items ?? []).map((b) => ({ value: b.id, label: b.name }))} />
          </Form.Item>
          <Form.Item name="code" label={t('field.code')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="crops" label={t('field.crops')}>
            <Input />
          </Form.Item>
        </PostForm>
        <Table<Field> data-testid="fields-table" size="small" rowKey="id" dataSource={fields.data?.items ?? []} columns={cols} pagination={false} />
      </Card>
    </Space>
  );
}

function InputsTab() {
  const t = useQualityT();
  const apps = useList<Application>('/api/quality/input-applications?pageSize=200');
  return (
    <Card size="small" title={t('input.create')} extra={<a href="/api/quality/input-applications/export.xlsx">{t('common.export')}</a>}>
      <PostForm<{ fieldId: string; materialId: string; materialLotCode?: string; dose: string; doseUnit: string; appliedOn: Dayjs; operator: string }>
        testId="input-form"
        url="/api/quality/input-applications"
        submit={t('common.save')}
        toBody={(v) => ({ ...v, appliedOn: day(v.appliedOn), materialLotCode: v.materialLotCode || null })}
      >
        <Form.Item name="fieldId" label={t('input.field')} rules={[{ required: true }]}>
          <FieldPicker testId="input-field" />
        </Form.Item>
        <Form.Item name="materialId" label={t('input.material')} rules={[{ required: true }]}>
          <MaterialPicker testId="input-material" />
        </Form.Item>
        <Form.Item name="materialLotCode" label={t('input.lot')}>
          <Input />
        </Form.Item>
        <Form.Item name="dose" label={t('input.dose')} rules={[{ required: true }]}>
          <Input style={{ width: 80 }} />
        </Form.Item>
        <Form.Item name="doseUnit" label={t('input.unit')} initialValue="kg" rules={[{ required: true }]}>
          <Input style={{ width: 60 }} />
        </Form.Item>
        <Form.Item name="appliedOn" label={t('input.appliedOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="operator" label={t('input.operator')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
      </PostForm>
      <Table<Application>
        size="small"
        rowKey="id"
        dataSource={apps.data?.items ?? []}
        columns={[
          { title: t('input.field'), dataIndex: 'fieldCode' },
          { title: t('input.material'), dataIndex: 'materialName' },
          { title: t('input.lot'), dataIndex: 'materialLotCode' },
          { title: t('input.dose'), render: (_, r) => `${r.dose} ${r.doseUnit}` },
          { title: t('input.appliedOn'), dataIndex: 'appliedOn' },
          { title: t('input.safe'), dataIndex: 'safeHarvestOn' },
          { title: t('input.operator'), dataIndex: 'operator' },
        ]}
      />
    </Card>
  );
}

function HarvestsTab() {
  const t = useQualityT();
  const list = useList<Harvest>('/api/quality/harvests?pageSize=200');
  return (
    <Card size="small" title={t('harvest.create')} extra={<a href="/api/quality/harvests/export.xlsx">{t('common.export')}</a>}>
      <PostForm<{ fieldId: string; productId: string; quantity: string; unit: string; harvestedOn: Dayjs; locationId: string; lotCode?: string }>
        testId="harvest-form"
        url="/api/quality/harvests"
        submit={t('common.save')}
        toBody={(v) => ({ ...v, harvestedOn: day(v.harvestedOn), lotCode: v.lotCode || undefined })}
      >
        <Form.Item name="fieldId" label={t('harvest.field')} rules={[{ required: true }]}>
          <FieldPicker testId="harvest-field" />
        </Form.Item>
        <Form.Item name="productId" label={t('harvest.product')} rules={[{ required: true }]}>
          <ProductPicker testId="harvest-product" />
        </Form.Item>
        <Form.Item name="quantity" label={t('harvest.quantity')} rules={[{ required: true }]}>
          <Input style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name="unit" label={t('harvest.unit')} initialValue="kg" rules={[{ required: true }]}>
          <Input style={{ width: 60 }} />
        </Form.Item>
        <Form.Item name="harvestedOn" label={t('harvest.date')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="locationId" label={t('harvest.location')} rules={[{ required: true }]}>
          <LocationPicker testId="harvest-location" />
        </Form.Item>
        <Form.Item name="lotCode" label={t('harvest.lotCode')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
      </PostForm>
      <Table<Harvest>
        size="small"
        rowKey="id"
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('harvest.lot'), dataIndex: 'lotCode' },
          { title: t('harvest.field'), dataIndex: 'fieldCode' },
          { title: t('harvest.date'), dataIndex: 'harvestedOn' },
          { title: t('harvest.quantity'), render: (_, r) => `${r.quantity} ${r.unit}` },
        ]}
      />
    </Card>
  );
}

function InspectionsTab() {
  const t = useQualityT();
  const standards = useList<Standard>('/api/quality/standards?pageSize=200');
  const list = useList<Inspection>('/api/quality/inspections?pageSize=100');
  const [stdId, setStdId] = useState<string | null>(null);
  const [stage, setStage] = useState<string>('finished');
  const [last, setLast] = useState<Inspection | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const std = standards.data?.items.find((s) => s.id === stdId);
  type V = {
    stage: string;
    standardId: string;
    lotId?: string;
    fieldId?: string;
    inspectedOn: Dayjs;
    validUntil?: Dayjs;
    labReportNo?: string;
    sampleSize?: number | null;
    sign?: boolean;
    v: Record<string, string>;
  };
  const stages = ['source', 'in_process', 'finished', 'pre_shipment', 'returned'] as const;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('insp.create')}>
        <PostForm<V>
          testId="inspection-form"
          url="/api/quality/inspections"
          submit={t('insp.signNow')}
          onDone={(r) => setLast(r as Inspection)}
          toBody={(v) => ({
            stage: v.stage,
            standardId: v.standardId,
            lotId: v.stage === 'source' ? null : v.lotId,
            fieldId: v.stage === 'source' ? v.fieldId : null,
            inspectedOn: day(v.inspectedOn),
            validUntil: day(v.validUntil) ?? null,
            labReportNo: v.labReportNo || null,
            ...(v.sampleSize ? { sampleSize: v.sampleSize } : {}),
            values: (std?.parameters ?? []).map((p) => ({
              code: p.code,
              value: p.type === 'number' ? (v.v?.[p.code] ?? '').trim() : p.type === 'boolean' ? v.v?.[p.code] === 'true' : v.v?.[p.code],
            })),
            sign: true,
          })}
        >
          <Form.Item name="stage" label={t('insp.stage')} initialValue="finished" rules={[{ required: true }]}>
            <Select data-testid="inspection-stage" style={{ width: 130 }} onChange={setStage} options={stages.map((s) => ({ value: s, label: t(`stages.${s}`) }))} />
          </Form.Item>
          <Form.Item name="standardId" label={t('insp.standard')} rules={[{ required: true }]}>
            <Select
              data-testid="inspection-standard"
              style={{ width: 200 }}
              onChange={setStdId}
              options={(standards.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.code} ${s.name}` }))}
            />
          </Form.Item>
          {stage === 'source' ? (
            <Form.Item name="fieldId" label={t('insp.fieldId')} rules={[{ required: true }]}>
              <FieldPicker testId="inspection-field" />
            </Form.Item>
          ) : (
            <Form.Item name="lotId" label={t('insp.lot')} rules={[{ required: true }]}>
              <LotPicker testId="inspection-lot" style={{ width: 320 }} />
            </Form.Item>
          )}
          <Form.Item name="inspectedOn" label={t('insp.date')} rules={[{ required: true }]}>
            <DatePicker data-testid="inspection-date" />
          </Form.Item>
          {stage === 'source' && (
            <Form.Item name="validUntil" label={t('insp.validUntil')}>
              <DatePicker />
            </Form.Item>
          )}
          {(std?.parameters ?? []).map((p) => (
            <Form.Item key={p.code} name={['v', p.code]} label={`${p.name}${p.unit ? ` (${p.unit})` : ''}${p.max ? ` ≤ ${p.max}` : ''}`} rules={[{ required: true }]}>
              {p.type === 'grade' ? (
                <Select
                  data-testid={`inspection-value-${p.code}`}
                  style={{ width: 100 }}
                  options={p.allowed.map((a) => ({ value: a, label: a })).concat([{ value: '等外', label: '等外' }])}
                />
              ) : (
                <Input data-testid={`inspection-value-${p.code}`} style={{ width: 100 }} />
              )}
            </Form.Item>
          ))}
          <Form.Item name="sampleSize" label={t('insp.sampleSize')} tooltip={std ? t('insp.sampleMin', { n: std.samplingPlan.sampleSize }) : undefined}>
            <InputNumber
              data-testid="inspection-sample-size"
              min={1}
              max={10000}
              precision={0}
              placeholder={std ? String(std.samplingPlan.sampleSize) : undefined}
              style={{ width: 90 }}
            />
          </Form.Item>
          <Form.Item name="labReportNo" label={t('insp.labReport')}>
            <Input style={{ width: 140 }} />
          </Form.Item>
        </PostForm>
        {last && (
          <Alert
            data-testid="inspection-outcome"
            type={last.result === 'pass' ? 'success' : 'warning'}
            showIcon
            message={`${t('insp.saved', { number: last.number })} · ${t(`insp.${last.result}`)}${last.lotDecision ? ` · ${t('insp.lotStatus')}: ${t(`lotStatus.${last.lotDecision === 'hold' ? 'on_hold' : 'released'}`)}` : ''}`}
          />
        )}
      </Card>
      <DecisionCard />
      <Card size="small" title={t('tabs.inspections')} extra={<a href="/api/quality/inspections/export.xlsx">{t('common.export')}</a>}>
        <Table<Inspection>
          data-testid="inspections-table"
          size="small"
          rowKey="id"
          dataSource={list.data?.items ?? []}
          columns={[
            {
              title: t('insp.number'),
              dataIndex: 'number',
              render: (n: string, r) => (
                <a data-testid={`inspection-open-${n}`} onClick={() => setOpen(r.id)}>
                  {n}
                </a>
              ),
            },
            { title: t('insp.stage'), dataIndex: 'stage', render: (s: (typeof stages)[number]) => t(`stages.${s}`) },
            { title: t('insp.standard'), dataIndex: 'standardName' },
            { title: t('insp.date'), dataIndex: 'inspectedOn' },
            { title: t('insp.values'), render: (_, r) => r.values.map((v) => <Tag key={v.code} color={v.pass ? 'default' : 'red'}>{`${v.code}=${String(v.value)}`}</Tag>) },
            { title: t('insp.result'), dataIndex: 'result', render: (r: 'pass' | 'fail') => <Tag color={r === 'pass' ? 'green' : 'red'}>{t(`insp.${r}`)}</Tag> },
            { title: t('insp.status'), dataIndex: 'status', render: (s: 'draft' | 'signed') => t(`insp.${s}`) },
            { title: t('insp.signedBy'), dataIndex: 'signedBy' },
            { title: t('insp.decision'), dataIndex: 'lotDecision' },
          ]}
        />
      </Card>
      {open && <InspectionDrawer id={open} onClose={() => setOpen(null)} />}
    </Space>
  );
}

function DecisionCard() {
  const t = useQualityT();
  const [status, setStatus] = useState<string | null>(null);
  const [lot, setLot] = useState<PickerOption | undefined>();
  const [confirm, confirmHolder] = useConfirm();
  type V = { lotId: string; event: 'release' | 'hold' | 'reject'; reason: string; disposition?: 'rework' | 'downgrade' | 'destroy' };
  return (
    <Card size="small" title={t('decide.title')}>
      <PostForm<V>
        testId="decision-form"
        url={(v) => `/api/quality/lots/${v.lotId}/decision`}
        submit={t('common.save')}
        toBody={({ lotId: _lotId, ...rest }) => rest}
        onDone={(r) => setStatus((r as { qualityStatus: string }).qualityStatus)}
        beforeSubmit={async (v) =>
          Boolean(
            await confirm({
              title: `${t(`decide.${v.event}`)} ${lot?.code ?? ''}`,
              consequence: t(`decide.confirm.${v.event}`, {
                lot: lot?.code ?? '',
                disposition: v.disposition ? t(`decide.${v.disposition}`) : t('decide.confirm.none'),
              }),
              irreversible: v.event === 'reject',
              danger: v.event !== 'release',
              okText: t(`decide.${v.event}`),
              testId: 'decision-confirm',
            }),
          )
        }
      >
        <DecisionFields onLot={setLot} />
      </PostForm>
      {status && <Tag data-testid="lot-status">{t('decide.done', { status: t(`lotStatus.${status as 'released'}`) })}</Tag>}
      {confirmHolder}
    </Card>
  );
}

function DecisionFields({ onLot }: { onLot: (lot: PickerOption | undefined) => void }) {
  const t = useQualityT();
  return (
    <>
      <Form.Item name="lotId" label={t('decide.lotId')} rules={[{ required: true }]}>
        <LotPicker testId="decision-lot" style={{ width: 320 }} onChange={(_id, o) => onLot(o)} />
      </Form.Item>
      <Form.Item name="event" label={t('decide.event')} rules={[{ required: true }]}>
        <Select data-testid="decision-event" style={{ width: 100 }} options={(['release', 'hold', 'reject'] as const).map((e) => ({ value: e, label: t(`decide.${e}`) }))} />
      </Form.Item>
      <Form.Item name="disposition" label={t('decide.disposition')}>
        <Select allowClear style={{ width: 100 }} options={(['rework', 'downgrade', 'destroy'] as const).map((e) => ({ value: e, label: t(`decide.${e}`) }))} />
      </Form.Item>
      <Form.Item name="reason" label={t('decide.reason')} rules={[{ required: true }]}>
        <Input data-testid="decision-reason" />
      </Form.Item>
    </>
  );
}

function NcTab() {
  const t = useQualityT();
  const list = useList<Nc>('/api/quality/non-conformances?pageSize=200&status=open');
  const qc = useQueryClient();
  const [edit, setEdit] = useState<Record<string, { correctiveAction?: string; owner?: string; dueOn?: string }>>({});
  const save = async (id: string, close: boolean) => {
    await http('PATCH', `/api/quality/non-conformances/${id}`, { ...edit[id], close });
    await qc.invalidateQueries();
  };
  return (
    <Card size="small" extra={<a href="/api/quality/non-conformances/export.xlsx">{t('common.export')}</a>}>
      <Table<Nc>
        data-testid="nc-table"
        size="small"
        rowKey="id"
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('nc.number'), dataIndex: 'number' },
          { title: t('nc.description'), dataIndex: 'description' },
          {
            title: t('nc.action'),
            render: (_, r) => <Input defaultValue={r.correctiveAction ?? ''} onChange={(e) => setEdit({ ...edit, [r.id]: { ...edit[r.id], correctiveAction: e.target.value } })} />,
          },
          {
            title: t('nc.owner'),
            render: (_, r) => (
              <Input style={{ width: 100 }} defaultValue={r.owner ?? ''} onChange={(e) => setEdit({ ...edit, [r.id]: { ...edit[r.id], owner: e.target.value } })} />
            ),
          },
          {
            title: t('nc.due'),
            render: (_, r) => <DatePicker onChange={(d: Dayjs | null) => setEdit({ ...edit, [r.id]: { ...edit[r.id], dueOn: day(d) } })} placeholder={r.dueOn ?? ''} />,
          },
          {
            title: '',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => void save(r.id, false)}>
                  {t('nc.save')}
                </Button>
                <Button size="small" danger onClick={() => void save(r.id, true)}>
                  {t('nc.close')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** Bases & fields, input applications, harvest, standards, inspections (record, sign, decide) and non-conformances. */
export function QualityPage() {
  const t = useQualityT();
  return (
    <Card title={t('title')} data-testid="quality-page">
      <Tabs
        items={[
          { key: 'fields', label: t('tabs.fields'), children: <FieldsTab /> },
          { key: 'inputs', label: t('tabs.inputs'), children: <InputsTab /> },
          { key: 'harvests', label: t('tabs.harvests'), children: <HarvestsTab /> },
          { key: 'standards', label: t('tabs.standards'), children: <StandardsTab /> },
          { key: 'inspections', label: t('tabs.inspections'), children: <InspectionsTab /> },
          { key: 'ncs', label: t('tabs.ncs'), children: <NcTab /> },
        ]}
      />
    </Card>
  );
}
