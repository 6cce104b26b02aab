/**
 * `npm run bench:import [-- --persons N --pglite-persons M --seed S]`: loads a generated population from
 * CSV into the register with `huji import persons` (full validation, whole households per transaction,
 * the hash-chained ledger, every projection and index), and in the same run loads the same file with
 * `psql \copy` into a bare table of text columns (no key, no index: the raw limit of the server). Prints
 * rows/s of both and their ratio against the issue's goal (Huji ≥ 50 % of the raw copy), and the rate of
 * the same import into embedded PGlite on a sample. A third peer shows the ceiling of the register's
 * schema: the very rows Huji wrote (every table of the register, dumped after the import) copied back
 * with `psql \copy` into a fresh migrated register with every key and index in place — no checks, no
 * code, only PostgreSQL maintaining the register's tables. No importer of this schema can beat it. It asserts nothing about time; it fails (exit 1) only
 * if the register does not hold exactly the rows the import reports.
 *
 * Method: the CSV is generated before any timing (`syntheticRegister`, the seeded generator; one person
 * per row, about 2.9 persons per household) into the OS temp directory and reused across runs with the
 * same arguments. Each load runs in a fresh database (`huji_bench_import`, dropped and re-created; the
 * register's migrations and reference data loaded before timing). Timings are wall clock of the child
 * process, so Huji's figure includes its start-up (~1 s).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { toCsvLine } from '../src/cli/csv.js';
import { openDatabase } from '../src/db/connection.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadReferenceData } from '../src/db/reference-data.js';
import { IMPORT_COLUMNS, importRowValues, type ImportColumn } from '../src/register/import-csv.js';
import { syntheticRegister } from '../src/register/synthetic-register.js';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    'pglite-persons': { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    city: { type: 'string', default: 'quzhou' },
  },
});
const persons = Number(args.persons);
const pglitePersons = Math.min(persons, Number(args['pglite-persons']));
const seed = Number(args.seed);
const city = args.city === 'lanzhou' ? 'lanzhou' : 'quzhou';
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = 'huji_bench_import';
const benchUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${benchDb}`;
  return u.toString();
})();
const columns = Object.keys(IMPORT_COLUMNS) as ImportColumn[];

/** Writes (once) the CSV of the first `count` persons; returns its path and row count. */
async function populationCsv(count: number): Promise<{ file: string; rows: number }> {
  const file = join(tmpdir(), `huji-bench-import-${city}-${count}-${seed}.csv`);
  const rowsFile = `${file}.rows`;
  if (existsSync(file) && existsSync(rowsFile)) return { file, rows: Number(statSync(rowsFile).size) };
  const started = performance.now();
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, 'utf8');
  out.write(`${toCsvLine(columns)}\n`);
  let rows = 0;
  for (const { household, members } of syntheticRegister({ city, persons: count, seed })) {
    let chunk = '';
    for (const member of members) {
      const values = importRowValues(household, member);
      chunk += `${toCsvLine(columns.map((c) => values[c]))}\n`;
      rows++;
    }
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(resolve));
  renameSync(partial, file);
  // The row count as the size of a marker file: no JSON to parse, nothing to go stale.
  const marker = createWriteStream(rowsFile);
  await new Promise<void>((resolve) => marker.end(Buffer.alloc(rows), resolve));
  console.log(
    `generated ${rows} rows into ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { file, rows };
}

async function freshDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${benchDb} with (force)`);
  await admin.query(`create database ${benchDb}`);
  await admin.end();
  const handle = await openDatabase({ kind: 'postgres', url: benchUrl, poolSize: 2 });
  await migrateDatabase(handle.db);
  await loadReferenceData(handle.db);
  await handle.close();
}

function timed(command: string, argv: string[], env: NodeJS.ProcessEnv): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(command, argv, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`${command} ${argv.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  }
  return { seconds, stdout: run.stdout };
}

async function rawCopy(file: string, rows: number): Promise<number> {
  await freshDatabase();
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  await client.query(`create table bare_import (${columns.map((c) => `${c} text`).join(', ')})`);
  await client.end();
  const { seconds } = timed(
    'psql',
    [
      benchUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy bare_import from '${file}' with (format csv, header true)`,
    ],
    {},
  );
  return rows / seconds;
}

/** The register's tables in the order a load must fill them (the ledger head last). */
const REGISTER_TABLES = [
  'citizen_id_registry',
  'household',
  'person',
  'membership',
  'register_event',
  'ledger_head',
] as const;

/**
 * Dumps the register's tables of the imported database (untimed), then times `psql \copy` of them into a
 * fresh migrated database: the rate of the schema itself, per CSV row.
 */
