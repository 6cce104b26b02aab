/**
 * Demo officer accounts, made once on the first start of a demo installation: one per role in Quzhou
 * (柯城区 330802, 衢江区 330803, the city 330800) and a registrar in Lanzhou (城关区 620102). Each gets
 * its own random initial password and TOTP secret, shown once in the server log and never again; the
 * password must be changed at the first sign-in (no default passwords, security.md).
 */
import { eq } from 'drizzle-orm';
import type { HujiDatabase } from '../db/connection.js';
import { systemState } from '../db/schema.js';
import { DEFAULT_ACCOUNTS_CONFIG } from './config.js';
import { createOfficerAccount, type IssuedCredentials } from './manage-accounts.js';
import { ROLE_LABELS, type Role } from './roles.js';

const STATE_KEY = 'demo-accounts';

export const DEMO_ACCOUNTS: readonly {
  username: string;
  displayName: string;
  countyCode: string;
  role: Role;
}[] = [
  { username: 'qz-security', displayName: '衢州市安全管理员', countyCode: '330800', role: 'security-admin' },
  { username: 'qz-system', displayName: '衢州市系统管理员', countyCode: '330800', role: 'system-admin' },
  { username: 'qz-audit', displayName: '衢州市审计管理员', countyCode: '330800', role: 'audit-admin' },
  { username: 'qz-registrar', displayName: '衢州市户籍民警', countyCode: '330800', role: 'registrar' },
  { username: 'qz-reform', displayName: '衢州市户改办', countyCode: '330800', role: 'reform-office' },
  { username: 'qz-department', displayName: '衢州市教育局', countyCode: '330800', role: 'department-user' },
  { username: 'kc-clerk', displayName: '柯城区受理窗口', countyCode: '330802', role: 'window-clerk' },
  { username: 'kc-reviewer', displayName: '柯城区审核', countyCode: '330802', role: 'reviewer' },
  { username: 'kc-approver', displayName: '柯城区审批', countyCode: '330802', role: 'approver' },
  { username: 'kc-registrar', displayName: '柯城区户籍民警', countyCode: '330802', role: 'registrar' },
  { username: 'qj-registrar', displayName: '衢江区户籍民警', countyCode: '330803', role: 'registrar' },
  // 城关区 handles its own applications (residence permits under lz/2.11) from window to approval.
  { username: 'lz-cg-clerk', displayName: '城关区受理窗口', countyCode: '620102', role: 'window-clerk' },
  { username: 'lz-cg-reviewer', displayName: '城关区审核', countyCode: '620102', role: 'reviewer' },
  { username: 'lz-cg-approver', displayName: '城关区审批', countyCode: '620102', role: 'approver' },
  {
    username: 'lz-cg-registrar',
    displayName: '兰州市城关区户籍民警',
    countyCode: '620102',
    role: 'registrar',
  },
];

/** Creates the demo accounts once; answers their credentials the first time, undefined afterwards. */
export async function loadDemoAccounts(db: HujiDatabase): Promise<IssuedCredentials[] | undefined> {
  const [done] = await db.select().from(systemState).where(eq(systemState.key, STATE_KEY));
  if (done) return undefined;
  const silent = { info: () => undefined, warn: () => undefined };
  const ctx = { config: DEFAULT_ACCOUNTS_CONFIG, clock: () => new Date(), log: silent };
  const issued: IssuedCredentials[] = [];
  for (const demo of DEMO_ACCOUNTS) {
    issued.push(
      await createOfficerAccount(
        db,
        {
          username: demo.username,
          displayName: demo.displayName,
          countyCode: demo.countyCode,
          roles: [demo.role],
        },
        'system',
        ctx,
      ),
    );
  }
  await db
    .insert(systemState)
    .values({ key: STATE_KEY, value: { accounts: DEMO_ACCOUNTS.length } })
    .onConflictDoNothing();
  return issued;
}

/** One log line per demo account: who, where, and the secrets to sign in with (first start only). */
export function describeDemoAccount(c: IssuedCredentials): string {
  const role = c.account.roles[0];
  const label = role ? `${ROLE_LABELS[role].zh} ${role}` : 'no role';
  return `demo officer ${c.account.username} (${label}, ${c.account.countyCode}): initial password ${c.initialPassword}  TOTP secret ${c.totpSecret}  ${c.otpauthUri}`;
}
