import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeCitizenId } from './citizen-id.js';
import {
  maskBirthDate,
  maskBirthDatesNextToIds,
  maskCitizenId,
  maskCitizenIdsInText,
  maskName,
  maskPersonalFields,
  maskPhone,
} from './masking.js';
import { reconstructCitizenId } from './testing/reconstruct-citizen-id.js';

/** The acceptance bound of docs/adr/0021-irreversible-id-masking.md. */
const AT_LEAST = 1000;

/** A random person as the register holds one: division, birth date, sequence, and the id they make. */
const person = fc
  .record({
    division: fc.constantFrom('330881', '330802', '110105', '440305', '510104'),
    birth: fc.date({
      min: new Date('1926-01-01T00:00:00Z'),
      max: new Date('2025-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    sequence: fc.integer({ min: 1, max: 999 }),
  })
  .map(({ division, birth, sequence }) => {
    const birthDate = birth.toISOString().slice(0, 10);
    return {
      citizenId: composeCitizenId(division, birthDate, sequence),
      birthDate,
      sex: sequence % 2 === 1 ? '1' : '2',
    };
  });

describe('PIPL display masking', () => {
  it('keeps only the 6-digit address code of an ID number', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105************');
    expect(maskCitizenId('330821850101123')).toBe('330821*********');
    expect(maskCitizenId(maskCitizenId('11010519491231002X'))).toBe('110105************');
  });

  it('keeps the year and month of a birth date, idempotently', () => {
    expect(maskBirthDate('1984-04-26')).toBe('1984-04');
    expect(maskBirthDate('1984-04')).toBe('1984-04');
  });

  it('keeps the first 3 and last 4 digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the family name, including compound surnames', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳修远')).toBe('欧阳**');
    expect(maskName('王')).toBe('王');
  });

  it('masks ID numbers inside URLs and text but leaves other numbers alone', () => {
    expect(maskCitizenIdsInText('/x?id=11010519491231002X&n=12345')).toBe('/x?id=110105************&n=12345');
    expect(maskCitizenIdsInText('old 330821850101123 new')).toBe('old 330821********* new');
    expect(maskCitizenIdsInText('order 1234567890123456789012')).toBe('order 1234567890123456789012');
  });

  it('cuts the dates of a text that names an id, and masks the id, but leaves 15-digit numbers', () => {
    expect(maskBirthDatesNextToIds('同一人（33088119840426065X，1984-04-26）')).toBe(
      '同一人（330881************，1984-04）',
    );
    expect(maskBirthDatesNextToIds('户号 330881000900001 自 2020-01-02')).toBe(
      '户号 330881000900001 自 2020-01-02',
    );
  });

  it('masks every citizen-id and birth-date field of an answer, deep', () => {
    const answer = {
      form: { movers: [{ citizenId: '33088119840426065X', birthDate: '1984-04-26', sex: '1' }] },
      rows: [{ citizen_id: '33088119840426065X', birth_date: '1984-04-26', member_since: '2020-01-02' }],
      householdNumber: '330881000900001',
    };
    expect(maskPersonalFields(answer)).toEqual({
      form: { movers: [{ citizenId: '330881************', birthDate: '1984-04', sex: '1' }] },
      rows: [{ citizen_id: '330881************', birth_date: '1984-04', member_since: '2020-01-02' }],
      householdNumber: '330881000900001',
    });
  });
});

describe('the reconstruction attacker', () => {
  it('rebuilds the id from the old mask and the birth date shown beside it (the finding)', () => {
    const id = composeCitizenId('330881', '1984-04-26', 65);
    const old = `${id.slice(0, 6)}********${id.slice(-4)}`;
    expect(
      reconstructCitizenId(JSON.stringify({ citizenId: old, birthDate: '1984-04-26' }), id).candidates,
    ).toBe(1);
    // The old mask with only the year and month leaves a handful: not enough either.
    expect(
      reconstructCitizenId(JSON.stringify({ citizenId: old, birthDate: '1984-04' }), id).candidates,
    ).toBeLessThan(10);
    expect(reconstructCitizenId(`the id ${id}`, id).candidates).toBe(1);
  });

  it('cannot narrow a masked person below the bound, for any person (property)', () => {
    fc.assert(
      fc.property(person, (p) => {
        const seen = JSON.stringify(
          maskPersonalFields({ person: p, text: `核对 ${p.citizenId} ${p.birthDate}` }),
        );
        const found = reconstructCitizenId(seen, p.citizenId);
        expect(found.birthKnown).toBe('month');
        expect(found.candidates).toBeGreaterThanOrEqual(AT_LEAST);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});
