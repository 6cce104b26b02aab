import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCitizenId,
  composeCitizenId,
  computeCheckCharacter,
  isCitizenId,
  nextSequence,
  upgradeCitizenId,
} from './citizen-id.js';

const TODAY = '2026-11-22';
const check = (id: string) => checkCitizenId(id, { today: TODAY });
const codes = (id: string) => {
  const r = check(id);
  return r.isValid ? [] : r.problems.map((p) => p.code);
};

describe('GB 11643-1999 examples', () => {
  it('accepts 11010519491231002X: a woman born 1949-12-31 in 朝阳区, Beijing', () => {
    const r = check('11010519491231002X');
    expect(r.isValid).toBe(true);
    if (!r.isValid) return;
    expect(r.parsed).toMatchObject({
      birthDate: '1949-12-31',
      sex: 'female',
      sequence: 2,
      checkCharacter: 'X',
      address: { code: '110105', name: '朝阳区', province: '北京市' },
    });
  });

  it('accepts 440524188001010014: born 1880 under the abolished code 440524 潮阳县', () => {
    const r = check('440524188001010014');
    expect(r.isValid).toBe(true);
    if (!r.isValid) return;
    expect(r.parsed.birthDate).toBe('1880-01-01');
    expect(r.parsed.sex).toBe('male');
    expect(r.parsed.address).toMatchObject({ name: '潮阳县', isCurrent: false, prefecture: '汕头市' });
  });

  it('rejects 110105194912310021 by its check character, naming the expected one', () => {
    const r = check('110105194912310021');
    expect(r.isValid).toBe(false);
    if (r.isValid) return;
    expect(r.problems).toEqual([{ code: 'HUJI_ID_CHECKSUM', params: { expected: 'X', actual: '1' } }]);
  });

  it('computes the MOD 11-2 check character', () => {
    expect(computeCheckCharacter('11010519491231002')).toBe('X');
    expect(computeCheckCharacter('44052418800101001')).toBe('4');
  });
});

describe('checkCitizenId reasons', () => {
  it('says the length when it is neither 18 nor 15', () => {
    const r = check('1101051949123100');
    expect(r.isValid || r.problems).toEqual([{ code: 'HUJI_ID_LENGTH', params: { length: 16 } }]);
  });

  it('names the position of a character that is not allowed', () => {
    const r = check('1101051949X231002X');
    expect(r.isValid || r.problems).toEqual([
      { code: 'HUJI_ID_CHARACTERS', params: { position: 11, character: 'X' } },
    ]);
  });

  it('accepts a lower-case x as the check character and normalises it', () => {
    const r = check(' 11010519491231002x ');
    expect(r.isValid && r.parsed.citizenId).toBe('11010519491231002X');
  });

  it('rejects an address code no period ever had', () => {
    expect(codes(composeCitizenId('990101', '1990-01-01', 1))).toEqual(['HUJI_ID_ADDRESS_UNKNOWN']);
  });

  it('rejects a province-level code as address code', () => {
    expect(codes(composeCitizenId('330000', '1990-01-01', 1))).toEqual(['HUJI_ID_ADDRESS_UNKNOWN']);
  });

  it('accepts the abolished 330821 衢县 for a birth in its years and shows the historical name', () => {
    const r = check(composeCitizenId('330821', '1990-06-01', 15));
    expect(r.isValid && r.parsed.address).toMatchObject({ code: '330821', name: '衢县', isCurrent: false });
  });

  it('rejects 330821 for a birth years after it was abolished', () => {
    const r = check(composeCitizenId('330821', '2005-03-01', 15));
    expect(r.isValid || r.problems).toEqual([
      {
        code: 'HUJI_ID_ADDRESS_ABOLISHED',
        params: { addressCode: '330821', name: '衢县', lastYear: 2000, birthYear: 2005 },
      },
    ]);
  });

  it('accepts codes created after the MCA lists end (350405 沙县区, 2021)', () => {
    expect(check(composeCitizenId('350405', '2022-01-01', 3)).isValid).toBe(true);
  });

  it('rejects impossible dates, including 29 February of a common year', () => {
    expect(codes(composeCitizenId('330802', '1999-02-29', 1))).toEqual(['HUJI_ID_DATE_IMPOSSIBLE']);
    expect(check(composeCitizenId('330802', '2000-02-29', 1)).isValid).toBe(true);
    expect(codes(composeCitizenId('330802', '1990-13-01', 1))).toEqual(['HUJI_ID_DATE_IMPOSSIBLE']);
  });

  it('rejects a birth date after today', () => {
    expect(codes(composeCitizenId('330802', '2026-11-23', 1))).toEqual(['HUJI_ID_DATE_FUTURE']);
    expect(check(composeCitizenId('330802', '2026-11-22', 1)).isValid).toBe(true);
  });

  it('reports every independent problem at once', () => {
    const first17 = '99010119990229001';
    const wrong = computeCheckCharacter(first17) === '0' ? '1' : '0';
    expect(codes(first17 + wrong)).toEqual([
      'HUJI_ID_ADDRESS_UNKNOWN',
      'HUJI_ID_DATE_IMPOSSIBLE',
      'HUJI_ID_CHECKSUM',
    ]);
  });

  it('recognises residence permits of Hong Kong, Macao and Taiwan residents', () => {
    const r = check(composeCitizenId('810000', '1990-01-01', 21));
    expect(r.isValid && r.parsed.kind).toBe('hmt-residence-permit');
  });

  it('accepts a valid 15-digit number and gives its 18-character form', () => {
    const r = check('330821850101123');
    expect(r.isValid && r.parsed).toMatchObject({ format: 15, citizenId: '330821198501011233', sex: 'male' });
  });
});

