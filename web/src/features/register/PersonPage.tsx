/** A person as registered today, with the register history (every event of the ledger about them). */
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { fetchPerson, registerKeys, searchPersons, type PersonView } from '../../api/register';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { PersonCommands } from './commands/CommandActions';
import { DivisionLabel } from '../../components/DivisionPicker';
import { DivisionName, useCodeLabel } from './labels';
import { formatChinaDateTime } from '../../app/time';
import { FullCitizenId } from '../../components/FullCitizenId';
import { useOfficer } from '../accounts/session';

export function PersonPage() {
  const { id = '' } = useParams();
  const person = useQuery({
    queryKey: registerKeys.person(id),
    queryFn: ({ signal }) => fetchPerson(id, signal),
  });
  return <QueryView query={person}>{(view) => <Person view={view} />}</QueryView>;
}

function Person({ view }: { readonly view: PersonView }) {
  const { t } = useTranslation();
  const text = useLocalText();
  const label = useCodeLabel();
  const p = view.person;
  const officer = useOfficer();
  // The person answer has no household; the search answer does (the current membership).
  const household = useQuery({
    queryKey: ['register', 'household-of', p.id],
    queryFn: ({ signal }) =>
      searchPersons({ name: p.name, limit: '200' }, signal).then(
        (hits) => hits.find((h) => h.id === p.id)?.householdNumber ?? null,
      ),
  });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {p.name}
      </Typography.Title>
      <Card title={<h2 className="card-title">{t('console.person.title')}</h2>}>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('console.persons.citizenId')}>
            <FullCitizenId
              masked={p.citizenId}
              path={`/api/v1/register/persons/${p.id}/citizen-id`}
              canReveal={officer.permissions.includes('register.read-full-id')}
            />
          </Descriptions.Item>
          <Descriptions.Item label={t('console.persons.sex')}>{label('sex', p.sex)}</Descriptions.Item>
          <Descriptions.Item label={t('console.persons.birthDate')}>{p.birthDate}</Descriptions.Item>
          {/* A declared unknown is 不详; a fact never declared is 未登记, never 无 (which would be a value). */}
          <Descriptions.Item label={t('console.person.ethnicity')}>
            {p.ethnicity === null ? t('console.person.unknown') : label('ethnicity', p.ethnicity)}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.person.birthplace')}>
            {/* The full path (浙江省 衢州市 江山市): a county name alone is ambiguous across provinces. */}
            <span data-testid="person-birthplace">
              {p.birthplace === null ? t('console.person.unknown') : <DivisionLabel code={p.birthplace} />}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.person.education')}>
            {label('education', p.education) || t('console.person.notRecorded')}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.person.maritalStatus')}>
            {label('marital-status', p.maritalStatus) || t('console.person.notRecorded')}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.person.occupation')}>
            {p.occupation ?? t('console.person.notRecorded')}
          </Descriptions.Item>
          {p.servicePlace ? (
            <Descriptions.Item label={t('console.person.servicePlace')}>{p.servicePlace}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('console.persons.status')}>
            <Tag color={p.status === 'active' ? 'green' : 'default'}>
              {t(`console.personStatus.${p.status}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.persons.county')}>
            <DivisionName code={p.countyCode} />
          </Descriptions.Item>
          {p.formerNames.length > 0 ? (
            <Descriptions.Item label={t('console.person.formerNames')}>
              {p.formerNames.join('、')}
            </Descriptions.Item>
          ) : null}
          {p.legacyHukouNature.length > 0 ? (
            <Descriptions.Item label={t('console.person.legacy')}>
              {p.legacyHukouNature
                .map((n) => `${label('legacy-hukou-type', n.type)}（${n.from ?? '…'} – ${n.to ?? '…'}）`)
                .join('；')}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('console.person.household')}>
            {household.data ? (
              <Link to={`/console/households/${household.data}`}>{household.data}</Link>
            ) : household.isPending ? (
              '…'
            ) : (
              t('console.person.none')
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {/* Without the household (its look-up failed) the forms go on as for a person without one. */}
      <PersonCommands person={p} householdNumber={household.isError ? null : household.data} />
      <Card title={<h2 className="card-title">{t('console.person.history')}</h2>}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={[...view.history]}
          columns={[
            {
              title: t('console.person.event'),
              dataIndex: 'label',
              // The short columns keep their words on one line; the details take the rest.
              width: 120,
              render: (l: PersonView['history'][number]['label']) => text(l),
            },
            { title: t('console.person.effectiveDate'), dataIndex: 'effectiveDate', width: 120 },
            {
              title: t('console.person.recordedAt'),
              dataIndex: 'recordedAt',
              width: 190,
              render: (v: string) => formatChinaDateTime(v),
            },
            {
              title: t('console.persons.county'),
              dataIndex: 'countyCode',
              width: 110,
              render: (v: string) => <DivisionName code={v} />,
            },
            {
              title: t('console.person.details'),
              key: 'details',
              render: (_: unknown, e: PersonView['history'][number]) => <EventDetails event={e} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}

/** 迁出地, the application and the article a move-in by approval rests on (empty for other events). */
function EventDetails({ event }: { readonly event: PersonView['history'][number] }) {
  const { t } = useTranslation();
  const lines = [
    event.fromDivision ? t('console.person.from', { name: event.fromDivision.name }) : null,
    event.sourceApplication ? t('console.person.application', { reference: event.sourceApplication }) : null,
    event.basis
      ? t('console.person.basis', { article: event.basis.article, quote: event.basis.quote })
      : null,
  ].filter((l): l is string => l !== null);
  if (lines.length === 0) return null;
  return (
    <div data-testid="event-details">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}
