import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useState } from 'react';
import { jsonFetch, queryString, type Location, type Page, type ProductOption, type Warehouse } from './kit';

type Value = { value?: string; onChange?: (v: string | undefined) => void };

export function useWarehouses() {
  return useQuery({ queryKey: ['inventory', 'warehouses'], queryFn: () => jsonFetch<Page<Warehouse>>('/api/inventory/warehouses?pageSize=200&active=true') });
}

export function useLocations(warehouseId?: string) {
  return useQuery({
    queryKey: ['inventory', 'locations', warehouseId ?? ''],
    queryFn: () => jsonFetch<Page<Location>>(`/api/inventory/locations${queryString({ pageSize: 200, active: true, warehouseId })}`),
  });
}

export function useProduct(id: string | undefined) {
  return useQuery({ queryKey: ['inventory', 'product', id], enabled: Boolean(id), queryFn: () => jsonFetch<ProductOption>(`/api/catalog/products/${id}`) });
}

export function WarehouseSelect({ value, onChange, testId, ...rest }: Value & { testId?: string } & Omit<SelectProps, 'value' | 'onChange' | 'options'>) {
  const { data } = useWarehouses();
  return (
    <Select
      data-testid={testId}
      allowClear
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      options={(data?.items ?? []).map((w) => ({ value: w.id, label: `${w.code} ${w.name}` }))}
      {...rest}
    />
  );
}

export function LocationSelect({
  value,
  onChange,
  warehouseId,
  testId,
  ...rest
}: Value & { warehouseId?: string; testId?: string } & Omit<SelectProps, 'value' | 'onChange' | 'options'>) {
  const { data } = useLocations(warehouseId);
  return (
    <Select
      data-testid={testId}
      allowClear
      showSearch
      optionFilterProp="label"
      value={value}
      onChange={onChange}
      options={(data?.items ?? []).map((l) => ({ value: l.id, label: `${l.warehouseCode} / ${l.code} (${l.zone})` }))}
      {...rest}
    />
  );
}

export function ProductSelect({ value, onChange, testId, ...rest }: Value & { testId?: string } & Omit<SelectProps, 'value' | 'onChange' | 'options'>) {
  const [q, setQ] = useState('');
  const { data } = useQuery({
    queryKey: ['inventory', 'products', q],
    queryFn: () => jsonFetch<Page<ProductOption>>(`/api/catalog/products${queryString({ pageSize: 50, q, active: true })}`),
  });
  return (
    <Select
      data-testid={testId}
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value}
      onChange={onChange}
      options={(data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }))}
      {...rest}
    />
  );
}

export function UnitSelect({ productId, value, onChange, testId }: Value & { productId?: string; testId?: string }) {
  const { data } = useProduct(productId);
  return (
    <Select
      data-testid={testId}
      value={value}
      onChange={onChange}
      options={(data?.units ?? []).map((u) => ({ value: u.unit, label: u.factorToBase === '1' ? u.unit : `${u.unit} (= ${u.factorToBase} ${data?.baseUnit ?? ''})` }))}
    />
  );
}
