import { describe, expect, it } from 'vitest';
import { parsePolicy } from './parse-policy.js';

const policy = (pathwayWhen: string, extra = '') => `
id: test-policy
version: 1
status: draft
jurisdiction: '330800'
title: { zh: 测试, en: test }
source: { document: d, issuer: i, date: '2017-01-01', file: f }
effective: { from: '2017-01-01' }
articles:
  - { id: qz-final/1, quote: 凡在我市有合法稳定住所的人员, translation: anyone with a legal stable residence }
guarantees:
  - article: qz-final/1
    statement: { zh: 不得以退出土地权益为条件, en: never a condition }
    forbiddenFacts: [ruralRights.*]
programmes:
  - id: settlement
    title: { zh: 落户, en: Settlement }
    pathways:
      - id: p
        article: qz-final/1
        title: { zh: 路径, en: pathway }
        decidedBy: { zh: 公安, en: police }
        when: ${pathwayWhen}
${extra}`;

/** The 1-based line holding `needle`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

const errorsOf = (text: string) => {
  const r = parsePolicy(text, 'test.yaml');
  return r.isValid ? [] : r.errors;
};

describe('parsePolicy', () => {
  it('accepts a well-formed policy', () => {
    expect(
      parsePolicy(policy('{ fact: residence.leaseMonths, op: gte, value: 12 }'), 'test.yaml').isValid,
    ).toBe(true);
  });

  it('names the line of a YAML syntax error', () => {
    const [e] = errorsOf(policy('{ fact: residence.leaseMonths, op: gte, value: 12'));
    expect(e).toMatchObject({ file: 'test.yaml', rule: 'yaml' });
    expect(e?.line).toBeGreaterThan(20);
  });

  it('names the file, line and rule of an unknown fact', () => {
    const text = policy('{ fact: residence.leaseYears, op: gte, value: 1 }');
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({
        file: 'test.yaml',
        line: lineOf(text, 'fact: residence.leaseYears'),
        rule: 'fact-known',
        message: 'unknown fact residence.leaseYears',
      }),
    ]);
  });

  it('refuses a value of the wrong type or outside an enum', () => {
    expect(errorsOf(policy("{ fact: residence.leaseMonths, op: gte, value: '12' }"))[0]?.rule).toBe(
      'value-type',
    );
    expect(errorsOf(policy('{ fact: residence.type, op: in, value: [castle] }'))[0]?.message).toContain(
      'castle',
    );
    expect(errorsOf(policy('{ fact: residence.type, op: gte, value: 3 }'))[0]?.rule).toBe('value-type');
  });

  it('refuses giving up land rights as a condition (guarantee)', () => {
    const errors = errorsOf(policy('{ fact: ruralRights.hasLandContract, op: eq, value: false }'));
    expect(errors[0]).toMatchObject({ rule: 'forbidden-fact' });
  });

  it('refuses an article the policy does not quote', () => {
    const errors = errorsOf(
      policy('{ fact: residence.leaseMonths, op: gte, value: 12, article: qz-final/2 }'),
    );
    expect(errors[0]).toMatchObject({ rule: 'article-known', path: 'programmes.0.pathways.0.when.article' });
  });

  it('refuses a member fact outside follower rules', () => {
    expect(errorsOf(policy('{ fact: member.age, op: gte, value: 60 }'))[0]?.rule).toBe('fact-scope');
  });

  it('refuses an English label cut by an unquoted comma in a flow map', () => {
    const text = policy('{ fact: residence.leaseMonths, op: gte, value: 12 }').replace(
      'decidedBy: { zh: 公安, en: police }',
      'decidedBy: { zh: 公安, en: police, hukou section }',
    );
    expect(errorsOf(text)[0]).toMatchObject({ rule: 'unrecognized_keys', line: lineOf(text, 'decidedBy:') });
  });

  it('refuses a policy with any error whole', () => {
    const text = policy('{ fact: residence.leaseMonths, op: gte, value: 12 }').replace(
      'version: 1',
      'version: one',
    );
    expect(parsePolicy(text, 'test.yaml').isValid).toBe(false);
  });

  it('refuses a material demanding to give up land rights, with the file and its line', () => {
    const text = policy('{ fact: residence.leaseMonths, op: gte, value: 12 }').replace(
      '        decidedBy: { zh: 公安, en: police }',
      '        decidedBy: { zh: 公安, en: police }\n        materials:\n          - { zh: 居民身份证, en: ID card }\n          - { zh: 宅基地使用权退出协议, en: homestead exit agreement }',
    );
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({
        file: 'test.yaml',
        line: lineOf(text, '宅基地使用权退出协议'),
        rule: 'forbidden-demand',
        path: 'programmes.0.pathways.0.materials.1',
      }),
    ]);
  });

  it('accepts a material that says no land rights need be given up', () => {
    const text = policy('{ fact: residence.leaseMonths, op: gte, value: 12 }').replace(
      '        decidedBy: { zh: 公安, en: police }',
      '        decidedBy: { zh: 公安, en: police }\n        materials:\n          - { zh: 无需退出宅基地的告知书, en: notice that no homestead need be given up }',
    );
    expect(errorsOf(text)).toEqual([]);
  });

  it("refuses a quote that holds a reporter's words, naming the quote's line", () => {
    const text = policy('{ fact: residence.leaseMonths, op: gte, value: 12 }').replace(
      'quote: 凡在我市有合法稳定住所的人员,',
      'quote: 凡在我市有合法稳定住所的人员。与送审稿相比，该实施意见取消了年龄限制。,',
    );
    expect(errorsOf(text)).toEqual([
      expect.objectContaining({
        rule: 'quote-own-words',
        path: 'articles.0.quote',
        line: lineOf(text, '与送审稿相比'),
      }),
    ]);
  });
});
