/** Find persons by citizen id, name (characters or pinyin) or household number, within one's jurisdiction. */
import { useQuery } from '@tanstack/react-query';
import { Input, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { registerKeys, searchParams, searchPersons, type PersonHit } from '../../api/register';
import { ErrorState } from '../../app/states';
import { NoHukouCommand } from './commands/CommandActions';
import { DivisionName, useCodeLabel } from './labels';

export function PersonSearchPage() {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const search = q ? searchParams(q) : undefined;
  const result = useQuery({
    queryKey: registerKeys.search(search ?? {}),
    queryFn: ({ signal }) => searchPersons(search ?? {}, signal),
    enabled: search !== undefined,
  });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.persons.title')}
      </Typography.Title>
      <div>
        <NoHukouCommand />
      </div>
      <div>
        <label htmlFor="person-query">{t('console.persons.query')}</label>
        <Input.Search
          id="person-query"
          defaultValue={q}
          enterButton={t('console.persons.search')}
          size="large"
          allowClear
          onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
          style={{ maxWidth: 560, display: 'block' }}
        />
        <Typography.Paragraph className="muted" style={{ marginTop: 6 }}>
          {t('console.persons.hint')}
        </Typography.Paragraph>
      </div>
      {result.isError ? <ErrorState error={result.error} onRetry={() => void result.refetch()} /> : null}
      {search && !result.isError ? (
        <Table<PersonHit>
          rowKey="id"
          loading={result.isPending}
          dataSource={result.data ?? []}
          pagination={false}
          scroll={{ x: 720 }}
          locale={{ emptyText: t('console.persons.empty') }}
          columns={[
            {
              title: t('console.persons.name'),
              dataIndex: 'name',
              render: (name: string, p) => <Link to={`/console/persons/${p.id}`}>{name}</Link>,
            },
            { title: t('console.persons.citizenId'), dataIndex: 'citizenId' },
            { title: t('console.persons.sex'), dataIndex: 'sex', render: (v: string) => label('sex', v) },
            { title: t('console.persons.birthDate'), dataIndex: 'birthDate' },
            {
              title: t('console.persons.status'),
              dataIndex: 'status',
              render: (v: PersonHit['status']) => (
                <Tag color={v === 'active' ? 'green' : 'default'}>{t(`console.personStatus.${v}`)}</Tag>
              ),
            },
            {
              title: t('console.persons.county'),
              dataIndex: 'countyCode',
              render: (v: string) => <DivisionName code={v} />,
            },
            {
              title: t('console.persons.household'),
              dataIndex: 'householdNumber',
              render: (v: string | null | undefined) =>
                v ? <Link to={`/console/households/${v}`}>{v}</Link> : '—',
            },
          ]}
        />
      ) : null}
    </div>
  );
}
