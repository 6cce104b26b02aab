/**
 * "An interrupted import re-runs without duplicates" (issue 4), with real processes: `huji import persons`
 * on a CSV of a few thousand persons is SIGKILLed once households are committed, then re-run to
 * completion. Every household and person of the file is in the register exactly once, the ledger holds
 * one import event per household and its chains verify, and no household is ever partly imported — not
 * at the moment of the kill, and not after the re-run.
 *
 * Only the CLI and the database are used: the import's internals are free to change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/connection.js';
import { verifyCountyLedger } from '../../src/register/routes.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import {
  killHuji,
  sleep,
  spawnedDatabases,
  startHuji,
  type HujiProcess,
  type SpawnedDatabase,
} from '../support/spawned.js';

/**
 * 10,000 households (25,000 persons): more than one transaction's worth even for a batching import
 * (2,000 households per COPY transaction today), so that a kill can land between two commits.
 */
const HOUSEHOLDS = 10_000;
const COUNTIES = ['330802', '330803'] as const;

interface FileRow {
  readonly householdNumber: string;
  readonly county: string;
  readonly citizenId: string;
  readonly name: string;
  readonly relationship: string;
}

/**
 * Households of 1–4 persons (head, wife, children) in two counties, written in the documented import
 * column set. Citizen ids agree with birth date and sex (odd sequence: male), and are all distinct.
 */
