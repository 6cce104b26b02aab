/** The audit trail, for the audit administrator only (the server answers 403 to anyone else). */
import { apiGet, apiSend, query } from './client';

export interface AuditEntry {
  readonly chain: string;
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  readonly actorKind: 'officer' | 'resident' | 'system' | 'anonymous';
  readonly actorId: string;
  readonly roles: readonly string[];
  readonly sourceAddress: string | null;
  readonly action: string;
  readonly objectType: string | null;
  readonly objectId: string | null;
  readonly outcome: 'success' | 'refused' | 'failed';
  readonly status: number | null;
  readonly requestId: string | null;
  readonly details: unknown;
  readonly suite: 'gm' | 'international';
  readonly hash: string;
}

export interface AuditFilter {
  readonly since?: string;
  readonly until?: string;
  readonly actor?: string;
  readonly outcome?: AuditEntry['outcome'];
  readonly cursor?: string;
}

export interface AuditVerification {
  readonly isIntact: boolean;
  readonly entries: number;
  readonly problemCount: number;
  readonly chains: readonly {
    readonly chain: string;
    readonly entries: number;
    readonly isIntact: boolean;
    readonly problemCount: number;
    readonly problems: readonly { readonly chain: string; readonly seq: number; readonly kind: string }[];
  }[];
}

export const auditKeys = {
  entries: (filter: AuditFilter) => ['audit', 'entries', filter] as const,
};

export function fetchAuditEntries(filter: AuditFilter, signal?: AbortSignal) {
  return apiGet<{ items: AuditEntry[]; nextCursor: string | null }>(
    `/api/v1/audit/entries${query({ ...filter, limit: 100 })}`,
    signal,
  );
}

export function verifyAudit() {
  return apiSend<AuditVerification>('POST', '/api/v1/audit/verify', {});
}
