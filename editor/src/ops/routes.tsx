import { Navigate, type RouteObject } from 'react-router';
import { AccountPage } from './accounts/account-page.js';
import { ImportPage } from './accounts/import-page.js';
import { AccountListPage } from './accounts/list-page.js';
import { DashboardPage } from './dashboard/dashboard-page.js';
import { InboxPage } from './inbox/inbox-page.js';
import { CaughtMailPage, CaughtMessagePage } from './outbox/caught-page.js';
import { DeliveriesPage } from './outbox/deliveries-page.js';
import { DeliveryPage } from './outbox/delivery-page.js';
import { RunsPage } from './runs/runs-page.js';
import { AccountFieldsPage } from './settings/account-fields-page.js';
import { AuditPage } from './settings/audit-page.js';
import { CsmProfilesPage } from './settings/csm-profiles-page.js';
import { ScorecardPage } from './settings/scorecard-page.js';
import { SendingPage } from './settings/sending-page.js';
import { TokensPage } from './settings/tokens-page.js';
import { UsersPage } from './settings/users-page.js';
import { TasksPage } from './tasks/tasks-page.js';

/** The operations pages, as children of the shell's layout (editor/src/app/routes.tsx spreads them in). */
export const opsRoutes: RouteObject[] = [
  { path: 'dashboard', element: <DashboardPage /> },
  // One route for the list and the chosen approval: choosing one keeps the list where it is.
  { path: 'inbox/:approvalId?', element: <InboxPage /> },
  { path: 'tasks', element: <TasksPage /> },
  { path: 'accounts', element: <AccountListPage /> },
  { path: 'accounts/import', element: <ImportPage /> },
  { path: 'accounts/:accountId', element: <AccountPage /> },
  { path: 'runs', element: <RunsPage /> },
  { path: 'outbox', element: <DeliveriesPage /> },
  { path: 'outbox/caught', element: <CaughtMailPage /> },
  { path: 'outbox/caught/:messageId', element: <CaughtMessagePage /> },
  { path: 'outbox/:deliveryId', element: <DeliveryPage /> },
  { path: 'settings', element: <Navigate to="/settings/scorecard" replace /> },
  { path: 'settings/scorecard', element: <ScorecardPage /> },
  { path: 'settings/sending', element: <SendingPage /> },
  { path: 'settings/csms', element: <CsmProfilesPage /> },
  { path: 'settings/users', element: <UsersPage /> },
  { path: 'settings/account-fields', element: <AccountFieldsPage /> },
  { path: 'settings/tokens', element: <TokensPage /> },
  { path: 'settings/audit', element: <AuditPage /> },
];
