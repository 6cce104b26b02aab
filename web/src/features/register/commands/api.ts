/**
 * The register commands' HTTP side for the console: one POST per command type with the officer's CSRF
 * token and an Idempotency-Key (the caller keeps one key per submission and reuses it on a retry), the
 * code tables and division search the pickers offer.
 */
import { apiGet, query } from '../../../api/client';
import { post } from '../../applications/api';

/** The command types an officer starts from these forms (src/register/commands.ts). */
export type CommandType =
  | 'birth-registration'
  | 'death-cancellation'
  | 'move-in'
  | 'move-out'
  | 'move-within-city'
  | 'household-establishment'
  | 'household-split'
  | 'head-change'
  | 'relationship-change'
  | 'correction'
  | 'booklet-issue'
  | 'no-hukou-registration';

/** What the server answers for a recorded command (RegisterCommandResult). */
export interface CommandResult {
  readonly eventId: string;
  readonly type: CommandType;
  readonly effectiveDate: string;
  readonly personIds: readonly string[];
  readonly householdIds: readonly string[];
  /** The citizen id allocated to a born or newly registered person (masked before it is shown). */
  readonly citizenId?: string;
  readonly householdNumbers: readonly string[];
}

export const sendCommand = (type: CommandType, body: object, opts: { csrf: string; key: string }) =>
  post<CommandResult>(`/api/v1/register/${type}`, { ...opts, json: body });

export interface CodeTableView {
  readonly id: string;
  readonly entries: readonly { readonly code: string; readonly zh: string; readonly en: string }[];
}

export interface DivisionHit {
  readonly matchedName: string;
  readonly isFormerName: boolean;
  readonly division: {
    readonly code: string;
    readonly name: string;
    readonly level: string;
    readonly path: readonly { readonly code: string; readonly name: string }[];
  };
}

export const commandKeys = {
  codeTable: (table: string) => ['code-tables', table] as const,
  divisionSearch: (q: string) => ['divisions', 'search', q] as const,
};

export const fetchCodeTable = (table: string, signal?: AbortSignal) =>
  apiGet<CodeTableView>(`/api/v1/code-tables/${encodeURIComponent(table)}`, signal);

export const searchDivisions = (q: string, signal?: AbortSignal) =>
  apiGet<{ items: DivisionHit[] }>(`/api/v1/divisions${query({ q, limit: 20 })}`, signal).then(
    (r) => r.items,
  );
