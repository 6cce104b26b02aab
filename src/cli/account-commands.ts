/**
 * `huji accounts create`: the way to make the first officer accounts of an installation without demo
 * data (typically its security administrator, who then creates the others through the API). Run by the
 * operator who holds the database; the secrets are printed once.
 */
import type { Command } from 'commander';
import { DEFAULT_ACCOUNTS_CONFIG } from '../accounts/config.js';
import { createOfficerAccount } from '../accounts/manage-accounts.js';
import { Role, ROLE_LABELS } from '../accounts/roles.js';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { readConfig } from '../server/config.js';
import { EXIT_OK, printJson, UsageError, type Io } from './output.js';

export function registerAccountCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  program
    .command('accounts')
    .description(zh ? '工作人员账户' : 'officer accounts')
    .command('create')
    .description(
      zh
        ? '新建工作人员账户，打印初始密码和动态验证码密钥（仅此一次）'
        : 'create an officer account; prints the initial password and TOTP secret (once)',
    )
    .argument('<username>')
    .requiredOption('--name <displayName>', zh ? '姓名或岗位名称' : 'display name')
    .requiredOption('--county <code>', zh ? '所属县（市、区）或市、省代码' : 'county, city or province code')
    .option('--role <role...>', `${zh ? '角色' : 'roles'}: ${Role.options.join(', ')}`, [])
    .option('--json', 'JSON output')
    .action(
      async (username: string, options: { name: string; county: string; role: string[]; json?: boolean }) => {
        const roles = options.role.map((r) => {
          const parsed = Role.safeParse(r);
          if (!parsed.success) throw new UsageError('HUJI_VALIDATION', { detail: `--role ${r}` });
          return parsed.data;
        });
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(username))
          throw new UsageError('HUJI_VALIDATION', { detail: 'username' });
        const handle = await openDatabase(readConfig().database);
        try {
          await migrateDatabase(handle.db);
          const silent = { info: () => undefined, warn: () => undefined };
          const issued = await createOfficerAccount(
            handle.db,
            { username, displayName: options.name, countyCode: options.county, roles },
            'system',
            { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => new Date(), log: silent },
          );
          const summary = {
            username: issued.account.username,
            countyCode: issued.account.countyCode,
            roles: issued.account.roles,
            initialPassword: issued.initialPassword,
            totpSecret: issued.totpSecret,
            otpauthUri: issued.otpauthUri,
          };
          if (options.json) printJson(io, summary);
          else {
            const roleText = roles.map((r) => (zh ? ROLE_LABELS[r].zh : ROLE_LABELS[r].en)).join(', ') || '—';
            io.out(`${summary.username} (${roleText}, ${summary.countyCode})`);
            io.out(
              `${zh ? '初始密码（首次登录须修改）' : 'initial password (change at first sign-in)'}: ${summary.initialPassword}`,
            );
            io.out(`${zh ? '动态验证码密钥' : 'TOTP secret'}: ${summary.totpSecret}`);
            io.out(summary.otpauthUri);
          }
          setExit(EXIT_OK);
        } finally {
          await handle.close();
        }
      },
    );
}
