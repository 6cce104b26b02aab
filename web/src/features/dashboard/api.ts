/**
 * The officer dashboard's one call: counts of the officer's jurisdiction (or one area within it) for
 * applications submitted in a date range. Every type, state and county arrives labelled by the server.
 */
import type { DashboardAnswer as Dashboard } from '../../../../src/stats/dashboard';
import { apiGet, query } from '../../api/client';

// The answer's shape is the server's own (a type only: nothing of src/stats reaches the bundle).
export type { Dashboard };

export interface DashboardFilter {
  readonly from?: string;
  readonly to?: string;
  readonly county?: string;
}

export const dashboardKeys = {
  figures: (filter: DashboardFilter) => ['stats', 'dashboard', filter] as const,
};

export const fetchDashboard = (filter: DashboardFilter, signal?: AbortSignal) =>
  apiGet<Dashboard>(`/api/v1/stats/dashboard${query({ ...filter })}`, signal);
