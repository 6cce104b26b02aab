import { describe, expect, it } from 'vitest';
import { citeArticle, DRAFT_CLAUSE_STANDS, isStandingDraftClause } from './cited-article.js';
import type { Article, Policy } from './policy.js';

const article = (id: string): Article => ({ id, quote: '原文', translation: 'text' });
const policy = (status: Policy['status'], supersedes?: string) =>
  ({
    status,
    source: { document: '衢州市人民政府关于进一步推进户籍制度改革的实施意见' },
    ...(supersedes ? { supersedes } : {}),
  }) as Policy;

describe('citeArticle', () => {
  it('says why a draft clause is cited under the final version that superseded the draft', () => {
    const final = policy('published', 'quzhou-2017-draft');
    expect(citeArticle(final, article('qz-draft/2.1.6'))).toMatchObject({
      id: 'qz-draft/2.1.6',
      standing: DRAFT_CLAUSE_STANDS,
    });
    expect(citeArticle(final, article('qz-final/1')).standing).toBeUndefined();
  });

  it('says nothing of the draft’s own clauses under the draft, nor under a version that superseded none', () => {
    expect(isStandingDraftClause(policy('draft'), 'qz-draft/2.1.6')).toBe(false);
    expect(isStandingDraftClause(policy('published'), 'qz-draft/2.1.6')).toBe(false);
    expect(isStandingDraftClause(policy('published', 'x'), 'lz/2.5')).toBe(false);
  });
});
