/**
 * Where each officer lands in the console: the page of their daily work, which their roles always
 * allow (a page that answers "your roles do not allow this" is never a start page). Window clerks,
 * reviewers and approvers work from the queue; the registrar from person search (the register is their
 * work; the queue is one click away); the reform office from the dashboard; the audit administrator from
 * the audit trail; the security and system administrators from the accounts; a department user, who
 * reaches the register only through the sharing layer, from the policy comparison (public).
 */
export interface StartPage {
  readonly path: string;
  /** The permission the page needs (null: none). */
  readonly needs: string | null;
}

export const START_PAGES = {
  'window-clerk': { path: '/console/applications', needs: 'application.read' },
  reviewer: { path: '/console/applications', needs: 'application.read' },
  approver: { path: '/console/applications', needs: 'application.read' },
  registrar: { path: '/console/persons', needs: 'register.read' },
  'reform-office': { path: '/console/dashboard', needs: 'stats.dashboard' },
  'audit-admin': { path: '/console/audit', needs: 'audit.read' },
  'security-admin': { path: '/console/accounts', needs: 'account.read' },
  'system-admin': { path: '/console/accounts', needs: 'account.read' },
  'department-user': { path: '/console/policies/diff', needs: null },
} as const satisfies Record<string, StartPage>;

const FALLBACK: StartPage = { path: '/console/policies/diff', needs: null };

/**
 * The start page of an officer: that of their first role (in the order above) whose page their
 * permissions allow.
 *
 * @example startPageOf(['reform-office'], ['register.counts', 'stats.dashboard']) // '/console/dashboard'
 */
export function startPageOf(roles: readonly string[], permissions: readonly string[]): string {
  for (const [role, page] of Object.entries(START_PAGES) as [string, StartPage][])
    if (roles.includes(role) && (page.needs === null || permissions.includes(page.needs))) return page.path;
  return FALLBACK.path;
}
