import { Suspense, type ReactNode } from 'react';
import { Navigate, useLocation, useSearchParams } from 'react-router';
import { useAuth } from '../auth';
import { ForbiddenPage, ForcedPasswordChangePage } from '../routes';
import { PageLoading } from './PageLoading';
import { ServerUnavailable } from './ServerUnavailable';

/** Sends visitors without a session to /login, remembering where they were going; a one-time password to its change. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, unavailable, loggedOut } = useAuth();
  const location = useLocation();
  if (loading) return <PageLoading fullScreen />;
  if (unavailable) return <ServerUnavailable />;
  if (!user) {
    const next = location.pathname + location.search;
    const to = loggedOut || next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }
  // A one-time password (admin-created or reset account): nothing but the password change until it is changed.
  if (user.mustChangePassword)
    return (
      <Suspense fallback={<PageLoading fullScreen />}>
        <ForcedPasswordChangePage />
      </Suspense>
    );
  return children;
}

/** Only a safe same-site path is accepted as a post-login target. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/** The login page is pointless with a session: go where the user was headed. */
export function PublicOnly({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const [params] = useSearchParams();
  if (loading) return <PageLoading fullScreen />;
  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;
  return children;
}

/** Renders the 403 page in place when the user lacks the route's permission. */
export function RequirePermission({ permission, children }: { permission?: string; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <ForbiddenPage />;
}
