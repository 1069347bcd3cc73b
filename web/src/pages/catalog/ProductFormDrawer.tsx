import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Divider, Drawer, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/feedback';
import { applyServerErrors } from '../../app/problem';
import { RegionCascader } from '../customers/RegionCascader';
import { useCatalogT } from './i18n';
import { jsonFetch } from './page-kit';
import { MATERIAL_TYPES, TEMP_PROFILES, type Product, type ProductKind, type ProductWrite } from './types';

type Props = { open: boolean; kind: ProductKind; product: Product | null; onClose: () => void; onSaved: (p: Product) => void };

const QTY = /^\d{1,11}(\.\d{1,3})?$/;
const blank = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

/** Create or edit a product or material, with its units and exact conversion factors. */
export function ProductFormDrawer({ open, kind, product, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const ct = useCatalogT();
  const message = useMessage();
  const [form] = Form.useForm<ProductWrite>();
  const [saving, setSaving] = useState(false);
  const materialType = Form.useWatch('materialType', form);
  const baseUnit = Form.useWatch('baseUnit', form);

  const initialValues: Partial<ProductWrite> = product
    ? { ...product, units: product.units.filter((u) => u.unit !== product.baseUnit) }
    : { kind, tempProfile: 'ambient', labelStandard: 'bulk', units: [], seasonMonths: [], active: true, allowedUse: true, safetyStock: '0', reorderPoint: '0', baseUnit: 'kg' };

  const save = async (v: ProductWrite) => {
    const body: ProductWrite = {
      ...v,
      kind: product?.kind ?? kind,
      nameEn: blank(v.nameEn),
      variety: blank(v.variety),
      spec: blank(v.spec),
      grade: blank(v.grade),
      gtin: blank(v.gtin),
      storageConditions: blank(v.storageConditions),
      materialType: (product?.kind ?? kind) === 'material' ? v.materialType : null,
      phiDays: v.materialType === 'pesticide' ? (v.phiDays ?? null) : null,
      units: (v.units ?? []).map((u) => ({ unit: u.unit, factorToBase: String(u.factorToBase), sellable: u.sellable ?? true })),
    };
    setSaving(true);
    try {
      const saved = product
        ? await jsonFetch<Product>(`/api/catalog/products/${product.id}`, { method: 'PATCH', body })
        : await jsonFetch<Product>('/api/catalog/products', { method: 'POST', body, idempotent: true });
      void message.success(product ? ct('saved') : ct('created', { name: saved.name }));
      onSaved(saved);
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  const isMaterial = (product?.kind ?? kind) === 'material';
  const qtyRule = [{ pattern: QTY, message: ct('field.safetyStock') }];
  const yesNo = (name: keyof ProductWrite, label: string) => (
    <Form.Item name={name} label={label} valuePropName="checked" style={{ marginRight: 24 }}>
      <Switch />
    </Form.Item>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      destroyOnHidden
      title={product ? ct('editTitle', { name: product.name }) : isMaterial ? ct('createMaterial') : ct('createProduct')}
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="product-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<ProductWrite> form={form} layout="vertical" preserve={false} initialValues={initialValues} onFinish={(v) => void save(v)}>
        <Space.Compact block>
          <Form.Item name="code" label={ct('field.code')} style={{ width: '35%' }} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{1,32}$/, message: ct('required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={ct('field.name')} style={{ width: '65%' }} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="nameEn" label={ct('field.nameEn')} style={{ width: '50%' }}>
            <Input />
          </Form.Item>
          <Form.Item name="category" label={ct('field.category')} style={{ width: '50%' }} rules={[{ required: true, whitespace: true, message: ct('required') }]}>
            <Input />
          </Form.Item>
        </Space.Compact>
        {isMaterial && (
          <Space.Compact block>
            <Form.Item name="materialType" label={ct('field.materialType')} style={{ width: '50%' }} rules={[{ required: true, message: ct('required') }]}>
              <Select options={MATERIAL_TYPES.map((m) => ({ value: m, label: ct(`materialType.${m}`) }))} />
            </Form.Item>
            <Form.Item name="phiDays" label={ct('field.phiDays')} style={{ width: '50%' }}>
              <InputNumber min={0} max={365} precision={0} disabled={materialType !== 'pesticide'} style={{ width: '100%' }} />
            </Form.Item>
          </Space.Compact>
        )}
        <Space.Compact block>
          <Form.Item name="variety" label={ct('field.variety')} style={{ width: '34%' }}>
            <Input />
          </Form.Item>
          <Form.Item name="spec" label={ct('field.spec')} style={{ width: '33%' }}>
            <Input />
          </Form.Item>
          <Form.Item name="grade" label={ct('field.grade')} style={{ width: '33%' }}>
            <Input />
          </Form.Item>
        </Space.Compact>

        <Divider titlePlacement="start">{ct('field.units')}</Divider>
        <Form.Item name="baseUnit" label={ct('field.baseUnit')} rules={[{ required: true, whitespace: true, message: ct('required') }]} extra={ct('unitHint')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.List name="units">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <span>1</span>
                  <Form.Item name={[field.name, 'unit']} rules={[{ required: true, message: ct('required') }]}>
                    <Input placeholder={ct('field.unit')} style={{ width: 90 }} />
                  </Form.Item>
                  <span>=</span>
                  <Form.Item name={[field.name, 'factorToBase']} rules={[{ required: true, pattern: /^\d{1,9}(\.\d{1,6})?$/, message: ct('field.factor') }]}>
                    <Input placeholder={ct('field.factor')} style={{ width: 120 }} />
                  </Form.Item>
                  <span>{baseUnit}</span>
                  <Form.Item name={[field.name, 'sellable']} valuePropName="checked" initialValue>
                    <Checkbox>{ct('field.sellable')}</Checkbox>
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ sellable: !isMaterial })}>
                {ct('addUnit')}
              </Button>
            </>
          )}
        </Form.List>

        <Divider titlePlacement="start">{ct('field.storageConditions')}</Divider>
        <Space.Compact block>
          <Form.Item name="originRegion" label={ct('field.originRegion')} style={{ width: '60%' }}>
            <RegionCascader />
          </Form.Item>
          <Form.Item name="shelfLifeDays" label={ct('field.shelfLifeDays')} style={{ width: '40%' }}>
            <InputNumber min={1} max={3650} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="tempProfile" label={ct('field.tempProfile')} style={{ width: '40%' }}>
            <Select options={TEMP_PROFILES.map((p) => ({ value: p, label: ct(`tempProfile.${p}`) }))} />
          </Form.Item>
          <Form.Item name="tempMinC" label={ct('field.tempMinC')} style={{ width: '30%' }}>
            <InputNumber min={-60} max={60} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="tempMaxC" label={ct('field.tempMaxC')} style={{ width: '30%' }}>
            <InputNumber min={-60} max={60} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="storageConditions" label={ct('field.storageConditions')}>
          <Input />
        </Form.Item>
        <Form.Item name="seasonMonths" label={ct('field.seasonMonths')} extra={ct('allYear')}>
          <Checkbox.Group options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: String(i + 1) }))} />
        </Form.Item>
        <Space wrap>
          {yesNo('coldChain', ct('field.coldChain'))}
          {yesNo('catchWeight', ct('field.catchWeight'))}
          {yesNo('prepackaged', ct('field.prepackaged'))}
          {isMaterial && yesNo('allowedUse', ct('field.allowedUse'))}
          {yesNo('active', ct('field.active'))}
        </Space>
        <Space.Compact block>
          <Form.Item name="gtin" label={ct('field.gtin')} style={{ width: '50%' }}>
            <Input maxLength={14} />
          </Form.Item>
          <Form.Item name="labelStandard" label={ct('field.labelStandard')} style={{ width: '50%' }}>
            <Select options={(['GB7718-2011', 'GB7718-2025', 'bulk'] as const).map((l) => ({ value: l, label: ct(`labelStandard.${l}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block>
          <Form.Item name="safetyStock" label={`${ct('field.safetyStock')} (${baseUnit ?? ''})`} style={{ width: '50%' }} rules={qtyRule}>
            <Input />
          </Form.Item>
          <Form.Item name="reorderPoint" label={`${ct('field.reorderPoint')} (${baseUnit ?? ''})`} style={{ width: '50%' }} rules={qtyRule}>
            <Input />
          </Form.Item>
        </Space.Compact>
      </Form>
    </Drawer>
  );
}
