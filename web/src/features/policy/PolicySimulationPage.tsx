/**
 * The policy workbench's simulation: a version (and the one it is compared with) run over a seeded
 * synthetic population of its city in a Web Worker, shown as ECharts charts by pathway and by county.
 * The register's own population needs a server API: that is later work, and the page says so.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Progress, Select, Space, Typography } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SimulationReport } from '../../../../src/policy/simulate';
import type { City } from '../../../../src/policy/synthetic-population';
import {
  fetchDivision,
  fetchPolicies,
  fetchPolicy,
  policyKeys,
  type PolicySummary,
} from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { QueryView } from '../../app/states';
import type { SimulateMessage, SimulateRequest } from './simulate.worker';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const CITY_OF: Readonly<Record<string, City>> = { '330800': 'quzhou', '620100': 'lanzhou' };
const SIZES = [10_000, 50_000, 200_000];

type Run =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly done: number; readonly total: number }
  | { readonly state: 'done'; readonly report: SimulationReport; readonly ms: number }
  | { readonly state: 'failed'; readonly message: string };

export function PolicySimulationPage() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => fetchPolicies(signal) });
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {t('console.workbench.simulateTitle')}
      </Typography.Title>
      <Alert type="info" showIcon message={t('console.workbench.syntheticNote')} />
      <QueryView query={policies}>{(items) => <Simulation policies={items} />}</QueryView>
    </div>
  );
}

function Simulation({ policies }: { readonly policies: readonly PolicySummary[] }) {
  const ids = policies.map((p) => p.id);
  const { t } = useTranslation();
  const text = useLocalText();
  const [policyId, setPolicyId] = useState(
    ids.includes('quzhou-2017-final') ? 'quzhou-2017-final' : (ids[0] ?? ''),
  );
  const [compareId, setCompareId] = useState<string | undefined>('quzhou-2017-draft');
  const [persons, setPersons] = useState(SIZES[1] ?? 50_000);
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const worker = useRef<Worker | undefined>(undefined);
  useEffect(() => () => worker.current?.terminate(), []);

  const policy = useQuery({
    queryKey: policyKeys.one(policyId),
    queryFn: ({ signal }) => fetchPolicy(policyId, signal),
  });
  const compare = useQuery({
    queryKey: policyKeys.one(compareId ?? ''),
    queryFn: ({ signal }) => fetchPolicy(compareId ?? '', signal),
    enabled: compareId !== undefined,
  });
  const city = policy.data ? CITY_OF[policy.data.jurisdiction] : undefined;
  const counties = useQuery({
    queryKey: policyKeys.division(policy.data?.jurisdiction ?? ''),
    queryFn: ({ signal }) => fetchDivision(policy.data?.jurisdiction ?? '', signal),
    enabled: policy.data !== undefined,
  });
  const countyName = (code: string) => counties.data?.children.find((c) => c.code === code)?.name ?? code;

  const start = () => {
    if (!policy.data || !city) return;
    worker.current?.terminate();
    const w = new Worker(new URL('./simulate.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    setRun({ state: 'running', done: 0, total: persons });
    w.onmessage = (e: MessageEvent<SimulateMessage>) => {
      const m = e.data;
      if (m.kind === 'progress') setRun({ state: 'running', done: m.done, total: persons });
      else if (m.kind === 'done') setRun({ state: 'done', report: m.report, ms: m.ms });
      else setRun({ state: 'failed', message: m.message });
    };
    w.onerror = () => setRun({ state: 'failed', message: t('app.errorTitle') });
    const request: SimulateRequest = {
      policy: policy.data,
      ...(compare.data && compareId ? { compareWith: compare.data } : {}),
      programme: policy.data.programmes[0]?.id ?? 'settlement',
      city,
      persons,
      seed: 7,
    };
    w.postMessage(request);
  };

  const options = policies.map((p) => ({ value: p.id, label: `${p.jurisdictionName} · ${text(p.title)}` }));
  return (
    <>
      <Card>
        <Space wrap>
          <label htmlFor="sim-policy">{t('console.workbench.version')}</label>
          <Select
            id="sim-policy"
            value={policyId}
            onChange={setPolicyId}
            options={options}
            style={{ minWidth: 280 }}
          />
          <label htmlFor="sim-compare">{t('console.workbench.compareWith')}</label>
          <Select
            id="sim-compare"
            value={compareId ?? ''}
            onChange={(v: string) => setCompareId(v || undefined)}
            options={[{ value: '', label: t('console.workbench.none') }, ...options]}
            style={{ minWidth: 280 }}
          />
          <label htmlFor="sim-size">{t('console.workbench.population')}</label>
          <Select
            id="sim-size"
            value={persons}
            onChange={setPersons}
            options={SIZES.map((n) => ({ value: n, label: n.toLocaleString() }))}
            style={{ width: 120 }}
          />
          <Button
            type="primary"
            onClick={start}
            disabled={!city || run.state === 'running'}
            data-testid="simulate"
          >
            {t('console.workbench.run')}
          </Button>
        </Space>
        {policy.data && !city ? <p className="muted">{t('console.workbench.noPopulation')}</p> : null}
      </Card>
      {run.state === 'running' ? (
        <Progress percent={Math.round((run.done / run.total) * 100)} aria-label={t('app.loading')} />
      ) : null}
      {run.state === 'failed' ? <Alert type="error" showIcon role="alert" message={run.message} /> : null}
      {run.state === 'done' ? (
        <div className="stack" data-testid="simulation">
          <Card title={<h2 className="card-title">{t('console.workbench.outcomes')}</h2>}>
            <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
              <Descriptions.Item label={t('selfCheck.result.eligible')}>
                {run.report.outcomes.eligible.toLocaleString()}
                {run.report.comparison
                  ? ` (${run.report.comparison.outcomes.eligible.toLocaleString()})`
                  : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('selfCheck.result.needsApproval')}>
                {run.report.outcomes.needs_approval.toLocaleString()}
                {run.report.comparison
                  ? ` (${run.report.comparison.outcomes.needs_approval.toLocaleString()})`
                  : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('selfCheck.result.notEligible')}>
                {run.report.outcomes.not_eligible.toLocaleString()}
                {run.report.comparison
                  ? ` (${run.report.comparison.outcomes.not_eligible.toLocaleString()})`
                  : ''}
              </Descriptions.Item>
            </Descriptions>
            <p className="muted">
              {t('console.workbench.ranIn', { n: run.report.persons.toLocaleString(), ms: run.ms })}
              {run.report.comparison
                ? ` ${t('console.workbench.changed', {
                    n: run.report.comparison.changed.toLocaleString(),
                    other: text(policies.find((p) => p.id === compareId)?.title),
                  })}`
                : ''}
            </p>
          </Card>
          <Card title={<h2 className="card-title">{t('console.workbench.byPathway')}</h2>}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 360 }}
              option={{
                animation: false,
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 8, right: 16, containLabel: true },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', data: run.report.pathways.map((p) => text(p.title)) },
                series: [
                  {
                    name: t('selfCheck.result.pathwayStatus.eligible'),
                    type: 'bar',
                    stack: 'p',
                    data: run.report.pathways.map((p) => p.met),
                  },
                  {
                    name: t('selfCheck.result.pathwayStatus.needs_approval'),
                    type: 'bar',
                    stack: 'p',
                    data: run.report.pathways.map((p) => p.needsApproval),
                  },
                ],
              }}
            />
          </Card>
          <Card title={<h2 className="card-title">{t('console.workbench.byCounty')}</h2>}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 360 }}
              option={{
                animation: false,
                tooltip: { trigger: 'axis' },
                legend: {},
                grid: { left: 8, right: 16, containLabel: true },
                xAxis: { type: 'category', data: Object.keys(run.report.counties).map(countyName) },
                yAxis: { type: 'value' },
                series: (['eligible', 'needs_approval', 'not_eligible'] as const).map((o) => ({
                  name: t(`selfCheck.result.pathwayStatus.${o}`),
                  type: 'bar',
                  stack: 'c',
                  data: Object.values(run.report.counties).map((c) => c[o]),
                })),
              }}
            />
          </Card>
        </div>
      ) : null}
    </>
  );
}
