import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { DIGEST_ARTICLE_IDS } from './digest-articles.js';
import { articleNumber, articleTitle, chineseNumber, DIGEST_DOCUMENTS } from './article-title.js';

describe('article titles as official papers print them (issue 13)', () => {
  it('writes numbers in Chinese numerals', () => {
    expect([1, 6, 10, 11, 13, 20, 21, 99].map(chineseNumber)).toEqual([
      '一',
      '六',
      '十',
      '十一',
      '十三',
      '二十',
      '二十一',
      '九十九',
    ]);
  });

  it('names the document and the article as the digest numbers it', () => {
    expect(articleTitle('qz-final/6')).toBe('《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第六条');
    expect(articleTitle('qz-draft/2.1.6')).toBe(
      '《衢州市人民政府关于进一步推进户籍制度改革的实施意见（送审稿）》第二部分第（一）项第6点',
    );
    expect(articleNumber('lz/2.11')).toBe('第二部分第（十一）项');
    expect(articleNumber('qz-draft/3')).toBe('第三部分');
    expect(articleTitle('xx/1')).toBe('xx/1');
  });

  it('knows the document of every digest article, as the policy files name it', () => {
    for (const id of DIGEST_ARTICLE_IDS) expect(articleTitle(id), id).toMatch(/^《.+》第/);
    for (const { policy } of loadPolicyCatalog().policies) {
      const own = policy.articles.filter(
        (a) => DIGEST_DOCUMENTS[a.id.split('/')[0] ?? ''] === policy.source.document,
      );
      // Each policy's own articles (not the draft clauses a final cites) belong to its source document.
      expect(own.length, policy.id).toBeGreaterThan(0);
    }
  });
});
