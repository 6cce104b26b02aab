/** The policy workbench: two versions compared pathway by pathway, with what changed in words. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PathwayDiff, Verdict } from '../../../../src/policy/diff';
import {
  fetchPolicies,
  fetchPolicy,
  fetchPolicyDiff,
  policyKeys,
  type PolicyDocument,
} from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { articleLabel } from './articles';

const VERDICT_COLOR: Record<Verdict, string> = {
  added: 'blue',
  removed: 'red',
  loosened: 'green',
  tightened: 'orange',
  changed: 'purple',
  unchanged: 'default',
};

export function PolicyDiffPage() {
  const { t } = useTranslation();
  const text = useLocalText();
  const policies = useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => fetchPolicies(signal) });
  const [from, setFrom] = useState('quzhou-2017-draft');
  const [to, setTo] = useState('quzhou-2017-final');
  const [asked, setAsked] = useState<[string, string]>([from, to]);
  const diff = useQuery({
    queryKey: policyKeys.diff(asked[0], asked[1]),
    queryFn: ({ signal }) => fetchPolicyDiff(asked[0], asked[1], signal),
  });
  // The articles of both versions, to quote each side of a pathway (the diff names them by id).
  const fromPolicy = useQuery({
    queryKey: policyKeys.one(asked[0]),
    queryFn: ({ signal }) => fetchPolicy(asked[0], signal),
  });
  const toPolicy = useQuery({
    queryKey: policyKeys.one(asked[1]),
    queryFn: ({ signal }) => fetchPolicy(asked[1], signal),
  });
  const quoted = (id: string | undefined, doc: PolicyDocument | undefined) => {
    if (!id) return '—';
    const article = doc?.articles.find((a) => a.id === id);
    if (!article) return articleLabel(id, t);
    return (
      <details>
        <summary>{articleLabel(id, t)}</summary>
        <blockquote className="quote" lang="zh-CN">
          {article.quote}
        </blockquote>
      </details>
    );
  };
  const options = (policies.data ?? []).map((p) => ({
    value: p.id,
    label: `${p.jurisdictionName} · ${text(p.title)}`,
  }));
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.workbench.diffTitle')}
      </Typography.Title>
      <Card>
        <Space wrap>
          <label htmlFor="diff-from">{t('console.workbench.from')}</label>
          <Select
            id="diff-from"
            value={from}
            onChange={setFrom}
            options={options}
            style={{ minWidth: 280 }}
          />
          <label htmlFor="diff-to">{t('console.workbench.to')}</label>
          <Select id="diff-to" value={to} onChange={setTo} options={options} style={{ minWidth: 280 }} />
          <Button type="primary" onClick={() => setAsked([from, to])}>
            {t('console.workbench.compare')}
          </Button>
        </Space>
      </Card>
      <QueryView query={diff}>
        {(d) => (
          <>
            <Card title={<h2 className="card-title">{t('console.workbench.summary')}</h2>}>
              <Space wrap data-testid="diff-summary">
                {(Object.keys(VERDICT_COLOR) as Verdict[])
                  .filter((v) => (d.summary[v] ?? 0) > 0)
                  .map((v) => (
                    <Tag key={v} color={VERDICT_COLOR[v]}>
                      {t(`console.workbench.verdict.${v}`)} {d.summary[v]}
                    </Tag>
                  ))}
              </Space>
            </Card>
            <Table<PathwayDiff>
              rowKey={(p) => `${p.programme}/${p.pathway}`}
              pagination={false}
              scroll={{ x: 800 }}
              dataSource={[...d.pathways]}
              columns={[
                { title: t('policy.pathways'), render: (_: unknown, p) => text(p.title) },
                {
                  title: t('console.workbench.summary'),
                  dataIndex: 'verdict',
                  render: (v: Verdict) => (
                    <Tag color={VERDICT_COLOR[v]}>{t(`console.workbench.verdict.${v}`)}</Tag>
                  ),
                },
                {
                  title: t('console.workbench.fromArticle'),
                  render: (_: unknown, p) => quoted(p.fromArticle, fromPolicy.data),
                },
                {
                  title: t('console.workbench.toArticle'),
                  render: (_: unknown, p) => quoted(p.toArticle, toPolicy.data),
                },
                {
                  title: t('console.workbench.details'),
                  render: (_: unknown, p) =>
                    p.details.length === 0 ? (
                      <span className="muted">{t('console.workbench.noDetails')}</span>
                    ) : (
                      <ul style={{ margin: 0, paddingLeft: 18 }}>
                        {p.details.map((x, i) => (
                          <li key={i}>
                            <Tag color={VERDICT_COLOR[x.kind]}>
                              {t(`console.workbench.verdict.${x.kind}`)}
                            </Tag>
                            {text(x.text)}
                          </li>
                        ))}
                      </ul>
                    ),
                },
              ]}
            />
          </>
        )}
      </QueryView>
    </div>
  );
}
