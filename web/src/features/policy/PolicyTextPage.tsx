/** One policy version: where it comes from, then every article in the original words (and a translation). */
import { useQuery } from '@tanstack/react-query';
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { fetchPolicy, policyKeys } from '../../api/policies';
import { useLang, useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { articleLabel } from './articles';

export function PolicyTextPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const text = useLocalText();
  const [lang] = useLang();
  const policy = useQuery({ queryKey: policyKeys.one(id), queryFn: ({ signal }) => fetchPolicy(id, signal) });
  return (
    <QueryView query={policy}>
      {(p) => (
        <div className="stack">
          <div>
            <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
              {text(p.title)}
            </Typography.Title>
            <p>
              <Tag color={p.status === 'published' ? 'green' : 'default'}>
                {t(`policy.status.${p.status}`)}
              </Tag>
              <span className="muted">{p.ref}</span>
            </p>
            <p className="muted">
              {t('policy.document', { document: p.source.document })}
              <br />
              {t('policy.issuer', { issuer: p.source.issuer })}
              <br />
              {p.effective.to
                ? t('policy.effectiveRange', { from: p.effective.from, to: p.effective.to })
                : t('policy.effective', { from: p.effective.from })}
            </p>
            <Link to={`/self-check?policy=${encodeURIComponent(p.id)}`}>{t('policy.selfCheckThis')}</Link>
          </div>
          <Card title={<h2 className="card-title">{t('policy.articles')}</h2>}>
            <List
              dataSource={[...p.articles]}
              renderItem={(a) => (
                <List.Item key={a.id} id={a.id.replace('/', '-')} style={{ display: 'block' }}>
                  <h3 className="card-title">{articleLabel(a.id, t)}</h3>
                  <blockquote className="quote" lang="zh-CN">
                    {a.quote}
                  </blockquote>
                  {lang === 'en' ? (
                    <p lang="en">
                      <span className="muted">{t('policy.translation')}：</span>
                      {a.translation}
                    </p>
                  ) : null}
                  {a.note ? (
                    <p className="muted">
                      {t('policy.noteFrom', { source: text(a.note.source) })}
                      {text(a.note.text)}
                    </p>
                  ) : null}
                  {a.interpretation ? (
                    <p>
                      <span className="muted">{t('policy.interpretation')}：</span>
                      {text(a.interpretation)}
                    </p>
                  ) : null}
                </List.Item>
              )}
            />
          </Card>
          <Card title={<h2 className="card-title">{t('policy.programmes')}</h2>}>
            {p.programmes.map((prog) => (
              <div key={prog.id}>
                <h3 className="card-title">{text(prog.title)}</h3>
                <ul>
                  {prog.pathways.map((w) => (
                    <li key={w.id}>
                      {text(w.title)} <span className="muted">— {articleLabel(w.article, t)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </Card>
        </div>
      )}
    </QueryView>
  );
}
