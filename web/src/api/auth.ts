/** Officer sign-in (password, then the authenticator code), the current session, sign-out. */
import { apiGet, apiSend, setCsrfToken } from './client';

export interface OfficerSession {
  readonly officer: {
    readonly id: string;
    readonly username: string;
    readonly displayName: string;
    readonly countyCode: string;
    readonly roles: readonly string[];
    readonly roleLabels: readonly { readonly zh: string; readonly en: string }[];
  };
  readonly permissions: readonly string[];
  readonly csrfToken: string;
  readonly passwordChangeRequired: boolean;
  readonly session: { readonly absoluteExpiresAt: string; readonly idleTimeoutSeconds: number };
}

export const authKeys = { me: ['auth', 'me'] as const };

export async function fetchSession(signal?: AbortSignal): Promise<OfficerSession> {
  const s = await apiGet<OfficerSession>('/api/v1/auth/me', signal);
  setCsrfToken(s.csrfToken);
  return s;
}

export const signInPassword = (username: string, password: string) =>
  apiSend<{ step: 'second-factor'; challenge: string; expiresAt: string }>('POST', '/api/v1/auth/login', {
    username,
    password,
  });

export async function signInTotp(challenge: string, code: string): Promise<OfficerSession> {
  const s = await apiSend<OfficerSession>('POST', '/api/v1/auth/totp', { challenge, code });
  setCsrfToken(s.csrfToken);
  return s;
}

export const changePassword = (currentPassword: string, newPassword: string) =>
  apiSend<void>('POST', '/api/v1/auth/password', { currentPassword, newPassword });

export async function signOut(): Promise<void> {
  await apiSend<void>('POST', '/api/v1/auth/logout');
  setCsrfToken(undefined);
}
