/**
 * `huji import persons FILE`: legacy population data into the register. Reads UTF-8 or GB18030 / GBK
 * (legacy government exports are GBK) as a stream, checks every row, commits one household at a time,
 * writes rejected rows with their line numbers and reasons to a reject file, and can be interrupted
 * (kill -9) and re-run without duplicating anything.
 */
import { basename } from 'node:path';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  type ReadStream,
} from 'node:fs';
import { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import {
  householdFromRows,
  IMPORT_COLUMNS,
  mapHeader,
  type ImportColumn,
  type ImportRow,
} from '../register/import-csv.js';
import { exportRows, isoDateOf } from '../register/repository.js';
import { encodeLegacy, firstUnencodable } from '../standards/gb18030.js';
import { maskPersonalFields } from '../standards/masking.js';
import { ImportPipeline, type BatchItem } from '../register/bulk-import.js';
import { describeRowProblem, type RowProblem } from '../register/import-problems.js';
import { HujiError } from '../errors/huji-error.js';
import { readConfig } from '../server/config.js';
import { parseCsv, toCsvLine } from './csv.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

/** UTF-8 when the first 64 KiB decode strictly as UTF-8, else GB18030 (a superset of GBK). */
export function sniffEncoding(file: string): 'utf-8' | 'gb18030' {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(65536);
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, n), { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

async function* lines(input: ReadStream, encoding: string): AsyncGenerator<string> {
  const stream = Readable.toWeb(input) as ReadableStream<Uint8Array>;
  const reader = stream.pipeThrough(new TextDecoderStream(encoding, { fatal: true })).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    const parts = rest.split(/\r?\n/);
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest) yield rest;
}

/** CSV records from lines (a quoted field may span lines), with the line each starts on. */
async function* records(source: AsyncGenerator<string>): AsyncGenerator<{ line: number; cells: string[] }> {
  let pending = '';
  let start = 0;
  let line = 0;
  for await (const text of source) {
    line++;
    if (pending === '') start = line;
    pending = pending === '' ? text : `${pending}\n${text}`;
    if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue;
    const [row] = parseCsv(pending);
    pending = '';
    if (row) yield { line: start, cells: row.cells };
  }
}

export function registerImportCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  program
    .command('import')
    .description(zh ? '导入数据' : 'import data')
    .command('persons')
    .description(
      zh
        ? '导入户籍人员 CSV（UTF-8 或 GBK/GB18030），逐户提交'
        : 'import persons from CSV (UTF-8 or GBK/GB18030), one household per commit',
    )
    .argument('<file>')
    .option('--encoding <enc>', 'auto | utf-8 | gb18030 | gbk', 'auto')
    .option(
      '--rejects <file>',
      zh ? '拒收行文件（默认 <file>.rejects.csv）' : 'reject file (default <file>.rejects.csv)',
    )
    .option('--officer <id>', zh ? '经办人' : 'acting officer', 'import')
    .option('--json', 'JSON output')
    .action(
      async (
        file: string,
        options: { encoding: string; rejects?: string; officer: string; json?: boolean },
      ) => {
        const encoding = options.encoding === 'auto' ? sniffEncoding(file) : options.encoding;
        if (!['utf-8', 'gb18030', 'gbk'].includes(encoding))
          throw new UsageError('HUJI_VALIDATION', { detail: `--encoding ${options.encoding}` });
        const rejectsFile = options.rejects ?? `${file}.rejects.csv`;
        const rejects = createWriteStream(rejectsFile, 'utf8');
        rejects.write(
          `${toCsvLine(['line', 'household_number', 'citizen_id', 'field', 'code', 'reason'])}\n`,
        );
        const handle = await openDatabase(readConfig().database);
        await migrateDatabase(handle.db);
        const counts = {
          rows: 0,
          households: 0,
          imported: 0,
          alreadyImported: 0,
          rejectedHouseholds: 0,
          rejectedRows: 0,
        };
        const fileBytes = statSync(file).size;
        const input = createReadStream(file);
        const bar = new SingleBar({
          format: `${zh ? '导入' : 'importing'} [{bar}] {percentage}% · {rows} ${zh ? '行' : 'rows'} · {speed} ${zh ? '行/秒' : 'rows/s'} · ${zh ? '剩余' : 'ETA'} {eta_formatted}`,
          stream: process.stderr,
          noTTYOutput: false,
          etaBuffer: 50,
        });
        const started = performance.now();
        const progress = () =>
          bar.update(input.bytesRead, {
            rows: counts.rows,
            speed: Math.round(counts.rows / Math.max(0.001, (performance.now() - started) / 1000)),
          });
        bar.start(fileBytes, 0, { rows: 0, speed: 0 });
        // A refused household is refused whole: every one of its rows goes to the rejects file, the
        // faultless ones marked as returned with their household, so the file can be fixed and re-imported.
        const writeReject = (rows: readonly ImportRow[], problems: readonly RowProblem[]) => {
          counts.rejectedHouseholds++;
          counts.rejectedRows += rows.length;
          const number = rows[0]?.values.household_number ?? '';
          // A problem of the household itself (no member: its head count, its rows apart) is every row's.
          const ofHousehold = problems.filter((p) => p.member === undefined);
          const faulty = new Set(problems.flatMap((p) => (p.member === undefined ? [] : [p.member])));
          const badLines = [...faulty].map((m) => rows[m]?.line ?? '').join(zh ? '、' : ', ');
          const returned: RowProblem = {
            field: '',
            code: 'HUJI_IMPORT_RETURNED_WITH_HOUSEHOLD',
            params: { lines: badLines },
          };
          rows.forEach((row, member) => {
            const own = problems.filter((p) => p.member === member);
            const reasons =
              ofHousehold.length > 0 ? [...own, ...ofHousehold] : own.length > 0 ? own : [returned];
            for (const p of reasons)
              rejects.write(
                `${toCsvLine([String(row.line), number, row.values.citizen_id ?? '', p.field, p.code, describeRowProblem(p, io.locale)])}\n`,
              );
          });
        };
        const rowsOfItem = new Map<BatchItem, readonly ImportRow[]>();
        // Whole households, many per transaction (COPY); outcomes come back in file order.
        const pipeline = new ImportPipeline(handle, (items, outcomes) => {
          outcomes.forEach((outcome, i) => {
            const item = items[i];
            const rows = (item && rowsOfItem.get(item)) ?? [];
            if (item) rowsOfItem.delete(item);
            if (outcome.status === 'imported') counts.imported++;
            else if (outcome.status === 'already-imported') counts.alreadyImported++;
            else writeReject(rows, outcome.problems);
          });
          progress();
        });
        try {
          let columns: (ImportColumn | undefined)[] | undefined;
          let group: ImportRow[] = [];
          const seen = new Set<string>();
          const source = `import:${basename(file)}`;
          const flush = async () => {
            if (group.length === 0) return;
            const rows = group;
            group = [];
            counts.households++;
            const number = rows[0]?.values.household_number ?? '';
            if (seen.has(number)) {
              writeReject(rows, [
                {
                  field: 'household_number',
                  code: 'HUJI_IMPORT_NOT_CONTIGUOUS',
                  params: { householdNumber: number },
                },
              ]);
              return;
            }
            seen.add(number);
            const { household, problems } = householdFromRows(rows);
            if (problems.length > 0) {
              writeReject(rows, problems);
              return;
            }
            const item: BatchItem = {
              household,
              officer: { id: options.officer, countyCode: household.household.address.countyCode },
              source,
            };
            rowsOfItem.set(item, rows);
            await pipeline.push(item);
          };
          for await (const record of records(lines(input, encoding))) {
            if (!columns) {
              const header = mapHeader(record.cells);
              if (header.unknown.length > 0 || header.missing.length > 0) {
                throw new UsageError('HUJI_VALIDATION', {
                  detail: `${file}: ${header.unknown.length ? `unknown columns ${header.unknown.join(', ')}` : ''}${header.missing.length ? ` missing columns ${header.missing.join(', ')}` : ''}`,
                });
              }
              columns = header.columns;
              continue;
            }
            counts.rows++;
            const values: Partial<Record<ImportColumn, string>> = {};
            columns.forEach((c, i) => {
              if (c) values[c] = record.cells[i] ?? '';
            });
            if (group.length > 0 && group[0]?.values.household_number !== values.household_number)
              await flush();
            group.push({ line: record.line, values });
            if (counts.rows % 5000 === 0) progress();
          }
          await flush();
          await pipeline.finish();
        } catch (error) {
          if (error instanceof TypeError && /decode|encoding/i.test(error.message)) {
            throw new UsageError('HUJI_VALIDATION', {
              detail: `${file} is not valid ${encoding}; pass --encoding`,
            });
          }
          throw error;
        } finally {
          progress();
          bar.stop();
          input.destroy();
          await new Promise<void>((resolve) => rejects.end(resolve));
          await handle.close();
        }
        const seconds = (performance.now() - started) / 1000;
        const summary = {
          ...counts,
          encoding,
          seconds: Math.round(seconds * 10) / 10,
          rowsPerSecond: Math.round(counts.rows / seconds),
          rejectsFile,
        };
        if (options.json) printJson(io, summary);
        else {
          io.out(
            zh
              ? `读取 ${counts.rows} 行（${encoding}），${counts.households} 户：导入 ${counts.imported} 户，已导入过 ${counts.alreadyImported} 户，拒收 ${counts.rejectedHouseholds} 户（${counts.rejectedRows} 行，见 ${rejectsFile}）；${summary.rowsPerSecond} 行/秒`
              : `${counts.rows} rows (${encoding}), ${counts.households} households: ${counts.imported} imported, ${counts.alreadyImported} already imported, ${counts.rejectedHouseholds} rejected (${counts.rejectedRows} rows, see ${rejectsFile}); ${summary.rowsPerSecond} rows/s`,
          );
        }
        setExit(counts.rejectedHouseholds > 0 ? EXIT_NO : EXIT_OK);
      },
    );
}

