/**
 * Online applications (issue 6): the resident's sign-in with a one-time code, their applications,
 * uploads and submission; the officers' queue, an application and its actions. Every POST carries its
 * own Idempotency-Key (kept by the caller across retries) and the CSRF token of its session: the
 * resident's from the resident sign-in, the officer's from the console session.
 */
import { ApiError, apiGet, type FieldProblem } from '../../api/client';
import type { LocalText } from '../../app/lang';
import { currentLang } from '../../i18n';
import type { Decision } from '../../../../src/policy/evaluate';

export interface ResidentSession {
  readonly resident: { readonly provider: string; readonly phone: string };
  readonly csrfToken: string;
}

export interface Clock {
  readonly state: 'running' | 'paused' | 'stopped';
  readonly workingDays: number;
  readonly deadline: string | null;
  readonly remainingWorkingDays: number | null;
  readonly isOverdue: boolean;
}

export type RequiredChange =
  | {
      readonly kind: 'missing';
      readonly material: string;
      readonly label: LocalText;
      readonly article?: string;
    }
  | {
      readonly kind: 'redo';
      readonly material: string;
      readonly label: LocalText;
      readonly reason: LocalText;
      readonly article?: string;
    }
  | { readonly kind: 'correction'; readonly label: LocalText; readonly reason: LocalText }
  | {
      readonly kind: 'field';
      readonly field: string;
      readonly label: LocalText;
      readonly reason: LocalText;
    };

/** One resubmission's corrections of returned fields, before → after (newest first). */
export interface CorrectionRecord {
  readonly at: string;
  readonly changes: readonly {
    readonly field: string;
    readonly label: LocalText;
    readonly before: LocalText;
    readonly after: LocalText;
  }[];
}

export interface Completeness {
  readonly isComplete: boolean;
  readonly missing: readonly RequiredChange[];
  readonly toRedo: readonly RequiredChange[];
  readonly unexpected: readonly string[];
}

export interface Material {
  readonly id: string;
  readonly materialKey: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly uploadedAt: string;
}

export interface Certificate {
  readonly id: string;
  readonly kind: string;
  readonly issuedAt: string;
  readonly verifyUrl: string;
  readonly revokedAt: string | null;
}

export interface Application {
  readonly id: string;
  readonly reference: string;
  readonly type: {
    readonly id: string;
    readonly kind: string;
    readonly label: LocalText;
    readonly article: string | null;
  };
  readonly countyCode: string;
  readonly state: string;
  readonly stateLabel: LocalText;
  readonly applicant: {
    readonly name: string;
    readonly citizenId: string | null;
    readonly contact: string | null;
  };
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly clock: Clock;
  readonly requiredChanges: readonly RequiredChange[];
  readonly refusal: {
    readonly article: string;
    readonly quote: string;
    readonly explanation: LocalText;
  } | null;
  readonly decision: {
    readonly policy: string;
    readonly pathway?: string;
    readonly outcome: string;
    readonly articles: readonly {
      readonly id: string;
      readonly quote: string;
      readonly translation?: string;
    }[];
    readonly explanation?: Decision;
  };
  readonly form: Record<string, unknown>;
  /** Full names of the division codes the form names (迁出地, 迁入地, birthplaces). */
  readonly placeNames?: Readonly<Record<string, string>>;
  readonly facts: Record<string, unknown>;
  readonly actions: readonly { readonly action: string; readonly label: LocalText }[];
}

/** An article of the policy, its sentence and the officer's reason: a refusal, or an approval against the engine. */
export interface Citation {
  readonly article: string;
  readonly quote: string;
  readonly explanation: LocalText;
}

/** One step of the record (办理记录), as `GET /api/v1/applications/{id}` answers it. */
export interface HistoryEntry {
  readonly type: 'application.submitted' | 'application.transitioned';
  readonly at: string;
  readonly actor: { readonly kind: string; readonly id: string; readonly roles?: readonly string[] };
  readonly action?: {
    readonly type: string;
    readonly recommendation?: 'approve' | 'refuse';
    readonly note?: LocalText | string;
    readonly reason?: Citation;
    readonly justification?: Citation;
    readonly document?: string;
    readonly changes?: readonly unknown[];
    /** A resubmission's corrections of returned fields (values in words, ids masked). */
    readonly corrections?: readonly {
      readonly field: string;
      readonly label: LocalText;
      readonly beforeText: LocalText;
      readonly afterText: LocalText;
    }[];
  };
  /** The applicant, or the officer's display name and roles. */
  readonly by: LocalText;
  readonly label: LocalText;
  readonly stateLabel: LocalText;
}

export interface ApplicationDetail extends Application {
  readonly materials: readonly Material[];
  readonly completeness: Completeness;
  readonly certificates: readonly Certificate[];
  readonly history: readonly HistoryEntry[];
  readonly corrections?: readonly CorrectionRecord[];
  /** Officers: the fields of the form a return may name. */
  readonly correctableFields?: readonly { readonly field: string; readonly label: LocalText }[];
}

export interface ApplicationType {
  readonly id: string;
  readonly kind: string;
  readonly label: LocalText;
  readonly article?: string;
  readonly timeLimit: { readonly workingDays: number };
  readonly materials: readonly {
    readonly key: string;
    readonly label: LocalText;
    readonly article?: string;
    /** The media types the slot takes (a photo: image/jpeg and image/png only). */
    readonly accepts?: readonly string[];
  }[];
}

