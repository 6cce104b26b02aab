/**
 * The one way the web app talks to the server: JSON over fetch, the session cookie sent along
 * (same origin), Accept-Language following the chosen language, the CSRF token on state-changing
 * requests, and `application/problem+json` answers turned into an `ApiError` whose message is the
 * server's own, already in the person's language. Feature modules (policies.ts, register.ts, auth.ts,
 * and later applications) build their calls on `apiGet` / `apiSend`.
 */
import { currentLang } from '../i18n';

export interface FieldProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** A refused or failed request. `message` is for people; `code` is for the program, never shown. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly fieldProblems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;

/** The signed-in officer's CSRF token (from the sign-in answer or GET /auth/me). */
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

interface ProblemJson {
  title?: string;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLang() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      currentLang() === 'en' ? 'The server cannot be reached.' : '无法连接服务器，请检查网络。',
      0,
      undefined,
    );
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const problem = (json ?? {}) as ProblemJson;
    const message =
      problem.detail ??
      problem.title ??
      (currentLang() === 'en' ? `The server answered ${res.status}.` : `服务器返回错误（${res.status}）。`);
    throw new ApiError(message, res.status, problem.code, problem.errors ?? []);
  }
  return json as T;
}

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

export function apiSend<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  return request<T>(method, path, body);
}

/** A query string from the given values, leaving out empty ones. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
