import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildQueue, compareQueueItems, deadlineBand, pageOfQueue } from './queue.js';
import { dateOfDayNumber, dayNumber, readClock } from './working-days.js';
import { APPLICATION_STATES, FINAL_STATES, type Actor, type Application } from './workflow.js';

const clerk = (countyCode = '330802'): Extract<Actor, { kind: 'officer' }> => ({
  kind: 'officer',
  id: 'clerk',
  roles: ['window-clerk'],
  countyCode,
});

function app(
  id: string,
  startedOn: string,
  workingDays: number,
  overrides: Partial<Application> = {},
): Application {
  return {
    id,
    typeId: 'settlement/talent',
    needsCountyApproval: false,
    countyCode: '330802',
    applicantId: `resident-${id}`,
    state: 'submitted',
    submittedAt: `${startedOn}T02:00:00.000Z`,
    clock: { startedOn, workingDays, pauses: [] },
    requiredChanges: [],
    version: 1,
    ...overrides,
  };
}

const NOW = new Date('2025-10-20T02:00:00Z'); // Monday 20 Oct 2025, China

describe('queue', () => {
  it('puts overdue first, then the nearest deadline, then the earliest submission', () => {
    const queue = buildQueue(
      [
        app('late-big', '2025-09-01', 20), // deadline 29 Sep: overdue
        app('soon', '2025-10-16', 5), // deadline 23 Oct
        app('later', '2025-10-10', 20), // deadline 7 Nov
        app('very-late', '2025-08-01', 5), // deadline 8 Aug: overdue
        app('soon-older', '2025-10-15', 6), // deadline 23 Oct, submitted earlier
      ],
      clerk(),
      NOW,
    );
    expect(queue.map((i) => i.application.id)).toEqual([
      'very-late',
      'late-big',
      'soon-older',
      'soon',
      'later',
    ]);
    expect(queue[0]?.clock.isOverdue).toBe(true);
    expect(queue[2]?.clock.deadline).toBe('2025-10-23');
    expect(queue[0]?.actions).toEqual(['accept', 'return', 'decline']);
  });

  it('keeps to the officer jurisdiction: another county never appears, a city bureau sees its counties', () => {
    const apps = [
      app('kecheng', '2025-10-10', 20),
      app('qujiang', '2025-10-10', 20, { countyCode: '330803' }),
    ];
    expect(buildQueue(apps, clerk(), NOW).map((i) => i.application.id)).toEqual(['kecheng']);
    expect(buildQueue(apps, clerk('330800'), NOW)).toHaveLength(2);
    expect(buildQueue(apps, clerk('620102'), NOW)).toEqual([]);
  });

  it('leaves out closed applications, and returned ones unless asked (then last, clock paused)', () => {
    const apps = [
      app('done', '2025-10-10', 20, { state: 'done' }),
      app('waiting', '2025-09-01', 20, {
        state: 'returned',
        clock: { startedOn: '2025-09-01', workingDays: 20, pauses: [{ from: '2025-09-02', to: null }] },
      }),
      app('open', '2025-10-10', 20),
    ];
    expect(buildQueue(apps, clerk(), NOW).map((i) => i.application.id)).toEqual(['open']);
    const all = buildQueue(apps, clerk(), NOW, { includeWaiting: true });
    expect(all.map((i) => i.application.id)).toEqual(['open', 'waiting']);
    expect(all[1]?.clock).toMatchObject({ state: 'paused', deadline: null, isOverdue: false });
  });

  it('filters to what the officer can act on when asked', () => {
    const apps = [app('new', '2025-10-10', 20), app('in-review', '2025-10-10', 20, { state: 'accepted' })];
    expect(buildQueue(apps, clerk(), NOW, { onlyActionable: true }).map((i) => i.application.id)).toEqual([
      'new',
    ]);
  });

  it('property: the order is total and respects overdue → deadline → submission, whatever the input order', () => {
    const openStates = APPLICATION_STATES.filter(
      (s) => !(FINAL_STATES as readonly string[]).includes(s) && s !== 'returned',
    );
    const arb = fc.array(
      fc.record({
        start: fc.integer({ min: dayNumber('2025-06-01'), max: dayNumber('2025-10-20') }),
        limit: fc.integer({ min: 1, max: 30 }),
        county: fc.constantFrom('330802', '330803', '330881'),
        state: fc.constantFrom(...openStates),
      }),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (specs, reverse) => {
        const apps = specs.map((s, i) =>
          app(`a${i}`, dateOfDayNumber(s.start), s.limit, { countyCode: s.county, state: s.state }),
        );
        const queue = buildQueue(reverse ? [...apps].reverse() : apps, clerk(), NOW);
        expect(queue.every((i) => i.application.countyCode === '330802')).toBe(true);
        expect(queue).toHaveLength(apps.filter((a) => a.countyCode === '330802').length);
        for (let i = 1; i < queue.length; i++) {
          const [a, b] = [queue[i - 1]!, queue[i]!];
          expect(compareQueueItems(a, b)).toBeLessThan(0);
          if (a.clock.isOverdue === b.clock.isOverdue)
            expect((a.clock.deadline as string) <= (b.clock.deadline as string)).toBe(true);
          else expect(a.clock.isOverdue).toBe(true);
        }
        expect(buildQueue([...apps].reverse(), clerk(), NOW)).toEqual(buildQueue(apps, clerk(), NOW));
      }),
    );
  });

  it('bands each item against its deadline in working days: 3 working days is due soon, 4 is on time', () => {
    // Monday 20 Oct 2025: Thursday 23 Oct is 3 working days away, Friday 24 Oct is 4.
    const band = (startedOn: string, workingDays: number) =>
      deadlineBand(readClock({ startedOn, workingDays, pauses: [] }, '2025-10-20'), '2025-10-20');
    expect(band('2025-10-16', 5)).toBe('dueSoon'); // deadline 23 Oct
    expect(band('2025-10-16', 6)).toBe('onTime'); // deadline 24 Oct
    expect(band('2025-10-14', 4)).toBe('dueSoon'); // deadline 20 Oct: today, still within the limit
    expect(band('2025-09-01', 20)).toBe('overdue');
    const paused = readClock(
      { startedOn: '2025-10-10', workingDays: 20, pauses: [{ from: '2025-10-14', to: null }] },
      '2025-10-20',
    );
    expect(deadlineBand(paused, '2025-10-20')).toBe('paused');
    // Across the National Day holiday: 30 Sep → 9 Oct is 2 working days (Sat 11 Oct is a make-up day).
    expect(
      deadlineBand(
        readClock({ startedOn: '2025-09-26', workingDays: 4, pauses: [] }, '2025-09-30'),
        '2025-09-30',
      ),
    ).toBe('dueSoon');
  });

  it('pages a filtered, sorted queue with the total over every page', () => {
    const apps = Array.from({ length: 7 }, (_, i) =>
      app(`a${i}`, dateOfDayNumber(dayNumber('2025-10-01') + i), 10, {
        state: i % 2 === 0 ? 'submitted' : 'accepted',
      }),
    );
    const queue = buildQueue(apps, { ...clerk(), roles: ['window-clerk', 'reviewer'] }, NOW);
    const first = pageOfQueue(queue, { page: 1, pageSize: 3 });
    const last = pageOfQueue(queue, { page: 3, pageSize: 3 });
    expect(first.total).toBe(7);
    expect(first.items.map((i) => i.application.id)).toEqual(['a0', 'a1', 'a2']);
    expect(last.items.map((i) => i.application.id)).toEqual(['a6']);
    expect(pageOfQueue(queue, { page: 9, pageSize: 3 })).toMatchObject({ items: [], total: 7 });
    const byState = pageOfQueue(queue, { page: 1, pageSize: 10, sort: 'state', order: 'desc' });
    expect(byState.items.map((i) => i.application.state)).toEqual([
      ...Array<string>(3).fill('accepted'),
      ...Array<string>(4).fill('submitted'),
    ]);
    const newest = pageOfQueue(queue, { page: 1, pageSize: 2, sort: 'submitted', order: 'desc' });
    expect(newest.items.map((i) => i.application.id)).toEqual(['a6', 'a5']);
    const bands = new Set(queue.map((i) => i.band));
    for (const band of bands) {
      const only = pageOfQueue(queue, { page: 1, pageSize: 10, bands: [band] });
      expect(only.total).toBe(queue.filter((i) => i.band === band).length);
      expect(only.items.every((i) => i.band === band)).toBe(true);
    }
  });
});
