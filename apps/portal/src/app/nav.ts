// Every page in the navigation, in order, with the operation that decides who sees it. Plain data
// (no JSX) so that the end-to-end tests read the same list the shell draws.
import type { OperationId } from '@steward/api-client';

export interface NavPage {
  key: string;
  /** Catalog key of the label. */
  label: string;
  /** The operation the page is built on: the item shows only when the role may call it. */
  needs: OperationId;
}

export const NAV: readonly NavPage[] = [
  { key: '/', label: 'nav.home', needs: 'getTieringSummary' },
  { key: '/accounts', label: 'nav.accounts', needs: 'listAccounts' },
  { key: '/tiering', label: 'nav.tiering', needs: 'getTieringSummary' },
  { key: '/admin/users', label: 'nav.users', needs: 'listUsers' },
  { key: '/admin/partners', label: 'nav.partners', needs: 'listPartners' },
  { key: '/admin/audit', label: 'nav.audit', needs: 'listAuditLog' },
];
