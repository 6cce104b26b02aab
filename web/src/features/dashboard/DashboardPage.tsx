/**
 * The officer dashboard (issue 6): totals, applications by type and status, time-limit compliance and
 * settlements by county for the officer's jurisdiction, over a date range and, for a city officer, one
 * of its counties. Counts only. Each chart has its figures as a table too, for screen readers and for
 * reading exact numbers; ECharts is imported piece by piece so only this console chunk carries it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Select, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useState, type ReactNode } from 'react';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import { useOfficer } from '../accounts/session';
import { dashboardKeys, fetchDashboard, type Dashboard, type DashboardFilter } from './api';
import { useT } from './texts';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

const COLORS = {
  withinLimit: '#389e0d',
  afterLimit: '#cf1322',
  onTime: '#1677ff',
  dueSoon: '#d46b08',
  overdue: '#a8071a',
  paused: '#8c8c8c',
} as const;

export function DashboardPage() {
  const t = useT();
  const officer = useOfficer();
  const [from, setFrom] = useState<string | undefined>();
  const [to, setTo] = useState<string | undefined>();
  const [county, setCounty] = useState<string | undefined>();
  const isBackwards = from !== undefined && to !== undefined && from > to;
  // A backwards range is not sent: the message under the field says why (the server's own words).
  const filter: DashboardFilter = isBackwards
    ? { ...(county ? { county } : {}) }
    : { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(county ? { county } : {}) };
  const figures = useQuery({
    queryKey: dashboardKeys.figures(filter),
    queryFn: ({ signal }) => fetchDashboard(filter, signal),
    placeholderData: keepPreviousData,
  });
  const areas = figures.data?.areas ?? [];
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('title')}
      </Typography.Title>
      <Card>
        <Form layout="inline" component="div">
          <Form.Item label={t('from')} htmlFor="dashboard-from">
            <DatePicker
              id="dashboard-from"
              value={from ? dayjs(from) : null}
              onChange={(d) => setFrom(d ? d.format('YYYY-MM-DD') : undefined)}
            />
          </Form.Item>
          <Form.Item
            label={t('to')}
            htmlFor="dashboard-to"
            validateStatus={isBackwards ? 'error' : undefined}
            help={isBackwards ? t('rangeBackwards', { from: from ?? '', to: to ?? '' }) : undefined}
          >
            <DatePicker
              id="dashboard-to"
              value={to ? dayjs(to) : null}
              onChange={(d) => setTo(d ? d.format('YYYY-MM-DD') : undefined)}
            />
          </Form.Item>
          {areas.length > 1 ? (
            <Form.Item label={t('area')} htmlFor="dashboard-area">
              <Select
                id="dashboard-area"
                style={{ minWidth: 160 }}
                value={county ?? officer.officer.countyCode}
                onChange={(code: string) => setCounty(code)}
                options={areas.map((a) => ({ value: a.code, label: a.name }))}
              />
            </Form.Item>
          ) : null}
          <Form.Item>
            <Button
              onClick={() => {
                setFrom(undefined);
                setTo(undefined);
              }}
              disabled={from === undefined && to === undefined}
            >
              {t('allDates')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <QueryView query={figures}>{(d) => <Figures dashboard={d} />}</QueryView>
    </div>
  );
}

function Figures({ dashboard: d }: { readonly dashboard: Dashboard }) {
  const t = useT();
  const text = useLocalText();
  const totals: { key: keyof Dashboard['totals']; label: string }[] = [
    { key: 'applications', label: t('applications') },
    { key: 'open', label: t('open') },
    { key: 'finished', label: t('finished') },
    { key: 'overdue', label: t('overdue') },
    { key: 'settlementsApproved', label: t('settlementsApproved') },
    { key: 'personsMovedIn', label: t('personsMovedIn') },
  ];
  // Only the states something is in, in the workflow's order.
  const states = d.states.filter((s) => d.byType.some((row) => (row.counts[s.state] ?? 0) > 0));
  const c = d.compliance;
  const compliance = [
    { key: 'withinLimit', label: t('withinLimit'), finished: c.finished.withinLimit, open: 0 },
    { key: 'afterLimit', label: t('afterLimit'), finished: c.finished.afterLimit, open: 0 },
    { key: 'onTime', label: t('onTime'), finished: 0, open: c.open.onTime },
    {
      key: 'dueSoon',
      label: t('dueSoon', { n: c.dueSoonWorkingDays }),
      finished: 0,
      open: c.open.dueSoon,
    },
    { key: 'overdue', label: t('overdue'), finished: 0, open: c.open.overdue },
    { key: 'paused', label: t('paused'), finished: 0, open: c.open.paused },
  ] as const;
  return (
    <>
      <Typography.Paragraph>{t('lead', { area: d.scope.areaName, asOf: d.scope.asOf })}</Typography.Paragraph>
      <Card>
        <dl className="dashboard-totals" data-testid="totals" style={TOTALS_STYLE}>
          {totals.map(({ key, label }) => (
            <div key={key} data-testid={`total-${key}`} style={{ minWidth: 120 }}>
              <dt style={{ color: '#595959' }}>{label}</dt>
              <dd style={{ margin: 0, fontSize: 28, fontWeight: 600 }}>{d.totals[key]}</dd>
            </div>
          ))}
        </dl>
      </Card>

      <Card title={<h2 className="card-title">{t('byType')}</h2>}>
        {d.byType.length === 0 ? (
          <Empty description={t('empty')} />
        ) : (
          <>
            <Chart
              height={Math.max(200, 60 + d.byType.length * 48)}
              option={{
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                legend: {},
                grid: { left: 8, right: 24, top: 48, containLabel: true },
                xAxis: { type: 'value', minInterval: 1 },
                yAxis: { type: 'category', inverse: true, data: d.byType.map((row) => text(row.label)) },
                series: states.map((s) => ({
                  name: text(s.label),
                  type: 'bar',
                  stack: 'type',
                  data: d.byType.map((row) => row.counts[s.state] ?? 0),
                })),
              }}
            />
            <FigureTable testId="by-type-table">
              <Table
                size="small"
                pagination={false}
                rowKey="typeId"
                scroll={{ x: true }}
                dataSource={[...d.byType]}
                columns={[
                  {
                    title: t('type'),
                    render: (_: unknown, row: Dashboard['byType'][number]) => text(row.label),
                  },
                  ...states.map((s) => ({
                    title: text(s.label),
                    align: 'right' as const,
                    render: (_: unknown, row: Dashboard['byType'][number]) => row.counts[s.state] ?? 0,
                  })),
                  { title: t('total'), dataIndex: 'total', align: 'right' as const },
                ]}
              />
            </FigureTable>
          </>
        )}
      </Card>

      <Card title={<h2 className="card-title">{t('compliance')}</h2>}>
        {d.totals.applications - d.totals.withdrawn === 0 ? (
          <Empty description={t('empty')} />
        ) : (
          <>
            <Chart
              height={220}
              option={{
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                legend: {},
                grid: { left: 8, right: 24, top: 72, containLabel: true },
                xAxis: { type: 'value', minInterval: 1 },
                yAxis: { type: 'category', inverse: true, data: [t('finishedGroup'), t('openGroup')] },
                series: compliance.map((row) => ({
                  name: row.label,
                  type: 'bar',
                  stack: 'compliance',
                  itemStyle: { color: COLORS[row.key] },
                  data: [row.finished, row.open],
                })),
              }}
            />
            <FigureTable testId="compliance-table">
              <Table
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={[...compliance]}
                columns={[
                  { title: t('compliance'), dataIndex: 'label' },
                  {
                    title: t('count'),
                    align: 'right' as const,
                    render: (_: unknown, row: (typeof compliance)[number]) => row.finished + row.open,
                  },
                ]}
              />
            </FigureTable>
          </>
        )}
      </Card>

      <Card title={<h2 className="card-title">{t('byCounty')}</h2>}>
        {d.counties.length === 0 ? (
          <Empty description={t('noCounties')} />
        ) : (
          <>
            <Chart
              height={300}
              option={{
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                legend: {},
                grid: { left: 8, right: 24, top: 48, containLabel: true },
                xAxis: { type: 'category', data: d.counties.map((row) => row.name) },
                yAxis: { type: 'value', minInterval: 1 },
                series: [
                  {
                    name: t('settlementsApproved'),
                    type: 'bar',
                    data: d.counties.map((row) => row.settlementsApproved),
                  },
                  {
                    name: t('personsMovedIn'),
                    type: 'bar',
                    data: d.counties.map((row) => row.personsMovedIn),
                  },
                ],
              }}
            />
            <FigureTable testId="county-table">
              <Table
                size="small"
                pagination={false}
                rowKey="countyCode"
                dataSource={[...d.counties]}
                columns={[
                  { title: t('county'), dataIndex: 'name' },
                  {
                    title: t('settlementsApproved'),
                    dataIndex: 'settlementsApproved',
                    align: 'right' as const,
                  },
                  { title: t('personsMovedIn'), dataIndex: 'personsMovedIn', align: 'right' as const },
                ]}
              />
            </FigureTable>
          </>
        )}
      </Card>
    </>
  );
}

const TOTALS_STYLE = { display: 'flex', flexWrap: 'wrap', gap: 24, margin: 0 } as const;

/** A chart; `aria` lets ECharts describe it to screen readers (the table beside it has the figures). */
function Chart({
  option,
  height,
}: {
  readonly option: { readonly series: readonly object[] } & Record<string, unknown>;
  readonly height: number;
}) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height }}
      notMerge
      option={{
        animation: false,
        aria: { enabled: true },
        ...option,
        // A single county or type would otherwise get one bar as wide as the card.
        series: option.series.map((series) => ({ barMaxWidth: 40, ...series })),
      }}
    />
  );
}

function FigureTable({ testId, children }: { readonly testId: string; readonly children: ReactNode }) {
  const t = useT();
  return (
    <details data-testid={testId} style={{ marginTop: 8 }}>
      <summary>{t('table')}</summary>
      <div style={{ marginTop: 8 }}>{children}</div>
    </details>
  );
}
