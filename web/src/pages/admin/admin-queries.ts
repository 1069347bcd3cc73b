import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../app/api';

export const ROLES_QUERY_KEY = ['admin', 'roles'] as const;

/** Roles with names in the current language (shared by the users and roles screens). */
export function useRoles() {
  return useQuery({
    queryKey: ROLES_QUERY_KEY,
    queryFn: async () => (await unwrap(api.GET('/api/admin/roles'))).items,
    staleTime: 5 * 60_000,
  });
}
