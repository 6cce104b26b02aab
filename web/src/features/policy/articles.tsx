/** How an article is named and quoted wherever the web app cites one. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Article } from '../../../../src/policy/policy';

/** "衢州实施意见第 1 条" / "Quzhou opinion, art. 1" from an article id of the policy digest (qz-final/1). */
export function articleLabel(id: string, t: TFunction): string {
  const [doc = '', n = id] = id.split('/');
  const known = ['qz-final', 'qz-draft', 'lz'].includes(doc);
  return known ? t('policy.articleOf', { doc: t(`policy.docs.${doc}`), n }) : id;
}

/** The article's name and, below it, its quoted sentence in the original Chinese. */
export function Citation({
  id,
  articles,
  showQuote = true,
}: {
  readonly id: string;
  readonly articles: ReadonlyMap<string, Pick<Article, 'quote' | 'translation'>>;
  readonly showQuote?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const article = articles.get(id);
  return (
    <div className="cite" data-article={id}>
      <span>
        {t('selfCheck.result.basis')}：{articleLabel(id, t)}
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
    </div>
  );
}
