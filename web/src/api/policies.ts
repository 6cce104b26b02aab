/**
 * The policy API: versions, one version whole (articles and rules), the difference of two, and a
 * simulation over the register's own population.
 */
import type { PolicyDiff } from '../../../src/policy/diff';
import type { Policy, Text } from '../../../src/policy/policy';
import type { SimulationReport } from '../../../src/policy/simulate';
import { apiGet, apiSend } from './client';

export interface PolicySummary {
  readonly id: string;
  readonly version: number;
  readonly ref: string;
  readonly status: 'draft' | 'published';
  readonly jurisdiction: string;
  readonly jurisdictionName: string;
  readonly title: Text;
  readonly effective: { readonly from: string; readonly to: string | null };
  readonly programmes: readonly { readonly id: string; readonly title: Text }[];
}

/** A version as the server sends it: the parsed policy (every default filled) and its reference. */
export type PolicyDocument = Policy & { readonly ref: string; readonly sha256: string };

export interface DivisionWithChildren {
  readonly code: string;
  readonly name: string;
  readonly children: readonly { readonly code: string; readonly name: string; readonly level: string }[];
}

export const policyKeys = {
  list: ['policies'] as const,
  one: (id: string) => ['policies', id] as const,
  diff: (a: string, b: string) => ['policies', a, 'diff', b] as const,
  division: (code: string) => ['divisions', code] as const,
};

export const fetchPolicies = (signal?: AbortSignal) =>
  apiGet<{ items: PolicySummary[] }>('/api/v1/policies', signal).then((r) => r.items);

export const fetchPolicy = (id: string, signal?: AbortSignal) =>
  apiGet<PolicyDocument>(`/api/v1/policies/${encodeURIComponent(id)}`, signal);

export const fetchPolicyDiff = (a: string, b: string, signal?: AbortSignal) =>
  apiGet<PolicyDiff>(`/api/v1/policies/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`, signal);

export const fetchDivision = (code: string, signal?: AbortSignal) =>
  apiGet<DivisionWithChildren>(`/api/v1/divisions/${encodeURIComponent(code)}`, signal);

/** What the server answers for a simulation over the register's own population (counts only). */
export interface RegisterSimulation {
  readonly report: SimulationReport;
  readonly countyPrefix: string;
  readonly asOf: string;
  /** The facts the register supplies; every other fact takes its default (a lower bound). */
  readonly registerFacts: readonly { readonly path: string; readonly label: Text }[];
  readonly ms: number;
}

export const simulateOverRegister = (body: { policy: string; compareWith?: string }) =>
  apiSend<RegisterSimulation>('POST', '/api/v1/register/simulations', body);
