import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select, Space, Typography, type SelectProps } from 'antd';
import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { fetchList } from './api';
import type { ListFilters, ListPath, ListRow } from './api-models';
import { parseScan, type Scan } from './gs1';
import { scopedMessages } from './loose-api';

/**
 * Search pickers: no screen asks for an internal ID. Each picker searches a list endpoint with `q=` as the user types
 * and shows code + name; the form receives the record's id. Keyboard: type to search, arrows to move, Enter to pick,
 * Esc to close. The lot picker also takes a scanned or pasted GS1 barcode text (see gs1.ts) and picks the lot itself
 * when the scan names exactly one.
 */

const usePickerT = scopedMessages('pickers', {
  'zh-CN': {
    lot: '输入或扫描批次号 / GS1 条码',
    product: '搜索产品编码或名称',
    material: '搜索物料编码或名称',
    field: '搜索地块编码或名称',
    location: '搜索库位编码',
    noMatch: '没有匹配的记录',
    scanNoLot: '条码中没有批次号 (10)',
    scanned: '已按条码批次 {{lot}} 查找',
    onHand: '在库 {{qty}}',
    expires: '到期 {{date}}',
    zone: { frozen: '冷冻', chilled: '冷藏', cool: '阴凉', ambient: '常温' },
  },
  'en-US': {
    lot: 'Type or scan a lot code / GS1 barcode',
    product: 'Search product code or name',
    material: 'Search material code or name',
    field: 'Search field code or name',
    location: 'Search bin code',
    noMatch: 'No matching records',
    scanNoLot: 'The barcode holds no lot number (10)',
    scanned: 'Searched by the barcode lot {{lot}}',
    onHand: 'on hand {{qty}}',
    expires: 'expires {{date}}',
    zone: { frozen: 'Frozen', chilled: 'Chilled', cool: 'Cool', ambient: 'Ambient' },
  },
});

export type PickerOption = { value: string; code: string; name: string; extra?: string };

type PickerValue = { value?: string | null; onChange?: (id: string | undefined, option?: PickerOption) => void };
type PickerLook = {
  testId?: string;
  placeholder?: string;
  style?: CSSProperties;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  /** The label of an initial value that the first page of results may not hold. */
  initialLabel?: string;
  'aria-label'?: string;
};

type SearchPickerProps<P extends ListPath> = PickerValue &
  PickerLook & {
    endpoint: P;
    filters?: ListFilters<P>;
    toOption: (row: ListRow<P>) => PickerOption;
    /** Turns what was typed into the `q` sent; null searches nothing. */
    searchText?: (typed: string) => string | null;
    enabled?: boolean;
    pageSize?: number;
    onTyped?: (typed: string) => void;
    /** The option to pick by itself once a search's results arrive (a scan that names one record). */
    autoPick?: (options: PickerOption[], typed: string) => PickerOption | undefined;
    /** Shown instead of "no match" (e.g. what a scan was read as). */
    notice?: string | null;
  };

const ZONES = new Set(['frozen', 'chilled', 'cool', 'ambient']);
const labelOf = (o: PickerOption): string => (o.name ? `${o.code} ${o.name}` : o.code);

/** The one search picker every ID field uses. */
export function SearchPicker<P extends ListPath>({
  endpoint,
  filters,
  toOption,
  searchText = (s) => s.trim(),
  enabled = true,
  pageSize = 20,
  onTyped,
  autoPick,
  notice,
  value,
  onChange,
  testId,
  placeholder,
  style,
  allowClear = true,
  disabled,
  id,
  initialLabel,
  'aria-label': ariaLabel,
}: SearchPickerProps<P>) {
  const t = usePickerT();
  const [typed, setTyped] = useState('');
  const [open, setOpen] = useState(false);
  const q = searchText(typed);
  const seen = useRef(new Map<string, PickerOption>());
  const { data, isFetching } = useQuery({
    queryKey: ['picker', endpoint, filters ?? {}, q],
    enabled: enabled && q !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    queryFn: async () => (await fetchList(endpoint, { ...(filters ?? ({} as ListFilters<P>)), q: q || undefined, pageSize })).items.map(toOption),
  });
  const found = useMemo(() => (q === null ? [] : (data ?? [])), [data, q]);
  for (const o of found) seen.current.set(o.value, o);
  const pick = (v: string | undefined) => {
    setTyped('');
    onTyped?.('');
    onChange?.(v, v ? seen.current.get(v) : undefined);
  };
  useEffect(() => {
    if (isFetching || !data || !typed || !autoPick) return;
    const chosen = autoPick(data, typed);
    if (chosen) {
      seen.current.set(chosen.value, chosen);
      pick(chosen.value);
      setOpen(false);
    }
    // only when a search's results arrive
  }, [data, isFetching]);
  const options: SelectProps['options'] = found.map((o) => ({ value: o.value, label: labelOf(o), data: o }));
  if (value && !found.some((o) => o.value === value)) {
    const known = seen.current.get(value);
    options.unshift({ value, label: known ? labelOf(known) : (initialLabel ?? '…'), data: known });
  }
  return (
    <Select
      id={id}
      data-testid={testId}
      aria-label={ariaLabel ?? placeholder}
      showSearch={{
        filterOption: false,
        searchValue: typed,
        onSearch: (text) => {
          setTyped(text);
          onTyped?.(text);
        },
      }}
      open={open}
      onOpenChange={setOpen}
      value={value ?? undefined}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      loading={isFetching}
      style={{ minWidth: 240, ...style }}
      popupMatchSelectWidth={false}
      notFoundContent={isFetching ? undefined : (notice ?? t('noMatch'))}
      onChange={(v: string | undefined) => pick(v)}
      options={options}
      optionRender={(opt) => {
        const o = (opt.data as { data?: PickerOption }).data;
        if (!o) return opt.label;
        return (
          <Space size={6}>
            <Typography.Text strong>{o.code}</Typography.Text>
            <span>{o.name}</span>
            {o.extra && <Typography.Text type="secondary">{o.extra}</Typography.Text>}
          </Space>
        );
      }}
    />
  );
}

