/**
 * `huji import persons` never drops a row (issue 14): a malformed line — an unterminated or stray quote, a
 * byte the encoding does not allow, a NUL — is rejected on its own line with its household, every other
 * household is imported, the run exits 1, and the summary accounts for every line of the file (read =
 * imported + rejected + skipped). Imported persons' ids are random, not a hash of the citizen id, and a
 * re-run of the same file imports nothing twice.
 *
 * In process (`main` with a captured terminal) on each database kind; one spawned run checks the real
 * exit code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import { rowsOf } from '../../src/db/connection.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { encodeLegacy } from '../../src/standards/gb18030.js';
import { runHuji } from '../support/huji-cli.js';
import { spawnedDatabases, type SpawnedDatabase } from '../support/spawned.js';

const HEADER =
  'household_number,household_type,address,county_code,relationship,citizen_id,name,sex,birth_date';

interface Member {
  readonly number: string;
  readonly relationship: string;
  readonly citizenId: string;
  readonly name: string;
  readonly sex: '1' | '2';
  readonly birthDate: string;
}

/** Four households of a county (1, 2, 2 and 1 members), ids distinct per `seed`. */
function households(county: string, seed: number): Member[] {
  const person = (h: number, relationship: string, sex: '1' | '2', year: number, name: string): Member => {
    const birthDate = `${year}-0${1 + (seed % 9)}-1${h}`;
    return {
      number: `${county}0${String(seed).padStart(4, '0')}000${h}`,
      relationship,
      citizenId: composeCitizenId(county, birthDate, 100 + seed * 2 + (sex === '1' ? 1 : 2)),
      name,
      sex,
      birthDate,
    };
  };
  return [
    person(1, '02', '1', 1950, '周福生'),
    person(2, '02', '1', 1951, '郑工'),
    person(2, '12', '2', 1953, '吴桂英'),
    person(3, '02', '1', 1960, '钱江'),
    person(3, '20', '1', 1985, '钱立'),
    person(4, '02', '2', 1970, '王芳'),
  ];
}

const csvLine = (m: Member, name = m.name) =>
  `${m.number},家庭户,衢州市柯城区府山街道 ${m.number.slice(-1)} 号,${m.number.slice(0, 6)},${m.relationship},${m.citizenId},${name},${m.sex},${m.birthDate}`;

const fileText = (members: readonly Member[], name: (m: Member, i: number) => string = (m) => m.name) =>
  `${[HEADER, ...members.map((m, i) => csvLine(m, name(m, i)))].join('\n')}\n`;

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), locale: 'zh-CN' };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

const rejectsOf = (file: string) =>
  readFileSync(`${file}.rejects.csv`, 'utf8').trimEnd().split('\n').slice(1);

