/**
 * Administrator accounts on the server host (ADR 0017): `huji accounts create | reset | roles | disable`
 * as an operator runs them (in process, as `bin/huji.js` runs it), on an embedded database directory. The new secret is printed to whoever runs
 * the command and works; an administrator duty stands alone; every run, refused or done, is an audit
 * entry on the `system` chain with the operating-system user, never with the secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPasswordStep } from '../../src/accounts/sign-in.js';
import { openDatabase } from '../../src/db/connection.js';
import { runHujiInProcess } from '../support/huji-cli.js';
import { silentContext } from '../support/identity-provider-cases.js';

describe('huji accounts on the server host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-cli-accounts-'));
  const env = { HUJI_DATA_DIR: dir, HUJI_LANG: 'en' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resets an administrator, audited, with the secret shown only to whoever runs it', async () => {
    const created = await runHujiInProcess(
      [
        'accounts',
        'create',
        'host-audit',
        '--name',
        '审计',
        '--county',
        '330800',
        '--role',
        'audit-admin',
        '--json',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const first = JSON.parse(created.stdout) as { initialPassword: string; totpSecret: string };

    const mixed = await runHujiInProcess(
      ['accounts', 'roles', 'host-audit', '--role', 'audit-admin', 'registrar'],
      env,
    );
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toContain('HUJI_ADMIN_ROLE_ALONE');

    const reset = await runHujiInProcess(
      ['accounts', 'reset', 'host-audit', '--new-second-factor', '--json'],
      env,
    );
    expect(reset.code, reset.stderr).toBe(0);
    const issued = JSON.parse(reset.stdout) as { initialPassword: string; totpSecret: string };
    expect(issued.initialPassword).toHaveLength(16);
    expect(issued.initialPassword).not.toBe(first.initialPassword);
    expect(issued.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(issued.totpSecret).not.toBe(first.totpSecret);

    const off = await runHujiInProcess(['accounts', 'disable', 'host-audit'], env);
    expect(off.code, off.stderr).toBe(0);

    const listed = await runHujiInProcess(
      ['audit', 'list', '--chain', 'system', '--limit', '100', '--json'],
      env,
    );
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(issued.initialPassword);
    expect(listed.stdout).not.toContain(issued.totpSecret);
    const entries = (JSON.parse(listed.stdout) as { items?: unknown[] }).items ?? JSON.parse(listed.stdout);
    const actions = (entries as { action: string; actorId: string; outcome: string; details: unknown }[]).map(
      (e) => `${e.action} ${e.outcome} ${e.actorId}`,
    );
    const who = `cli:${userInfo().username}`;
    for (const expected of [
      `account.create success ${who}`,
      `account.grant refused ${who}`,
      `account.reset success ${who}`,
      `account.disable success ${who}`,
    ])
      expect(actions).toContain(expected);

    // The printed password is the one that works now (on the disabled account); the first one does not.
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const ctx = silentContext();
      await expect(
        verifyPasswordStep(handle.db, { username: 'host-audit', password: first.initialPassword }, ctx),
      ).rejects.toMatchObject({ code: 'HUJI_SIGN_IN_FAILED' });
      // Only the right password hears that the account is disabled (ADR 0018).
      await expect(
        verifyPasswordStep(handle.db, { username: 'host-audit', password: issued.initialPassword }, ctx),
      ).rejects.toMatchObject({ code: 'HUJI_ACCOUNT_DISABLED' });
    } finally {
      await handle.close();
    }
  }, 600_000);
});
