import { describe, expect, it } from 'vitest';
import { OFFICER_ROLE_NAMES } from '../db/schema.js';
import { ACTIONS, actionsOf, adminDutiesOf, canPerform, coversCounty, PERMISSIONS, ROLES } from './roles.js';

describe('roles and the permission table', () => {
  it('names only known actions, and every action is allowed to someone', () => {
    for (const role of ROLES) for (const a of PERMISSIONS[role]) expect(ACTIONS).toContain(a);
    for (const a of ACTIONS) expect(ROLES.some((r) => canPerform([r], a))).toBe(true);
  });

  it('knows the same roles as the database constraint', () => {
    expect([...OFFICER_ROLE_NAMES]).toEqual([...ROLES]);
  });

  it('fails closed: no role, no action', () => {
    for (const a of ACTIONS) expect(canPerform([], a)).toBe(false);
    expect(actionsOf([])).toEqual([]);
  });

  it('gives the full citizen id and register commands to registrars only', () => {
    const holders = (a: (typeof ACTIONS)[number]) => ROLES.filter((r) => canPerform([r], a));
    expect(holders('register.read-full-id')).toEqual(['registrar']);
    expect(holders('register.command')).toEqual(['registrar']);
    expect(holders('account.create')).toEqual(['security-admin']);
    expect(holders('audit.read')).toEqual(['audit-admin']);
  });

  it('lets exactly the roles that issue documents revoke them', () => {
    const holders = (a: (typeof ACTIONS)[number]) => ROLES.filter((r) => canPerform([r], a));
    expect(holders('document.revoke')).toEqual(['window-clerk', 'registrar']);
    expect(holders('document.revoke')).toEqual(holders('document.issue'));
  });

  it('keeps the administrators apart from each other and from personal data', () => {
    expect(canPerform(['system-admin'], 'account.create')).toBe(false);
    expect(canPerform(['security-admin'], 'account.unlock')).toBe(false);
    expect(canPerform(['audit-admin'], 'account.read')).toBe(false);
    for (const admin of ['system-admin', 'security-admin', 'audit-admin'] as const)
      expect(canPerform([admin], 'register.read')).toBe(false);
    expect(adminDutiesOf(['system-admin', 'registrar'])).toEqual(['system-admin']);
    expect(adminDutiesOf(['audit-admin', 'security-admin'])).toEqual(['security-admin', 'audit-admin']);
  });

  it('covers counties of a prefecture or province, never a neighbour', () => {
    expect(coversCounty('330802', '330802')).toBe(true);
    expect(coversCounty('330802', '330803')).toBe(false);
    expect(coversCounty('330800', '330881')).toBe(true);
    expect(coversCounty('330800', '620102')).toBe(false);
    expect(coversCounty('330000', '330881')).toBe(true);
  });
});
