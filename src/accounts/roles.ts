/**
 * Officer roles and what each may do: the permission table is data, checked in one place
 * (`requireOfficer`). The three administrators are separated (三权分立, security.md): no account holds
 * two of them. A new account holds no role until one is granted (least privilege).
 */
import { z } from 'zod';

export const ROLES = [
  'window-clerk',
  'reviewer',
  'approver',
  'registrar',
  'department-user',
  'reform-office',
  'system-admin',
  'security-admin',
  'audit-admin',
] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const ADMIN_ROLES = [
  'system-admin',
  'security-admin',
  'audit-admin',
] as const satisfies readonly Role[];

export const ROLE_LABELS = {
  'window-clerk': { zh: '受理窗口', en: 'window clerk' },
  reviewer: { zh: '审核', en: 'reviewer' },
  approver: { zh: '审批', en: 'approver' },
  registrar: { zh: '户籍民警', en: 'registrar' },
  'department-user': { zh: '部门用户', en: 'department user' },
  'reform-office': { zh: '户改办', en: 'reform office' },
  'system-admin': { zh: '系统管理员', en: 'system administrator' },
  'security-admin': { zh: '安全管理员', en: 'security administrator' },
  'audit-admin': { zh: '审计管理员', en: 'audit administrator' },
} as const satisfies Record<Role, { zh: string; en: string }>;

export const ACTIONS = [
  'register.read',
  'register.read-full-id',
  'register.command',
  'register.counts',
  'register.duplicates',
  'register.verify-ledger',
  'document.issue',
  'document.read',
  'document.revoke',
  'application.read',
  'application.read-full-id',
  'application.act',
  'account.read',
  'account.create',
  'account.grant',
  'account.reset',
  'account.unlock',
  'account.disable',
  'audit.read',
  'stats.dashboard',
] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

/**
 * Role → allowed actions. Reading personal data is given only to roles whose work needs it; the full
 * citizen id only to registrars (and, on applications, to the window clerk who checks the applicant's
 * card at the window). Which step of an application each role may take is the workflow's table
 * (src/services/workflow.ts); `application.act` only lets the officer reach it. The system administrator keeps accounts working (unlock, reset, disable); the
 * security administrator creates accounts and grants roles; the audit administrator only reads audit
 * records and verifies chains. Department users reach the register through the sharing layer (grants),
 * not these routes. The dashboard (`stats.dashboard`: counts only, no personal data) goes to the roles
 * that answer for the work as a whole: the approver for the office's decisions and their time limits,
 * the registrar for what reaches the register, the reform office for the reform's progress. Window
 * clerks and reviewers work case by case from their queue; the administrators keep out of the business.
 * Revoking a document (作废, `document.revoke`) goes to the roles that issue documents: the office that
 * issues a paper is the one that takes it back when it was issued in error.
 */
export const PERMISSIONS = {
  'window-clerk': [
    'register.read',
    'document.issue',
    'document.read',
    'document.revoke',
    'application.read',
    'application.read-full-id',
    'application.act',
  ],
  reviewer: ['register.read', 'document.read', 'application.read', 'application.act'],
  approver: [
    'register.read',
    'register.counts',
    'document.read',
    'application.read',
    'application.act',
    'stats.dashboard',
  ],
  registrar: [
    'register.read',
    'register.read-full-id',
    'register.command',
    'register.counts',
    'register.duplicates',
    'register.verify-ledger',
    'document.issue',
    'document.read',
    'document.revoke',
    'application.read',
    'application.read-full-id',
    'application.act',
    'stats.dashboard',
  ],
  'department-user': [],
  'reform-office': ['register.counts', 'stats.dashboard'],
  'system-admin': ['account.read', 'account.reset', 'account.unlock', 'account.disable'],
  'security-admin': ['account.read', 'account.create', 'account.grant'],
  'audit-admin': ['audit.read', 'register.verify-ledger'],
} as const satisfies Record<Role, readonly Action[]>;

/** Whether any of the roles allows the action (fail closed: no roles, no actions). */
export function canPerform(roles: readonly Role[], action: Action): boolean {
  return roles.some((role) => (PERMISSIONS[role] as readonly Action[]).includes(action));
}

/** Every action the roles allow, in table order. */
export function actionsOf(roles: readonly Role[]): Action[] {
  return ACTIONS.filter((action) => canPerform(roles, action));
}

/**
 * The administrator duties a role set combines; more than one breaks the separation of duties.
 *
 * @example adminDutiesOf(['system-admin', 'registrar']) // ['system-admin']
 */
export function adminDutiesOf(roles: readonly Role[]): Role[] {
  return ADMIN_ROLES.filter((admin) => roles.includes(admin));
}

export function isAdministrator(roles: readonly Role[]): boolean {
  return adminDutiesOf(roles).length > 0;
}

/**
 * Whether an officer whose jurisdiction is `officerCounty` (a county, a prefecture ending in 00, or a
 * province ending in 0000) covers the division `code`.
 */
export function coversCounty(officerCounty: string, code: string): boolean {
  return code.startsWith(jurisdictionPrefix(officerCounty));
}

/** The division-code prefix a jurisdiction covers: 2 digits for a province, 4 for a city, 6 for a county. */
export function jurisdictionPrefix(officerCounty: string): string {
  if (officerCounty.endsWith('0000')) return officerCounty.slice(0, 2);
  if (officerCounty.endsWith('00')) return officerCounty.slice(0, 4);
  return officerCounty;
}
