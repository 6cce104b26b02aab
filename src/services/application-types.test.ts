import { describe, expect, it } from 'vitest';
import type { Condition } from '../policy/policy.js';
import {
  APPLICATION_KINDS,
  APPLICATION_KIND_LABELS,
  applicationTypesFor,
  DEFAULT_TIME_LIMITS,
  findApplicationType,
  type ApplicationCatalogue,
} from './application-types.js';
import { loadPolicy, POLICY_IDS } from './testing/policies.js';

const catalogueOf = (id: string, overrides = {}): ApplicationCatalogue => {
  const result = applicationTypesFor(loadPolicy(id), overrides);
  if (!result.isValid) throw new Error(JSON.stringify(result.problems));
  return result.catalogue;
};

const factsOf = (c: Condition): string[] =>
  'fact' in c
    ? [c.fact]
    : 'all' in c
      ? c.all.flatMap(factsOf)
      : 'any' in c
        ? c.any.flatMap(factsOf)
        : 'not' in c
          ? factsOf(c.not)
          : [];

describe('application types', () => {
  it('labels every kind in Chinese and English', () => {
    for (const kind of APPLICATION_KINDS) {
      expect(APPLICATION_KIND_LABELS[kind].zh).toMatch(/\p{Script=Han}/u);
      expect(APPLICATION_KIND_LABELS[kind].en).toMatch(/[a-z]/);
    }
  });

  it('offers one settlement type per pathway of the Quzhou policy, with the pathway materials', () => {
    const policy = loadPolicy('quzhou-2017-final');
    const catalogue = catalogueOf('quzhou-2017-final');
    const pathways = policy.programmes.find((p) => p.id === 'settlement')?.pathways ?? [];
    for (const pathway of pathways) {
      const type = catalogue.types.find((t) => t.pathway === pathway.id);
      expect(type, pathway.id).toBeDefined();
      expect(type?.article).toBe(pathway.article);
      expect(type?.materials.map((m) => m.label)).toEqual(pathway.materials);
      expect(type?.materials.every((m) => m.source.kind === 'policy')).toBe(true);
    }
    expect(catalogue.policy).toBe('quzhou-2017-final@3');
    expect(findApplicationType(catalogue, 'relatives-joining')?.kind).toBe('relatives-joining');
    expect(findApplicationType(catalogue, 'settlement/talent')?.kind).toBe('settlement');
  });

  it('offers every kind of issue 5 in Quzhou, and all but settlement in Lanzhou (its text sets no settlement pathway)', () => {
    const kinds = (id: string) => new Set(catalogueOf(id).types.map((t) => t.kind));
    expect([...kinds('quzhou-2017-final')].sort()).toEqual([...APPLICATION_KINDS].sort());
    expect([...kinds('lanzhou-2017')].sort()).toEqual(
      APPLICATION_KINDS.filter((k) => k !== 'settlement' && k !== 'relatives-joining').sort(),
    );
  });

  it('adds county-government approval where the pathway leaves a decision to a government', () => {
    const catalogue = catalogueOf('quzhou-2017-final');
    const special = findApplicationType(catalogue, 'settlement/special-talent');
    expect(special?.needsCountyApproval).toBe(true);
    expect(special?.countyApproval?.authority.zh).toContain('人民政府');
    expect(special?.timeLimit.workingDays).toBe(30);
    const withApproval = catalogue.types.filter((t) => t.needsCountyApproval).map((t) => t.id);
    expect(withApproval).toEqual(['settlement/special-talent']);
    const draft = catalogueOf('quzhou-2017-draft');
    expect(draft.types.filter((t) => t.needsCountyApproval).map((t) => t.id)).toContain(
      'settlement/special-talent',
    );
  });

  it('gives the residence permit 15 working days under the national regulation, with the Lanzhou materials', () => {
    const lz = findApplicationType(catalogueOf('lanzhou-2017'), 'residence-permit');
    expect(lz?.timeLimit.workingDays).toBe(15);
    expect(lz?.timeLimit.basis.kind).toBe('law');
    expect(lz?.article).toBe('lz/2.11');
    expect(lz?.materials.map((m) => m.label.zh)).toEqual([
      '本人居民身份证',
      '本人相片',
      '居住地住址证明',
      '就业或就读证明',
    ]);
  });

  it.each(['quzhou-2017-final', 'quzhou-2017-draft'])(
    'offers the residence permit under qz-draft/2.3 in %s, with its materials from the policy',
    (id) => {
      const qz = findApplicationType(catalogueOf(id), 'residence-permit');
      expect(qz).toMatchObject({ article: 'qz-draft/2.3', pathway: 'residence-permit' });
      expect(qz?.decidedBy?.zh).toBe('居住地公安派出所受理，县级公安机关签发');
      expect(qz?.materials.map((m) => [m.key, m.label.zh, m.source.kind])).toEqual([
        ['residence-permit#0', '本人居民身份证', 'policy'],
        ['residence-permit#1', '本人相片', 'policy'],
        ['residence-permit#2', '居住地住址证明', 'policy'],
        ['residence-permit#3', '就业或就读证明', 'policy'],
      ]);
      expect(qz?.materials[1]?.accepts).toEqual(['image/jpeg', 'image/png']);
    },
  );

  it('says which figures are law and which are defaults', () => {
    const law = APPLICATION_KINDS.filter((k) => DEFAULT_TIME_LIMITS[k].basis.kind === 'law');
    expect(law).toEqual(['residence-permit']);
  });

  it('takes configured time limits', () => {
    const catalogue = catalogueOf('quzhou-2017-final', {
      'residence-permit': 30,
      countyApproval: 5,
      byType: { 'settlement/talent': 12 },
    });
    expect(findApplicationType(catalogue, 'residence-permit')?.timeLimit).toMatchObject({
      workingDays: 30,
      isOverridden: true,
    });
    expect(findApplicationType(catalogue, 'settlement/talent')?.timeLimit.workingDays).toBe(12);
    expect(findApplicationType(catalogue, 'settlement/investor')?.timeLimit.workingDays).toBe(20);
    expect(findApplicationType(catalogue, 'settlement/special-talent')?.timeLimit.workingDays).toBe(25);
    for (const bad of [{ 'birth-registration': 0 }, { 'birth-registration': 1.5 }, { countyApproval: -1 }])
      expect(() => applicationTypesFor(loadPolicy('lanzhou-2017'), bad)).toThrow(RangeError);
  });

  it('keeps material keys unique within a type', () => {
    for (const id of POLICY_IDS) {
      for (const type of catalogueOf(id).types) {
        const keys = type.materials.map((m) => m.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.length).toBeGreaterThan(0);
      }
    }
  });

  it('never bases a settlement type on a land-rights condition', () => {
    for (const id of POLICY_IDS) {
      const policy = loadPolicy(id);
      for (const programme of policy.programmes)
        for (const pathway of programme.pathways)
          expect(factsOf(pathway.when).filter((f) => f.startsWith('ruralRights.'))).toEqual([]);
    }
  });
});

describe('the catalogue of a policy version', () => {
  it('is built once per policy and time-limit setting, not on every request', () => {
    const policy = loadPolicy('quzhou-2017-final');
    const first = applicationTypesFor(policy);
    expect(applicationTypesFor(policy)).toBe(first);
    expect(applicationTypesFor(policy, {})).toBe(first);
    const other = applicationTypesFor(policy, { countyApproval: 5 });
    expect(other).not.toBe(first);
    expect(other).toStrictEqual(applicationTypesFor(policy, { countyApproval: 5 }));
  });
});