export const appKeys = {
  resident: ['resident', 'me'] as const,
  mine: ['my', 'applications'] as const,
  mineOne: (id: string) => ['my', 'applications', id] as const,
  types: (county: string) => ['application-types', county] as const,
  queue: ['applications', 'queue'] as const,
  myNotifications: ['my', 'notifications'] as const,
  roleNotifications: ['notifications'] as const,
  one: (id: string) => ['applications', id] as const,
};

/** A POST with its Idempotency-Key and CSRF token; JSON or raw bytes; problem+json → ApiError. */
export async function post<T>(
  path: string,
  opts: { csrf: string; key: string; json?: unknown; bytes?: Blob },
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': currentLang(),
    'idempotency-key': opts.key,
    'x-csrf-token': opts.csrf,
  };
  let body: BodyInit | undefined;
  if (opts.bytes) {
    headers['content-type'] = 'application/octet-stream';
    body = opts.bytes;
  } else if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      ...(body ? { body } : {}),
    });
  } catch {
    throw new ApiError(
      currentLang() === 'en' ? 'The server cannot be reached.' : '无法连接服务器，请检查网络。',
      0,
      undefined,
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const p = (json ?? {}) as { detail?: string; title?: string; code?: string; errors?: FieldProblem[] };
    throw new ApiError(
      p.detail ??
        p.title ??
        (currentLang() === 'en' ? `The server answered ${res.status}.` : `服务器返回错误（${res.status}）。`),
      res.status,
      p.code,
      p.errors ?? [],
    );
  }
  return json as T;
}

export const newKey = (): string => crypto.randomUUID();

// ——— residents ———

export const fetchResident = (signal?: AbortSignal) =>
  apiGet<ResidentSession>('/api/v1/resident-auth/me', signal);

export async function startResidentSignIn(phone: string) {
  const res = await fetch('/api/v1/resident-auth/start', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-language': currentLang(),
    },
    body: JSON.stringify({ phone }),
  });
  return answer<{ challenge: string; expiresAt: string }>(res);
}

export async function verifyResidentSignIn(challenge: string, code: string) {
  const res = await fetch('/api/v1/resident-auth/verify', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-language': currentLang(),
    },
    body: JSON.stringify({ challenge, code }),
  });
  return answer<ResidentSession>(res);
}

export async function residentSignOut(csrf: string) {
  await fetch('/api/v1/resident-auth/logout', {
    method: 'POST',
    headers: { 'x-csrf-token': csrf },
    credentials: 'same-origin',
  });
}

async function answer<T>(res: Response): Promise<T> {
  const json = (await res.json().catch(() => ({}))) as unknown;
  if (!res.ok) {
    const p = json as { detail?: string; title?: string; code?: string; errors?: FieldProblem[] };
    throw new ApiError(p.detail ?? p.title ?? String(res.status), res.status, p.code, p.errors ?? []);
  }
  return json as T;
}

export const fetchMine = (signal?: AbortSignal) =>
  apiGet<{ items: Application[] }>('/api/v1/my/applications', signal).then((r) => r.items);
export const fetchMineOne = (id: string, signal?: AbortSignal) =>
  apiGet<ApplicationDetail>(`/api/v1/my/applications/${encodeURIComponent(id)}`, signal);
export const fetchTypes = (county: string, signal?: AbortSignal) =>
  apiGet<{ items: ApplicationType[] }>(`/api/v1/application-types?county=${county}`, signal).then(
    (r) => r.items,
  );
export const checkCompleteness = async (county: string, typeId: string, materials: string[]) => {
  const res = await fetch('/api/v1/application-types/completeness', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'accept-language': currentLang(),
    },
    body: JSON.stringify({ county, typeId, materials }),
  });
  return answer<Completeness>(res);
};

// ——— officers ———

export const fetchQueue = (signal?: AbortSignal) =>
  apiGet<{ items: Application[] }>('/api/v1/applications/queue', signal).then((r) => r.items);
export const fetchOne = (id: string, signal?: AbortSignal) =>
  apiGet<ApplicationDetail>(`/api/v1/applications/${encodeURIComponent(id)}`, signal);

// ——— notifications ———

export interface Notification {
  readonly id: string;
  readonly applicationId: string;
  readonly title: LocalText;
  readonly body: LocalText;
  readonly createdAt: string;
  /** Null while unread: the resident's own, or for an officer, unread by that officer. */
  readonly readAt: string | null;
}

/** An officer's to-dos still to do, and how many of them (over all) that officer has not read. */
export interface RoleNotifications {
  readonly items: readonly Notification[];
  readonly unread: number;
}

export const fetchMyNotifications = (signal?: AbortSignal) =>
  apiGet<{ items: Notification[] }>('/api/v1/my/notifications', signal).then((r) => r.items);
export const fetchRoleNotifications = (signal?: AbortSignal) =>
  apiGet<RoleNotifications>('/api/v1/notifications', signal);
/** Marks to-dos read for the signed-in officer only (the given ones, or all). */
export const markRoleNotificationsRead = (csrf: string, which: { ids: readonly string[] } | { all: true }) =>
  post<{ marked: number; unread: number }>('/api/v1/notifications/read', {
    csrf,
    key: newKey(),
    json: which,
  });
/** Marking read is idempotent on the server; the key only satisfies the common POST path. */
export const markNotificationsRead = (csrf: string, ids: readonly string[]) =>
  post<{ marked: number }>('/api/v1/my/notifications/read', { csrf, key: newKey(), json: { ids } });
