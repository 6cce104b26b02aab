/** Likely duplicate registrations (一人多户) in the officer's jurisdiction, each pair with its evidence. */
import { useQuery } from '@tanstack/react-query';
import { Card, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchDuplicates, registerKeys, type DuplicateSide } from '../../api/register';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';

function Side({ side, tag }: { readonly side: DuplicateSide; readonly tag: string }) {
  return (
    <div>
      <Tag>{tag}</Tag>
      <Link to={`/console/persons/${side.personId}`}>{side.name ?? side.personId}</Link>{' '}
      <span className="muted">
        {side.citizenId ?? ''} {side.birthDate ?? ''}
      </span>{' '}
      {side.householdId ? <Link to={`/console/households/${side.householdId}`}>↗</Link> : null}
    </div>
  );
}

export function DuplicatesPage() {
  const { t } = useTranslation();
  const text = useLocalText();
  const [threshold, setThreshold] = useState(0.75);
  const duplicates = useQuery({
    queryKey: registerKeys.duplicates(threshold),
    queryFn: ({ signal }) => fetchDuplicates(threshold, signal),
  });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.duplicates.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('console.duplicates.lead')}</Typography.Paragraph>
      <Space>
        <label htmlFor="threshold">{t('console.duplicates.threshold')}</label>
        <Select
          id="threshold"
          value={threshold}
          onChange={setThreshold}
          options={[0.6, 0.75, 0.9].map((v) => ({ value: v, label: `${Math.round(v * 100)}%` }))}
          style={{ width: 100 }}
        />
      </Space>
      <QueryView query={duplicates}>
        {(d) => (
          <Card title={t('console.duplicates.candidates', { n: d.candidates, total: d.total })}>
            <List
              dataSource={[...d.pairs]}
              locale={{ emptyText: t('console.duplicates.empty') }}
              renderItem={(pair) => (
                <List.Item key={`${pair.a.personId}-${pair.b.personId}`} style={{ display: 'block' }}>
                  <div className="condition-line">
                    <strong>
                      {t('console.duplicates.score')} {Math.round(pair.score * 100)}%
                    </strong>
                  </div>
                  <Side side={pair.a} tag={t('console.duplicates.a')} />
                  <Side side={pair.b} tag={t('console.duplicates.b')} />
                  <ul>
                    {pair.evidence.map((e, i) => (
                      <li key={i}>{text(e)}</li>
                    ))}
                  </ul>
                </List.Item>
              )}
            />
          </Card>
        )}
      </QueryView>
    </div>
  );
}
