import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

/** Inventory screens' helpers until `npm run gen:api` adds the inventory endpoints to the typed client. */

export { jsonFetch, LooseListPage, queryString, scopedMessages, type Page } from '../../app/loose-api';

export function useRefreshList(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey.some((k) => typeof k === 'string' && k.startsWith('/api/inventory')) || q.queryKey[0] === 'inventory' }),
    [queryClient],
  );
}

export type Warehouse = { id: string; code: string; name: string; tempZones: string[] };
export type Location = { id: string; warehouseId: string; warehouseCode: string; code: string; zone: string; active: boolean };
export type ProductOption = { id: string; code: string; name: string; baseUnit: string; tempProfile?: string; units: { unit: string; factorToBase: string }[] };

export const LOT_STATUS_COLORS: Record<string, string> = { quarantined: 'orange', released: 'green', on_hold: 'gold', rejected: 'red' };
export const ZONES = ['frozen', 'chilled', 'cool', 'ambient'] as const;
export const REASONS = ['spoilage', 'dehydration', 'damage', 'theft', 'counting_error', 'other'] as const;
