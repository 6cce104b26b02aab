/**
 * An article as a decision cites it. Where a published version cites a clause of the draft it
 * superseded (the final text is silent there, so the draft clause stands: policy digest), the citation
 * says so, in the decision the API returns and wherever it is rendered.
 */
import type { Article, Policy, Text } from './policy.js';

export type CitedArticle = Article & {
  readonly quoteSource: string;
  /** Why a draft clause is cited under a later version. */
  readonly standing?: Text;
};

export const DRAFT_CLAUSE_STANDS: Text = {
  zh: '送审稿条款：终稿对此未作规定，本条继续适用',
  en: 'a clause of the draft: the final version is silent here, so the draft clause stands',
};

/** True when `articleId` is a draft's clause cited by a version that superseded the draft. */
export function isStandingDraftClause(
  policy: Pick<Policy, 'status' | 'supersedes'>,
  articleId: string,
): boolean {
  return (
    policy.status === 'published' && policy.supersedes !== undefined && /^[a-z]+-draft\//.test(articleId)
  );
}

export function citeArticle(policy: Policy, article: Article): CitedArticle {
  return {
    ...article,
    quoteSource: policy.source.document,
    ...(isStandingDraftClause(policy, article.id) ? { standing: DRAFT_CLAUSE_STANDS } : {}),
  };
}
