/**
 * `huji import persons`, `export`, `register show` and `household show` in process (main with a captured terminal) on an embedded
 * database directory: legacy 农业 / 非农业 values accepted and kept as history, a refused household's
 * every row in the rejects file (the good ones as returned with their household) with reasons in the
 * chosen language, and a GBK export of a name GBK cannot hold refused up front as a data problem (exit 1).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/output.js';
import type { Locale } from '../../src/errors/codes.js';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { reconstructCitizenId } from '../../src/standards/testing/reconstruct-citizen-id.js';

const run = async (args: string[], locale: Locale = 'zh-CN') => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), locale };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

const HEADER =
  '户号,户类型,住址,县级区划代码,与户主关系,公民身份号码,姓名,性别,出生日期,民族,户口性质,户口性质起始日期,户口性质终止日期';

describe('huji import persons and export, in process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-cli-import-'));
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.DATABASE_URL = '';
    process.env.HUJI_DATA_DIR = join(dir, 'data');
    process.env.HUJI_DEMO_DATA = 'false';
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  const head = composeCitizenId('330802', '1950-01-02', 511);
  const wife = composeCitizenId('330802', '1952-03-04', 522);
  const son = composeCitizenId('330802', '1976-05-06', 533);
  const collectiveMember = composeCitizenId('330803', '1980-07-08', 545);
  const rare = composeCitizenId('330803', '1999-09-09', 556);
  const badCheck = `${son.slice(0, 17)}${son[17] === '0' ? '1' : '0'}`;

  it('accepts 农业 / 非农业, and returns a refused household whole with reasons that say what is accepted', async () => {
    const file = join(dir, 'legacy.csv');
    writeFileSync(
      file,
      [
        HEADER,
        `330802000510001,家庭户,衢州市柯城区府山街道 1 号,330802,户主,${head},周福生,男,1950-01-02,汉族,农业,1950-01-02,2017-06-30`,
        `330802000510001,家庭户,衢州市柯城区府山街道 1 号,330802,妻,${wife},吴桂英,女,1952-03-04,汉族,农业,1952-03-04,2017-06-30`,
        `330802000510002,家庭户,衢州市柯城区府山街道 2 号,330802,户主,${wife.slice(0, 6)}197605065330,周立,男,1976-05-06,汉族,城镇,,`,
        `330802000510003,家庭户,衢州市柯城区府山街道 3 号,330802,户主,${composeCitizenId('330802', '1970-01-01', 571)},周强,男,1970-01-01,汉族,非农业,1970-01-01,2017-06-30`,
        `330802000510003,家庭户,衢州市柯城区府山街道 3 号,330802,子,${badCheck},周小强,男,1976-05-06,汉族,非农业,,`,
        `330803000510001,集体户,衢州市衢江区樟潭街道 5 号,330803,99,${collectiveMember},郑工,男,1980-07-08,汉族,非农业,1998-09-01,2017-06-30`,
        `330803000510001,集体户,衢州市衢江区樟潭街道 5 号,330803,99,${rare},吉𠮷,女,1999-09-09,汉族,,,`,
        '',
      ].join('\n'),
    );
    const imported = await run(['import', 'persons', file, '--json']);
    expect(imported.code).toBe(1);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      imported: 2,
      rejectedHouseholds: 2,
      rejectedRows: 3,
    });
    const rejects = readFileSync(`${file}.rejects.csv`, 'utf8').trimEnd().split('\n');
    expect(rejects[0]).toBe('line,household_number,citizen_id,field,code,reason');
    // 城镇 is no legacy nature: the reason lists what is.
    expect(rejects).toContainEqual(
      expect.stringMatching(
        /^4,330802000510002,.*,legacyHukouNature,HUJI_IMPORT_VALUE_NOT_ACCEPTED,户口性质“城镇”无法识别；可填：1 非农业家庭户口、.*“农业”“非农业”/,
      ),
    );
    // Household …003: its good head is returned with it, its bad son says why, in Chinese.
    expect(rejects).toContainEqual(
      expect.stringMatching(
        /^5,330802000510003,.*,,HUJI_IMPORT_RETURNED_WITH_HOUSEHOLD,随户退回：本行无误，同户第 6 行有误/,
      ),
    );
    expect(rejects).toContainEqual(
      expect.stringMatching(
        /^6,330802000510003,.*,citizenId,HUJI_ID_CHECKSUM,校验码不符：按 GB 11643 的 MOD 11-2 计算应为/,
      ),
    );
    expect(rejects.join('\n')).not.toContain('{"expected"');
    // The legacy nature is kept as history, family or collective by the household type; its start, the
    // birth date, is shown as year and month without --full-id (ADR 0021).
    const shown = await run(['register', 'show', head, '--json', '--full-id']);
    expect(JSON.parse(shown.stdout).person.legacyHukouNature).toEqual([
      { type: '2', from: '1950-01-02', to: '2017-06-30' },
    ]);
    const masked = await run(['register', 'show', head, '--json']);
    expect(JSON.parse(masked.stdout).person.legacyHukouNature).toEqual([
      { type: '2', from: '1950-01', to: '2017-06-30' },
    ]);
    const collective = await run(['register', 'show', collectiveMember, '--json']);
    expect(JSON.parse(collective.stdout).person.legacyHukouNature[0].type).toBe('3');
  }, 120_000);

  it('without --full-id, register show, household show and export leave every person at least 1,000 possible ids (ADR 0021)', async () => {
    const out = join(dir, 'masked.csv');
    const texts: string[] = [];
    for (const args of [
      ['register', 'show', head],
      ['register', 'show', head, '--json'],
      ['register', 'show', wife, '--json'],
      ['household', 'show', '330802000510001'],
      ['household', 'show', '330802000510001', '--json'],
      ['export', '--encoding', 'gb18030', '--out', out],
    ]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      texts.push(r.stdout, r.stderr);
    }
    texts.push(new TextDecoder('gb18030').decode(readFileSync(out)));
    const seen = texts.join('\n');
    expect(seen).toContain('330802************');
    for (const id of [head, wife, collectiveMember, rare]) {
      const found = reconstructCitizenId(seen, id);
      expect(found.candidates, `${id}: birth ${found.birthKnown}`).toBeGreaterThanOrEqual(1000);
    }
    // The same commands with --full-id do give the ids (the attacker would find them).
    const full = await run(['household', 'show', '330802000510001', '--json']);
    expect(reconstructCitizenId(full.stdout, head).candidates).toBeGreaterThan(1);
    const fullExport = await run(['export', '--encoding', 'gb18030', '--full-id', '--out', out]);
    expect(fullExport.code).toBe(0);
    expect(reconstructCitizenId(new TextDecoder('gb18030').decode(readFileSync(out)), head).candidates).toBe(
      1,
    );
  }, 120_000);

  it('writes the rejects file in English with --lang en', async () => {
    const file = join(dir, 'legacy-en.csv');
    writeFileSync(
      file,
      `${HEADER}\n330802000520001,家庭户,衢州市柯城区府山街道 9 号,330802,老伴,${composeCitizenId('330802', '1960-01-01', 581)},钱江,男,1960-01-01,汉族,,,\n`,
    );
    const r = await run(['import', 'persons', file, '--lang', 'en'], 'en');
    expect(r.code).toBe(1);
    expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toContain(
      // CSV doubles the quotes inside a quoted field.
      'relationship ""老伴"" is not recognised; accepted: a GB/T 4761 code or its Chinese name',
    );
  }, 120_000);

  it('prints Chinese words for stored values in Chinese output (状态: 正常, not active)', async () => {
    const shown = await run(['register', 'show', head]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('状态: 正常');
    expect(shown.stdout).not.toMatch(/\bactive\b/);
    const household = await run(['household', 'show', '330802000510001']);
    expect(household.stdout).toMatch(/，正常\)/);
    expect(household.stdout).not.toMatch(/\bactive\b/);
  }, 60_000);

  it('refuses to open the directory the server holds, naming its pid and what to do', async () => {
    const lock = join(dir, 'data', '.huji.lock');
    // The parent process stands in for a running `npm start`: alive, and not this process.
    writeFileSync(lock, String(process.ppid));
    try {
      const zh = await run(['register', 'show', head]);
      expect(zh.code).toBe(1);
      expect(zh.stderr).toContain(`正被进程 ${process.ppid}（npm start 或 huji serve）使用`);
      expect(zh.stderr).toContain(`Ctrl+C，或 kill ${process.ppid}`);
      const en = await run(['household', 'show', '330802000510001', '--lang', 'en'], 'en');
      expect(en.stderr).toContain(`in use by process ${process.ppid} (npm start or huji serve)`);
      expect(en.stderr).toContain('use the web console or the HTTP API');
    } finally {
      rmSync(lock, { force: true });
    }
  }, 60_000);

  it('refuses a GBK export up front, naming every row and character GBK cannot hold (exit 1)', async () => {
    const out = join(dir, 'gbk.csv');
    const refused = await run(
      ['export', '--encoding', 'gbk', '--full-id', '--out', out, '--lang', 'en'],
      'en',
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HUJI_EXPORT_UNENCODABLE');
    expect(refused.stderr).toMatch(/row \d+, column name: "𠮷" \(吉𠮷\)/);
    expect(refused.stderr).toContain('--encoding gb18030');
    expect(() => readFileSync(out)).toThrow();
    const zh = await run(['export', '--encoding', 'gbk', '--out', out]);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toMatch(/第 \d+ 行“姓名”列的“𠮷”（吉𠮷）/);
    const gb18030 = await run(['export', '--encoding', 'gb18030', '--out', out]);
    expect(gb18030.code).toBe(0);
    expect(readFileSync(out).length).toBeGreaterThan(0);
  }, 120_000);
});

describe('huji policy and seed output, in process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huji-cli-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seed --facts-csv says what it wrote: rows and path', async () => {
    const file = join(dir, 'people.csv');
    const r = await run(['seed', '--city', 'lanzhou', '--persons', '50', '--facts-csv', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(51);
    expect(r.stderr).toContain(`已写出 50 人的政策事实（50 行，lanzhou，种子 1）到 ${file}`);
  });

  it('simulate in Chinese names outcomes in Chinese (不符合条件 → 符合条件), never not_eligible', async () => {
    const r = await run([
      'policy',
      'simulate',
      '--policy',
      'quzhou-2017-final',
      '--compare',
      'quzhou-2017-draft',
      '--population',
      'synthetic:quzhou:3000:3',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('不符合条件 → 符合条件');
    expect(r.stdout).not.toMatch(/not_eligible|needs_approval|\beligible\b/);
    expect(r.stdout).toMatch(/^衢州市.*· 落户 对比 quzhou-2017-draft@3$/m);
  }, 60_000);

  it('policy check in Chinese marks a draft clause cited under the final version and says why', async () => {
    const facts = join(dir, 'facts.json');
    writeFileSync(
      facts,
      JSON.stringify({
        place: { countyCode: '330802' },
        person: { age: 30, sex: 'male' },
        hukou: { scope: 'same-county' },
        residence: {
          type: 'private-rental',
          townType: 'county-seat',
          leaseMonths: 8,
          hasResidenceProof: true,
        },
      }),
    );
    const r = await run(['policy', 'check', '--policy', 'quzhou-2017-final', facts]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[qz-draft/2.1.6 · 沿用送审稿]');
    expect(r.stdout).toMatch(/qz-draft\/2\.1\.6 「.*」\n {4}（送审稿条款：终稿对此未作规定，本条继续适用）/);
    expect(r.stdout).toMatch(/qz-final\/1 「.*」\n(?! {4}（送审稿)/);
  });
});
