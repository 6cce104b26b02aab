/** A household as it was on a chosen date (time travel over the register's ledger). */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Descriptions, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { fetchHousehold, registerKeys, type HouseholdView } from '../../api/register';
import { useLang } from '../../app/lang';
import { QueryView } from '../../app/states';
import { DivisionLabel } from '../../components/DivisionPicker';
import { HouseholdCommands } from './commands/CommandActions';
import { useCodeLabel } from './labels';
import { chinaToday } from '../../app/time';

export function HouseholdPage() {
  const { ref = '' } = useParams();
  const { t } = useTranslation();
  const [lang] = useLang();
  const [params, setParams] = useSearchParams();
  const at = params.get('at') ?? undefined;
  const household = useQuery({
    queryKey: registerKeys.household(ref, at ?? 'today'),
    queryFn: ({ signal }) => fetchHousehold(ref, at, signal),
  });
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.household.title')} {household.data?.household.householdNumber ?? ''}
      </Typography.Title>
      <Card>
        <Space wrap align="center">
          <label htmlFor="as-of">{t('console.household.asOf')}</label>
          <DatePicker
            id="as-of"
            value={at ? dayjs(at) : null}
            placeholder={t('console.household.today')}
            onChange={(d) => setParams(d ? { at: d.format('YYYY-MM-DD') } : {})}
            disabledDate={(d) => d.isAfter(dayjs(chinaToday()), 'day')}
            allowClear
          />
          {at ? <Button onClick={() => setParams({})}>{t('console.household.today')}</Button> : null}
          <span className="muted">{t('console.household.asOfHint')}</span>
        </Space>
      </Card>
      <QueryView query={household}>
        {(view) => <Household view={view} isToday={at === undefined} />}
      </QueryView>
    </div>
  );
}

function Household({ view, isToday }: { readonly view: HouseholdView; readonly isToday: boolean }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const h = view.household;
  return (
    <>
      <Card title={<h2 className="card-title">{t('console.household.title')}</h2>}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('console.household.number')}>{h.householdNumber}</Descriptions.Item>
          <Descriptions.Item label={t('console.household.type')}>
            {t(`console.household.types.${h.type}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.household.place')}>
            {/* Names, never codes: the town where the address names one, else the county. */}
            <span data-testid="household-place">
              <DivisionLabel code={h.address.townCode ?? h.address.countyCode} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.household.address')}>{h.address.text}</Descriptions.Item>
          <Descriptions.Item label={t('console.household.status')}>
            <Tag color={h.status === 'active' ? 'green' : 'default'}>
              {t(`console.household.statuses.${h.status}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.household.asOf')}>
            <span data-testid="as-of">{view.asOf}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={<h2 className="card-title">{t('console.household.members')}</h2>}>
        <Table
          rowKey={(m) => m.person.id}
          size="small"
          pagination={false}
          scroll={{ x: 560 }}
          dataSource={[...view.members]}
          locale={{ emptyText: t('console.household.noMembers') }}
          data-testid="members"
          columns={[
            {
              title: t('console.persons.name'),
              render: (_: unknown, m) => <Link to={`/console/persons/${m.person.id}`}>{m.person.name}</Link>,
            },
            {
              title: t('console.household.relationship'),
              dataIndex: 'relationship',
              render: (v: string) => label('relationship', v),
            },
            { title: t('console.persons.citizenId'), render: (_: unknown, m) => m.person.citizenId },
            { title: t('console.persons.sex'), render: (_: unknown, m) => label('sex', m.person.sex) },
            { title: t('console.persons.birthDate'), render: (_: unknown, m) => m.person.birthDate },
            { title: t('console.household.since'), dataIndex: 'since' },
          ]}
        />
      </Card>
      {/* Events are recorded on today's household, not on one seen as of an earlier date. */}
      {isToday && h.status === 'active' ? <HouseholdCommands view={view} /> : null}
    </>
  );
}
