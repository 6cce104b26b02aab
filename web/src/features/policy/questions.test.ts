import { describe, expect, it } from 'vitest';
import { evaluateProgramme } from '../../../../src/policy/evaluate';
import { loadPolicyCatalog } from '../../../../src/server/policy-catalog';
import { factsFromAnswers, factsUsed, initialAnswers, isVisible, questionnaire, readPath } from './questions';

const catalog = loadPolicyCatalog();
const policy = (id: string) => catalog.find(id)!.policy;
const settlement = (id: string) => policy(id).programmes[0]!;

describe('the self-check asks what the rules need', () => {
  it('asks exactly the facts the programme reads, in steps', () => {
    const programme = settlement('quzhou-2017-final');
    const qs = questionnaire(programme);
    const asked = qs.steps.flatMap((s) => s.questions.map((q) => q.path));
    const used = [...factsUsed(programme)].filter(
      (p) => !p.startsWith('member.') && p !== 'place.countyCode',
    );
    expect(new Set(asked)).toEqual(new Set(used));
    expect(asked).toContain('residence.leaseMonths');
    expect(asked).not.toContain('investment.townType');
    expect(qs.steps.map((s) => s.id)).toEqual(['you', 'home', 'work', 'relative']);
    expect(qs.asksFamily).toBe(true);
    // A gate comes before the facts it hides.
    expect(asked.indexOf('investment.role')).toBeLessThan(asked.indexOf('investment.amountYuan'));
    expect(asked.indexOf('residence.type')).toBeLessThan(asked.indexOf('residence.leaseMonths'));
    expect(qs.memberQuestions.map((q) => q.path)).toEqual(
      expect.arrayContaining(['member.relation', 'member.age', 'member.sex', 'member.isCoResident']),
    );
  });

  it('requires the facts without a default (age, sex) and pre-fills the others', () => {
    const qs = questionnaire(settlement('quzhou-2017-final'));
    const age = qs.steps[0]!.questions.find((q) => q.path === 'person.age')!;
    expect(age.isRequired).toBe(true);
    const answers = initialAnswers(qs);
    expect(answers).toMatchObject({ residence: { type: 'none' }, hukou: { scope: 'other-province' } });
    expect((answers.person as Record<string, unknown> | undefined)?.age).toBeUndefined();
  });

  it('skips the facts of a home the person does not have, and drops their answers', () => {
    const qs = questionnaire(settlement('quzhou-2017-final'));
    const lease = qs.steps.flatMap((s) => s.questions).find((q) => q.path === 'residence.leaseMonths')!;
    expect(isVisible(lease, { residence: { type: 'none' } })).toBe(false);
    expect(isVisible(lease, { residence: { type: 'private-rental' } })).toBe(true);
    const facts = factsFromAnswers(
      qs,
      { person: { age: 30, sex: 'male' }, residence: { type: 'none', leaseMonths: 24 } },
      '330802',
      [],
    );
    expect(facts.residence.leaseMonths).toBe(0);
  });

  it("asks a lease term of a renter only, not of an owner or someone living at a relative's (issue 13)", () => {
    const qs = questionnaire(settlement('quzhou-2017-final'));
    const lease = qs.steps.flatMap((s) => s.questions).find((q) => q.path === 'residence.leaseMonths')!;
    for (const type of ['owned', 'relative', 'employer-provided', 'none'])
      expect(isVisible(lease, { residence: { type } }), type).toBe(false);
    for (const type of ['private-rental', 'public-rental'])
      expect(isVisible(lease, { residence: { type } }), type).toBe(true);
    // A lease term typed before the resident switched to their own home is not a fact.
    const facts = factsFromAnswers(
      qs,
      { person: { age: 30, sex: 'male' }, residence: { type: 'owned', leaseMonths: 24 } },
      '330802',
      [],
    );
    expect(facts.residence.leaseMonths).toBe(0);
  });

  it('requires the follow-up questions once they apply, with no answer given in advance (issue 13)', () => {
    const qs = questionnaire(settlement('quzhou-2017-final'));
    const all = qs.steps.flatMap((s) => s.questions);
    const followUps = all.filter((q) => q.gate !== undefined);
    expect(followUps.map((q) => q.path)).toEqual(
      expect.arrayContaining(['residence.townType', 'residence.leaseMonths', 'sponsor.townType']),
    );
    for (const q of followUps) expect(q.isRequired, q.path).toBe(true);
    const answers = initialAnswers(qs) as Record<string, Record<string, unknown>>;
    for (const q of followUps) expect(readPath(answers, q.path), q.path).toBeUndefined();
    // The gates themselves keep their defaults (住所类型: 无), so nothing is asked until they open.
    expect(answers.residence?.type).toBe('none');
    expect(all.find((q) => q.path === 'residence.type')?.isRequired).toBe(false);
  });

  it("asks where a graduate studied only of a graduate, and a graduate's answers decide the graduate clause", () => {
    const p = policy('quzhou-2017-final');
    const qs = questionnaire(p.programmes[0]!);
    const all = qs.steps.flatMap((s) => s.questions);
    const before = all.find((q) => q.path === 'study.hadCityHukouBeforeStudy')!;
    const inProvince = all.find((q) => q.path === 'study.isCollegeInProvince')!;
    for (const status of ['none', 'studying', 'admitted-to-college']) {
      expect(isVisible(before, { study: { status } })).toBe(false);
      expect(isVisible(inProvince, { study: { status } })).toBe(false);
    }
    expect(isVisible(before, { study: { status: 'graduated' } })).toBe(true);
    expect(all.indexOf(all.find((q) => q.path === 'study.status')!)).toBeLessThan(all.indexOf(before));
    const answers = (study: Record<string, unknown>, scope: string) => ({
      ...initialAnswers(qs),
      person: { age: 22, sex: 'female' },
      hukou: { scope },
      employment: { status: 'stable', townType: 'county-seat' },
      study,
    });
    const graduate = (study: Record<string, unknown>, scope: string) =>
      evaluateProgramme(p, factsFromAnswers(qs, answers(study, scope), '330802', [])).pathways.find(
        (w) => w.id === 'graduate',
      )?.status;
    const city = { status: 'graduated', hadCityHukouBeforeStudy: true, isCollegeInProvince: true };
    expect(graduate(city, 'same-city')).toBe('eligible');
    expect(graduate({ status: 'graduated' }, 'other-province')).toBe('not_eligible');
    // Answers given before the status changed do not count once the questions are hidden.
    expect(graduate({ ...city, status: 'studying' }, 'same-city')).toBe('not_eligible');
  });

  it('gives the engine the facts of a renter with family (the golden case of qz-final/1)', () => {
    const p = policy('quzhou-2017-final');
    const qs = questionnaire(p.programmes[0]!);
    const facts = factsFromAnswers(
      qs,
      {
        ...initialAnswers(qs),
        person: { age: 29, sex: 'female', maritalStatus: 'married', hasIncome: true },
        hukou: { scope: 'other-province' },
        residence: { type: 'private-rental', townType: 'organized-town', leaseMonths: 6 },
      },
      '330881',
      [
        { relation: 'spouse', age: 30, sex: 'male', isCoResident: true },
        { relation: 'parent', age: 61, sex: 'male', isCoResident: false },
      ],
    );
    const decision = evaluateProgramme(p, facts);
    expect(decision).toMatchObject({ outcome: 'eligible', pathway: 'legal-residence' });
    expect(decision.followers.map((f) => f.status)).toEqual(['may_follow', 'may_not_follow']);
  });

  it('works for every programme of every policy', () => {
    for (const { policy: p } of catalog.policies) {
      for (const programme of p.programmes) {
        const qs = questionnaire(programme);
        const answers = initialAnswers(qs);
        const facts = factsFromAnswers(
          qs,
          { ...answers, person: { age: 40, sex: 'male' } },
          p.jurisdiction,
          [],
        );
        expect(() => evaluateProgramme(p, facts, programme.id)).not.toThrow();
      }
    }
  });
});
