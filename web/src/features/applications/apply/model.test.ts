import { describe, expect, it } from 'vitest';
import { composeCitizenId } from '../../../../../src/standards/citizen-id';
import {
  acceptOf,
  answersFromSelfCheck,
  citizenIdProblem,
  derivedPersonPaths,
  fieldOf,
  fromCitizenId,
  hukouScopeOf,
  isAcceptedFile,
  monthsSince,
  moverOut,
  moversFromSelfCheck,
  policyInForceFor,
  relationOf,
  withAnsweredMaritalStatus,
  selfCheckNote,
  withFormFacts,
  type SelfCheckHandover,
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
    // The new household's county is the county applied to, asked once (issue 13).
    expect(fieldOf('body.form.destination.newHousehold.address.countyCode')).toEqual(['county']);
    expect(fieldOf('body.form.destination.newHousehold.address.text')).toEqual([
      'destination',
      'newHousehold',
      'address',
      'text',
    ]);
    // The town picked for the new household is a field of its own.
    expect(fieldOf('body.form.destination.newHousehold.address.townCode')).toEqual([
      'destination',
      'newHousehold',
      'address',
      'townCode',
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

  it('derives the months of residence from the date since when, and does not ask them (issue 13)', () => {
    expect(monthsSince('2025-03-01', '2026-12-07')).toBe(21);
    expect(monthsSince('2025-03-08', '2025-09-07')).toBe(5);
    expect(monthsSince('2025-03-08', '2025-09-08')).toBe(6);
    expect(monthsSince('2027-01-01', '2026-12-07')).toBe(0);
    expect(derivedPersonPaths({}, false, true).has('months.residence')).toBe(true);
    expect(derivedPersonPaths({}, true, false).has('months.residence')).toBe(false);
    const facts = withFormFacts(
      { person: { age: 0, sex: 'male' }, months: { residence: 2, employment: 7 } },
      [{ citizenId: id }],
      '2026-12-07',
      false,
      [],
      undefined,
      '2025-03-01',
    );
    expect(facts.months).toEqual({ residence: 21, employment: 7 });
  });

  it('carries the self-check answers into the form and names the pathway it found (issue 13)', () => {
    const handover: SelfCheckHandover = {
      county: '330802',
      typeId: 'settlement/legal-residence',
      chosenTypeId: 'settlement/legal-residence',
      pathway: { id: 'legal-residence', title: { zh: '合法稳定住所落户', en: 'legal residence' } },
      answers: {
        person: { maritalStatus: 'married' },
        residence: { type: 'owned', townType: 'county-seat' },
      },
      family: [
        { name: '马晓燕', relation: 'spouse', age: 34, sex: 'female', isCoResident: true },
        { relation: 'child', age: 6, sex: 'male', isCoResident: true, hasIncome: false },
        { relation: 'parent', age: 63, sex: 'male', isCoResident: false },
      ],
    };
    expect(moversFromSelfCheck(handover)).toEqual([
      { maritalStatus: '20' },
      { name: '马晓燕', relationship: '12', maritalStatus: '20' },
      { relationship: '20' },
      { relationship: '51' },
    ]);
    // Nothing the resident did not say: no marital status of their own when it was not asked.
    expect(moversFromSelfCheck({ family: [] })).toEqual([{}]);
    const answers = answersFromSelfCheck(
      { residence: { type: 'none', hasResidenceProof: false }, hukou: { scope: 'other-province' } },
      handover,
    );
    expect(answers).toEqual({
      person: { maritalStatus: 'married' },
      residence: { type: 'owned', townType: 'county-seat', hasResidenceProof: false },
      hukou: { scope: 'other-province' },
      family: [
        { relation: 'spouse', age: 34, sex: 'female', isCoResident: true },
        { relation: 'child', age: 6, sex: 'male', isCoResident: true, hasIncome: false },
        { relation: 'parent', age: 63, sex: 'male', isCoResident: false },
      ],
    });
    expect(selfCheckNote(handover, 'settlement/legal-residence')).toEqual({
      pathway: { zh: '合法稳定住所落户', en: 'legal residence' },
      isSameType: true,
    });
    expect(selfCheckNote(handover, 'settlement/talent')?.isSameType).toBe(false);
    expect(selfCheckNote({ county: '330802' }, undefined)).toBeUndefined();
  });
});

describe('material slots (issue 13)', () => {
  it('lets a photo slot take images only, the others PDFs too', () => {
    const photo = ['image/jpeg', 'image/png'];
    expect(acceptOf(photo)).toBe('.jpg,.jpeg,.png,image/jpeg,image/png');
    expect(acceptOf(undefined)).toContain('application/pdf');
    expect(isAcceptedFile({ name: 'photo.pdf', type: 'application/pdf' }, photo)).toBe(false);
    expect(isAcceptedFile({ name: 'photo.png', type: 'image/png' }, photo)).toBe(true);
    expect(isAcceptedFile({ name: 'PHOTO.JPG', type: '' }, photo)).toBe(true);
    expect(isAcceptedFile({ name: 'lease.pdf', type: 'application/pdf' }, undefined)).toBe(true);
  });
});

describe('a typed citizen id (newcomer trial: a wrong check digit read “应为 18 位”)', () => {
  it('names the rule it breaks, in the page’s language', () => {
    expect(citizenIdProblem('610113199011021239', 'zh-CN')).toMatch(
      /^校验码不符：按 GB 11643 的 MOD 11-2 计算应为 \S+，号码中为 9。$/,
    );
    expect(citizenIdProblem('6101131990110212', 'zh-CN')).toContain('此号码为 16 位');
    expect(citizenIdProblem('610113199011021239', 'en')).toMatch(/^Check character mismatch/);
    expect(citizenIdProblem(id, 'zh-CN')).toBeUndefined();
  });
});
