/**
 * The officer dashboard's one call: counts of the officer's jurisdiction (or one area within it) for
 * applications submitted in a date range. Every type, state and county arrives labelled by the server.
 */
import { apiGet, query } from '../../api/client';
import type { LocalText } from '../../app/lang';

export interface DashboardFilter {
  readonly from?: string;
  readonly to?: string;
  readonly county?: string;
}

/** A workflow state's id: the server labels each one (`states`), so it is never shown. */
export type State = string;

export interface Dashboard {
  readonly scope: {
    readonly area: string;
    readonly areaName: string;
    readonly from: string | null;
    readonly to: string | null;
    readonly asOf: string;
  };
  readonly totals: {
    readonly applications: number;
    readonly open: number;
    readonly finished: number;
    readonly withdrawn: number;
    readonly overdue: number;
    readonly settlementsApproved: number;
    readonly personsMovedIn: number;
  };
  readonly states: readonly { readonly state: State; readonly label: LocalText }[];
  readonly byType: readonly {
    readonly typeId: string;
    readonly label: LocalText;
    readonly total: number;
    readonly counts: Readonly<Record<State, number>>;
  }[];
  readonly compliance: {
    readonly dueSoonWorkingDays: number;
    readonly finished: { readonly withinLimit: number; readonly afterLimit: number };
    readonly open: {
      readonly onTime: number;
      readonly dueSoon: number;
      readonly overdue: number;
      readonly paused: number;
    };
  };
  readonly counties: readonly {
    readonly countyCode: string;
    readonly name: string;
    readonly settlementsApproved: number;
    readonly personsMovedIn: number;
  }[];
  readonly areas: readonly { readonly code: string; readonly name: string }[];
}

export const dashboardKeys = {
  figures: (filter: DashboardFilter) => ['stats', 'dashboard', filter] as const,
};

export const fetchDashboard = (filter: DashboardFilter, signal?: AbortSignal) =>
  apiGet<Dashboard>(`/api/v1/stats/dashboard${query({ ...filter })}`, signal);
