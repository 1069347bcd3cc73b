import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import type { ListColumn } from '../../app/components/ListPage';
import { ProductFormDrawer } from './ProductFormDrawer';
import { useCatalogT } from './i18n';
import { LooseListPage, useRefreshList } from './page-kit';
import { MATERIAL_TYPES, PROFILE_COLORS, TEMP_PROFILES, type Product, type ProductKind } from './types';

const ENDPOINT = '/api/catalog/products';

function CatalogListPage({ kind }: { kind: ProductKind }) {
  const { t } = useTranslation();
  const ct = useCatalogT();
  const { can } = useAuth();
  const refresh = useRefreshList(ENDPOINT);
  const [editing, setEditing] = useState<{ product: Product | null } | null>(null);
  const canManage = can('catalog:manage');
  const material = kind === 'material';

  const columns: ListColumn<Product>[] = [
    { title: ct('field.code'), dataIndex: 'code', sortField: 'code' },
    { title: ct('field.name'), dataIndex: 'name', sortField: 'name', render: (_, p) => (p.active ? p.name : <span style={{ color: '#999' }}>{p.name}</span>) },
    material
      ? { title: ct('field.materialType'), dataIndex: 'materialType', render: (_, p) => (p.materialType ? ct(`materialType.${p.materialType}`) : '—') }
      : { title: ct('field.category'), dataIndex: 'category', sortField: 'category' },
    { title: ct('field.variety'), dataIndex: 'variety', render: (_, p) => p.variety ?? '—' },
    { title: ct('field.spec'), dataIndex: 'spec', render: (_, p) => [p.spec, p.grade].filter(Boolean).join(' / ') || '—' },
    {
      title: ct('field.units'),
      dataIndex: 'units',
      render: (_, p) => (
        <Space size={[0, 4]} wrap>
          {p.units.map((u) => (
            <Tag key={u.unit}>{u.unit === p.baseUnit ? u.unit : `1 ${u.unit} = ${u.factorToBase} ${p.baseUnit}`}</Tag>
          ))}
        </Space>
      ),
    },
    ...(material
      ? [
          { title: ct('field.phiDays'), dataIndex: 'phiDays', render: (_: unknown, p: Product) => p.phiDays ?? '—' },
          {
            title: ct('field.allowedUse'),
            dataIndex: 'allowedUse',
            render: (_: unknown, p: Product) => (p.allowedUse ? <Tag color="green">{ct('yes')}</Tag> : <Tag color="red">{ct('no')}</Tag>),
          },
        ]
      : [
          { title: ct('field.originRegion'), dataIndex: 'originRegionName', render: (_: unknown, p: Product) => p.originRegionName ?? '—' },
          {
            title: ct('field.tempProfile'),
            dataIndex: 'tempProfile',
            render: (_: unknown, p: Product) => (
              <Tag color={PROFILE_COLORS[p.tempProfile]}>
                {ct(`tempProfile.${p.tempProfile}`)}
                {p.tempMinC !== null || p.tempMaxC !== null ? ` ${p.tempMinC ?? ''}~${p.tempMaxC ?? ''}°C` : ''}
              </Tag>
            ),
          },
          { title: ct('field.seasonMonths'), dataIndex: 'seasonMonths', render: (_: unknown, p: Product) => (p.seasonMonths.length ? p.seasonMonths.join(',') : ct('allYear')) },
        ]),
    { title: ct('field.shelfLifeDays'), dataIndex: 'shelfLifeDays', sortField: 'shelfLifeDays', align: 'right', render: (_, p) => p.shelfLifeDays ?? '—' },
    { title: ct('field.safetyStock'), dataIndex: 'safetyStock', align: 'right', render: (_, p) => `${p.safetyStock} ${p.baseUnit}` },
    { title: ct('field.reorderPoint'), dataIndex: 'reorderPoint', align: 'right', render: (_, p) => `${p.reorderPoint} ${p.baseUnit}` },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, p) => (
        <Button type="link" size="small" onClick={() => setEditing({ product: p })}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <LooseListPage<Product>
        endpoint={ENDPOINT}
        title={material ? ct('materials') : ct('products')}
        rowKey="id"
        columns={columns}
        defaultSort="code"
        keyword={{ placeholder: ct('keyword') }}
        initialValues={{ kind }}
        toQuery={(v) => ({ ...v, kind })}
        filters={
          material ? (
            <Form.Item name="materialType">
              <Select
                allowClear
                placeholder={ct('field.materialType')}
                style={{ width: 140 }}
                options={MATERIAL_TYPES.map((m) => ({ value: m, label: ct(`materialType.${m}`) }))}
              />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="tempProfile">
                <Select allowClear placeholder={ct('field.tempProfile')} style={{ width: 140 }} options={TEMP_PROFILES.map((p) => ({ value: p, label: ct(`tempProfile.${p}`) }))} />
              </Form.Item>
              <Form.Item name="inSeason">
                <Select
                  allowClear
                  placeholder={ct('inSeason')}
                  style={{ width: 130 }}
                  options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: ct('month', { m: i + 1 }) }))}
                />
              </Form.Item>
              <Form.Item name="coldChain">
                <Select
                  allowClear
                  placeholder={ct('field.coldChain')}
                  style={{ width: 110 }}
                  options={[
                    { value: 'true', label: ct('yes') },
                    { value: 'false', label: ct('no') },
                  ]}
                />
              </Form.Item>
            </>
          )
        }
        toolbar={
          canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ product: null })} data-testid="product-create">
              {material ? ct('createMaterial') : ct('createProduct')}
            </Button>
          )
        }
      />
      <ProductFormDrawer
        open={editing !== null}
        kind={kind}
        product={editing?.product ?? null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void refresh();
        }}
      />
    </>
  );
}

/** Sellable produce: units, origin, shelf life, temperature profile, season. */
export function ProductsPage() {
  return <CatalogListPage kind="produce" />;
}

/** Farm inputs and packaging: pre-harvest interval, allowed use, safety stock, reorder point. */
export function MaterialsPage() {
  return <CatalogListPage kind="material" />;
}
