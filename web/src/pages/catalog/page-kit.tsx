import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useCallback, type ReactElement, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { rawFetch } from '../../app/api';
import { i18n } from '../../app/i18n';
import { ListPage, type ListColumn } from '../../app/components/ListPage';

/**
 * Small helpers shared by the catalog and customers screens until `npm run gen:api` adds their
 * endpoints to the typed client: a JSON fetch, a loosely typed ListPage and module-scoped strings.
 */

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** JSON request through the shared fetch (session, language header, problem+json errors). */
export async function jsonFetch<T>(url: string, init: { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; body?: unknown; idempotent?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotent) headers['idempotency-key'] = crypto.randomUUID();
  const response = await rawFetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** multipart/form-data upload of one file under the field name "file". */
export async function uploadFile<T>(url: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file);
  const response = await rawFetch(url, { method: 'POST', body: form });
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

/** Refreshes every cached page of a list endpoint. */
export function useRefreshList(endpoint: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: ['list', endpoint] }), [queryClient, endpoint]);
}

type Leaves<T> = { [K in keyof T & string]: T[K] extends string ? K : `${K}.${Leaves<T[K]>}` }[keyof T & string];
export type Messages<M> = { 'zh-CN': M; 'en-US': M };

/** Adds a module's strings under its namespace key and returns a typed t() for them. */
export function scopedMessages<M extends Record<string, unknown>>(scope: string, messages: Messages<M>) {
  for (const lang of ['zh-CN', 'en-US'] as const) i18n.addResourceBundle(lang, 'translation', { [scope]: messages[lang] }, true, true);
  return function useScopedT(): (key: Leaves<M>, options?: Record<string, unknown>) => string {
    const { t } = useTranslation();
    const loose = t as unknown as (key: string, options?: Record<string, unknown>) => string;
    return useCallback((key: Leaves<M>, options?: Record<string, unknown>) => loose(`${scope}.${key}`, options), [loose]);
  };
}

/** The shell's own t() (common.save …). */
export type ShellT = TFunction;

/** Fen as yuan with two decimals, e.g. 123456 → "1,234.56". */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.34" yuan → 1234 fen without floating point; null when not a valid amount. */
export function yuanToFen(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const s = String(value).trim();
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return null;
  const [yuan, cents = ''] = s.split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0'));
}

export function fenToYuan(fen: number | null | undefined): string | undefined {
  if (fen === null || fen === undefined) return undefined;
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
