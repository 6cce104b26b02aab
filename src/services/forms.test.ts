import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../standards/citizen-id.js';
import { ApplicationForm, checkFormConsistency, handlingCountyOf } from './forms.js';

const id = composeCitizenId('330881', '1990-05-06', 13);
const settlement = {
  kind: 'settlement',
  applicant: { name: '程远', citizenId: id },
  movers: [{ name: '程远', sex: '1', birthDate: '1990-05-06', citizenId: id, relationship: '99' }],
  fromDivision: '330881',
  destination: { householdNumber: '330802000910001' },
};

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
        { name: '程小', sex: '2', birthDate: '2015-01-02', citizenId: other, relationship: '20' },
        { name: '程小', sex: '1', birthDate: '2015-01-01', citizenId: other, relationship: '20' },
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
});