/** The old derivation of imported ids: SHA-256 of `huji:person:<citizen id>` shaped as a UUID. */
const oldPersonId = (citizenId: string) => {
  const h = createHash('sha256').update(`huji:person:${citizenId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}`;
};

describe.each(spawnedDatabases())('import persons never drops a row, on $name', ({ create }) => {
  let database: SpawnedDatabase;
  const saved = { ...process.env };
  beforeAll(async () => {
    database = await create();
    Object.assign(process.env, database.env, { HUJI_DEMO_DATA: 'false' });
  });
  afterAll(async () => {
    process.env = saved;
    await database?.dispose();
  });

  const personsOf = async (citizenIds: readonly string[]) => {
    const handle = await database.open();
    try {
      return rowsOf<{ id: string; citizen_id: string }>(
        await handle.db.execute(
          sql`select id, citizen_id from person where citizen_id = any(${`{${citizenIds.join(',')}}`}::bpchar[])`,
        ),
      );
    } finally {
      await handle.close();
    }
  };

  it('rejects a household whose name holds an unterminated quote, imports the others, exits 1, and counts every line', async () => {
    const members = households('330802', 1);
    const file = join(database.workDir, 'quote.csv');
    // The 2nd household's second member (file line 4): "吴桂英 opens a quote that never closes.
    writeFileSync(
      file,
      fileText(members, (m, i) => (i === 2 ? `"${m.name}` : m.name)),
    );
    const r = await run(['import', 'persons', file, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      rows: 6,
      households: 4,
      imported: 3,
      rejectedHouseholds: 1,
      rejectedRows: 2,
      lines: 7,
      importedLines: 4,
      rejectedLines: 2,
      skippedLines: 1,
    });
    const rejects = rejectsOf(file);
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatch(
      /^3,330802000010002,.*,HUJI_IMPORT_RETURNED_WITH_HOUSEHOLD,随户退回：本行无误，同户第 4 行有误/,
    );
    expect(rejects[1]).toMatch(
      /^4,330802000010002,.*,name,HUJI_IMPORT_CSV_UNTERMINATED_QUOTE,第 7 列（姓名）的引号没有闭合/,
    );
    const stored = await personsOf(members.map((m) => m.citizenId));
    expect(stored.map((p) => p.citizen_id).sort()).toEqual(
      [0, 3, 4, 5].map((i) => members[i]!.citizenId).sort(),
    );
    // The human summary says it too: read = imported + rejected + skipped.
    const again = await run(['import', 'persons', file]);
    expect(again.stdout).toContain('读取 7 行（utf-8）：导入 0 行，拒收 2 行');
    expect(again.stdout).toContain('跳过 5 行（表头、空行、已导入过的户）');
  }, 240_000);

  it('rejects only the household of a bad byte, in a UTF-8 and in a GBK file, naming its line', async () => {
    for (const [encoding, seed] of [
      ['utf-8', 2],
      ['gbk', 3],
    ] as const) {
      const members = households('330803', seed);
      const encode = (text: string) =>
        encoding === 'utf-8' ? Buffer.from(text, 'utf8') : encodeLegacy(text, 'gbk');
      const text = fileText(members, (m, i) => (i === 5 ? `${m.name}\u0001` : m.name));
      // The 4th household's name (file line 7) gets a byte the encoding does not allow in place of \u0001.
      const [before, after] = text.split('\u0001') as [string, string];
      const file = join(database.workDir, `byte-${encoding}.csv`);
      writeFileSync(file, Buffer.concat([encode(before), Buffer.from([0xff]), encode(after)]));
      const r = await run(['import', 'persons', file, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        encoding: encoding === 'utf-8' ? 'utf-8' : 'gb18030',
        imported: 3,
        rejectedHouseholds: 1,
        rejectedRows: 1,
        lines: 7,
        importedLines: 5,
        rejectedLines: 1,
        skippedLines: 1,
      });
      expect(rejectsOf(file)).toEqual([
        expect.stringMatching(
          /^7,330803\d{5}0004,.*,,HUJI_IMPORT_CSV_ENCODING,本行第 \d+ 个字节附近不是有效的 (UTF-8|GB18030) 编码/,
        ),
      ]);
      // The names of the other households are read right (no mojibake).
      const stored = await personsOf([members[3]!.citizenId]);
      expect(stored).toHaveLength(1);
      const handle = await database.open();
      try {
        const [row] = rowsOf<{ name: string }>(
          await handle.db.execute(sql`select name from person where citizen_id = ${members[3]!.citizenId}`),
        );
        expect(row?.name).toBe('钱江');
      } finally {
        await handle.close();
      }
    }
  }, 240_000);

  it('rejects a name holding a NUL as a row, not a database error', async () => {
    const members = households('330802', 4);
    const file = join(database.workDir, 'nul.csv');
    writeFileSync(
      file,
      fileText(members, (m, i) => (i === 0 ? `周\0福生` : m.name)),
    );
    const r = await run(['import', 'persons', file, '--json']);
    expect(r.stderr).not.toMatch(/0x00|invalid byte sequence|22021/);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 3, rejectedHouseholds: 1, rejectedRows: 1 });
    expect(rejectsOf(file)).toEqual([
      expect.stringMatching(/^2,.*,name,HUJI_IMPORT_CSV_NUL,第 7 列（姓名）含有 NUL 字符/),
    ]);
  }, 240_000);

  it('rejects a name holding a bidi or zero-width character with the name rule, naming line and column', async () => {
    const members = households('330802', 6);
    const file = join(database.workDir, 'bidi.csv');
    writeFileSync(
      file,
      fileText(members, (m, i) => (i === 5 ? `王\u202E芳` : i === 3 ? `钱\u200B江` : m.name)),
    );
    const r = await run(['import', 'persons', file, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: 2, rejectedHouseholds: 2, rejectedRows: 3 });
    const rejects = rejectsOf(file);
    // Line 5 (钱江, household 3) and line 7 (王芳, household 4): the name column and the character named.
    expect(rejects).toContainEqual(
      expect.stringMatching(/^5,.*,name,HUJI_NAME_CHARACTER,姓名第 2 个字符 U\+200B 是不可见字符/),
    );
    expect(rejects).toContainEqual(
      expect.stringMatching(/^7,.*,name,HUJI_NAME_CHARACTER,姓名第 2 个字符 U\+202E 是文字方向控制字符/),
    );
    expect(rejects.join('\n')).not.toContain('HUJI_IMPORT_FIELD_INVALID');
  }, 240_000);

  it('gives imported persons random ids, not a hash of the citizen id, and a re-run duplicates nothing', async () => {
    const members = households('330803', 5);
    const file = join(database.workDir, 'ids.csv');
    writeFileSync(file, fileText(members));
    const first = await run(['import', 'persons', file, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ imported: 4, lines: 7, importedLines: 6 });
    const second = await run(['import', 'persons', file, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      imported: 0,
      alreadyImported: 4,
      lines: 7,
      skippedLines: 7,
    });
    const stored = await personsOf(members.map((m) => m.citizenId));
    expect(stored).toHaveLength(members.length);
    for (const p of stored) {
      const citizenId = p.citizen_id.trim();
      expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(p.id.startsWith(oldPersonId(citizenId))).toBe(false);
      expect(p.id.replaceAll('-', '')).not.toContain(
        createHash('sha256').update(citizenId).digest('hex').slice(0, 12),
      );
    }
  }, 240_000);
});

describe('import persons, spawned', () => {
  let database: SpawnedDatabase;
  beforeAll(async () => {
    database = await spawnedDatabases()[0]!.create();
  });
  afterAll(async () => database?.dispose());

  it('exits 1, not 0, when a malformed row is rejected', async () => {
    const members = households('330802', 6);
    const file = join(database.workDir, 'spawned.csv');
    writeFileSync(
      file,
      fileText(members, (m, i) => (i === 3 ? `"${m.name}` : m.name)),
    );
    const r = await runHuji(['import', 'persons', file, '--lang', 'en'], {
      ...database.env,
      HUJI_DEMO_DATA: 'false',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('7 lines read (utf-8): 4 imported, 2 rejected');
    expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toContain('5,330802000060003,');
  }, 240_000);
});
