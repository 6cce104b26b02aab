/**
 * The officer's work queue (issue 13): one page at a time from the server, with its total; filters by
 * application type, state, time limit (overdue, due within 3 working days, on time, paused) and, for a
 * city officer, county; search by reference or name (a full citizen id for officers who may see one);
 * sorting by deadline, submission or state. Overdue rows are red and rows due within 3 working days
 * amber. The filtered queue exports as CSV or Excel. Filters live in the address, so the back button
 * and a shared link keep them. Below: the to-dos of the officer's roles that are still to do, each read or
 * unread for this officer only (marked one by one or all at once).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet } from '../../api/client';
import { useLocalText, type LocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { formatChinaDateTime } from '../../app/time';
import { useOfficer } from '../accounts/session';
import { appKeys, fetchRoleNotifications, markRoleNotificationsRead } from './api';
import { NotificationList } from './NotificationList';
import { useQueueT } from './queue-texts';
import { useT } from './texts';

type Band = 'overdue' | 'dueSoon' | 'onTime' | 'paused';
type Sort = 'deadline' | 'submitted' | 'state';

interface QueueItem {
  readonly id: string;
  readonly reference: string;
  readonly type: { readonly id: string; readonly label: LocalText };
  readonly countyCode: string;
  readonly countyName: string;
  readonly state: string;
  readonly stateLabel: LocalText;
  readonly applicant: { readonly name: string; readonly citizenId: string | null };
  readonly submittedAt: string;
  readonly clock: { readonly state: string; readonly deadline: string | null; readonly isOverdue: boolean };
  readonly band: Band;
  readonly bandLabel: LocalText;
  readonly workingDaysToDeadline: number | null;
}

interface Choice {
  readonly id: string;
  readonly label: LocalText;
}

interface QueueAnswer {
  readonly items: readonly QueueItem[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly dueSoonWorkingDays: number;
  readonly choices: {
    readonly counties: readonly { readonly code: string; readonly name: string }[];
    readonly types: readonly Choice[];
    readonly states: readonly Choice[];
    readonly bands: readonly Choice[];
  };
}

/** The query parameters the page keeps in its address, as the API names them. */
const FILTER_KEYS = ['q', 'type', 'state', 'band', 'county', 'sort', 'order', 'page', 'pageSize'] as const;

function apiQuery(params: URLSearchParams, extra: Record<string, string> = {}): string {
  const out = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) out.set(key, v);
  }
  // "Only what I can act on" is on unless switched off; returned applications show when asked for.
  const mine = params.get('mine') !== 'false';
  out.set('onlyActionable', String(mine));
  out.set('includeWaiting', String(!mine));
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out.toString();
}

const STATE_COLOR: Record<string, string> = {
  submitted: 'blue',
  returned: 'orange',
  accepted: 'cyan',
  reviewed: 'geekblue',
  'county-approval': 'purple',
  approved: 'green',
};
const DUE_SOON_STYLE = { color: '#874d00', background: '#fffbe6', borderColor: '#ffd666' } as const;
const BAND_COLOR: Record<Band, string> = {
  overdue: 'red',
  dueSoon: 'gold',
  onTime: 'default',
  paused: 'default',
};

