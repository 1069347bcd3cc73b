import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setUnauthorizedHandler, unwrap } from './api';
import type { Me, RequestBodyOf } from './api-models';
import { changeLanguage, isLanguage, storedLanguage } from './i18n';
import { ApiError } from './problem';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

type Credentials = RequestBodyOf<'/api/auth/login', 'post'>;

type AuthContextValue = {
  /** null when nobody is logged in. */
  user: Me | null;
  loading: boolean;
  /** The session could not be checked (server down or failing), as opposed to "not logged in". */
  unavailable: boolean;
  /** True after an explicit logout (as opposed to an expired session), so no `?next=` is kept. */
  loggedOut: boolean;
  /** True when no permission is required or the user holds it. */
  can: (permission: string | undefined) => boolean;
  login: (credentials: Credentials) => Promise<Me>;
  logout: () => Promise<void>;
};

const AuthContext = createContext<AuthContextValue | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    const { user } = await unwrap(api.GET('/api/auth/me'));
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Follows the account's language unless the user picked one on this device. */
function adoptAccountLanguage(user: Me): void {
  if (storedLanguage() === null && isLanguage(user.locale)) void changeLanguage(user.locale, false);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({ queryKey: ME_QUERY_KEY, queryFn: fetchMe, staleTime: Infinity });
  const user = meQuery.data ?? null;
  const [loggedOut, setLoggedOut] = useState(false);

  const forgetSession = useCallback(() => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_QUERY_KEY[0] });
    queryClient.setQueryData(ME_QUERY_KEY, null);
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler(forgetSession);
    return () => setUnauthorizedHandler(null);
  }, [forgetSession]);

  useEffect(() => {
    if (user) adoptAccountLanguage(user);
  }, [user]);

  const login = useCallback(
    async (credentials: Credentials) => {
      const { user: me } = await unwrap(api.POST('/api/auth/login', { body: credentials }));
      setLoggedOut(false);
      queryClient.setQueryData(ME_QUERY_KEY, me);
      return me;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout');
    } finally {
      setLoggedOut(true);
      forgetSession();
    }
  }, [forgetSession]);

  const value = useMemo<AuthContextValue>(() => {
    const granted = new Set(user?.permissions ?? []);
    return {
      user,
      loading: meQuery.isPending,
      unavailable: meQuery.isError && meQuery.data === undefined,
      loggedOut,
      can: (permission) => permission === undefined || granted.has(permission),
      login,
      logout,
    };
  }, [user, meQuery.isPending, meQuery.isError, meQuery.data, loggedOut, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
