import { rawFetch } from '../../app/api';
import { jsonFetch, scopedMessages } from '../../app/loose-api';
import { ApiError } from '../../app/problem';

/** JSON call for the quality and trace screens, through the shared fetch (session, language, problem+json errors). */
export function http<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<T> {
  return jsonFetch<T>(url, { method, body });
}

/** GETs or POSTs and opens the returned PDF in a new tab. */
export async function openPdf(url: string, body?: unknown): Promise<void> {
  const res = await rawFetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  window.open(URL.createObjectURL(await res.blob()), '_blank');
}

export type { Page } from '../../app/loose-api';

/** Registers a page folder's own strings under a scope and returns its t(). */
export const scoped = scopedMessages;

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return [err.problem.detail ?? err.problem.title, ...(err.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`)].join(' · ');
  return String(err);
}
