/** How an article is named and quoted wherever the web app cites one. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Article, Text } from '../../../../src/policy/policy';
import { useLocalText } from '../../app/lang';

/** What a citation shows: the quote, and where the decision carries them, why a draft clause stands and how the article is read. */
type CitableArticle = Pick<Article, 'quote' | 'translation'> & {
  readonly interpretation?: Text;
  readonly standing?: Text;
};

/** "衢州实施意见第 1 条" / "Quzhou opinion, art. 1" from an article id of the policy digest (qz-final/1). */
export function articleLabel(id: string, t: TFunction): string {
  const [doc = '', n = id] = id.split('/');
  const known = ['qz-final', 'qz-draft', 'lz'].includes(doc);
  return known ? t('policy.articleOf', { doc: t(`policy.docs.${doc}`), n }) : id;
}

/**
 * The article's name and, below it, its quoted sentence in the original Chinese; for a draft clause
 * cited under the final, that it stands (the final is silent there); and how the article is read, where
 * the policy says so (qz-draft/2.3 takes its conditions from 《居住证暂行条例》 art. 2, which the
 * quoted sentence only names).
 */
export function Citation({
  id,
  articles,
  showQuote = true,
}: {
  readonly id: string;
  readonly articles: ReadonlyMap<string, CitableArticle>;
  readonly showQuote?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const text = useLocalText();
  const article = articles.get(id);
  return (
    <div className="cite" data-article={id}>
      <span>
        {t('selfCheck.result.basis')}：{articleLabel(id, t)}
        {article?.standing ? <span data-testid="standing">（{text(article.standing)}）</span> : null}
      </span>
      {showQuote && article ? (
        <blockquote className="quote" lang="zh-CN">
          「{article.quote}」
          {i18n.language === 'en' ? (
            <div lang="en" className="muted">
              {article.translation}
            </div>
          ) : null}
        </blockquote>
      ) : null}
      {showQuote && article?.interpretation ? (
        <details className="muted" data-testid="interpretation">
          <summary>{t('selfCheck.result.interpretation')}</summary>
          {text(article.interpretation)}
        </details>
      ) : null}
    </div>
  );
}
