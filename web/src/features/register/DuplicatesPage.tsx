/**
 * Likely duplicate registrations (一人多户) in the officer's jurisdiction, each pair with its evidence and
 * the officer's review (PairReview): open pairs by default, or the pairs reviewed with a given verdict.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchDuplicates, registerKeys, type DuplicateFilter } from '../../api/register';
import { QueryView } from '../../app/states';
import { useDuplicateTexts } from './duplicates-texts';
import { PairReview, type ReviewNotice } from './PairReview';

const FILTERS: readonly DuplicateFilter[] = ['open', 'not-duplicate', 'duplicate'];

export function DuplicatesPage() {
  const { t } = useTranslation();
  const d = useDuplicateTexts();
  const [threshold, setThreshold] = useState(0.75);
  const [filter, setFilter] = useState<DuplicateFilter>('open');
  const [notice, setNotice] = useState<ReviewNotice | undefined>();
  const duplicates = useQuery({
    queryKey: registerKeys.duplicates(threshold, filter),
    queryFn: ({ signal }) => fetchDuplicates(threshold, filter, signal),
  });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.duplicates.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('console.duplicates.lead')}</Typography.Paragraph>
      <Space wrap size="large">
        <Space>
          <span id="duplicate-filter">{d('show')}</span>
          <Radio.Group
            aria-labelledby="duplicate-filter"
            optionType="button"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as DuplicateFilter);
              setNotice(undefined);
            }}
            options={FILTERS.map((f) => ({ value: f, label: d(`filters.${f}`) }))}
          />
        </Space>
        {filter === 'open' ? (
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
        ) : null}
      </Space>
      {notice ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setNotice(undefined)}
          data-testid="review-notice"
          message={
            notice.kind === 'distinct'
              ? d('doneDistinct', { a: notice.a, b: notice.b })
              : d('doneCancelled', { name: notice.name, kept: notice.kept })
          }
          description={
            notice.kind === 'cancelled' ? (
              <Link to={`/console/persons/${notice.personId}`}>{d('openPerson', { name: notice.name })}</Link>
            ) : undefined
          }
        />
      ) : null}
      <QueryView query={duplicates}>
        {(view) => (
          <Card
            title={
              view.candidates !== undefined
                ? t('console.duplicates.candidates', { n: view.candidates, total: view.total })
                : d('reviewedTotal', { total: view.total })
            }
          >
            {view.pairs.length === 0 ? (
              <Empty description={filter === 'open' ? t('console.duplicates.empty') : d('emptyReviewed')} />
            ) : (
              <div className="stack">
                {view.pairs.map((pair) => (
                  <PairReview key={`${pair.a.personId}-${pair.b.personId}`} pair={pair} onDone={setNotice} />
                ))}
              </div>
            )}
          </Card>
        )}
      </QueryView>
    </div>
  );
}
