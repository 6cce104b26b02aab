/**
 * The policy workbench's simulation: a version (and the one it is compared with) run over the register's
 * own population of the officer's jurisdiction (on the server, counts only; officers with register
 * counts), or over a seeded synthetic population of its city in a Web Worker. Shown as ECharts charts by
 * pathway and by county.
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
import type { Text } from '../../../../src/policy/policy';
import type { SimulationReport } from '../../../../src/policy/simulate';
import type { City } from '../../../../src/policy/synthetic-population';
import {
  fetchDivision,
  fetchPolicies,
  fetchPolicy,
  policyKeys,
  simulateOverRegister,
  type PolicySummary,
} from '../../api/policies';
import { useLocalText } from '../../app/lang';
import { Loading, QueryView } from '../../app/states';
import { useSessionQuery } from '../accounts/session';
import type { SimulateMessage, SimulateRequest } from './simulate.worker';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const CITY_OF: Readonly<Record<string, City>> = { '330800': 'quzhou', '620100': 'lanzhou' };
const SIZES = [10_000, 50_000, 200_000];
/** The population a run uses: the register's (on the server) or a synthetic one of this size. */
type Population = 'register' | number;

type Run =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly done: number; readonly total: number }
  | {
      readonly state: 'done';
      readonly report: SimulationReport;
      readonly ms: number;
      /** Set when the run used the register: the facts it supplied. */
      readonly registerFacts?: readonly Text[];
    }
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
  const session = useSessionQuery();
  const canUseRegister = session.data?.permissions.includes('register.counts') ?? false;
  const [chosen, setPopulation] = useState<Population | undefined>(undefined);
  const population: Population = chosen ?? (canUseRegister ? 'register' : (SIZES[1] ?? 50_000));
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
    if (!policy.data) return;
    worker.current?.terminate();
    if (population === 'register') {
      setRun({ state: 'running', done: 0, total: 0 });
      simulateOverRegister({ policy: policyId, ...(compareId ? { compareWith: compareId } : {}) })
        .then((r) =>
          setRun({
            state: 'done',
            report: r.report,
            ms: r.ms,
            registerFacts: r.registerFacts.map((f) => f.label),
          }),
        )
        .catch((error: unknown) =>
          setRun({ state: 'failed', message: error instanceof Error ? error.message : t('app.errorTitle') }),
        );
      return;
    }
    if (!city) return;
    const persons = population;
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
          <Select<Population>
            id="sim-size"
            value={population}
            onChange={setPopulation}
            options={[
              ...(canUseRegister
                ? [
                    {
                      value: 'register' as const,
                      label: text({ zh: '人口库在册人口', en: 'Registered population' }),
                    },
                  ]
                : []),
              ...SIZES.map((n) => ({
                value: n,
                label: text({
                  zh: `合成人口 ${n.toLocaleString()} 人`,
                  en: `Synthetic, ${n.toLocaleString()} persons`,
                }),
              })),
            ]}
            style={{ minWidth: 200 }}
          />
          <Button
            type="primary"
            onClick={start}
            disabled={(population !== 'register' && !city) || run.state === 'running'}
            data-testid="simulate"
          >
            {t('console.workbench.run')}
          </Button>
        </Space>
        {policy.data && !city && population !== 'register' ? (
          <p className="muted">{t('console.workbench.noPopulation')}</p>
        ) : null}
      </Card>
      {run.state === 'running' && run.total > 0 ? (
        <Progress percent={Math.round((run.done / run.total) * 100)} aria-label={t('app.loading')} />
      ) : null}
      {run.state === 'running' && run.total === 0 ? <Loading /> : null}
      {run.state === 'failed' ? <Alert type="error" showIcon role="alert" message={run.message} /> : null}
      {run.state === 'done' ? (
        <div className="stack" data-testid="simulation">
          {run.registerFacts ? (
            <Alert
              type="warning"
              showIcon
              data-testid="register-facts"
              message={text({
                zh: `人口库提供的事实：${run.registerFacts.map((f) => f.zh).join('；')}。住所、就业、社保等其他事实按默认值（无 / 0）计算，依赖这些事实的途径人数为下限。`,
                en: `Facts from the register: ${run.registerFacts.map((f) => f.en).join('; ')}. Residence, employment, social insurance and other facts take their defaults (none / 0), so pathways that need them are a lower bound.`,
              })}
            />
          ) : null}
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
