import { Suspense, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { useAuth } from './auth';
import { AppShell } from './components/AppShell';
import { PageLoading } from './components/PageLoading';
import { RouteErrorPage } from './components/RouteErrorPage';
import { PublicOnly, RequireAuth, RequirePermission } from './components/RouteGuards';
import { APP_PAGES, ForbiddenPage, LoginPage, NotFoundPage, PublicTracePage } from './routes';

function Lazy({ page: Page }: { page: ComponentType }) {
  return (
    <Suspense fallback={<PageLoading />}>
      <Page />
    </Suspense>
  );
}

/** `/admin` alone opens the first admin screen the user may see. */
function AdminIndex() {
  const { can } = useAuth();
  const first = APP_PAGES.find((page) => page.path.startsWith('/admin/') && can(page.permission));
  return first ? <Navigate to={first.path} replace /> : <ForbiddenPage />;
}

const shellChildren: RouteObject[] = [
  ...APP_PAGES.map((page): RouteObject => ({
    path: page.path,
    element: (
      <RequirePermission permission={page.permission}>
        <page.component />
      </RequirePermission>
    ),
  })),
  { path: '/admin', element: <AdminIndex /> },
  { path: '/403', element: <ForbiddenPage /> },
  { path: '/404', element: <NotFoundPage /> },
  { path: '*', element: <NotFoundPage /> },
];

export const router = createBrowserRouter([
  {
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/t/:code', element: <Lazy page={PublicTracePage} /> },
      // GS1 Digital Link paths the server could not resolve (it answers 404 with this app): the same not-found trace page
      { path: '/01/:code/*', element: <Lazy page={PublicTracePage} /> },
      {
        path: '/login',
        element: (
          <PublicOnly>
            <Lazy page={LoginPage} />
          </PublicOnly>
        ),
      },
      {
        element: (
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        ),
        children: shellChildren,
      },
    ],
  },
]);
