/**
 * `npm run bench:queue [-- --applications N --runs R --baseline-runs B]`: the officers' queue on
 * PostgreSQL with N open applications in one county (柯城区 330802, default 200,000; plus N/10 in 衢江区
 * 330803), the SQL queue (`queuePage` + `openTypesIn`, what GET /api/v1/applications/queue runs) beside
 * the approach it replaced in the same run: every open application of the jurisdiction loaded (`select *`),
 * then ordered, filtered and paged in memory (`buildQueue` + `pageOfQueue`, the pure specification, kept
 * here only as the baseline). Prints p50 / p99 in ms per query and checks that both answer the same ids
 * and totals (exit 1 if not). It asserts nothing about time.
 *
 * Method: a fresh database `huji_bench_queue` (dropped and created on every run), migrated; applications
 * written in batches with the columns the services write (`queueClockColumns`), random submission days
 * over the last four months, states spread like a live office (mostly submitted and accepted, 5 %
 * returned), a ~1 kB facts / decision / form as real rows carry. `ANALYZE` before timing.
 * Queries, each run R times (the baseline B times; its p99 is the worst of B):
 *   first page   a clerk's default view: only what they can act on, deadline order, page 1 of 20
 *   deep page    a city reviewer, waiting included, type + bands (on time, paused) + sort by submission
 *                descending, page 1,000 of 20
 *   name search  a clerk searching a surname (part of the name), page 1
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { jurisdictionPrefix } from '../src/accounts/roles.js';
import { openDatabase, rowsOf, type DbExecutor } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { todayInChina } from '../src/standards/calendar.js';
import {
  actionableStates,
  buildQueue,
  pageOfQueue,
  queueClockColumns,
  type DeadlineBand,
  type QueueSort,
} from '../src/services/queue.js';
import { openTypesIn, queuePage, type QueueRowFilter } from '../src/services/queue-repository.js';
import { recordOf, type ApplicationRow } from '../src/services/repository.js';
import { dateOfDayNumber, dayNumber } from '../src/services/working-days.js';
import { FINAL_STATES, type Actor, type ApplicationState } from '../src/services/workflow.js';

const { values: args } = parseArgs({
  options: {
    applications: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '200' },
    'baseline-runs': { type: 'string', default: '10' },
  },
});
const count = Number(args.applications);
const runs = Number(args.runs);
const baselineRuns = Number(args['baseline-runs']);
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = 'huji_bench_queue';
const NOW = new Date('2026-09-01T02:00:00Z');
const TODAY = todayInChina(NOW);
const KC = '330802';
const QJ = '330803';
const TYPES = ['settlement/legal-residence', 'settlement/talent', 'residence-permit', 'relatives-joining'];
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';

/** Deterministic (mulberry32): the same rows every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function recreateDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${benchDb} with (force)`);
  await admin.query(`create database ${benchDb}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${benchDb}`;
  return url.toString();
}

const FACTS = JSON.stringify({
  place: { countyCode: KC },
  person: { age: 35, sex: 'male', education: 'bachelor', maritalStatus: 'married' },
  hukou: { scope: 'same-city', fromDivision: '330881' },
  residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 24 },
  employment: { insuredMonths: 36, employer: '衢州市某某科技有限公司', contract: true },
  notes: '申请人声明所填信息真实有效。'.repeat(6),
});
const DECISION = JSON.stringify({
  policy: 'quzhou-2017-final@1',
  programme: 'settlement',
  pathway: 'legal-residence',
  outcome: 'eligible',
  articles: [
    {
      id: 'qz/3.1',
      quote:
        '在城镇合法稳定就业并有合法稳定住所（含租赁）的人员，本人及其共同居住生活的配偶、未成年子女、父母等，可以在当地申请登记常住户口。',
    },
  ],
  explanation: null,
});

async function fill(db: DbExecutor) {
  const next = random(2026);
  const start = dayNumber('2026-05-01');
  const span = dayNumber(TODAY) - start;
  const batch = 5000;
  const total = count + Math.floor(count / 10);
  for (let offset = 0; offset < total; offset += batch) {
    const rows: unknown[][] = [];
    for (let i = offset; i < Math.min(total, offset + batch); i++) {
      const county = i < count ? KC : QJ;
      const startedOn = dateOfDayNumber(start + Math.floor(next() * span));
      const r = next();
      const state: ApplicationState =
        r < 0.45
          ? 'submitted'
          : r < 0.75
            ? 'accepted'
            : r < 0.88
              ? 'reviewed'
              : r < 0.95
                ? 'returned'
                : 'approved';
      const pauses =
        state === 'returned'
          ? [
              {
                from: dateOfDayNumber(
                  Math.min(dayNumber(startedOn) + 1 + Math.floor(next() * 10), dayNumber(TODAY)),
                ),
                to: null,
              },
            ]
          : [];
      const clock = { startedOn, workingDays: 20, pauses };
      const columns = queueClockColumns({ state, clock });
      const name = `${SURNAMES[Math.floor(next() * SURNAMES.length)]}${GIVEN[Math.floor(next() * GIVEN.length)]}${next() < 0.5 ? GIVEN[Math.floor(next() * GIVEN.length)] : ''}`;
      const id = `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-${Math.floor(next() * 2 ** 48)
        .toString(16)
        .padStart(12, '0')}`;
      rows.push([
        county,
        id,
        `SQ${startedOn.replaceAll('-', '')}${String(i).padStart(6, '0')}`,
        TYPES[Math.floor(next() * TYPES.length)],
        state,
        next() < 0.2,
        name,
        `${startedOn}T0${Math.floor(next() * 9)}:${String(Math.floor(next() * 60)).padStart(2, '0')}:00.000Z`,
        columns.queueDueOn,
        columns.pausedOn,
        JSON.stringify(clock),
      ]);
    }
    const keys = ['c', 'i', 'ref', 't', 's', 'nca', 'n', 'sub', 'due', 'paused', 'clk'];
    const objects = rows.map((r) => Object.fromEntries(keys.map((k, j) => [k, r[j]])));
    await db.execute(sql`
      insert into application (county_code, id, reference, type_id, kind, policy_ref, pathway_id,
        applicant_provider, applicant_subject, applicant_name, applicant_citizen_id, state,
        needs_county_approval, facts, decision, form, submitted_at, deadline, queue_due_on, paused_on, clock,
        required_changes, refusal, version, updated_at)
      select c, i::uuid, ref, t, 'settlement', 'quzhou-2017-final@1', 'legal-residence', 'demo', ref, n, null, s,
        nca, ${FACTS}::jsonb, ${DECISION}::jsonb, ${FACTS}::jsonb, sub::timestamptz,
        case when s = 'returned' then null else due::date end, due::date, paused::date, clk::jsonb,
        '[]'::jsonb, null, 1, sub::timestamptz
      from json_to_recordset(${JSON.stringify(objects)}::json)
        as x(c text, i text, ref text, t text, s text, nca boolean, n text, sub text, due text, paused text, clk text)`);
  }
  // What autovacuum does on a live table: the visibility map lets counts read the index only.
  await db.execute(sql`vacuum analyze application`);
  return total;
}

// ——— the baseline: what the queue route did before (every open row loaded, then the pure queue) ———

const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

async function baselineRecords(db: DbExecutor, officerCounty: string, filter: QueryCase['filter']) {
  const where = [
    sql`county_code like ${`${jurisdictionPrefix(officerCounty)}%`}`,
    sql`state not in (${list(FINAL_STATES)})`,
  ];
  if (!filter.includeWaiting) where.push(sql`state <> 'returned'`);
  if (filter.typeIds?.length) where.push(sql`type_id in (${list(filter.typeIds)})`);
  if (filter.text) {
    const t = likeLiteral(filter.text);
    where.push(sql`(upper(reference) like upper(${`${t}%`}) or applicant_name like ${`%${t}%`})`);
  }
  const rows = rowsOf<ApplicationRow>(
    await db.execute(sql`select * from application where ${sql.join(where, sql` and `)}`),
  );
  return rows.map(recordOf);
}

async function baselineTypes(db: DbExecutor, officerCounty: string) {
  return rowsOf(
    await db.execute(sql`
      select type_id, min(kind) as kind, max(policy_ref) as policy_ref from application
      where county_code like ${`${jurisdictionPrefix(officerCounty)}%`} and state not in (${list(FINAL_STATES)})
      group by type_id order by type_id`),
  );
}

interface QueryCase {
  readonly name: string;
  readonly officer: Extract<Actor, { kind: 'officer' }>;
  readonly counties: readonly string[];
  readonly filter: {
    includeWaiting: boolean;
    onlyActionable: boolean;
    typeIds?: string[];
    bands?: DeadlineBand[];
    text?: string;
  };
  readonly sort: QueueSort;
  readonly order: 'asc' | 'desc';
  readonly page: number;
}

const PAGE_SIZE = 20;
const clerk = { kind: 'officer', id: 'bench-clerk', roles: ['window-clerk'], countyCode: KC } as const;
const cityReviewer = {
  kind: 'officer',
  id: 'bench-city',
  roles: ['reviewer'],
  countyCode: '330800',
} as const;

const CASES: QueryCase[] = [
  {
    name: 'first page',
    officer: clerk,
    counties: [KC],
    filter: { includeWaiting: false, onlyActionable: true },
    sort: 'deadline',
    order: 'asc',
    page: 1,
  },
  {
    name: 'deep page + filters',
    officer: cityReviewer,
    counties: [KC, QJ, '330822', '330824', '330825', '330881'],
    filter: {
      includeWaiting: true,
      onlyActionable: false,
      typeIds: ['settlement/legal-residence', 'residence-permit'],
      bands: ['onTime', 'paused'],
    },
    sort: 'submitted',
    order: 'desc',
    page: 1000,
  },
  {
    name: 'name search',
    officer: clerk,
    counties: [KC],
    filter: { includeWaiting: false, onlyActionable: true, text: '程' },
    sort: 'deadline',
    order: 'asc',
    page: 1,
  },
];

async function runSql(db: DbExecutor, c: QueryCase) {
  const filter: QueryRowFilterish = {
    includeWaiting: c.filter.includeWaiting,
    ...(c.filter.typeIds ? { typeIds: c.filter.typeIds } : {}),
    ...(c.filter.bands ? { bands: c.filter.bands } : {}),
    ...(c.filter.text ? { text: c.filter.text } : {}),
    ...(c.filter.onlyActionable ? { actionable: actionableStates(c.officer) } : {}),
  };
  const page = await queuePage(
    db,
    c.officer.countyCode,
    filter,
    { sort: c.sort, order: c.order, offset: (c.page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
    TODAY,
  );
  await openTypesIn(db, c.counties);
  return { ids: page.records.map((r) => r.application.id), total: page.total };
}
type QueryRowFilterish = QueueRowFilter;

async function runBaseline(db: DbExecutor, c: QueryCase) {
  const records = await baselineRecords(db, c.officer.countyCode, c.filter);
  const items = buildQueue(
    records.map((r) => r.application),
    c.officer,
    NOW,
    { includeWaiting: c.filter.includeWaiting, onlyActionable: c.filter.onlyActionable },
  );
  const page = pageOfQueue(items, {
    ...(c.filter.bands ? { bands: c.filter.bands } : {}),
    sort: c.sort,
    order: c.order,
    page: c.page,
    pageSize: PAGE_SIZE,
  });
  await baselineTypes(db, c.officer.countyCode);
  return { ids: page.items.map((i) => i.application.id), total: page.total };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function time<T>(n: number, f: () => Promise<T>): Promise<{ p50: number; p99: number; last: T }> {
  const samples: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    last = await f();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), last: last as T };
}

async function main() {
  const url = await recreateDatabase();
  const handle = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  try {
    await migrateDatabase(handle.db);
    const t0 = performance.now();
    const rows = await fill(handle.db);
    console.log(
      `filled ${rows.toLocaleString('en')} open applications (${count.toLocaleString('en')} in ${KC}) in ${((performance.now() - t0) / 1000).toFixed(1)} s; read on ${TODAY}`,
    );
    console.log(
      `${'query'.padEnd(22)}${'approach'.padEnd(34)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}  total`,
    );
    let mismatch = false;
    for (const c of CASES) {
      await runSql(handle.db, c); // warm the cache for both
      const fast = await time(runs, () => runSql(handle.db, c));
      const slow = await time(baselineRuns, () => runBaseline(handle.db, c));
      const same =
        fast.last.total === slow.last.total &&
        JSON.stringify(fast.last.ids) === JSON.stringify(slow.last.ids);
      if (!same) mismatch = true;
      const line = (approach: string, r: { p50: number; p99: number }, n: number, total: number) =>
        console.log(
          `${c.name.padEnd(22)}${`${approach} (${n} runs)`.padEnd(34)}${r.p50.toFixed(1).padStart(10)}${r.p99.toFixed(1).padStart(10)}  ${total}`,
        );
      line('SQL page (indexes)', fast, runs, fast.last.total);
      line('baseline: load all, page in memory', slow, baselineRuns, slow.last.total);
      console.log(
        `${''.padEnd(22)}${`×${(slow.p50 / fast.p50).toFixed(0)} at p50; same page and total: ${same ? 'yes' : 'NO'}`}`,
      );
    }
    if (mismatch) {
      console.error('the SQL queue and the baseline disagree');
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
  }
}

await main();