/** `huji export`: the register's current households as CSV in the import column set, so it round-trips. */
export function registerExportCommand(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  program
    .command('export')
    .description(
      zh
        ? '导出人口库（与导入相同的列；UTF-8、GB18030 或 GBK）'
        : 'export the register as CSV (the import column set; UTF-8, GB18030 or GBK)',
    )
    .option(
      '--encoding <enc>',
      zh
        ? 'utf-8（带 BOM）| gb18030 | gbk（旧系统；含 GBK 没有的字时事先拒绝导出，指明行、列和字）'
        : 'utf-8 (with BOM) | gb18030 | gbk (legacy systems; characters GBK lacks refuse the export up front, naming row, column and character)',
      'utf-8',
    )
    .option('--county <code>', zh ? '县（市、区）或市代码前缀' : 'county or city code prefix', '')
    .option('--out <file>', zh ? '输出文件（默认标准输出）' : 'output file (default stdout)')
    .option('--full-id', zh ? '输出完整身份号码（默认脱敏）' : 'full citizen ids (masked by default)')
    .action(async (options: { county: string; out?: string; fullId?: boolean; encoding: string }) => {
      if (!/^\d{0,6}$/.test(options.county))
        throw new UsageError('HUJI_DIVISION_CODE_FORMAT', { code: options.county });
      const encoding = options.encoding.toLowerCase();
      if (encoding !== 'utf-8' && encoding !== 'gb18030' && encoding !== 'gbk')
        throw new UsageError('HUJI_VALIDATION', {
          detail: `--encoding ${options.encoding}: utf-8, gb18030 or gbk`,
        });
      const handle = await openDatabase(readConfig().database);
      const columns = Object.keys(IMPORT_COLUMNS) as ImportColumn[];
      let lines: Record<ImportColumn, string>[];
      try {
        await migrateDatabase(handle.db);
        // Without --full-id every row is masked by the one rule (src/standards/masking.ts): the id keeps its
        // address code, the birth date (and any date of the row equal to it) its year and month.
        const shown = (row: Record<ImportColumn, string>) => (options.fullId ? row : maskPersonalFields(row));
        lines = (await exportRows(handle.db, options.county)).map((r) =>
          shown({
            household_number: r.household_number,
            household_type: r.type,
            address: r.address.text ?? '',
            county_code: r.county_code,
            town_code: r.address.townCode ?? '',
            village_code: r.address.villageCode ?? '',
            urban_rural_class: r.address.urbanRuralClass ?? '',
            relationship: r.relationship,
            member_since: isoDateOf(r.valid_from),
            citizen_id: r.citizen_id,
            name: r.name,
            former_names: r.former_names.join(';'),
            sex: r.sex,
            birth_date: isoDateOf(r.birth_date),
            ethnicity: r.ethnicity ?? '',
            birthplace: r.birthplace ?? '',
            education: r.education ?? '',
            marital_status: r.marital_status ?? '',
            occupation: r.occupation ?? '',
            service_place: r.service_place ?? '',
            legacy_hukou_type: r.legacy_hukou_nature[0]?.type ?? '',
            legacy_from: r.legacy_hukou_nature[0]?.from ?? '',
            legacy_to: r.legacy_hukou_nature[0]?.to ?? '',
          }),
        );
      } finally {
        await handle.close();
      }
      if (encoding !== 'utf-8') {
        // Every value checked before a byte is written: a name the encoding lacks is a data problem
        // (exit 1) named by row, column and character, never a half-written file.
        const places: { zh: string; en: string }[] = [];
        lines.forEach((values, i) => {
          for (const c of columns) {
            const ch = firstUnencodable(values[c], encoding);
            if (ch !== undefined)
              places.push({
                zh: `第 ${i + 2} 行“${IMPORT_COLUMNS[c]}”列的“${ch}”（${values[c]}）`,
                en: `row ${i + 2}, column ${c}: "${ch}" (${values[c]})`,
              });
          }
        });
        if (places.length > 0) {
          const shown = places.slice(0, 20);
          const more = places.length - shown.length;
          throw new HujiError('HUJI_EXPORT_UNENCODABLE', {
            encoding: encoding.toUpperCase(),
            count: places.length,
            places: {
              zh: shown.map((p) => p.zh).join('；') + (more > 0 ? `；另有 ${more} 处` : ''),
              en: shown.map((p) => p.en).join('; ') + (more > 0 ? `; ${more} more` : ''),
            },
          });
        }
      }
      // A file is written under a temporary name and renamed when complete: never a half export.
      const partial = options.out ? `${options.out}.partial` : undefined;
      const out = partial ? createWriteStream(partial) : process.stdout;
      const write = (text: string) =>
        out.write(encoding === 'utf-8' ? Buffer.from(text, 'utf8') : encodeLegacy(text, encoding));
      let complete = false;
      try {
        write(`${encoding === 'utf-8' ? '\uFEFF' : ''}${toCsvLine(columns)}\n`);
        for (const values of lines) write(`${toCsvLine(columns.map((c) => values[c]))}\n`);
        complete = true;
      } finally {
        if (out !== process.stdout)
          await new Promise<void>((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
        if (partial && options.out) {
          if (complete) renameSync(partial, options.out);
          else rmSync(partial, { force: true });
        }
      }
      const rows = lines.length;
      if (options.out)
        io.err(zh ? `导出 ${rows} 行到 ${options.out}` : `${rows} rows written to ${options.out}`);
      setExit(EXIT_OK);
    });
}