describe('upgradeCitizenId', () => {
  it('inserts 19 and appends the check character', () => {
    const r = upgradeCitizenId('330821850101123', { today: TODAY });
    expect(r).toMatchObject({ isUpgraded: true, citizenId: '330821198501011233', isBornBefore1900: false });
  });

  it('uses 18 and flags the holder when the record says they were born before 1900', () => {
    const r = upgradeCitizenId('440524800101001', { today: TODAY, birthDateOnRecord: '1880-01-01' });
    expect(r).toMatchObject({ isUpgraded: true, citizenId: '440524188001010014', isBornBefore1900: true });
  });

  it('refuses a birth date on record that does not match the number', () => {
    const r = upgradeCitizenId('440524800101001', { today: TODAY, birthDateOnRecord: '1880-02-01' });
    expect(r.isUpgraded || r.problems[0]?.code).toBe('HUJI_ID_CENTURY_MISMATCH');
  });

  it('refuses an 18-character number', () => {
    const r = upgradeCitizenId('11010519491231002X');
    expect(r.isUpgraded || r.problems[0]).toEqual({ code: 'HUJI_ID_NOT_LEGACY', params: { length: 18 } });
  });

  it('refuses a 15-digit number with an impossible date', () => {
    const r = upgradeCitizenId('330821850231123', { today: TODAY });
    expect(r.isUpgraded || r.problems.map((p) => p.code)).toEqual(['HUJI_ID_DATE_IMPOSSIBLE']);
  });
});

describe('sequences for new numbers', () => {
  it('starts at 001 for men and 002 for women and steps by two', () => {
    expect(nextSequence(undefined, 'male')).toBe(1);
    expect(nextSequence(undefined, 'female')).toBe(2);
    expect(nextSequence(7, 'male')).toBe(9);
    expect(nextSequence(997, 'male')).toBe(999);
    expect(nextSequence(999, 'male')).toBeUndefined();
    expect(nextSequence(998, 'female')).toBeUndefined();
  });

  it('composes the GB 11643 example', () => {
    expect(composeCitizenId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });
});

// Property tests: generated numbers from real county codes and real dates.
// Codes in use for the whole generated span 1986–2000 (330821 衢县 until 2000).
const COUNTIES = ['110105', '330802', '330803', '330881', '620102', '620123', '330821', '350405'];
const validId = fc
  .record({
    county: fc.constantFrom(...COUNTIES),
    date: fc.date({
      min: new Date('1986-01-01T00:00:00Z'),
      max: new Date('2000-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 1, max: 999 }),
  })
  .map(({ county, date, sequence }) => composeCitizenId(county, date.toISOString().slice(0, 10), sequence));

describe('properties', () => {
  it('every generated valid number passes and parses back to its parts', () => {
    fc.assert(
      fc.property(validId, (id) => {
        const r = check(id);
        expect(r.isValid).toBe(true);
        if (r.isValid) {
          expect(r.parsed.citizenId).toBe(id);
          expect(r.parsed.birthDate.replaceAll('-', '')).toBe(id.slice(6, 14));
          expect(r.parsed.sex).toBe(Number(id.slice(14, 17)) % 2 === 1 ? 'male' : 'female');
        }
        expect(isCitizenId(id, { today: TODAY })).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('every single-character change of a valid number is caught', () => {
    const alphabet = '0123456789X';
    fc.assert(
      fc.property(
        validId,
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (id, position, shift) => {
          const original = id[position] ?? '';
          const replacement = alphabet[(alphabet.indexOf(original) + shift) % alphabet.length] ?? '';
          const changed = id.slice(0, position) + replacement + id.slice(position + 1);
          expect(changed).not.toBe(id);
          expect(check(changed).isValid).toBe(false);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const r = check(s);
        expect(typeof r.isValid).toBe('boolean');
      }),
    );
  });
});
