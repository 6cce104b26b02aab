import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../../../../../src/standards/citizen-id';
import {
  fieldOf,
  fromCitizenId,
  hukouScopeOf,
  moverOut,
  policyInForceFor,
  relationOf,
  withAnsweredMaritalStatus,
  withFormFacts,
} from './model';

const id = composeCitizenId('620123', '1988-05-06', 31);

describe('the application form model', () => {
  it('reads sex and date of birth from a valid id only', () => {
    expect(fromCitizenId(id)).toEqual({ sex: '1', birthDate: '1988-05-06' });
    expect(fromCitizenId(`${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`)).toBeUndefined();
  });

  it('sends a mover as the contract says: 不详 as null, optional facts only when given', () => {
    expect(
      moverOut({ name: ' 程远 ', citizenId: id, relationship: '02', birthplace: null, ethnicity: '03' }),
    ).toEqual({
      name: '程远',
      citizenId: id,
      sex: '1',
      birthDate: '1988-05-06',
      relationship: '02',
      birthplace: null,
      ethnicity: '03',
    });
  });

  it('takes the people facts from the form, so form and facts agree', () => {
    const child = composeCitizenId('330802', '2018-02-20', 52);
    const facts = withFormFacts(
      { person: { age: 0, sex: 'male' }, hukou: { scope: 'same-county' } },
      [
        { citizenId: id, maritalStatus: '20' },
        { name: '程小禾', citizenId: child, relationship: '32' },
      ],
      '2026-12-07',
      true,
      [{ isCoResident: true, relation: 'parent' }],
      hukouScopeOf('620123', '330802'),
    );
    expect(facts).toMatchObject({
      person: { age: 38, sex: 'male', maritalStatus: 'married' },
      hukou: { scope: 'other-province' },
      family: [{ name: '程小禾', relation: 'child', age: 8, sex: 'female', isCoResident: true }],
    });
  });

  it('maps GB/T 4761 relationships and hukou places to the policy facts', () => {
    expect(['12', '20', '32', '51', '99'].map(relationOf)).toEqual([
      'spouse',
      'child',
      'child',
      'parent',
      'other',
    ]);
    expect(hukouScopeOf('330802', '330802')).toBe('same-county');
    expect(hukouScopeOf('330102', '330802')).toBe('same-province');
    expect(hukouScopeOf('330803', '330802')).toBe('same-city');
  });

  it('chooses the version in force, never a draft whose dates have passed', () => {
    const draft = {
      id: 'd',
      status: 'published',
      jurisdiction: '330800',
      version: 1,
      effective: { from: '2017-05-20', to: '2017-06-29' },
    };
    const final = {
      id: 'f',
      status: 'published',
      jurisdiction: '330800',
      version: 1,
      effective: { from: '2017-06-30', to: null },
    };
    expect(policyInForceFor([draft, final], '330802', '2026-12-07')?.id).toBe('f');
    expect(policyInForceFor([draft, final], '620102', '2026-12-07')).toBeUndefined();
  });

  it('places the API field problems on the form fields', () => {
    expect(fieldOf('body.form.movers.1.ethnicity')).toEqual(['movers', 1, 'ethnicity']);
    expect(fieldOf('body.form.applicant.birthDate')).toEqual(['movers', 0, 'birthDate']);
    expect(fieldOf('body.form.destination.newHousehold.address.countyCode')).toEqual([
      'destination',
      'newHousehold',
      'address',
      'countyCode',
    ]);
  });

  it('carries a marital status answered on the questions step to the mover the register will hold', () => {
    const [a, b, c] = [0, 1, 2].map((i) => moverOut({ name: `人${i}`, citizenId: id }));
    const declared = { ...c!, maritalStatus: '22' };
    expect(
      withAnsweredMaritalStatus([a!, b!, declared], { maritalStatus: 'married' }, [
        { maritalStatus: 'unmarried' },
        { maritalStatus: 'divorced' },
      ]).map((m) => m.maritalStatus),
    ).toEqual(['20', '10', '22']);
    // Not answered, or not a status the code table holds: nothing is invented.
    expect(
      withAnsweredMaritalStatus([a!, b!], undefined, [{ maritalStatus: 'unknown' }]).map(
        (m) => m.maritalStatus,
      ),
    ).toEqual([undefined, undefined]);
  });
});
