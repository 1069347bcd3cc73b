import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, i18n } from '../../app/i18n';
import { ApiError, problemFromBody } from '../../app/problem';

/** Small typed fetch wrapper for the quality and trace screens (until the typed client is regenerated). */
export async function http<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'include',
    headers: { 'Accept-Language': currentLanguage(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data: unknown = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) throw new ApiError(problemFromBody(data, res.status, res.statusText));
  return data as T;
}

/** POSTs and opens the returned PDF in a new tab. */
export async function openPdf(url: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    credentials: 'include',
    headers: { 'Accept-Language': currentLanguage(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new ApiError(problemFromBody(await res.json().catch(() => null), res.status, res.statusText));
  window.open(URL.createObjectURL(await res.blob()), '_blank');
}

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

type Leaves<T, P extends string = ''> = { [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`> }[keyof T & string];

/** Registers a page folder's own strings under a scope and returns its t(). */
export function scoped<M extends Record<string, unknown>>(scope: string, messages: { 'zh-CN': M; 'en-US': M }) {
  for (const lang of ['zh-CN', 'en-US'] as const) i18n.addResourceBundle(lang, 'translation', { [scope]: messages[lang] }, true, true);
  return function useScopedT(): (key: Leaves<M>, options?: Record<string, unknown>) => string {
    const { t } = useTranslation();
    const loose = t as unknown as (key: string, options?: Record<string, unknown>) => string;
    return useCallback((key: Leaves<M>, options?: Record<string, unknown>) => loose(`${scope}.${key}`, options), [loose]);
  };
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return [err.problem.detail ?? err.problem.title, ...(err.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`)].join(' · ');
  return String(err);
}
