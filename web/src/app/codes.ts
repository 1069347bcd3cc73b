import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from './api';

/**
 * Names of the codes shown to people, from the server's one dictionary (GET /api/codes, the same names the Excel
 * exports and PDFs use): `label('auditEntity', 'order')` → 订单. An unknown code shows as itself.
 */
export function useCodes() {
  const { i18n } = useTranslation();
  const { data } = useQuery({
    queryKey: ['codes', i18n.language],
    staleTime: Infinity,
    queryFn: () => unwrap(api.GET('/api/codes', { headers: { 'accept-language': i18n.language } })),
  });
  return {
    ready: Boolean(data),
    groups: data?.groups ?? {},
    auditActions: data?.auditActions ?? {},
    label: (group: string, code: string | null | undefined): string => (code ? (data?.groups[group]?.[code] ?? code) : ''),
    action: (code: string): string => data?.auditActions[code] ?? code,
  };
}
