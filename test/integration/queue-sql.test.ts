/**
 * The queue in SQL gives the answers of the pure queue (`buildQueue` + `pageOfQueue`, the specification
 * of its order and bands) on 400 applications with random clocks — running, paused overdue or not,
 * closed pauses, some closed applications — over every sort, order, band, waiting, actionable and page
 * combination, on PGlite and PostgreSQL. Rows are written as the services write them
 * (`queueClockColumns`), read on Tuesday 1 September 2026.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import {
  actionableStates,
  buildQueue,
  pageOfQueue,
  queueClockColumns,
  type DeadlineBand,
  type QueueSort,
} from '../../src/services/queue.js';
import { queuePage, type QueueRowFilter } from '../../src/services/queue-repository.js';
import { addWorkingDays, dateOfDayNumber, dayNumber } from '../../src/services/working-days.js';
import {
  APPLICATION_STATES,
  FINAL_STATES,
  type Actor,
  type Application,
  type ApplicationState,
} from '../../src/services/workflow.js';
import { testDatabases } from '../support/databases.js';

const NOW = new Date('2026-09-01T02:00:00Z');
const TODAY = '2026-09-01';
const COUNTIES = ['330802', '330803'];
const TYPES = ['settlement/talent', 'residence-permit'];
const NAMES = ['程一', '王二', '程三', '李四', '赵五'];

/** A small deterministic generator (mulberry32): the same 400 applications every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Spec {
  application: Application;
  reference: string;
  name: string;
}

function generate(count: number): Spec[] {
  const next = random(13);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
  const specs: Spec[] = [];
  for (let i = 0; i < count; i++) {
    const start = dayNumber('2026-05-04') + Math.floor(next() * 115);
    const startedOn = dateOfDayNumber(start);
    const state = pick<ApplicationState>([...APPLICATION_STATES, 'submitted', 'returned', 'accepted']);
    const pauses: { from: string; to: string | null }[] = [];
    let cursor = start;
    if (next() < 0.3) {
      const from = cursor + 1 + Math.floor(next() * 10);
      const to = from + Math.floor(next() * 10);
      if (to < dayNumber(TODAY)) {
        pauses.push({ from: dateOfDayNumber(from), to: dateOfDayNumber(to) });
        cursor = to;
      }
    }
    if (state === 'returned') {
      const from = Math.min(cursor + Math.floor(next() * 60), dayNumber(TODAY));
      pauses.push({ from: dateOfDayNumber(from), to: null });
    }
    const isFinal = (FINAL_STATES as readonly string[]).includes(state);
    // Some submissions share a second: the id decides their order.
    const second = Math.floor(next() * 3);
    specs.push({
      application: {
        id: `00000000-0000-4000-8000-${String(Math.floor(next() * 1e12)).padStart(12, '0')}`,
        typeId: pick(TYPES),
        needsCountyApproval: next() < 0.3,
        countyCode: pick(COUNTIES),
        applicantId: `test:${i}`,
        state,
        submittedAt: `${startedOn}T0${second}:00:00.000Z`,
        clock: {
          startedOn,
          workingDays: 5 + Math.floor(next() * 25),
          pauses,
          ...(isFinal ? { stoppedOn: TODAY } : {}),
        },
        requiredChanges: [],
        version: 1,
      },
      reference: `SQ${startedOn.replaceAll('-', '')}${String(i).padStart(6, '0')}`,
      name: pick(NAMES),
    });
  }
  return specs;
}

const officers: Extract<Actor, { kind: 'officer' }>[] = [
  { kind: 'officer', id: 'c', roles: ['window-clerk'], countyCode: '330802' },
  { kind: 'officer', id: 'a', roles: ['reviewer', 'approver'], countyCode: '330800' },
];

describe.each(testDatabases())('the queue in SQL answers as the pure queue on $name', ({ open }) => {
  let database: DatabaseHandle;
  const specs = generate(400);

  beforeAll(async () => {
    database = await open();
    for (const s of specs) {
      const a = s.application;
      const columns = queueClockColumns(a);
      await database.db.execute(sql`
        insert into application (county_code, id, reference, type_id, kind, policy_ref, pathway_id,
          applicant_provider, applicant_subject, applicant_name, applicant_citizen_id, state,
          needs_county_approval, facts, decision, form, submitted_at, deadline, queue_due_on, paused_on, clock,
          required_changes, refusal, version, updated_at)
        values (${a.countyCode}, ${a.id}, ${s.reference}, ${a.typeId}, 'settlement', 'test@1', null, 'test',
          ${a.applicantId}, ${s.name}, null, ${a.state}, ${a.needsCountyApproval}, '{}'::jsonb, '{}'::jsonb,
          '{}'::jsonb, ${a.submittedAt}, null, ${columns.queueDueOn}, ${columns.pausedOn},
          ${JSON.stringify(a.clock)}::jsonb, '[]'::jsonb, null, 1, ${a.submittedAt})`);
    }
  }, 120_000);
  afterAll(async () => {
    await database.close();
  });

  const bandSets: (readonly DeadlineBand[] | undefined)[] = [
    undefined,
    ['overdue'],
    ['dueSoon'],
    ['onTime', 'paused'],
  ];
  const cases = officers.flatMap((officer) =>
    (['deadline', 'submitted', 'state'] as QueueSort[]).flatMap((sort) =>
      (['asc', 'desc'] as const).flatMap((order) =>
        bandSets.flatMap((bands) =>
          [
            { includeWaiting: false, onlyActionable: true },
            { includeWaiting: true, onlyActionable: false },
          ].map((flags) => ({ officer, sort, order, bands, ...flags })),
        ),
      ),
    ),
  );

  it('gives the same pages and totals for every sort, order, band and flag', async () => {
    for (const c of cases) {
      const expected = buildQueue(
        specs.map((s) => s.application),
        c.officer,
        NOW,
        {
          includeWaiting: c.includeWaiting,
          onlyActionable: c.onlyActionable,
        },
      );
      const filter: QueueRowFilter = {
        includeWaiting: c.includeWaiting,
        ...(c.bands ? { bands: c.bands } : {}),
        ...(c.onlyActionable ? { actionable: actionableStates(c.officer) } : {}),
      };
      for (const page of [1, 2, 7]) {
        const want = pageOfQueue(expected, {
          ...(c.bands ? { bands: c.bands } : {}),
          sort: c.sort,
          order: c.order,
          page,
          pageSize: 25,
        });
        const got = await queuePage(
          database.db,
          c.officer.countyCode,
          filter,
          { sort: c.sort, order: c.order, offset: (page - 1) * 25, limit: 25 },
          TODAY,
        );
        const label = JSON.stringify({ ...c, officer: c.officer.id, page });
        expect(got.total, label).toBe(want.total);
        expect(
          got.records.map((r) => r.application.id),
          label,
        ).toEqual(want.items.map((i) => i.application.id));
      }
    }
  }, 120_000);

  it('filters by type, state, county and name or reference as the rows say', async () => {
    const city = officers[1] as Extract<Actor, { kind: 'officer' }>;
    const all = buildQueue(
      specs.map((s) => s.application),
      city,
      NOW,
      { includeWaiting: true },
    );
    const byId = new Map(specs.map((s) => [s.application.id, s]));
    const check = async (filter: QueueRowFilter, keep: (s: Spec) => boolean) => {
      const want = all.filter((i) => keep(byId.get(i.application.id) as Spec)).map((i) => i.application.id);
      const got = await queuePage(
        database.db,
        city.countyCode,
        { includeWaiting: true, ...filter },
        { sort: 'deadline', order: 'asc', offset: 0, limit: 1000 },
        TODAY,
      );
      expect(got.total).toBe(want.length);
      expect(got.records.map((r) => r.application.id)).toEqual(want);
    };
    await check({ typeIds: ['residence-permit'] }, (s) => s.application.typeId === 'residence-permit');
    await check({ states: ['returned', 'reviewed'] }, (s) =>
      ['returned', 'reviewed'].includes(s.application.state),
    );
    await check({ county: '330803' }, (s) => s.application.countyCode === '330803');
    await check({ text: '程' }, (s) => s.name.includes('程'));
    await check({ text: 'sq202606' }, (s) => s.reference.startsWith('SQ202606'));
    await check({ text: '_' }, () => false);
  });

  it('bands in SQL as the working-day clock does, across a holiday', async () => {
    // 1 Sep 2026 is a Tuesday; due soon runs to the third working day after it.
    expect(addWorkingDays(TODAY, 4)).toBe('2026-09-07');
    const city = officers[1] as Extract<Actor, { kind: 'officer' }>;
    const all = buildQueue(
      specs.map((s) => s.application),
      city,
      NOW,
      { includeWaiting: true },
    );
    for (const band of ['overdue', 'dueSoon', 'onTime', 'paused'] as const) {
      const got = await queuePage(
        database.db,
        city.countyCode,
        { includeWaiting: true, bands: [band] },
        { sort: 'deadline', order: 'asc', offset: 0, limit: 1000 },
        TODAY,
      );
      const want = all.filter((i) => i.band === band);
      expect(want.length).toBeGreaterThan(0);
      expect(got.records.map((r) => r.application.id)).toEqual(want.map((i) => i.application.id));
    }
  });
});
