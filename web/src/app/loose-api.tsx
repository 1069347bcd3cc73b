import type { ReactElement, ReactNode } from 'react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { rawFetch } from './api';
import { i18n } from './i18n';
import type { UrlFilters } from './list-url';
import { ListPage, type ListColumn } from './components/ListPage';

/**
 * Loosely typed access to endpoints for module screens: a JSON fetch through the shared client (session, language,
 * problem+json errors), a ListPage over any endpoint, and module-scoped strings. Prefer the generated `api` client.
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
  urlFilters?: UrlFilters;
  defaultSort?: string;
  toolbar?: ReactNode;
  exportable?: boolean;
  toQuery?: (values: Record<string, unknown>) => Record<string, unknown>;
  tableProps?: Record<string, unknown>;
};

/** The shared ListPage over an endpoint the generated client does not know yet. */
export const LooseListPage = ListPage as unknown as <T>(props: LooseListProps<T>) => ReactElement;

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
