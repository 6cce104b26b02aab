import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/parse-policy.js';
import { applicationTypesFor } from './application-types.js';
import { findForbiddenDemand } from '../policy/forbidden-demands.js';
import { loadPolicy, POLICY_IDS } from './testing/policies.js';

const quzhou = () => loadPolicy('quzhou-2017-final');
const lanzhou = () => loadPolicy('lanzhou-2017');

describe('forbidden demands', () => {
  it.each([
    '宅基地退出协议',
    '放弃土地承包经营权的书面声明',
    '交回承包地的证明',
    '自愿退出集体收益分配权承诺书',
    '农村土地流转合同',
  ])('refuses %s as a material, citing the policy guarantee', (zh) => {
    const demand = findForbiddenDemand({ zh, en: 'a document' }, quzhou());
    expect(demand?.kind).toBe('land-rights');
    expect(demand?.article).toBe('qz-draft/2.5.1');
    expect(demand?.quote).toContain('不得以退出土地承包经营权');
    expect(findForbiddenDemand({ zh, en: 'x' }, lanzhou())?.article).toBe('lz/2.5');
  });

  it.each([
    'proof of giving up the homestead',
    'Homestead surrender agreement',
    'waiver of collective income distribution rights',
    'certificate of exit from land contract rights',
  ])('refuses %s in English too', (en) => {
    expect(findForbiddenDemand({ zh: '材料', en }, quzhou())?.kind).toBe('land-rights');
  });

  it('applies the national rule when a policy has no guarantee', () => {
    const demand = findForbiddenDemand('宅基地退出证明');
    expect(demand?.kind).toBe('land-rights');
    expect(demand?.article).toBeUndefined();
    expect(demand?.statement.zh).toContain('国发〔2014〕25号');
  });

  it.each([
    '土地承包经营权证',
    '无需退出宅基地',
    '不要求放弃土地承包经营权',
    '居民身份证、居民户口簿',
    '户口迁移证或集体户口页',
  ])('allows %s', (zh) => {
    expect(findForbiddenDemand({ zh, en: 'fine' }, quzhou())).toBeUndefined();
  });

  it('allows "no need to give up the homestead"', () => {
    expect(
      findForbiddenDemand({ zh: '说明', en: 'no need to give up the homestead' }, quzhou()),
    ).toBeUndefined();
  });

  it('refuses family-planning documents where the policy decouples them (qz-final/8), not elsewhere', () => {
    const text = { zh: '生育服务证', en: 'birth service certificate' };
    expect(findForbiddenDemand(text, quzhou())).toMatchObject({
      kind: 'family-planning',
      article: 'qz-final/8',
    });
    expect(findForbiddenDemand(text, lanzhou())).toBeUndefined();
  });

  it('no material of any shipped policy or catalogue is a forbidden demand', () => {
    for (const id of POLICY_IDS) expect(applicationTypesFor(loadPolicy(id)).isValid).toBe(true);
  });

  it('a policy file whose material asks for giving up land rights does not load (file and line)', () => {
    const text = readFileSync(
      new URL('../../policies/quzhou-2017-final.yaml', import.meta.url),
      'utf8',
    ).replace(
      '          - { zh: 荣誉证书, en: certificate of the honour }',
      '          - { zh: 荣誉证书, en: certificate of the honour }\n          - { zh: 宅基地使用权退出协议, en: homestead exit agreement }',
    );
    const parsed = parsePolicy(text, 'quzhou-2017-final.yaml');
    expect(parsed.isValid).toBe(false);
    if (!parsed.isValid)
      expect(parsed.errors).toEqual([
        expect.objectContaining({
          file: 'quzhou-2017-final.yaml',
          line: text.slice(0, text.indexOf('宅基地使用权退出协议')).split('\n').length,
          rule: 'forbidden-demand',
        }),
      ]);
  });

  it('the catalogue still refuses such a material in a policy built without the parser', () => {
    const base = quzhou();
    const policy = {
      ...base,
      programmes: base.programmes.map((programme) => ({
        ...programme,
        pathways: programme.pathways.map((pathway) =>
          pathway.id === 'honoured'
            ? {
                ...pathway,
                materials: [
                  ...pathway.materials,
                  { zh: '宅基地使用权退出协议', en: 'homestead exit agreement' },
                ],
              }
            : pathway,
        ),
      })),
    };
    const result = applicationTypesFor(policy);
    expect(result.isValid).toBe(false);
    if (!result.isValid)
      expect(result.problems).toEqual([
        expect.objectContaining({
          type: 'settlement/honoured',
          material: 'honoured#2',
          demand: expect.objectContaining({ article: 'qz-draft/2.5.1' }),
        }),
      ]);
  });

  it('the policy parser refuses a land-rights condition (no condition of that kind can be demanded)', () => {
    const text = readFileSync(
      new URL('../../policies/quzhou-2017-final.yaml', import.meta.url),
      'utf8',
    ).replace(
      '            - { fact: honour.level, op: in, value: [county, city, provincial, national] }',
      '            - { fact: honour.level, op: in, value: [county, city, provincial, national] }\n            - { fact: ruralRights.hasHomestead, op: eq, value: false }',
    );
    const parsed = parsePolicy(text, 'x.yaml');
    expect(parsed.isValid).toBe(false);
    if (!parsed.isValid)
      expect(parsed.errors.some((e) => e.message.includes('ruralRights.hasHomestead'))).toBe(true);
  });
});
