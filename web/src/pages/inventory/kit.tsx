import { useQueryClient } from '@tanstack/react-query';
import { useCallback, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { rawFetch } from '../../app/api';
import { i18n } from '../../app/i18n';
import { ListPage, type ListColumn } from '../../app/components/ListPage';

/** Inventory screens' helpers until `npm run gen:api` adds the inventory endpoints to the typed client. */

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export async function jsonFetch<T>(url: string, init: { method?: 'GET' | 'POST' | 'PATCH' | 'PUT'; body?: unknown; idempotent?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotent) headers['idempotency-key'] = crypto.randomUUID();
  const response = await rawFetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export function queryString(values: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

type LooseListProps<T> = {
  endpoint: string;
  columns: ListColumn<T>[];
  rowKey: string | ((row: T) => string);
  title?: ReactNode;
  keyword?: false | { placeholder?: string };
  filters?: ReactNode;
  initialValues?: Record<string, unknown>;
  defaultSort?: string;
  toolbar?: ReactNode;
  exportable?: boolean;
  toQuery?: (values: Record<string, unknown>) => Record<string, unknown>;
  tableProps?: Record<string, unknown>;
};

/** The shared ListPage over an endpoint the generated client does not know yet. */
export const LooseListPage = ListPage as unknown as <T>(props: LooseListProps<T>) => ReactElement;

export function useRefreshList(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey.some((k) => typeof k === 'string' && k.startsWith('/api/inventory')) || q.queryKey[0] === 'inventory' }),
    [queryClient],
  );
}

type Leaves<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}` }[keyof T & string];

/** Adds the module's strings under its namespace key and returns a typed t() for them. */
export function scopedMessages<M extends Record<string, unknown>>(scope: string, messages: { 'zh-CN': M; 'en-US': M }) {
  for (const lang of ['zh-CN', 'en-US'] as const) i18n.addResourceBundle(lang, 'translation', { [scope]: messages[lang] }, true, true);
  return function useScopedT(): (key: Leaves<M>, options?: Record<string, unknown>) => string {
    const { t } = useTranslation();
    const loose = t as unknown as (key: string, options?: Record<string, unknown>) => string;
    return useCallback((key: Leaves<M>, options?: Record<string, unknown>) => loose(`${scope}.${key}`, options), [loose]);
  };
}

export type Warehouse = { id: string; code: string; name: string; tempZones: string[] };
export type Location = { id: string; warehouseId: string; warehouseCode: string; code: string; zone: string; active: boolean };
export type ProductOption = { id: string; code: string; name: string; baseUnit: string; units: { unit: string; factorToBase: string }[] };

export const LOT_STATUS_COLORS: Record<string, string> = { quarantined: 'orange', released: 'green', on_hold: 'gold', rejected: 'red' };
export const ZONES = ['frozen', 'chilled', 'cool', 'ambient'] as const;
export const REASONS = ['spoilage', 'dehydration', 'damage', 'theft', 'counting_error', 'other'] as const;
