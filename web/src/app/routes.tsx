/**
 * Every page of the web app and the chunk it lives in. The portal's frame is in the first load; each
 * page, and the whole officer console, is a chunk fetched when it is first visited.
 *
 * Online services (issue 6): the portal's `apply` (the form, prefilled from the self-check, which hands
 * over its facts in the route state), `applications` and `applications/:id`; the console's `applications`
 * (the queue) and `applications/:id`. Pages and their API calls in `features/applications/`.
 */
import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { PortalLayout } from './PortalLayout';
import { NotFound, RouteError } from './RouteError';
import { Loading } from './states';

const page =
  <M,>(load: () => Promise<M>, pick: (m: M) => ComponentType) =>
  async () => ({ Component: pick(await load()) });

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <PortalLayout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      {
        index: true,
        lazy: page(
          () => import('../features/home/HomePage'),
          (m) => m.HomePage,
        ),
      },
      {
        path: 'self-check',
        lazy: page(
          () => import('../features/policy/SelfCheckPage'),
          (m) => m.SelfCheckPage,
        ),
      },
      {
        path: 'policies',
        lazy: page(
          () => import('../features/policy/PolicyListPage'),
          (m) => m.PolicyListPage,
        ),
      },
      {
        path: 'policies/:id',
        lazy: page(
          () => import('../features/policy/PolicyTextPage'),
          (m) => m.PolicyTextPage,
        ),
      },
      {
        path: 'apply',
        lazy: page(
          () => import('../features/applications/ApplyPage'),
          (m) => m.ApplyPage,
        ),
      },
      {
        path: 'applications',
        lazy: page(
          () => import('../features/applications/MyApplicationsPage'),
          (m) => m.MyApplicationsPage,
        ),
      },
      {
        path: 'applications/:id',
        lazy: page(
          () => import('../features/applications/MyApplicationPage'),
          (m) => m.MyApplicationPage,
        ),
      },
      {
        path: 'notifications',
        lazy: page(
          () => import('../features/applications/NotificationsPage'),
          (m) => m.NotificationsPage,
        ),
      },
      {
        path: 'verify-help',
        lazy: page(
          () => import('../features/documents/VerifyHelpPage'),
          (m) => m.VerifyHelpPage,
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
  {
    path: '/console',
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    lazy: page(
      () => import('../features/accounts/ConsoleLayout'),
      (m) => m.ConsoleLayout,
    ),
    children: [
      {
        // Each role's start page (features/accounts/start-page.ts).
        index: true,
        lazy: page(
          () => import('../features/accounts/ConsoleLayout'),
          (m) => m.ConsoleStart,
        ),
      },
      {
        path: 'accounts',
        lazy: page(
          () => import('../features/accounts/AccountsPage'),
          (m) => m.AccountsPage,
        ),
      },
      {
        path: 'sign-in',
        lazy: page(
          () => import('../features/accounts/SignInPage'),
          (m) => m.SignInPage,
        ),
      },
      {
        path: 'persons',
        lazy: page(
          () => import('../features/register/PersonSearchPage'),
          (m) => m.PersonSearchPage,
        ),
      },
      {
        path: 'persons/:id',
        lazy: page(
          () => import('../features/register/PersonPage'),
          (m) => m.PersonPage,
        ),
      },
      {
        path: 'households/:ref',
        lazy: page(
          () => import('../features/register/HouseholdPage'),
          (m) => m.HouseholdPage,
        ),
      },
      {
        path: 'applications',
        lazy: page(
          () => import('../features/applications/QueuePage'),
          (m) => m.QueuePage,
        ),
      },
      {
        path: 'applications/:id',
        lazy: page(
          () => import('../features/applications/OfficerApplicationPage'),
          (m) => m.OfficerApplicationPage,
        ),
      },
      {
        path: 'duplicates',
        lazy: page(
          () => import('../features/register/DuplicatesPage'),
          (m) => m.DuplicatesPage,
        ),
      },
      {
        path: 'policies/diff',
        lazy: page(
          () => import('../features/policy/PolicyDiffPage'),
          (m) => m.PolicyDiffPage,
        ),
      },
      {
        path: 'audit',
        lazy: page(
          () => import('../features/audit/AuditPage'),
          (m) => m.AuditPage,
        ),
      },
      {
        path: 'dashboard',
        lazy: page(
          () => import('../features/dashboard/DashboardPage'),
          (m) => m.DashboardPage,
        ),
      },
      {
        path: 'policies/simulate',
        lazy: page(
          () => import('../features/policy/PolicySimulationPage'),
          (m) => m.PolicySimulationPage,
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];