async function schemaCeiling(rows: number): Promise<{ perSecond: number; seconds: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'huji-bench-ceiling-'));
  const dump = REGISTER_TABLES.map((t) => `\\copy ${t} to '${join(dir, `${t}.copy`)}'`);
  timed('psql', [benchUrl, '-v', 'ON_ERROR_STOP=1', ...dump.flatMap((c) => ['-c', c])], {});
  await freshDatabase();
  // One psql session for all tables (its start-up counted once); \timing gives each table's share.
  const load = timed(
    'psql',
    [
      benchUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      '\\timing on',
      ...REGISTER_TABLES.flatMap((t) => ['-c', `\\copy ${t} from '${join(dir, `${t}.copy`)}'`]),
    ],
    {},
  );
  const times = [...load.stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]) / 1000);
  const seconds = Object.fromEntries(REGISTER_TABLES.map((t, i) => [t, times[i] ?? Number.NaN]));
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: rows / load.seconds, seconds };
}

interface ImportSummary {
  rows: number;
  imported: number;
  rejectedRows: number;
  rowsPerSecond: number;
}

function hujiImport(file: string, env: NodeJS.ProcessEnv): { wall: number; summary: ImportSummary } {
  const { seconds, stdout } = timed(
    process.execPath,
    ['bin/huji.js', 'import', 'persons', file, '--json', '--rejects', `${file}.rejects.csv`],
    { ...env, LOG_LEVEL: 'error' },
  );
  const summary = JSON.parse(stdout.slice(stdout.indexOf('{'))) as ImportSummary;
  return { wall: summary.rows / seconds, summary };
}

async function registerRows(): Promise<number> {
  const client = new pg.Client({ connectionString: benchUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('select count(*) as n from membership');
  await client.end();
  return Number(rows[0]?.n);
}

const f = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `bench:import — ${persons.toLocaleString('en-US')} persons (${city}, seed ${seed}); ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const full = await populationCsv(persons);
const sample = await populationCsv(pglitePersons);

const raw = await rawCopy(full.file, full.rows);
await freshDatabase();
const huji = hujiImport(full.file, { DATABASE_URL: benchUrl });
const inRegister = await registerRows();
const expected = huji.summary.rows - huji.summary.rejectedRows;
const ceiling = await schemaCeiling(full.rows);

const pgliteDir = mkdtempSync(join(tmpdir(), 'huji-bench-pglite-'));
// Migrations and reference data first, untimed, as for PostgreSQL.
timed(process.execPath, ['bin/huji.js', 'db', 'migrate'], { DATABASE_URL: '', HUJI_DATA_DIR: pgliteDir });
const pglite = hujiImport(sample.file, { DATABASE_URL: '', HUJI_DATA_DIR: pgliteDir });
rmSync(pgliteDir, { recursive: true, force: true });

console.log('');
console.log(
  '| load                                                   | rows      | rows/s    | vs raw copy |',
);
console.log(
  '| ------------------------------------------------------ | --------- | --------- | ----------- |',
);
console.log(
  `| PostgreSQL, psql \\copy into a bare text table (raw)    | ${f(full.rows).padEnd(9)} | ${f(raw).padEnd(9)} | 100 %       |`,
);
console.log(
  `| PostgreSQL, huji import persons (wall clock, start-up)  | ${f(huji.summary.rows).padEnd(9)} | ${f(huji.wall).padEnd(9)} | ${((huji.wall / raw) * 100).toFixed(1).padStart(5)} %     |`,
);
console.log(
  `| PostgreSQL, huji import persons (its own rows/s)        | ${f(huji.summary.rows).padEnd(9)} | ${f(huji.summary.rowsPerSecond).padEnd(9)} | ${((huji.summary.rowsPerSecond / raw) * 100).toFixed(1).padStart(5)} %     |`,
);
console.log(
  `| PostgreSQL, psql \\copy of the register's own rows (ceiling) | ${f(full.rows).padEnd(9)} | ${f(ceiling.perSecond).padEnd(9)} | ${((ceiling.perSecond / raw) * 100).toFixed(1).padStart(5)} %     |`,
);
console.log(
  `| PGlite (embedded, on disk), huji import persons        | ${f(pglite.summary.rows).padEnd(9)} | ${f(pglite.wall).padEnd(9)} |             |`,
);
console.log('');
console.log(
  `${huji.wall >= raw * 0.5 ? 'MET ' : 'MISS'}  Huji import ≥ 50 % of the raw copy: ${((huji.wall / raw) * 100).toFixed(1)} %`,
);
console.log(
  `the schema's ceiling (every table and index of the register, COPY only) is ${((ceiling.perSecond / raw) * 100).toFixed(1)} % of the raw copy; Huji reaches ${((huji.wall / ceiling.perSecond) * 100).toFixed(1)} % of that ceiling. Seconds per table: ${Object.entries(
    ceiling.seconds,
  )
    .map(([t, sec]) => `${t} ${sec.toFixed(1)}`)
    .join(', ')}`,
);
console.log(
  `register check: ${inRegister} memberships for ${expected} accepted rows (${huji.summary.rejectedRows} rows rejected by the checks; see ${full.file}.rejects.csv)`,
);
if (inRegister !== expected) {
  console.error('the register does not hold the rows the import reported');
  process.exitCode = 1;
}
