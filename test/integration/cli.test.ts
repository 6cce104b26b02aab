/**
 * The `huji` command as a user runs it: its output and its exit code (0 success, 1 a domain "no" or
 * failure, 2 bad usage). Most commands run in process (`runHujiInProcess`: `main` as `bin/huji.js` runs
 * it, without a Node start-up each); the exit codes 0, 1 and 2 and `serve` (refusals, HTTP, SIGTERM)
 * are checked on real processes (`runHuji`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';
import { knownMigrations } from '../../src/db/migrate.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { runHuji, runHujiInProcess } from '../support/huji-cli.js';

const BIN = new URL('../../bin/huji.js', import.meta.url).pathname;

/** Node decodes GB18030 but cannot encode it: iconv (glibc) writes the legacy file. */
class TextEncoderGbk {
  encode(text: string): Buffer {
    return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
  }
}

const huji = runHujiInProcess;

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'huji-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('huji id', () => {
  it('check: a valid number exits 0 and describes the holder (a real process)', async () => {
    const r = await runHuji(['id', 'check', '11010519491231002X']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('有效');
    expect(r.stdout).toContain('1949-12-31');
  });

  it('check: an invalid number exits 1 with the reason, in English with --lang en (a real process)', async () => {
    const r = await runHuji(['id', 'check', '110105194912310021', '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Check character mismatch');
    expect(r.stdout).toContain('HUJI_ID_CHECKSUM');
  });

  it('check --json prints one JSON document', async () => {
    const r = await huji(['id', 'check', '110105194912310021', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ isValid: false, problems: [{ code: 'HUJI_ID_CHECKSUM' }] });
  });

  it('upgrade: 15 → 18 digits', async () => {
    const r = await huji(['id', 'upgrade', '330821850101123', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ isUpgraded: true, citizenId: '330821198501011233' });
  });

  it('bad usage exits 2: a missing argument, an unknown option, a malformed option value', async () => {
    expect((await runHuji(['id', 'check'])).code).toBe(2);
    expect((await huji(['id', 'check', '1', '--bogus'])).code).toBe(2);
    const badDate = await huji(['id', 'upgrade', '330821850101123', '--birth-date', '1985-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('HUJI_ID_DATE_IMPOSSIBLE');
  });

  it('--help exits 0 on every command', async () => {
    for (const args of [
      ['--help'],
      ['id', 'check', '--help'],
      ['divisions', 'search', '--help'],
      ['db', 'migrate', '--help'],
      ['serve', '--help'],
    ]) {
      const r = await huji(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Usage:');
    }
  });
});

describe('huji divisions', () => {
  it('show: a city with its counties tagged by kind', async () => {
    const r = await huji(['divisions', 'show', '6201', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.division.name).toBe('兰州市');
    expect(doc.children.find((c: { code: string }) => c.code === '620171')).toMatchObject({
      isStatisticalUnit: true,
    });
  });

  it('show: an unknown code exits 1, a malformed one exits 2', async () => {
    expect((await huji(['divisions', 'show', '990101'])).code).toBe(1);
    const malformed = await huji(['divisions', 'show', '33080']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('HUJI_DIVISION_CODE_FORMAT');
  });

  it('search: finds 衢县 by its former name', async () => {
    const r = await huji(['divisions', 'search', '衢县']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('330821');
    expect(r.stdout).toContain('已撤销');
  });
});

describe('huji db migrate and serve', () => {
  it('migrates an embedded database directory and is idempotent', async () => {
    const dir = tempDir();
    const first = await huji(['db', 'migrate', '--json'], { HUJI_DATA_DIR: dir });
    expect(first.code).toBe(0);
    const known = knownMigrations().length;
    expect(JSON.parse(first.stdout).log.join('\n')).toContain(
      `${known} migration(s) applied, ${known} known`,
    );
    const again = await huji(['db', 'migrate'], { HUJI_DATA_DIR: dir });
    expect(again.stdout).toContain('0 migration(s) applied');
  });

  it('an unreachable PostgreSQL gives one clear line saying what to set', async () => {
    const r = await huji(['db', 'migrate', '--lang', 'en'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/huji',
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Cannot reach PostgreSQL at 127.0.0.1:1/huji');
    expect(lines[0]).toContain('Set DATABASE_URL');
  });

  it('a malformed DATABASE_URL is a usage error naming the variable', async () => {
    const r = await huji(['db', 'migrate'], { DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DATABASE_URL');
  });

  it('serve with an unreadable HUJI_CJK_FONT stops before opening the database, with one line naming it', async () => {
    const dir = tempDir();
    const r = await runHuji(['serve', '--port', '0', '--lang', 'en'], {
      HUJI_DATA_DIR: dir,
      HUJI_CJK_FONT: join(dir, 'no-such-font.otf'),
    });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('HUJI_CJK_FONT');
    expect(lines[0]).toContain('no-such-font.otf (ENOENT)');
    // Refused before the database: nothing was created in the data directory.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('serve refuses a HUJI_CJK_FONT that is not a font', async () => {
    const dir = tempDir();
    const notAFont = join(dir, 'font.otf');
    writeFileSync(notAFont, 'this is not a font');
    const r = await runHuji(['serve', '--port', '0', '--lang', 'en'], {
      HUJI_DATA_DIR: join(dir, 'data'),
      HUJI_CJK_FONT: notAFont,
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HUJI_CJK_FONT.*is not a font pdfkit can embed/);
  });

  it('serve refuses a database whose schema is newer than it knows', async () => {
    const dir = tempDir();
    expect((await huji(['db', 'migrate'], { HUJI_DATA_DIR: dir })).code).toBe(0);
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    await handle.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', ${Date.now() + 1e10})`,
    );
    await handle.close();
    const r = await runHuji(['serve', '--port', '0', '--lang', 'en'], { HUJI_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HUJI_SCHEMA_TOO_NEW');
  });

  it('serve answers real HTTP on the embedded database with demo data, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      env: { ...process.env, DATABASE_URL: '', HUJI_DATA_DIR: dir, LOG_LEVEL: 'warn' },
    });
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`server exited: ${output}`)));
    });
    expect(output).toContain('demo data loaded');
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { isReachable: true } });
    const check = await fetch(`${url}/api/v1/citizen-ids/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ citizenId: '440524188001010014' }),
    });
    expect(await check.json()).toMatchObject({ isValid: true });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('huji policy', () => {
  const renter = {
    place: { countyCode: '330802' },
    person: { age: 30, sex: 'male' },
    hukou: { scope: 'same-county' },
    residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 8, hasResidenceProof: true },
  };
  const factsFile = (facts: unknown) => {
    const file = join(tempDir(), 'facts.json');
    writeFileSync(file, JSON.stringify(facts));
    return file;
  };

  it('list --json gives every version with its ref', async () => {
    const r = await huji(['policy', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.map((i: { ref: string }) => i.ref)).toContain('quzhou-2017-final@3');
  });

  it('check: a "no" exits 1 and says what would change it, citing the article', async () => {
    const r = await huji([
      'policy',
      'check',
      '--policy',
      'quzhou-2017-final',
      factsFile(renter),
      '--lang',
      'en',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'lease term ≥ 12 months instead of 8 months [qz-draft/2.1.6 · draft clause, stands]',
    );
    // The draft clause cited under the final version says why it is cited.
    expect(r.stdout).toContain(
      '(a clause of the draft: the final version is silent here, so the draft clause stands)',
    );
    expect(r.stdout).toContain('一年以上租赁合同');
  });

  it('check: a "yes" exits 0', async () => {
    const r = await huji([
      'policy',
      'check',
      '--policy',
      'quzhou-2017-final',
      factsFile({ ...renter, residence: { ...renter.residence, leaseMonths: 12 } }),
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).decisions[0]).toMatchObject({ outcome: 'eligible', pathway: 'intra-county' });
  });

  it('check: the exit code follows the first programme (or the one named), not any eligible one', async () => {
    // Counted urban (lz/2.9) but no residence permit (lz/2.7): a "no" to the programme asked about.
    const reclassified = factsFile({
      place: { countyCode: '620102' },
      person: { age: 40, sex: 'male' },
      urbanStatus: {
        isReclassified: true,
        livesWorksOrStudiesInTown: true,
        isEmployedInTown: true,
        hasUrbanServices: true,
      },
    });
    const all = await huji(['policy', 'check', '--policy', 'lanzhou-2017', reclassified, '--json']);
    expect(all.code).toBe(1);
    const outcomes = Object.fromEntries(
      JSON.parse(all.stdout).decisions.map((d: { programme: { id: string }; outcome: string }) => [
        d.programme.id,
        d.outcome,
      ]),
    );
    expect(outcomes).toMatchObject({
      'residence-permit': 'not_eligible',
      'urban-classification': 'eligible',
    });
    const named = await huji([
      'policy',
      'check',
      '--policy',
      'lanzhou-2017',
      reclassified,
      '--programme',
      'urban-classification',
    ]);
    expect(named.code).toBe(0);
  });

  it('check: bad facts and unknown policies are usage errors naming the field or the known ids', async () => {
    const bad = await huji([
      'policy',
      'check',
      '--policy',
      'quzhou-2017-final',
      factsFile({ ...renter, person: { age: 'old' } }),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('person.age');
    const unknown = await huji(['policy', 'check', '--policy', 'nope', factsFile(renter), '--lang', 'en']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('quzhou-2017-final');
  });

  it('schema --json prints the JSON Schema of the facts', async () => {
    const r = await huji(['policy', 'schema', '--json']);
    expect(JSON.parse(r.stdout).properties.residence.properties.leaseMonths).toBeDefined();
  });

  it('diff says what the final loosened', async () => {
    const r = await huji(['policy', 'diff', 'quzhou-2017-draft', 'quzhou-2017-final', '--lang', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[loosened] Talents (qz-draft/2.1.3 → qz-final/2)');
    expect(r.stdout).toContain('limit removed');
  });

  it('simulate compares two versions over a synthetic population and explains who changes', async () => {
    const r = await huji([
      'policy',
      'simulate',
      '--policy',
      'quzhou-2017-final',
      '--compare',
      'quzhou-2017-draft',
      '--population',
      'synthetic:quzhou:5000:3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.persons).toBe(5000);
    expect(Object.keys(report.counties)).toHaveLength(6);
    expect(report.comparison.changed).toBeGreaterThan(0);
    expect(report.comparison.reasons[0]).toMatchObject({
      pathway: 'talent',
      from: 'not_eligible',
      to: 'eligible',
    });
  });

  it('seed writes a reproducible facts CSV that simulate reads, reporting bad rows by line', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    expect(
      (await huji(['seed', '--city', 'lanzhou', '--persons', '300', '--seed', '9', '--facts-csv', a])).code,
    ).toBe(0);
    await huji(['seed', '--city', 'lanzhou', '--persons', '300', '--seed', '9', '--facts-csv', b]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    lines[3] = (lines[3] ?? '').replace(/^620\d{3},\d+/, '620102,-4');
    writeFileSync(a, `${lines.join('\n')}\n`);
    const r = await huji([
      'policy',
      'simulate',
      '--policy',
      'lanzhou-2017',
      '--population',
      a,
      '--lang',
      'en',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('persons: 299');
    expect(r.stderr).toContain(':4: person.age');
  });
});

describe('huji seed, register, household, duplicates, import', () => {
  it('seeds a register into the embedded database and finds its seeded duplicates', async () => {
    const dir = tempDir();
    const env = { HUJI_DATA_DIR: dir };
    const seeded = await huji(
      ['seed', '--city', 'quzhou', '--persons', '400', '--seed', '5', '--duplicates', '0.03', '--json'],
      env,
    );
    expect(seeded.code).toBe(0);
    const report = JSON.parse(seeded.stdout);
    expect(report.imported).toBeGreaterThan(100);
    // The tables agree with a replay of the ledger; a name edited behind its back is found and repaired.
    const rebuilt = await huji(['register', 'rebuild', '--json'], env);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({
      differences: 0,
      persons: report.persons - report.rejectedPersons,
    });
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    await handle.db.execute(
      sql`update person set name = '篡改' where id = (select id from person order by id limit 1)`,
    );
    await handle.close();
    const drift = await huji(['register', 'rebuild'], env);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(
      /person [0-9a-f-]{36}: 字段不同：name\n不一致 1 处（人员 1、户 0、户成员 0）；用 --repair 修复/,
    );
    expect((await huji(['register', 'rebuild', '--repair', '--lang', 'en'], env)).stdout).toContain(
      '1 differences (person 1, household 0, membership 0), 1 repaired',
    );
    expect((await huji(['register', 'rebuild'], env)).stdout).toContain('各表与登记链一致');
    const dup = await huji(['duplicates', '--json'], env);
    expect(dup.code).toBe(0);
    expect(JSON.parse(dup.stdout).pairs.length).toBeGreaterThan(0);
    // The register is a population for simulate: every registered person, the facts it holds named.
    const sim = await huji(
      [
        'policy',
        'simulate',
        '--policy',
        'quzhou-2017-final',
        '--population',
        'db:3308',
        '--json',
        '--lang',
        'en',
      ],
      env,
    );
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.stdout).persons).toBe(report.persons - report.rejectedPersons);
    expect(sim.stderr).toContain('facts from the register are place.countyCode; person.age');
  }, 240_000);

  it('imports a GBK file, shows the household as of a date, and re-runs without duplicating', async () => {
    const dir = tempDir();
    const env = { HUJI_DATA_DIR: dir };
    const head = composeCitizenId('330802', '1960-01-02', 11);
    const utf8 = [
      '户号,户类型,住址,县级区划代码,与户主关系,公民身份号码,姓名,性别,出生日期,民族,户口性质,户口性质起始日期,户口性质终止日期,入户日期',
      `330802000300001,家庭户,衢州市柯城区新新街道 1 号,330802,户主,${head},王建国,男,1960-01-02,汉族,农业家庭户口,1960-01-02,2017-06-30,1960-01-02`,
      `330802000300001,家庭户,衢州市柯城区新新街道 1 号,330802,妻,${composeCitizenId('330802', '1962-03-04', 22)},李秀英,女,1962-03-04,汉族,农业家庭户口,1962-03-04,2017-06-30,1985-05-01`,
      `330802000300002,家庭户,衢州市柯城区新新街道 2 号,330802,户主,${head.slice(0, 17)}${head[17] === '0' ? '1' : '0'},错号码,男,1960-01-02,汉族,,,,`,
    ].join('\n');
    const file = join(dir, 'gbk.csv');
    writeFileSync(file, new TextEncoderGbk().encode(`${utf8}\n`));
    const first = await huji(['import', 'persons', file, '--json'], env);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({
      encoding: 'gb18030',
      imported: 1,
      rejectedHouseholds: 1,
    });
    expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toMatch(
      /^4,330802000300002,.*,citizenId,"?HUJI_ID_CHECKSUM/m,
    );
    const again = await huji(['import', 'persons', file, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, alreadyImported: 1 });
    const before = await huji(['household', 'show', '330802000300001', '--at', '1980-01-01', '--json'], env);
    expect(JSON.parse(before.stdout).members.map((m: { person: { name: string } }) => m.person.name)).toEqual(
      ['王建国'],
    );
    const exported = join(dir, 'export.csv');
    expect((await huji(['export', '--full-id', '--out', exported], env)).code).toBe(0);
    const roundTrip = await huji(['import', 'persons', exported, '--json'], { HUJI_DATA_DIR: tempDir() });
    expect(JSON.parse(roundTrip.stdout)).toMatchObject({
      encoding: 'utf-8',
      imported: 1,
      rejectedHouseholds: 0,
      rows: 2,
    });
    const person = await huji(['register', 'show', head], env);
    expect(person.stdout).toContain('王建国');
    expect(person.stdout).toContain('历史数据导入');
  }, 240_000); // eight huji processes, each opening the embedded database

  it('exports GBK and GB 18030 byte for byte as iconv writes them, and names the row and column GBK cannot hold', async () => {
    const dir = tempDir();
    const env = { HUJI_DATA_DIR: dir };
    const head = composeCitizenId('330802', '1970-05-06', 31);
    const rare = composeCitizenId('330802', '1995-07-08', 42);
    const file = join(dir, 'rare.csv');
    writeFileSync(
      file,
      [
        'household_number,address,county_code,relationship,citizen_id,name,sex,birth_date',
        `330802000400001,衢州市柯城区府山街道 3 号,330802,02,${head},吉建华,1,1970-05-06`,
        `330802000400001,衢州市柯城区府山街道 3 号,330802,20,${rare},吉𠮷,2,1995-07-08`,
        '',
      ].join('\n'),
    );
    expect((await huji(['import', 'persons', file], env)).code).toBe(0);
    const utf8 = join(dir, 'utf8.csv');
    expect((await huji(['export', '--full-id', '--out', utf8], env)).code).toBe(0);
    // GBK has no 𠮷: the export is refused up front with the row, column and character (a data problem,
    // exit 1), and leaves no file behind.
    const gbk = join(dir, 'gbk.csv');
    const refused = await huji(
      ['export', '--full-id', '--encoding', 'gbk', '--out', gbk, '--lang', 'en'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('row 3, column name: "𠮷"');
    expect(refused.stderr).toContain('--encoding gb18030');
    expect(() => readFileSync(gbk)).toThrow();
    expect(() => readFileSync(`${gbk}.partial`)).toThrow();
    // GB 18030 holds every character: the bytes equal glibc iconv's conversion of the UTF-8 export.
    const gb18030 = join(dir, 'gb18030.csv');
    expect((await huji(['export', '--full-id', '--encoding', 'gb18030', '--out', gb18030], env)).code).toBe(
      0,
    );
    const expected = new TextEncoderGbk().encode(readFileSync(utf8, 'utf8').replace(/^\uFEFF/, ''));
    expect(readFileSync(gb18030).equals(expected)).toBe(true);
    // And it imports back, sniffed as GB 18030, with the rare character intact.
    const fresh = { HUJI_DATA_DIR: tempDir() };
    const back = await huji(['import', 'persons', gb18030, '--json'], fresh);
    expect(JSON.parse(back.stdout)).toMatchObject({ encoding: 'gb18030', imported: 1, rows: 2 });
    expect((await huji(['register', 'show', rare], fresh)).stdout).toContain('吉𠮷');
  }, 240_000); // seven huji processes, each opening the embedded database
});
