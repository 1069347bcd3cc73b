import { Button, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { applyServerErrors } from '../../app/problem';
import { fenToYuan, jsonFetch, yuanToFen } from '../catalog/page-kit';
import { useCustomerT } from './i18n';
import { RegionCascader } from './RegionCascader';
import type { CustomerDetail, CustomerWrite } from './types';

type Values = {
  code?: string;
  name: string;
  kind: CustomerWrite['kind'];
  usci?: string;
  status?: 'prospect' | 'active';
  creditLimit?: string;
  overdue?: string;
  paymentTermsDays?: number;
  creditRating?: CustomerWrite['creditRating'];
  regionCode?: string | null;
  group?: string;
  minRemainingShelfLifeDays?: number | null;
  tags?: string[];
  note?: string;
};

type Props = { open: boolean; customer: CustomerDetail | null; onClose: () => void; onSaved: (c: CustomerDetail) => void };

const blank = (v: string | undefined | null) => (v && v.trim() ? v.trim() : null);

/** Create or edit a customer's master data; field errors from the server land on their fields. */
export function CustomerFormDrawer({ open, customer, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const ct = useCustomerT();
  const message = useMessage();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const initialValues: Partial<Values> = customer
    ? {
        code: customer.code,
        name: customer.name,
        kind: customer.kind,
        usci: customer.usci ?? undefined,
        creditLimit: fenToYuan(customer.creditLimitFen),
        overdue: fenToYuan(customer.overdueFen),
        paymentTermsDays: customer.paymentTermsDays,
        creditRating: customer.creditRating,
        regionCode: customer.regionCode,
        group: customer.group ?? undefined,
        minRemainingShelfLifeDays: customer.minRemainingShelfLifeDays,
        tags: customer.tags,
        note: customer.note ?? undefined,
      }
    : { kind: 'company', status: 'prospect', creditRating: 'B', paymentTermsDays: 0, tags: [] };

  const save = async (v: Values) => {
    const body: CustomerWrite = {
      ...(blank(v.code) ? { code: blank(v.code)! } : {}),
      name: v.name.trim(),
      kind: v.kind,
      usci: blank(v.usci),
      creditLimitFen: yuanToFen(v.creditLimit) ?? 0,
      overdueFen: yuanToFen(v.overdue) ?? 0,
      paymentTermsDays: v.paymentTermsDays ?? 0,
      creditRating: v.creditRating,
      regionCode: v.regionCode ?? null,
      group: blank(v.group),
      minRemainingShelfLifeDays: v.minRemainingShelfLifeDays ?? null,
      tags: v.tags ?? [],
      note: blank(v.note),
    };
    setSaving(true);
    try {
      const saved = customer
        ? await jsonFetch<CustomerDetail>(`/api/customers/${customer.id}`, { method: 'PATCH', body })
        : await jsonFetch<CustomerDetail>('/api/customers', { method: 'POST', body: { ...body, status: v.status }, idempotent: true });
      void message.success(customer ? ct('updated') : ct('created', { name: saved.name }));
      onSaved(saved);
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  const money = [{ pattern: /^\d{1,12}(\.\d{1,2})?$/, message: ct('field.creditLimit') }];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={customer ? ct('editTitle', { name: customer.name }) : ct('createTitle')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="customer-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" preserve={false} initialValues={initialValues} onFinish={(v) => void save(v)}>
        <Space.Compact block>
          <Form.Item name="code" label={ct('field.code')} style={{ width: '40%' }}>
            <Input placeholder="CU…" />
          </Form.Item>
          <Form.Item name="kind" label={ct('field.kind')} style={{ width: '60%' }} rules={[{ required: true, message: ct('required') }]}>
            <Select options={(['company', 'individual'] as const).map((k) => ({ value: k, label: ct(`kind.${k}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="name" label={ct('field.name')} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
          <Input />
        </Form.Item>
        <Form.Item name="usci" label={ct('field.usci')} normalize={(v: string) => v?.toUpperCase()}>
          <Input maxLength={18} />
        </Form.Item>
        {!customer && (
          <Form.Item name="status" label={ct('field.status')}>
            <Select options={(['prospect', 'active'] as const).map((s) => ({ value: s, label: ct(`status.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="regionCode" label={ct('field.region')}>
          <RegionCascader />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="creditLimit" label={ct('field.creditLimit')} rules={money} style={{ width: '50%' }}>
            <Input inputMode="decimal" />
          </Form.Item>
          <Form.Item name="overdue" label={ct('field.overdue')} rules={money} style={{ width: '50%' }}>
            <Input inputMode="decimal" />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="paymentTermsDays" label={ct('field.paymentTermsDays')} style={{ width: '50%' }}>
            <InputNumber min={0} max={365} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="creditRating" label={ct('field.creditRating')} style={{ width: '50%' }}>
            <Select options={['A', 'B', 'C', 'D'].map((r) => ({ value: r, label: r }))} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="group" label={ct('field.group')} style={{ width: '50%' }}>
            <Input />
          </Form.Item>
          <Form.Item name="minRemainingShelfLifeDays" label={ct('field.minShelfLife')} style={{ width: '50%' }}>
            <InputNumber min={0} max={3650} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="tags" label={ct('field.tags')}>
          <Select mode="tags" tokenSeparators={[',', ',']} />
        </Form.Item>
        <Form.Item name="note" label={ct('field.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
