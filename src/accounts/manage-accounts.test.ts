import { describe, expect, it } from 'vitest';
import { assertSeparatedDuties } from './manage-accounts.js';
import { ADMIN_ROLES, ROLES } from './roles.js';

describe('assertSeparatedDuties', () => {
  it('lets an administrator duty stand alone, and business roles combine freely', () => {
    for (const admin of ADMIN_ROLES) expect(() => assertSeparatedDuties([admin])).not.toThrow();
    expect(() => assertSeparatedDuties(['registrar', 'window-clerk', 'approver'])).not.toThrow();
    expect(() => assertSeparatedDuties([])).not.toThrow();
  });

  it('refuses two administrator duties, and any role beside an administrator duty', () => {
    expect(() => assertSeparatedDuties(['system-admin', 'audit-admin'])).toThrow(
      expect.objectContaining({ code: 'HUJI_ADMIN_DUTIES_COMBINED' }),
    );
    const business = ROLES.filter((r) => !(ADMIN_ROLES as readonly string[]).includes(r));
    for (const admin of ADMIN_ROLES)
      for (const role of business)
        expect(() => assertSeparatedDuties([admin, role])).toThrow(
          expect.objectContaining({ code: 'HUJI_ADMIN_ROLE_ALONE' }),
        );
  });
});