export function QueuePage() {
  const t = useT();
  const q = useQueueT();
  const text = useLocalText();
  const officer = useOfficer();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const query = apiQuery(params);
  const queue = useQuery({
    queryKey: [...appKeys.queue, query],
    queryFn: ({ signal }) => apiGet<QueueAnswer>(`/api/v1/applications/queue?${query}`, signal),
    placeholderData: keepPreviousData,
  });
  const notifications = useQuery({
    queryKey: appKeys.roleNotifications,
    queryFn: ({ signal }) => fetchRoleNotifications(signal),
  });
  const queryClient = useQueryClient();
  const markRead = useMutation({
    mutationFn: (which: { ids: readonly string[] } | { all: true }) =>
      markRoleNotificationsRead(officer.csrfToken, which),
    onSettled: () => queryClient.invalidateQueries({ queryKey: appKeys.roleNotifications }),
  });
  const canSeeFullIds = officer.permissions.includes('application.read-full-id');

  /** Sets (or clears) filters; any change but paging goes back to page 1. */
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: false });
  };
  const sort = (params.get('sort') ?? 'deadline') as Sort;
  const order = params.get('order') === 'desc' ? 'descend' : 'ascend';
  const sortOrderOf = (key: Sort) => (sort === key ? order : null);
  const exportHref = (format: 'csv' | 'xlsx') => {
    const base = new URLSearchParams(apiQuery(params, { format }));
    base.delete('page');
    base.delete('pageSize');
    return `/api/v1/applications/queue/export?${base.toString()}`;
  };
  const choices = queue.data?.choices;
  const dueSoonDays = queue.data?.dueSoonWorkingDays ?? 3;

  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('queueTitle')}
      </Typography.Title>
      <Card>
        <div className="stack" style={{ gap: 12 }}>
          <Space wrap size={[12, 8]} data-testid="queue-filters">
            <Input.Search
              aria-label={q('search')}
              placeholder={q(canSeeFullIds ? 'searchPlaceholderFullId' : 'searchPlaceholder')}
              allowClear
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              onSearch={(v) => update({ q: v.trim() })}
              enterButton={q('search')}
              style={{ width: 340 }}
            />
            <Select
              aria-label={q('type')}
              placeholder={q('allTypes')}
              allowClear
              style={{ width: 220 }}
              value={params.get('type') ?? undefined}
              onChange={(v?: string) => update({ type: v })}
              options={choices?.types.map((c) => ({ value: c.id, label: text(c.label) })) ?? []}
            />
            <Select
              aria-label={q('state')}
              placeholder={q('allStates')}
              allowClear
              style={{ width: 180 }}
              value={params.get('state') ?? undefined}
              onChange={(v?: string) => update({ state: v, ...(v === 'returned' ? { mine: 'false' } : {}) })}
              options={choices?.states.map((c) => ({ value: c.id, label: text(c.label) })) ?? []}
            />
            <Select
              aria-label={q('band')}
              placeholder={q('allBands')}
              allowClear
              style={{ width: 200 }}
              value={params.get('band') ?? undefined}
              onChange={(v?: string) => update({ band: v })}
              options={choices?.bands.map((c) => ({ value: c.id, label: text(c.label) })) ?? []}
            />
            {choices && choices.counties.length > 1 ? (
              <Select
                aria-label={q('county')}
                placeholder={q('allCounties')}
                allowClear
                style={{ width: 180 }}
                value={params.get('county') ?? undefined}
                onChange={(v?: string) => update({ county: v })}
                options={choices.counties.map((c) => ({ value: c.code, label: c.name }))}
              />
            ) : null}
            <Checkbox
              checked={params.get('mine') !== 'false'}
              onChange={(e) => update({ mine: e.target.checked ? undefined : 'false' })}
            >
              {q('onlyMine')}
            </Checkbox>
            <Button
              onClick={() => {
                setSearch('');
                setParams(new URLSearchParams());
              }}
            >
              {q('reset')}
            </Button>
          </Space>
          <Space wrap size={[12, 8]} style={{ justifyContent: 'space-between', width: '100%' }}>
            <Space size={16} className="muted" wrap>
              <span>
                <span className="legend-swatch legend-overdue" aria-hidden="true" /> {q('legendOverdue')}
              </span>
              <span>
                <span className="legend-swatch legend-due-soon" aria-hidden="true" />{' '}
                {q('legendDueSoon', { n: dueSoonDays })}
              </span>
            </Space>
            <Space wrap title={q('exportHint')}>
              <Button href={exportHref('csv')} download data-testid="export-csv">
                {q('exportCsv')}
              </Button>
              <Button href={exportHref('xlsx')} download data-testid="export-xlsx">
                {q('exportXlsx')}
              </Button>
            </Space>
          </Space>
          <QueryView query={queue}>
            {(answer) => (
              <Table
                rowKey="id"
                size="small"
                data-testid="queue"
                loading={queue.isFetching && queue.isPlaceholderData}
                dataSource={[...answer.items]}
                locale={{ emptyText: t('queueEmpty') }}
                scroll={{ x: 960 }}
                rowClassName={(a: QueueItem) =>
                  a.band === 'overdue' ? 'row-overdue' : a.band === 'dueSoon' ? 'row-due-soon' : ''
                }
                onRow={(a: QueueItem) => ({ 'data-band': a.band }) as React.HTMLAttributes<HTMLElement>}
                pagination={{
                  current: answer.page,
                  pageSize: answer.pageSize,
                  total: answer.total,
                  showSizeChanger: true,
                  pageSizeOptions: [10, 20, 50, 100],
                  showTotal: (n) => q('total', { n }),
                }}
                onChange={(pagination, _filters, sorter) => {
                  const s = Array.isArray(sorter) ? sorter[0] : sorter;
                  const key = (s?.order ? s.columnKey : undefined) as Sort | undefined;
                  const nextSort = key ?? 'deadline';
                  const nextOrder = s?.order === 'descend' ? 'desc' : 'asc';
                  const sortChanged = nextSort !== sort || (nextOrder === 'desc') !== (order === 'descend');
                  update({
                    sort: nextSort === 'deadline' ? undefined : nextSort,
                    order: nextOrder === 'desc' ? 'desc' : undefined,
                    ...(sortChanged
                      ? {}
                      : {
                          page:
                            pagination.current && pagination.current > 1
                              ? String(pagination.current)
                              : undefined,
                        }),
                    pageSize:
                      pagination.pageSize && pagination.pageSize !== 20
                        ? String(pagination.pageSize)
                        : undefined,
                  });
                }}
                columns={[
                  {
                    title: q('reference'),
                    key: 'reference',
                    render: (_: unknown, a: QueueItem) => (
                      <Link to={`/console/applications/${a.id}`}>{a.reference}</Link>
                    ),
                  },
                  { title: q('type'), key: 'type', render: (_: unknown, a: QueueItem) => text(a.type.label) },
                  {
                    title: q('applicant'),
                    key: 'applicant',
                    render: (_: unknown, a: QueueItem) => (
                      <>
                        <div>{a.applicant.name}</div>
                        {a.applicant.citizenId ? <div className="muted">{a.applicant.citizenId}</div> : null}
                      </>
                    ),
                  },
                  ...(answer.choices.counties.length > 1
                    ? [
                        {
                          title: q('county'),
                          key: 'county',
                          render: (_: unknown, a: QueueItem) => a.countyName,
                        },
                      ]
                    : []),
                  {
                    title: q('state'),
                    key: 'state',
                    sorter: true,
                    sortOrder: sortOrderOf('state'),
                    render: (_: unknown, a: QueueItem) => (
                      <Tag color={STATE_COLOR[a.state] ?? 'default'} data-testid="state">
                        {text(a.stateLabel)}
                      </Tag>
                    ),
                  },
                  {
                    title: q('submittedAt'),
                    key: 'submitted',
                    sorter: true,
                    sortOrder: sortOrderOf('submitted'),
                    render: (_: unknown, a: QueueItem) => (
                      <time dateTime={a.submittedAt} data-testid="submitted-at">
                        {formatChinaDateTime(a.submittedAt)}
                      </time>
                    ),
                  },
                  {
                    title: q('deadline'),
                    key: 'deadline',
                    sorter: true,
                    sortOrder: sortOrderOf('deadline'),
                    render: (_: unknown, a: QueueItem) => <Deadline item={a} />,
                  },
                ]}
              />
            )}
          </QueryView>
        </div>
      </Card>
      <Card
        id="todos"
        title={
          <h2 className="card-title">
            {t('officerNotificationsTitle')}{' '}
            {notifications.data && notifications.data.unread > 0 ? (
              <Tag color="blue" data-testid="todos-unread">
                {t('unreadCount', { n: notifications.data.unread })}
              </Tag>
            ) : null}
          </h2>
        }
        extra={
          notifications.data && notifications.data.unread > 0 ? (
            <Button size="small" onClick={() => markRead.mutate({ all: true })} loading={markRead.isPending}>
              {t('markAllRead')}
            </Button>
          ) : null
        }
      >
        <QueryView query={notifications}>
          {(answer) => (
            <NotificationList
              items={answer.items.slice(0, 10)}
              linkOf={(n) => `/console/applications/${n.applicationId}`}
              unreadIds={new Set(answer.items.filter((n) => n.readAt === null).map((n) => n.id))}
              onMarkRead={(n) => markRead.mutate({ ids: [n.id] })}
            />
          )}
        </QueryView>
      </Card>
    </div>
  );
}

function Deadline({ item }: { readonly item: QueueItem }) {
  const q = useQueueT();
  const text = useLocalText();
  if (item.band === 'paused') return <span className="muted">{q('pausedNote')}</span>;
  const left =
    item.band === 'overdue'
      ? null
      : item.workingDaysToDeadline === 0
        ? q('dueToday')
        : q('daysLeft', { n: item.workingDaysToDeadline ?? 0 });
  return (
    <Space size={4} wrap>
      <span style={item.band === 'overdue' ? { color: '#b4232a', fontWeight: 600 } : undefined}>
        {item.clock.deadline ?? ''}
      </span>
      {item.band === 'onTime' ? (
        <span className="muted">{left}</span>
      ) : (
        <Tag
          color={item.band === 'dueSoon' ? undefined : BAND_COLOR[item.band]}
          // antd's gold text is 2.8:1 on its background; this brown on the same yellow is 7:1 (WCAG AA).
          style={item.band === 'dueSoon' ? DUE_SOON_STYLE : undefined}
          data-testid="band"
        >
          {item.band === 'overdue' ? text(item.bandLabel) : left}
        </Tag>
      )}
    </Space>
  );
}
