import { describe, expect, it } from 'vitest';
import {
  characterPinyin,
  commonCharacters,
  compareNames,
  fuzzySyllable,
  nameFeatures,
  nameMatchKeys,
} from './name-similarity.js';

describe('name similarity', () => {
  it('tells identical names, homophones, accent homophones and one character apart', () => {
    const compare = (a: string, b: string) => compareNames(nameFeatures(a), nameFeatures(b));
    expect(compare('张三', '张三')).toBe('identical');
    expect(compare('张三', '张叁')).toBe('same-pinyin');
    expect(compare('王伟', '汪伟')).toBe('same-pinyin');
    expect(compare('张三', '张珊')).toBe('similar-pinyin');
    expect(compare('刘宁', '刘玲')).toBe('similar-pinyin');
    expect(compare('王建国', '王建军')).toBe('one-character-different');
    expect(compare('张伟', '张伟明')).toBe('one-character-different');
    expect(compare('李春英', '李英')).toBe('one-character-different');
    expect(compare('王伟', '王强')).toBeUndefined();
    expect(compare('陈梓晨', '苏梓晨')).toBeUndefined();
    expect(compare('王建国', '王建')).toBe('one-character-different');
    expect(compare('王建国', '王国强')).toBeUndefined();
  });

  it('reads family names as family names and keeps rare characters whole', () => {
    expect(nameFeatures('单田芳').pinyin).toBe('shan tian fang');
    expect(nameFeatures('曾国藩').pinyin).toBe('zeng guo fan');
    expect(nameFeatures('欧阳修').pinyin).toBe('ou yang xiu');
    expect(nameFeatures('𠮷野家').characters).toHaveLength(3);
    expect(nameFeatures('𠮷野家').pinyin).toBe('ji ye jia');
    expect(nameMatchKeys(nameFeatures('𠮷野家'))).toContain('n:𠮷家');
  });

  it('gives keys that any two matching names share', () => {
    const pairs = [
      ['张三', '张叁'],
      ['张三', '张珊'],
      ['王建国', '王建军'],
      ['张伟', '张伟明'],
      ['欧阳修', '欧阳秀'],
    ] as const;
    for (const [a, b] of pairs) {
      const fa = nameFeatures(a);
      const fb = nameFeatures(b);
      expect(compareNames(fa, fb)).toBeDefined();
      expect(nameMatchKeys(fa).some((k) => nameMatchKeys(fb).includes(k))).toBe(true);
    }
    expect(commonCharacters(nameFeatures('吴梓涵'), nameFeatures('吴梓铭'))).toBe('吴梓');
    expect(commonCharacters(nameFeatures('王慧'), nameFeatures('王慧静'))).toBe('王慧');
    expect(fuzzySyllable('zhang')).toBe('zan');
    expect(fuzzySyllable('nü')).toBe('lü');
    expect(characterPinyin('曾', true)).toBe('zeng');
    expect(characterPinyin('曾', false)).toBe('ceng');
  });
});