type LotRow = ListRow<'/api/inventory/lots'>;
type LotFilters = ListFilters<'/api/inventory/lots'>;

/**
 * Lots by lot code; a GS1 scan (element string, raw FNC1 scan, Digital Link) searches by its lot (10), narrowed to
 * the product of its GTIN (01) when one is known, and a scan that names exactly one lot picks it.
 */
export function LotPicker({ status, inStock, productId, ...rest }: PickerValue & PickerLook & { status?: LotFilters['status']; inStock?: boolean; productId?: string }) {
  const t = usePickerT();
  const [scan, setScan] = useState<Scan | null>(null);
  const gtinProduct = useQuery({
    queryKey: ['picker', 'gtin', scan?.gtin],
    enabled: Boolean(scan?.gtin) && !productId,
    staleTime: 60_000,
    queryFn: async () =>
      (await fetchList('/api/catalog/products', { q: scan!.gtin, pageSize: 5 })).items.find((p) => p.gtin && p.gtin.padStart(14, '0') === scan!.gtin)?.id ?? null,
  });
  const byProduct = productId ?? gtinProduct.data ?? undefined;
  const waitingForGtin = Boolean(scan?.gtin) && !productId && gtinProduct.isPending;
  const notice = scan ? (scan.lot ? t('scanned', { lot: scan.lot }) : t('scanNoLot')) : null;
  return (
    <SearchPicker
      endpoint="/api/inventory/lots"
      filters={{ status, inStock: inStock === undefined ? undefined : inStock ? 'true' : 'false', productId: byProduct }}
      enabled={!waitingForGtin}
      placeholder={rest.placeholder ?? t('lot')}
      searchText={(typed) => {
        const s = parseScan(typed);
        return s.kind === 'plain' ? typed.trim() : (s.lot ?? null);
      }}
      onTyped={(typed) => {
        const s = parseScan(typed);
        setScan(s.kind === 'plain' ? null : s);
      }}
      autoPick={(options, typed) => {
        const s = parseScan(typed);
        if (s.kind === 'plain' || !s.lot) return undefined;
        const exact = options.filter((o) => o.code === s.lot);
        return exact.length === 1 ? exact[0] : undefined;
      }}
      notice={notice}
      toOption={(l: LotRow) => ({
        value: l.id,
        code: l.lotCode,
        name: `${l.productCode ?? ''} ${l.productName ?? ''}`.trim(),
        extra: `${t('onHand', { qty: `${l.onHand} ${l.unit ?? ''}`.trim() })} · ${t('expires', { date: l.expiryDate })}`,
      })}
      {...rest}
    />
  );
}

type ProductRow = ListRow<'/api/catalog/products'>;
const productOption = (p: ProductRow): PickerOption => ({ value: p.id, code: p.code, name: p.name, extra: p.spec ?? undefined });

/** Products by code, name or GTIN: produce by default, `kind={null}` for every kind. */
export function ProductPicker({ activeOnly = true, kind = 'produce', ...rest }: PickerValue & PickerLook & { activeOnly?: boolean; kind?: 'produce' | 'material' | null }) {
  const t = usePickerT();
  return (
    <SearchPicker
      endpoint="/api/catalog/products"
      filters={{ kind: kind ?? undefined, active: activeOnly ? 'true' : undefined }}
      toOption={productOption}
      placeholder={rest.placeholder ?? t('product')}
      {...rest}
    />
  );
}

/** Farm inputs (seeds, fertilisers, pesticides, packaging) by code or name. */
export function MaterialPicker({ materialType, ...rest }: PickerValue & PickerLook & { materialType?: ListFilters<'/api/catalog/products'>['materialType'] }) {
  const t = usePickerT();
  return (
    <SearchPicker
      endpoint="/api/catalog/products"
      filters={{ kind: 'material', materialType, active: 'true' }}
      toOption={productOption}
      placeholder={rest.placeholder ?? t('material')}
      {...rest}
    />
  );
}

/** Fields (plots) by code or name, with their base. */
export function FieldPicker(props: PickerValue & PickerLook) {
  const t = usePickerT();
  return (
    <SearchPicker
      endpoint="/api/quality/fields"
      toOption={(f: ListRow<'/api/quality/fields'>) => ({ value: f.id, code: f.code, name: f.name, extra: f.baseName })}
      placeholder={props.placeholder ?? t('field')}
      {...props}
    />
  );
}

/** Bins by code, shown as warehouse / bin (zone). */
export function LocationPicker({ warehouseId, ...rest }: PickerValue & PickerLook & { warehouseId?: string }) {
  const t = usePickerT();
  return (
    <SearchPicker
      endpoint="/api/inventory/locations"
      filters={{ warehouseId, active: 'true' }}
      toOption={(l: ListRow<'/api/inventory/locations'>) => ({
        value: l.id,
        code: `${l.warehouseCode} / ${l.code}`,
        name: '',
        extra: ZONES.has(l.zone) ? t(`zone.${l.zone as 'frozen'}`) : l.zone,
      })}
      placeholder={rest.placeholder ?? t('location')}
      {...rest}
    />
  );
}
