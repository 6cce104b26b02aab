/**
 * `huji accounts …` on the server host (ADR 0008, 0014): the way to make the first officer accounts of an
 * installation without demo data, and the one path that makes, resets, re-roles, disables and enables
 * administrator accounts, so that no administrator controls another's credentials online. Run by the
 * operator who holds the database; secrets are printed once to that person, and every command is an
 * audit entry on the `system` chain with the operating-system user who ran it.
 */
import type { Command } from 'commander';
import { AuditWriter, type AuditRecordInput } from '../audit/audit-log.js';
import { DEFAULT_ACCOUNTS_CONFIG, type AccountsContext } from '../accounts/config.js';
import {
  changeAccountOnHost,
  createOfficerAccount,
  resetAccountOnHost,
} from '../accounts/manage-accounts.js';
import { Role, ROLE_LABELS } from '../accounts/roles.js';
import { openDatabase, type HujiDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { isHujiError } from '../errors/huji-error.js';
import { readConfig } from '../server/config.js';
import { cliOperator, EXIT_OK, printJson, UsageError, type Io } from './output.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

function parseRoles(values: readonly string[]): Role[] {
  return values.map((r) => {
    const parsed = Role.safeParse(r);
    if (!parsed.success) throw new UsageError('HUJI_VALIDATION', { detail: `--role ${r}` });
    return parsed.data;
  });
}

function checkUsername(username: string) {
  if (!USERNAME.test(username)) throw new UsageError('HUJI_VALIDATION', { detail: 'username' });
}

type Audit = (entry: Omit<AuditRecordInput, 'actorKind' | 'actorId' | 'action' | 'outcome'>) => Promise<void>;

/**
 * Opens the database and runs `work`; the entry `work` describes is recorded as a success, and a
 * refusal (a typed error) as refused, before the error reaches the user.
 */
async function withHostAccounts(
  action: string,
  username: string,
  work: (db: HujiDatabase, ctx: AccountsContext, audit: Audit) => Promise<void>,
): Promise<void> {
  const config = readConfig();
  const handle = await openDatabase(config.database);
  try {
    await migrateDatabase(handle.db);
    const writer = new AuditWriter(handle.db, { suite: config.cryptoSuite });
    const base = { actorKind: 'system' as const, actorId: cliOperator(), action };
    try {
      const silent = { info: () => undefined, warn: () => undefined };
      await work(handle.db, { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => new Date(), log: silent }, (e) =>
        writer.record({ ...base, ...e, outcome: 'success' }),
      );
    } catch (error) {
      await writer.record({
        ...base,
        outcome: 'refused',
        objectType: 'account',
        details: { username, via: 'host', code: isHujiError(error) ? error.code : 'error' },
      });
      throw error;
    } finally {
      await writer.close();
    }
  } finally {
    await handle.close();
  }
}

export function registerAccountCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const accounts = program.command('accounts').description(zh ? '工作人员账户' : 'officer accounts');
  const roleText = (roles: readonly Role[]) =>
    roles.map((r) => (zh ? ROLE_LABELS[r].zh : ROLE_LABELS[r].en)).join(', ') || '—';
  const printSecrets = (s: { initialPassword: string; totpSecret?: string; otpauthUri?: string }) => {
    io.out(
      `${zh ? '初始密码（首次登录须修改）' : 'initial password (change at first sign-in)'}: ${s.initialPassword}`,
    );
    if (s.totpSecret) io.out(`${zh ? '动态验证码密钥' : 'TOTP secret'}: ${s.totpSecret}`);
    if (s.otpauthUri) io.out(s.otpauthUri);
  };

  accounts
    .command('create')
    .description(
      zh
        ? '新建工作人员账户（含管理员账户），打印初始密码和动态验证码密钥（仅此一次，仅给运行命令的人）'
        : 'create an officer account (administrators included); prints the initial password and TOTP secret once, to whoever runs the command',
    )
    .argument('<username>')
    .requiredOption('--name <displayName>', zh ? '姓名或岗位名称' : 'display name')
    .requiredOption('--county <code>', zh ? '所属县（市、区）或市、省代码' : 'county, city or province code')
    .option('--role <role...>', `${zh ? '角色' : 'roles'}: ${Role.options.join(', ')}`, [])
    .option(
      '--mobile <number>',
      zh ? '本人手机号码（在线重置时新密码发往此号码）' : 'the holder’s mobile number',
    )
    .option('--json', 'JSON output')
    .action(
      async (
        username: string,
        options: { name: string; county: string; role: string[]; mobile?: string; json?: boolean },
      ) => {
        const roles = parseRoles(options.role);
        checkUsername(username);
        if (options.mobile !== undefined && !/^1[3-9]\d{9}$/.test(options.mobile))
          throw new UsageError('HUJI_VALIDATION', { detail: '--mobile' });
        await withHostAccounts('account.create', username, async (db, ctx, audit) => {
          const issued = await createOfficerAccount(
            db,
            {
              username,
              displayName: options.name,
              countyCode: options.county,
              roles,
              ...(options.mobile ? { mobile: options.mobile } : {}),
            },
            'system',
            ctx,
          );
          await audit({
            objectType: 'account',
            objectId: issued.account.id,
            countyCode: issued.account.countyCode,
            details: { username: issued.account.username, roles, via: 'host' },
          });
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
            io.out(`${summary.username} (${roleText(roles)}, ${summary.countyCode})`);
            printSecrets(summary);
          }
        });
        setExit(EXIT_OK);
      },
    );

  accounts
    .command('reset')
    .description(
      zh
        ? '重置账户密码（管理员账户只能这样重置）：结束其会话、解除锁定，新密码只打印给运行命令的人'
        : 'reset an account’s password (the only way for administrator accounts): ends its sessions, lifts a lock; the new password is printed to whoever runs the command',
    )
    .argument('<username>')
    .option('--new-second-factor', zh ? '同时换发动态验证码密钥' : 'also issue a new TOTP secret')
    .option('--json', 'JSON output')
    .action(async (username: string, options: { newSecondFactor?: boolean; json?: boolean }) => {
      checkUsername(username);
      const newSecondFactor = options.newSecondFactor === true;
      await withHostAccounts('account.reset', username, async (db, ctx, audit) => {
        const reset = await resetAccountOnHost(db, username.toLowerCase(), { newSecondFactor }, ctx);
        await audit({
          objectType: 'account',
          objectId: reset.account.id,
          details: { username: reset.account.username, newSecondFactor, via: 'host' },
        });
        const summary = {
          username: reset.account.username,
          initialPassword: reset.initialPassword,
          ...(reset.totpSecret ? { totpSecret: reset.totpSecret, otpauthUri: reset.otpauthUri } : {}),
        };
        if (options.json) printJson(io, summary);
        else {
          io.out(`${summary.username}`);
          printSecrets(summary);
        }
      });
      setExit(EXIT_OK);
    });

  accounts
    .command('roles')
    .description(
      zh
        ? '设置账户的角色（授予或收回管理员职责只能这样做）；管理员职责不与业务角色兼任'
        : 'set an account’s roles (the only way to grant or take away an administrator duty); an administrator duty stands alone',
    )
    .argument('<username>')
    .option('--role <role...>', `${zh ? '角色' : 'roles'}: ${Role.options.join(', ')}`, [])
    .option('--json', 'JSON output')
    .action(async (username: string, options: { role: string[]; json?: boolean }) => {
      checkUsername(username);
      const roles = parseRoles(options.role);
      await withHostAccounts('account.grant', username, async (db, ctx, audit) => {
        const account = await changeAccountOnHost(db, username.toLowerCase(), { roles }, ctx);
        await audit({
          objectType: 'account',
          objectId: account.id,
          details: { username: account.username, roles, via: 'host' },
        });
        if (options.json) printJson(io, { username: account.username, roles: account.roles });
        else io.out(`${account.username}: ${roleText(account.roles)}`);
      });
      setExit(EXIT_OK);
    });

  for (const [verb, isEnabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    accounts
      .command(verb)
      .description(
        isEnabled
          ? zh
            ? '启用账户'
            : 'enable an account'
          : zh
            ? '停用账户并结束其会话（管理员账户只能这样停用）'
            : 'disable an account and end its sessions (the only way for administrator accounts)',
      )
      .argument('<username>')
      .option('--json', 'JSON output')
      .action(async (username: string, options: { json?: boolean }) => {
        checkUsername(username);
        await withHostAccounts('account.disable', username, async (db, ctx, audit) => {
          const account = await changeAccountOnHost(db, username.toLowerCase(), { isEnabled }, ctx);
          await audit({
            objectType: 'account',
            objectId: account.id,
            details: { username: account.username, isEnabled, via: 'host' },
          });
          if (options.json) printJson(io, { username: account.username, isEnabled: account.isEnabled });
          else
            io.out(
              `${account.username}: ${isEnabled ? (zh ? '已启用' : 'enabled') : zh ? '已停用' : 'disabled'}`,
            );
        });
        setExit(EXIT_OK);
      });
  }
}
