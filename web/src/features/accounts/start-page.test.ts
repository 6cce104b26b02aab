import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES } from '../../../../src/accounts/roles';
import { START_PAGES, startPageOf } from './start-page';

describe('start pages', () => {
  it.each(ROLES)('lands %s on a page its permissions allow', (role) => {
    const permissions = PERMISSIONS[role] as readonly string[];
    const path = startPageOf([role], permissions);
    const page = Object.values(START_PAGES).find((p) => p.path === path);
    expect(page).toBeDefined();
    if (page?.needs) expect(permissions).toContain(page.needs);
  });

  it('sends each role to its own work', () => {
    const start = (role: keyof typeof PERMISSIONS) => startPageOf([role], PERMISSIONS[role]);
    expect(start('window-clerk')).toBe('/console/applications');
    expect(start('reviewer')).toBe('/console/applications');
    expect(start('approver')).toBe('/console/applications');
    expect(start('registrar')).toBe('/console/persons');
    expect(start('reform-office')).toBe('/console/dashboard');
    expect(start('audit-admin')).toBe('/console/audit');
    expect(start('security-admin')).toBe('/console/accounts');
    expect(start('system-admin')).toBe('/console/accounts');
    expect(start('department-user')).toBe('/console/policies/diff');
    // A role whose permission was withdrawn does not send its holder to a refusal.
    expect(startPageOf(['reform-office'], [])).toBe('/console/policies/diff');
    expect(startPageOf(['registrar', 'window-clerk'], [...PERMISSIONS.registrar])).toBe(
      '/console/applications',
    );
  });
});
