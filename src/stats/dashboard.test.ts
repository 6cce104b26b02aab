import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../services/testing/policies.js';
import {
  areasOf,
  buildDashboard,
  coversArea,
  DUE_SOON_WORKING_DAYS,
  openStanding,
  type DashboardFigures,
} from './dashboard.js';

const quzhou = loadPolicy('quzhou-2017-final');
const QZ = 'quzhou-2017-final@3';

const figures: DashboardFigures = {
  byTypeAndState: [
    { typeId: 'settlement/legal-residence', kind: 'settlement', policyRef: QZ, state: 'submitted', count: 2 },
    { typeId: 'settlement/legal-residence', kind: 'settlement', policyRef: QZ, state: 'done', count: 3 },
    { typeId: 'settlement/legal-residence', kind: 'settlement', policyRef: QZ, state: 'withdrawn', count: 1 },
    { typeId: 'residence-permit', kind: 'residence-permit', policyRef: QZ, state: 'returned', count: 1 },
    { typeId: 'residence-permit', kind: 'residence-permit', policyRef: QZ, state: 'refused', count: 1 },
    // A policy no longer loaded: the kind's label stands in.
    {
      typeId: 'birth-registration',
      kind: 'birth-registration',
      policyRef: 'gone@9',
      state: 'accepted',
      count: 4,
    },
  ],
  finished: [
    { stoppedOn: '2026-10-20', deadline: '2026-10-20', count: 2 },
    { stoppedOn: '2026-10-21', deadline: '2026-10-20', count: 1 },
    { stoppedOn: '2026-09-01', deadline: '2026-10-20', count: 1 },
  ],
  open: [
    { deadline: '2026-10-29', isPaused: false, count: 1 },
    { deadline: '2026-11-02', isPaused: false, count: 2 },
    { deadline: '2026-11-05', isPaused: false, count: 1 },
    { deadline: '2026-11-06', isPaused: false, count: 2 },
    { deadline: null, isPaused: true, count: 1 },
  ],
  settlementsApproved: [
    { countyCode: '330803', count: 1 },
    { countyCode: '330802', count: 3 },
  ],
  personsMovedIn: [
    { countyCode: '330802', count: 5 },
    { countyCode: '330881', count: 2 },
  ],
};
const scope = { area: '330800', from: '2026-01-01', to: '2026-12-31', asOf: '2026-11-02' };

describe('the dashboard figures', () => {
  const dashboard = buildDashboard(figures, scope, [quzhou]);

  it('counts applications by type and state, labelled by the catalogue and the workflow', () => {
    expect(dashboard.totals).toEqual({
      applications: 12,
      open: 7,
      finished: 4,
      withdrawn: 1,
      overdue: 1,
      settlementsApproved: 4,
      personsMovedIn: 7,
    });
    expect(dashboard.byType.map((t) => [t.typeId, t.label.zh, t.total])).toEqual([
      ['settlement/legal-residence', '落户：合法稳定住所落户', 6],
      ['birth-registration', '出生登记', 4],
      ['residence-permit', '居住证首次申领', 2],
    ]);
    const settlement = dashboard.byType[0]!;
    expect(settlement.counts).toMatchObject({ submitted: 2, done: 3, withdrawn: 1, approved: 0 });
    expect(dashboard.states.map((s) => s.label.en)).toContain('returned for materials');
    expect(dashboard.states).toHaveLength(10);
    expect(dashboard.states.map((s) => s.label.zh)).toContain('不予受理');
  });

  it('splits finished applications at their deadline, the deadline day itself within', () => {
    expect(dashboard.compliance.finished).toEqual({ withinLimit: 3, afterLimit: 1 });
  });

  it('reads open applications against today in working days', () => {
    expect(dashboard.compliance.open).toEqual({ onTime: 2, dueSoon: 3, overdue: 1, paused: 1 });
    expect(dashboard.compliance.dueSoonWorkingDays).toBe(DUE_SOON_WORKING_DAYS);
  });

  it('names the counties and puts both county figures side by side', () => {
    expect(dashboard.scope.areaName).toBe('衢州市');
    expect(dashboard.counties).toEqual([
      { countyCode: '330802', name: '柯城区', settlementsApproved: 3, personsMovedIn: 5 },
      { countyCode: '330803', name: '衢江区', settlementsApproved: 1, personsMovedIn: 0 },
      { countyCode: '330881', name: '江山市', settlementsApproved: 0, personsMovedIn: 2 },
    ]);
  });

  it('is all zeros over nothing', () => {
    const empty = buildDashboard(
      { byTypeAndState: [], finished: [], open: [], settlementsApproved: [], personsMovedIn: [] },
      { ...scope, area: '330802' },
      [quzhou],
    );
    expect(Object.values(empty.totals).every((n) => n === 0)).toBe(true);
    expect(empty.byType).toEqual([]);
    expect(empty.counties).toEqual([]);
  });
});

describe('open standing', () => {
  it('counts working days, not calendar days, to the deadline', () => {
    // Friday 30 October 2026: Wednesday 4 November is 3 working days away, due soon.
    expect(openStanding('2026-11-04', '2026-10-30')).toBe('dueSoon');
    expect(openStanding('2026-11-05', '2026-10-30')).toBe('onTime');
    expect(openStanding('2026-10-30', '2026-10-30')).toBe('dueSoon');
    expect(openStanding('2026-10-29', '2026-10-30')).toBe('overdue');
    expect(openStanding(null, '2026-10-30')).toBe('paused');
    // The National Day week is off: from 30 September, 9 October 2026 is only 2 working days away.
    expect(openStanding('2026-10-09', '2026-09-30')).toBe('dueSoon');
  });
});

describe('areas', () => {
  it('lets an officer look within the jurisdiction only', () => {
    expect(coversArea('330800', '330802')).toBe(true);
    expect(coversArea('330800', '330800')).toBe(true);
    expect(coversArea('330802', '330802')).toBe(true);
    expect(coversArea('330802', '330800')).toBe(false);
    expect(coversArea('330802', '330803')).toBe(false);
    expect(coversArea('330000', '330802')).toBe(true);
    expect(coversArea('330800', '620102')).toBe(false);
  });

  it('offers the jurisdiction and its counties', () => {
    expect(areasOf('330802')).toEqual([{ code: '330802', name: '柯城区' }]);
    const city = areasOf('330800');
    expect(city[0]).toEqual({ code: '330800', name: '衢州市' });
    expect(city.map((a) => a.name)).toEqual(expect.arrayContaining(['柯城区', '衢江区', '江山市']));
  });
});
