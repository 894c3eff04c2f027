import type { OperationId } from '@steward/api-client';
import type { ReactNode } from 'react';
import { createBrowserRouter, Navigate, useLocation, type RouteObject } from 'react-router';
import { Forbidden, Loading, NotFound } from '../ui/states';
import { Shell } from './Shell';
import { useCan, useSession } from './session-context';

/** Signed-in pages: without a session, to the sign-in page (and back here afterwards). */
function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/** A page the role may not use says so (the navigation does not even show it). */
function RequireAccess({ needs, children }: { needs: OperationId; children: ReactNode }) {
  return useCan()(needs) ? <>{children}</> : <Forbidden />;
}

/** A lazily loaded page, shown only to roles that may call the operation it is built on. */
function page(path: string, needs: OperationId, load: () => Promise<{ default: () => ReactNode }>): RouteObject {
  return {
    path,
    HydrateFallback: Loading,
    lazy: async () => {
      const { default: Page } = await load();
      return {
        Component: () => (
          <RequireAccess needs={needs}>
            <Page />
          </RequireAccess>
        ),
      };
    },
  };
}

export const routes: RouteObject[] = [
  { path: '/login', HydrateFallback: Loading, lazy: async () => ({ Component: (await import('../pages/LoginPage')).default }) },
  {
    HydrateFallback: Loading,
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      page('/', 'getTieringSummary', () => import('../pages/home/HomePage')),
      page('/accounts', 'listAccounts', () => import('../pages/accounts/AccountsPage')),
      page('/accounts/:id', 'getAccount', () => import('../pages/accounts/AccountPage')),
      page('/tiering', 'getTieringSummary', () => import('../pages/tiering/TieringPage')),
      page('/admin/users', 'listUsers', () => import('../pages/admin/UsersPage')),
      page('/admin/partners', 'listPartners', () => import('../pages/admin/PartnersPage')),
      page('/admin/audit', 'listAuditLog', () => import('../pages/admin/AuditPage')),
      { path: '*', element: <NotFound /> },
    ],
  },
];

export const createRouter = () => createBrowserRouter(routes);
