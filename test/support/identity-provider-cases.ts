/**
 * The one suite every resident identity provider passes (style.md: each I/O boundary has one shared
 * suite). A provider is given with a way to read the code it delivered (a test inbox).
 */
import { expect, it } from 'vitest';
import { DEFAULT_ACCOUNTS_CONFIG, type AccountsContext } from '../../src/accounts/config.js';
import type { ResidentIdentityProvider } from '../../src/accounts/resident-identity.js';
import type { HujiDatabase } from '../../src/db/connection.js';

export interface ProviderHarness {
  readonly provider: ResidentIdentityProvider;
  /** The last code delivered to the phone number. */
  readonly codeFor: (phone: string) => string | undefined;
  readonly ctx: AccountsContext;
}

export const silentContext = (clock = () => new Date()): AccountsContext => ({
  config: DEFAULT_ACCOUNTS_CONFIG,
  clock,
  log: { info: () => undefined, warn: () => undefined },
});

export function identityProviderCases(db: () => HujiDatabase, harness: () => ProviderHarness) {
  const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

  it('verifies the delivered code once, into the identity of the number', async () => {
    const { provider, codeFor, ctx } = harness();
    const { challenge } = await provider.begin(db(), { phone: '13812345678' }, ctx);
    const code = codeFor('13812345678')!;
    expect(code).toMatch(/^\d{6}$/);
    expect(await provider.complete(db(), { challenge, code }, ctx)).toEqual({
      provider: provider.id,
      subject: '13812345678',
    });
    await expect(provider.complete(db(), { challenge, code }, ctx)).rejects.toMatchObject({
      code: 'HUJI_SIGN_IN_CHALLENGE_INVALID',
    });
  });

  it('refuses a wrong code, and the challenge after five wrong codes', async () => {
    const { provider, codeFor, ctx } = harness();
    const { challenge } = await provider.begin(db(), { phone: '13912345678' }, ctx);
    const code = codeFor('13912345678')!;
    for (let i = 0; i < 5; i++)
      await expect(provider.complete(db(), { challenge, code: wrong(code) }, ctx)).rejects.toMatchObject({
        code: 'HUJI_ONE_TIME_CODE_FAILED',
      });
    await expect(provider.complete(db(), { challenge, code }, ctx)).rejects.toMatchObject({
      code: 'HUJI_SIGN_IN_CHALLENGE_INVALID',
    });
  });

  it('refuses numbers that are not mainland mobile numbers, and too many codes for one number', async () => {
    const { provider, ctx } = harness();
    await expect(provider.begin(db(), { phone: '0570-1234567' }, ctx)).rejects.toMatchObject({
      code: 'HUJI_RESIDENT_PHONE_INVALID',
    });
    for (let i = 0; i < 5; i++) await provider.begin(db(), { phone: '13712345678' }, ctx);
    await expect(provider.begin(db(), { phone: '13712345678' }, ctx)).rejects.toMatchObject({
      code: 'HUJI_RATE_LIMITED',
    });
  });

  it('lets a code expire after five minutes', async () => {
    const { provider, codeFor, ctx } = harness();
    let now = new Date();
    const timed = { ...ctx, clock: () => now };
    const { challenge } = await provider.begin(db(), { phone: '13612345678' }, timed);
    now = new Date(now.getTime() + 5 * 60_000 + 1);
    await expect(
      provider.complete(db(), { challenge, code: codeFor('13612345678')! }, timed),
    ).rejects.toMatchObject({ code: 'HUJI_SIGN_IN_CHALLENGE_INVALID' });
  });
}
