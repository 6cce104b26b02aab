/**
 * How a new or reset officer account's secret reaches its holder (ADR 0017): through the holder's own
 * channel (their mobile number on the account), never through the administrator who made or reset the
 * account. A deployment plugs in its SMS gateway; the demo channel writes the message to the server log
 * with the number masked, like the demo resident codes (demos and development only).
 */
import { maskPhone } from '../standards/masking.js';
import type { AccountsContext } from './config.js';

export interface CredentialMessage {
  readonly username: string;
  /** The initial password, to be changed at the first sign-in. */
  readonly password: string;
  /** The authenticator enrolment (otpauth URI) when a new second factor was issued. */
  readonly otpauthUri?: string;
}

export interface CredentialChannel {
  readonly id: string;
  /** Resolves once the channel took the message; throws when it could not (nothing is then changed). */
  deliver(mobile: string, message: CredentialMessage, ctx: AccountsContext): Promise<void>;
}

/** The demo channel: the message goes to the server log, the number masked. */
export const demoCredentialChannel: CredentialChannel = {
  id: 'demo-log',
  deliver: async (mobile, message, ctx) => {
    ctx.log.info(
      {
        event: 'demo-officer-credentials',
        to: maskPhone(mobile),
        username: message.username,
        password: message.password,
        otpauthUri: message.otpauthUri,
      },
      `demo SMS to ${maskPhone(mobile)}: sign-in secrets of ${message.username}`,
    );
  },
};