function writeImportFile(file: string): FileRow[] {
  const rows: FileRow[] = [];
  const lines = [
    'household_number,household_type,address,county_code,relationship,member_since,citizen_id,name,sex,birth_date',
  ];
  const base = Date.UTC(1950, 0, 1);
  let k = 0;
  for (let h = 0; h < HOUSEHOLDS; h++) {
    const county = COUNTIES[h % COUNTIES.length]!;
    const householdNumber = `${county}${String(h + 1).padStart(9, '0')}`;
    const size = 1 + (h % 4);
    for (let m = 0; m < size; m++) {
      const isMale = m === 0 || (m >= 2 && m % 2 === 0);
      const birthDate = new Date(base + Math.floor(k / 100) * 86_400_000).toISOString().slice(0, 10);
      const citizenId = composeCitizenId(county, birthDate, (k % 100) * 2 + (isMale ? 1 : 2));
      const relationship = m === 0 ? '02' : m === 1 ? '12' : isMale ? '20' : '30';
      const name = `导入${k}`;
      rows.push({ householdNumber, county, citizenId, name, relationship });
      lines.push(
        [
          householdNumber,
          'family',
          `衢州导入测试街 ${h} 号`,
          county,
          relationship,
          birthDate,
          citizenId,
          name,
          isMale ? '1' : '2',
          birthDate,
        ].join(','),
      );
      k++;
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return rows;
}

async function countHouseholds(handle: DatabaseHandle): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from household`));
  return row?.n ?? 0;
}

/** What the register holds now, as (household number, citizen id, name, relationship) of open memberships. */
async function registerContents(handle: DatabaseHandle) {
  return rowsOf<{ household_number: string; citizen_id: string; name: string; relationship: string }>(
    await handle.db.execute(sql`
      select h.household_number, p.citizen_id, p.name, m.relationship
      from membership m join household h on h.id = m.household_id join person p on p.id = m.person_id
      where m.valid_to is null`),
  );
}

const key = (r: { householdNumber: string; citizenId: string }) => `${r.householdNumber}/${r.citizenId}`;

describe.each(spawnedDatabases())(
  'an interrupted import re-runs without duplicates on $name',
  ({ create }) => {
    let database: SpawnedDatabase | undefined;
    let importer: HujiProcess | undefined;
    let file = '';
    let fileRows: FileRow[] = [];
    const byHousehold = new Map<string, FileRow[]>();

    beforeAll(async () => {
      database = await create();
      file = join(database.workDir, 'persons.csv');
      fileRows = writeImportFile(file);
      for (const r of fileRows)
        byHousehold.set(r.householdNumber, [...(byHousehold.get(r.householdNumber) ?? []), r]);
      // Migrated ahead, as a deployment does, so the import starts on its work at once.
      const migrate = startHuji(['db', 'migrate'], database.env);
      expect((await migrate.exited).code, migrate.output()).toBe(0);
    });
    afterAll(async () => {
      await killHuji(importer);
      await database?.dispose();
    });

    /** Checks that each household present holds exactly its file rows; returns how many are present. */
    const expectWholeHouseholds = async (handle: DatabaseHandle): Promise<number> => {
      const contents = await registerContents(handle);
      const present = new Map<string, string[]>();
      for (const r of contents)
        present.set(r.household_number, [...(present.get(r.household_number) ?? []), r.citizen_id]);
      const partial = [...present].filter(([number, members]) => {
        const expected = byHousehold.get(number)?.map((r) => r.citizenId) ?? [];
        return members.sort().join() !== expected.sort().join();
      });
      expect(partial.map(([number]) => number)).toEqual([]);
      const [households] = rowsOf<{ n: number }>(
        await handle.db.execute(sql`select count(*)::int as n from household`),
      );
      const [events] = rowsOf<{ n: number }>(
        await handle.db.execute(
          sql`select count(*)::int as n from register_event where type = 'household-import'`,
        ),
      );
      // Every household in the projection came with its ledger event, and only those.
      expect(households?.n).toBe(present.size);
      expect(events?.n).toBe(present.size);
      return present.size;
    };

    it(`SIGKILLs the import once households are committed; what is committed is whole`, async () => {
      const target = database!;
      let committed = 0;
      let attempts = 0;
      if (target.name === 'postgres') {
        // Poll the register while the import runs, and kill it once households are committed.
        const handle = await target.open();
        try {
          attempts++;
          importer = startHuji(['import', 'persons', file, '--json'], target.env);
          while (importer.isRunning() && (await countHouseholds(handle)) === 0) await sleep(10);
          expect(
            importer.isRunning(),
            `the import finished before it could be killed:\n${importer.output()}`,
          ).toBe(true);
          importer.child.kill('SIGKILL');
          expect((await importer.exited).signal).toBe('SIGKILL');
          committed = await countHouseholds(handle);
        } finally {
          await handle.close();
        }
      } else {
        // PGlite is one process's database: nothing can poll it while the import holds the directory. Kill
        // the import once it has used a budget of CPU time (unlike wall time, hardly stretched when the
        // machine is busy), count, and allow more if nothing was committed. Commits come one batch after
        // another, so a budget up to 1.4 × the first commit's still lands before the last one.
        for (let budget = 2; committed === 0; budget *= 1.4) {
          expect(budget, 'no household was committed before the kill, however long we waited').toBeLessThan(
            30,
          );
          attempts++;
          importer = startHuji(['import', 'persons', file, '--json'], target.env);
          const pid = importer.child.pid!;
          const started = Date.now();
          while (importer.isRunning() && (cpuSeconds(pid) ?? (Date.now() - started) / 1000) < budget)
            await sleep(20);
          expect(
            importer.isRunning(),
            `the import finished before it could be killed:\n${importer.output()}`,
          ).toBe(true);
          importer.child.kill('SIGKILL');
          expect((await importer.exited).signal).toBe('SIGKILL');
          const handle = await target.open();
          try {
            committed = await countHouseholds(handle);
          } finally {
            await handle.close();
          }
        }
      }
      expect(committed).toBeGreaterThan(0);
      expect(
        committed,
        'everything was committed before the kill: the file must span several commits',
      ).toBeLessThan(HOUSEHOLDS);
      const handle = await target.open();
      try {
        expect(await expectWholeHouseholds(handle)).toBe(committed);
      } finally {
        await handle.close();
      }
      console.log(
        `[${target.name}] killed the import with ${committed} of ${HOUSEHOLDS} households committed (run ${attempts})`,
      );
    }, 180_000);

    it('re-runs the import to completion without a reject', async () => {
      importer = startHuji(['import', 'persons', file, '--json'], database!.env);
      const exit = await importer.exited;
      expect(exit.code, importer.output()).toBe(0);
      // The reject file has its header line only.
      expect(readFileSync(`${file}.rejects.csv`, 'utf8').trim().split('\n')).toHaveLength(1);
    }, 180_000);

    it('holds every household and person of the file exactly once, each household whole', async () => {
      const handle = await database!.open();
      try {
        expect(await expectWholeHouseholds(handle)).toBe(HOUSEHOLDS);
        const contents = await registerContents(handle);
        expect(contents).toHaveLength(fileRows.length);
        const inRegister = new Map(contents.map((r) => [`${r.household_number}/${r.citizen_id}`, r]));
        const wrong = fileRows.filter((row) => {
          const r = inRegister.get(key(row));
          return r?.name !== row.name || r.relationship !== row.relationship;
        });
        expect(wrong.map(key)).toEqual([]);
        const [persons] = rowsOf<{ n: number; ids: number }>(
          await handle.db.execute(
            sql`select count(*)::int as n, count(distinct citizen_id)::int as ids from person`,
          ),
        );
        expect(persons).toEqual({ n: fileRows.length, ids: fileRows.length });
        // One import event per household of the file, none twice.
        const events = rowsOf<{ household_number: string; n: number }>(
          await handle.db.execute(sql`
          select h.household_number, count(*)::int as n
          from register_event e cross join unnest(e.household_ids) as x(id) join household h on h.id = x.id
          where e.type = 'household-import' group by 1`),
        );
        expect(events).toHaveLength(HOUSEHOLDS);
        expect(events.filter((e) => e.n !== 1 || !byHousehold.has(e.household_number))).toEqual([]);
        for (const county of COUNTIES)
          expect(await verifyCountyLedger(handle.db, county)).toEqual({
            isIntact: true,
            events: HOUSEHOLDS / 2,
          });
      } finally {
        await handle.close();
      }
    }, 180_000);
  },
);

/** CPU seconds a process has used (Linux /proc), or undefined where that cannot be read. */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
