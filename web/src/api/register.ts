/** The population register for officers: search, a person with history, a household as of a date, duplicates. */
import { apiGet, query } from './client';

export interface LocalText {
  readonly zh: string;
  readonly en: string;
}

export interface RegisterPerson {
  readonly id: string;
  /** Masked by the server (e.g. 330802********0119); the full number is a separate, logged read. */
  readonly citizenId: string;
  readonly name: string;
  readonly formerNames: readonly string[];
  readonly sex: string;
  readonly birthDate: string;
  /** null: declared unknown (不详). */
  readonly ethnicity: string | null;
  /** null: declared unknown (不详). */
  readonly birthplace: string | null;
  /** Absent: not recorded (never declared). */
  readonly education?: string;
  readonly maritalStatus?: string;
  readonly occupation?: string;
  readonly servicePlace?: string;
  readonly legacyHukouNature: readonly { type: string; from: string | null; to: string | null }[];
  readonly status: 'active' | 'moved-out' | 'deceased' | 'cancelled';
  readonly countyCode: string;
}

export type PersonHit = RegisterPerson & { readonly householdNumber?: string | null };

export interface PersonView {
  readonly person: RegisterPerson & { readonly householdId?: string | null };
  readonly asOf: string;
  readonly history: readonly {
    readonly id: string;
    readonly type: string;
    readonly label?: LocalText;
    readonly effectiveDate: string;
    readonly recordedAt: string;
    readonly officerId: string | null;
    readonly countyCode: string;
    readonly seq: number;
    /** 迁出地 of a move-in, with the name the ledger kept. */
    readonly fromDivision?: { readonly code: string; readonly name: string };
    /** The online application the event completes (its reference). */
    readonly sourceApplication?: string;
    /** The policy article an approval rests on, with the quoted sentence. */
    readonly basis?: { readonly article: string; readonly quote: string };
  }[];
}

export interface HouseholdView {
  readonly household: {
    readonly id: string;
    readonly householdNumber: string;
    readonly type: 'family' | 'collective';
    readonly address: {
      readonly text: string;
      readonly countyCode: string;
      /** NBS code of the town (乡镇、街道) where the address names one. */
      readonly townCode?: string;
    };
    readonly headPersonId: string | null;
    readonly status: 'active' | 'closed';
  };
  readonly asOf: string;
  readonly members: readonly {
    readonly person: RegisterPerson;
    readonly relationship: string;
    readonly since: string;
  }[];
}

export interface DuplicateSide {
  readonly personId: string;
  readonly name?: string;
  readonly citizenId?: string;
  readonly sex?: string;
  readonly birthDate?: string;
  readonly status?: RegisterPerson['status'];
  readonly householdId?: string | null;
  readonly householdNumber?: string | null;
}

/** Which pairs to list: open (not yet reviewed, or confirmed and not yet resolved), or by verdict. */
export type DuplicateFilter = 'open' | 'not-duplicate' | 'duplicate';

export interface DuplicateReviewView {
  readonly verdict: 'not-duplicate' | 'duplicate';
  readonly officerId: string;
  readonly reviewedAt: string;
  readonly note: string | null;
  readonly resolvedEventId: string | null;
  readonly resolvedAt: string | null;
}

export interface DuplicatePairView {
  readonly a: DuplicateSide;
  readonly b: DuplicateSide;
  readonly kind: 'same-citizen-id' | 'likely-same-person' | null;
  readonly score: number | null;
  readonly evidence: readonly LocalText[];
  readonly review: DuplicateReviewView | null;
}

export interface DuplicatesView {
  /** Records compared (open pairs only). */
  readonly candidates?: number;
  readonly total: number;
  readonly pairs: readonly DuplicatePairView[];
}

export const registerKeys = {
  search: (q: Record<string, string>) => ['register', 'persons', q] as const,
  person: (id: string) => ['register', 'person', id] as const,
  household: (id: string, at: string) => ['register', 'household', id, at] as const,
  duplicates: (threshold: number, review: DuplicateFilter) =>
    ['register', 'duplicates', threshold, review] as const,
};

/** What a typed query means: an 18-character id, a 15-digit household number, else a name or pinyin. */
export function searchParams(input: string): Record<string, string> {
  const q = input.trim();
  if (/^\d{17}[\dXx]$/.test(q)) return { citizenId: q.toUpperCase() };
  if (/^\d{15}$/.test(q)) return { householdNumber: q };
  return { name: q };
}

export const searchPersons = (params: Record<string, string>, signal?: AbortSignal) =>
  apiGet<{ items: PersonHit[] }>(`/api/v1/register/persons${query(params)}`, signal).then((r) => r.items);

export const fetchPerson = (id: string, signal?: AbortSignal) =>
  apiGet<PersonView>(`/api/v1/register/persons/${encodeURIComponent(id)}`, signal);

/** A household by its id (UUID) or its 15-digit number, as it was on `at` (default today). */
export const fetchHousehold = (ref: string, at: string | undefined, signal?: AbortSignal) =>
  apiGet<HouseholdView>(
    /^\d{15}$/.test(ref)
      ? `/api/v1/register/households/by-number/${ref}${query({ at })}`
      : `/api/v1/register/households/${encodeURIComponent(ref)}${query({ at })}`,
    signal,
  );

export const fetchDuplicates = (threshold: number, review: DuplicateFilter, signal?: AbortSignal) =>
  apiGet<DuplicatesView>(`/api/v1/register/duplicates${query({ threshold, review, limit: 100 })}`, signal);
