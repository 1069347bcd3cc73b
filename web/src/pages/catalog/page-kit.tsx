import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';

/**
 * Small helpers shared by the catalog and customers screens until `npm run gen:api` adds their
 * endpoints to the typed client: a JSON fetch, a loosely typed ListPage and module-scoped strings.
 */

export { jsonFetch, LooseListPage, queryString, scopedMessages, uploadFile, type Messages, type Page } from '../../app/loose-api';

/** Refreshes every cached page of a list endpoint. */
export function useRefreshList(endpoint: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: ['list', endpoint] }), [queryClient, endpoint]);
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
