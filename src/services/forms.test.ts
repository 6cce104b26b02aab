import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { ApplicationForm, checkFormConsistency, handlingCountyOf } from './forms.js';

const id = composeCitizenId('330881', '1990-05-06', 13);
const settlement = {
  kind: 'settlement',
  applicant: { name: '程远', citizenId: id },
  movers: [
    {
      name: '程远',
      sex: '1',
      birthDate: '1990-05-06',
      citizenId: id,
      relationship: '99',
      birthplace: '330881',
      ethnicity: '01',
    },
  ],
  fromDivision: '330881',
  destination: { householdNumber: '330802000910001' },
};

const unknowns = { birthplace: null, ethnicity: null };

describe('application forms', () => {
  it('accept a settlement into an existing household and name its county', () => {
    const form = ApplicationForm.parse(settlement);
    expect(checkFormConsistency(form)).toEqual([]);
    expect(handlingCountyOf(form)).toBe('330802');
  });

  it('refuse a citizen id with a wrong check character, naming the field', () => {
    const wrong = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    const result = ApplicationForm.safeParse({
      ...settlement,
      applicant: { name: '程远', citizenId: wrong },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['applicant.citizenId']);
  });

  it('find what the schema cannot: the applicant not first, a person twice, a birth date the id contradicts', () => {
    const other = composeCitizenId('330881', '2015-01-01', 22);
    const form = ApplicationForm.parse({
      ...settlement,
      movers: [
        {
          ...unknowns,
          name: '程小',
          sex: '2',
          birthDate: '2015-01-02',
          citizenId: other,
          relationship: '20',
        },
        {
          ...unknowns,
          name: '程小',
          sex: '1',
          birthDate: '2015-01-01',
          citizenId: other,
          relationship: '20',
        },
      ],
    });
    expect(checkFormConsistency(form).map((p) => p.path)).toEqual([
      'form.movers.0.citizenId',
      'form.movers.0.birthDate',
      'form.movers.1.citizenId',
      'form.movers.1.sex',
    ]);
    expect(checkFormConsistency(form)[0]?.message.zh).toBe('第一位迁入人应为申请人本人');
  });

  it('send a new household to the county of its address', () => {
    const form = ApplicationForm.parse({
      ...settlement,
      destination: { newHousehold: { address: { text: '衢州市衢江区樟潭街道 1 号', countyCode: '330803' } } },
    });
    expect(handlingCountyOf(form)).toBe('330803');
  });

  it('require birthplace and ethnicity of every mover, null meaning a declared unknown, and default nothing', () => {
    const [declared] = settlement.movers;
    const { birthplace: _b, ethnicity: _e, ...silent } = declared!;
    const missing = ApplicationForm.safeParse({ ...settlement, movers: [silent] });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'movers.0.ethnicity',
      'movers.0.birthplace',
    ]);
    // Declared unknown: kept as null, not 汉族 and not any county; nothing undeclared appears.
    const form = ApplicationForm.parse({ ...settlement, movers: [{ ...silent, ...unknowns }] });
    const [mover] = form.kind === 'settlement' ? form.movers : [];
    expect(mover).toEqual({ ...silent, ...unknowns });
    expect(mover).not.toHaveProperty('education');
    expect(mover).not.toHaveProperty('maritalStatus');
    // A wrong code is named by its table and standard, in both languages.
    const wrong = ApplicationForm.safeParse({ ...settlement, movers: [{ ...declared, ethnicity: '99' }] });
    expect(wrong.error?.issues[0]).toMatchObject({
      path: ['movers', 0, 'ethnicity'],
      params: { hujiCode: 'HUJI_FIELD_CODE', standard: 'GB 3304-1991', value: '99' },
    });
  });

  it("require the residence-permit applicant's ethnicity instead of assuming 汉族", () => {
    const permit = {
      kind: 'residence-permit',
      applicant: {
        name: '马兰',
        citizenId: composeCitizenId('620102', '1996-03-08', 66),
        sex: '2',
        birthDate: '1996-03-08',
      },
      residenceAddress: { text: '衢州市柯城区花园路 18 号', countyCode: '330802' },
      livingSince: '2026-01-10',
    };
    const missing = ApplicationForm.safeParse(permit);
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['applicant.ethnicity']);
    const unknown = ApplicationForm.parse({ ...permit, applicant: { ...permit.applicant, ethnicity: null } });
    expect(unknown.kind === 'residence-permit' && unknown.applicant.ethnicity).toBeNull();
  });
});
