import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import type { ComponentProps } from 'react';
import { LocationPicker, ProductPicker } from '../../app/pickers';
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

/** Bins: the shared search picker (warehouse / bin code). */
export function LocationSelect(props: ComponentProps<typeof LocationPicker>) {
  return <LocationPicker {...props} />;
}

/** Products and materials: the shared search picker over every kind. */
export function ProductSelect(props: Omit<ComponentProps<typeof ProductPicker>, 'kind'>) {
  return <ProductPicker kind={null} {...props} />;
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
