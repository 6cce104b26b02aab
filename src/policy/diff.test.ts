import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { diffPolicies } from './diff.js';
import type { Condition, Policy } from './policy.js';

const catalog = loadPolicyCatalog();
const draft = catalog.find('quzhou-2017-draft')?.policy as Policy;
const final = catalog.find('quzhou-2017-final')?.policy as Policy;

const verdicts = (from: Policy, to: Policy) =>
  Object.fromEntries(diffPolicies(from, to).pathways.map((p) => [p.pathway, p.verdict]));

describe('diffPolicies', () => {
  it('finds every change the news article reports between the Quzhou draft and final as a loosening', () => {
    expect(verdicts(draft, final)).toEqual({
      'intra-county': 'loosened',
      'legal-residence': 'loosened',
      'relatives-joining': 'loosened',
      talent: 'loosened',
      'special-talent': 'loosened',
      investor: 'loosened',
      honoured: 'loosened',
      'workers-from-outside': 'loosened',
      // The final names colleges in the province (「考入省内大中专院校」); the draft named any college.
      graduate: 'tightened',
      'provincial-free-movement': 'added',
      // The final is silent on the residence permit: qz-draft/2.3 stands in both.
      'residence-permit': 'unchanged',
    });
  });

  it('says in words what changed: the age limit on parents and the 60 m² cap', () => {
    const legal = diffPolicies(draft, final).pathways.find((p) => p.pathway === 'legal-residence');
    const lines = legal?.details.map((d) => d.text.en) ?? [];
    expect(lines.some((l) => l.includes('age ≥ 60 years'))).toBe(true);
    expect(lines.some((l) => l.startsWith('limit removed') && l.includes('60 m²'))).toBe(true);
    expect(legal).toMatchObject({
      fromArticle: 'qz-draft/2.1.1',
      toArticle: 'qz-final/1',
      conditions: 'unchanged',
      followers: 'loosened',
    });
  });

  it('reports the bachelor degree replacing the key-university master in the talent pathway', () => {
    const talent = diffPolicies(draft, final).pathways.find((p) => p.pathway === 'talent');
    const zh = talent?.details.map((d) => d.text.zh).join('\n') ?? '';
    expect(talent?.details).toContainEqual({
      kind: 'loosened',
      text: expect.objectContaining({
        zh: '学历为硕士研究生且全日制且重点院校，或学历为博士研究生且全日制，改为学历为本科、硕士研究生、博士研究生',
      }),
    });
    expect(zh).toContain('不再要求：就业地为县（市、区）人民政府驻地镇（街道），即城区');
  });

  it('is the mirror image the other way round', () => {
    const back = verdicts(final, draft);
    expect(back.talent).toBe('tightened');
    expect(back['legal-residence']).toBe('tightened');
    expect(back['provincial-free-movement']).toBe('removed');
  });

  it('finds nothing between a version and itself', () => {
    const d = diffPolicies(final, final);
    expect(d.summary.unchanged).toBe(d.pathways.length);
    expect(d.pathways.every((p) => p.details.length === 0)).toBe(true);
  });

  it('judges thresholds by implication, not by wording', () => {
    const withLease = (months: number): Policy => ({
      ...final,
      programmes: final.programmes.map((programme) => ({
        ...programme,
        pathways: programme.pathways.map((p) =>
          p.id === 'intra-county'
            ? {
                ...p,
                when: JSON.parse(
                  JSON.stringify(p.when).replace('"value":12', `"value":${months}`),
                ) as typeof p.when,
              }
            : p,
        ),
      })),
    });
    const lower = diffPolicies(final, withLease(6)).pathways.find((p) => p.pathway === 'intra-county');
    expect(lower?.verdict).toBe('loosened');
    expect(lower?.details).toEqual([
      {
        kind: 'loosened',
        text: expect.objectContaining({
          en: 'where type of residence is private rental and has proof of residence: lease term ≥ 12 months, now lease term ≥ 6 months',
        }),
      },
    ]);
    expect(
      diffPolicies(final, withLease(24)).pathways.find((p) => p.pathway === 'intra-county')?.verdict,
    ).toBe('tightened');
  });

  it('reads the parents’ age limit as one change for the parents, not as raw logic on sex', () => {
    const legal = diffPolicies(draft, final).pathways.find((p) => p.pathway === 'legal-residence');
    expect(legal?.details).toContainEqual({
      kind: 'loosened',
      text: {
        zh: '随迁父母：不再要求：性别为男且年龄 ≥ 60 周岁，或性别为女且年龄 ≥ 55 周岁',
        en: 'following parents: no longer required: sex is male and age ≥ 60 years, or sex is female and age ≥ 55 years',
      },
    });
    const all = diffPolicies(draft, final).pathways.flatMap((p) => p.details.map((d) => d.text.zh));
    expect(all.filter((t) => t.includes('性别为男 或 性别为女'))).toEqual([]);
  });

  const withWhen = (id: string, when: (c: Condition) => Condition): Policy => ({
    ...final,
    programmes: final.programmes.map((programme) => ({
      ...programme,
      pathways: programme.pathways.map((p) => (p.id === id ? { ...p, when: when(p.when) } : p)),
    })),
  });

  it('takes a condition that always holds (性别为男或女) for no condition', () => {
    const both: Condition = {
      any: [
        { fact: 'person.sex', op: 'eq', value: 'male' },
        { fact: 'person.sex', op: 'eq', value: 'female' },
      ],
    };
    const d = diffPolicies(
      final,
      withWhen('investor', (c) => ({ all: [c, both] })),
    ).pathways.find((p) => p.pathway === 'investor');
    expect(d).toMatchObject({ verdict: 'unchanged', details: [] });
  });

  it('judges by who qualifies: narrowing one alternative and widening another is a change both ways', () => {
    const rewritten = withWhen('talent', () => ({
      any: [
        { fact: 'education.level', op: 'in', value: ['college', 'bachelor', 'master', 'doctorate'] },
        { fact: 'qualifications.expertLevel', op: 'eq', value: 'national' },
      ],
    }));
    const d = diffPolicies(final, rewritten).pathways.find((p) => p.pathway === 'talent');
    expect(d?.verdict).toBe('changed');
    // College graduates without a title gain; technicians and provincial experts lose.
    expect(d?.details.map((x) => x.kind)).toEqual(expect.arrayContaining(['loosened', 'tightened']));
    for (const x of d?.details ?? []) expect(x.text.zh).not.toMatch(/→/);
  });
});
