/**
 * `huji import persons FILE`: legacy population data into the register. Reads UTF-8 or GB18030 / GBK
 * (legacy government exports are GBK) as a stream, checks every row, commits one household at a time,
 * writes rejected rows with their line numbers and reasons to a reject file, and can be interrupted
 * (kill -9) and re-run without duplicating anything. Every line of the file is accounted for: read =
 * imported + rejected + skipped (header, blank lines, households already imported); a malformed line
 * (bad quote, bad byte, NUL, wrong width) is rejected on its own with its household, never the file.
 */
import { basename, resolve as resolvePath } from 'node:path';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
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
import { columnLabel, describeRowProblem, type RowProblem } from '../register/import-problems.js';
import { HujiError, isHujiError } from '../errors/huji-error.js';
import type { JsonValue } from '../audit/chain.js';
import { readConfig } from '../server/config.js';
import { toCsvLine } from './csv.js';
import { CsvRecordReader, type CsvLineProblem } from './csv-records.js';
import { recordCliAudit } from './cli-audit.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

/**
 * UTF-8 unless the file's first MiB holds more lines that are not valid UTF-8 than lines with non-ASCII
 * text that are: then GB18030 (a superset of GBK). GBK text is almost never valid UTF-8, so one bad byte in
 * a UTF-8 file leaves it UTF-8 (the line is rejected), instead of turning every name into mojibake.
 */
export function sniffEncoding(file: string): 'utf-8' | 'gb18030' {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const bytes = buffer.subarray(0, n);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let valid = 0;
  let invalid = 0;
  let start = 0;
  while (start < n) {
    const lf = bytes.indexOf(10, start);
    // A line cut by the end of the sample is judged only if it is the whole file.
    if (lf === -1 && n === buffer.length) break;
    const line = bytes.subarray(start, lf === -1 ? n : lf);
    start = lf === -1 ? n : lf + 1;
    if (line.every((b) => b < 0x80)) continue;
    try {
      decoder.decode(line);
      valid++;
    } catch {
      invalid++;
    }
  }
  return invalid > valid ? 'gb18030' : 'utf-8';
}

/** A malformed CSV line as the reason the rejects file gives. */
function csvLineProblem(
  problem: CsvLineProblem,
  columns: readonly (ImportColumn | undefined)[],
  encoding: string,
): RowProblem {
  const named = (cell: number) => {
    const column = columns[cell];
    return {
      field: column ?? '',
      params: { cell: cell + 1, column: column ? columnLabel(column) : '—' },
    };
  };
  switch (problem.kind) {
    case 'unterminated-quote':
      return { ...named(problem.cell), code: 'HUJI_IMPORT_CSV_UNTERMINATED_QUOTE' };
    case 'stray-quote':
      return { ...named(problem.cell), code: 'HUJI_IMPORT_CSV_STRAY_QUOTE' };
    case 'nul':
      return { ...named(problem.cell), code: 'HUJI_IMPORT_CSV_NUL' };
    case 'column-count':
      return {
        field: '',
        code: 'HUJI_IMPORT_CSV_COLUMN_COUNT',
        params: { count: problem.count, expected: problem.expected },
      };
    case 'encoding':
      return {
        field: '',
        code: 'HUJI_IMPORT_CSV_ENCODING',
        params: { byte: problem.byte, encoding: encoding.toUpperCase() },
      };
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
        const config = readConfig();
        const handle = await openDatabase(config.database);
        await migrateDatabase(handle.db);
        // Audited when it starts (so a killed run is on record too) and when it ends, with its counts.
        const audit = (outcome: 'success' | 'failed', details: Record<string, JsonValue>) =>
          recordCliAudit(handle.db, config.cryptoSuite, {
            action: 'register.import',
            objectType: 'file',
            objectId: resolvePath(file),
            outcome,
            details: { command: 'import persons', officer: options.officer, encoding, ...details },
          });
        await audit('success', { phase: 'started' }).catch(async (error: unknown) => {
          await handle.close();
          throw error;
        });
        let failure: unknown;
        const counts = {
          rows: 0,
          households: 0,
          imported: 0,
          alreadyImported: 0,
          rejectedHouseholds: 0,
          rejectedRows: 0,
          /** Physical lines, each counted once: lines = importedLines + rejectedLines + skippedLines. */
          lines: 0,
          importedLines: 0,
          rejectedLines: 0,
          /** The header, blank lines and the lines of households already imported. */
          skippedLines: 0,
        };
        const linesOf = (rows: readonly ImportRow[]) => rows.reduce((n, r) => n + (r.lines ?? 1), 0);
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
          counts.rejectedLines += linesOf(rows);
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
            if (outcome.status === 'imported') {
              counts.imported++;
              counts.importedLines += linesOf(rows);
            } else if (outcome.status === 'already-imported') {
              counts.alreadyImported++;
              counts.skippedLines += linesOf(rows);
            } else writeReject(rows, outcome.problems);
          });
          progress();
        });
        let columns: (ImportColumn | undefined)[] | undefined;
        const reader = new CsvRecordReader({ encoding, width: () => columns?.length });
        try {
          let group: ImportRow[] = [];
          // The malformed rows of the current group, as problems of their member.
          let malformed: RowProblem[] = [];
          const seen = new Set<string>();
          const source = `import:${basename(file)}`;
          const flush = async () => {
            if (group.length === 0) return;
            const rows = group;
            const broken = malformed;
            group = [];
            malformed = [];
            counts.households++;
            const number = rows[0]?.values.household_number ?? '';
            if (seen.has(number)) {
              writeReject(rows, [
                ...broken,
                {
                  field: 'household_number',
                  code: 'HUJI_IMPORT_NOT_CONTIGUOUS',
                  params: { householdNumber: number },
                },
              ]);
              return;
            }
            seen.add(number);
            if (broken.length > 0) {
              // The household goes back whole: the malformed rows with their reason, the well-formed
              // ones with what is wrong with them too, or as returned with their household.
              const brokenMembers = new Set(broken.map((p) => p.member));
              const good = rows.flatMap((_, member) => (brokenMembers.has(member) ? [] : [member]));
              const checked =
                good.length > 0 ? householdFromRows(good.map((m) => rows[m] as ImportRow)) : undefined;
              const others = (checked?.problems ?? []).flatMap((p) =>
                p.member === undefined ? [] : [{ ...p, member: good[p.member] }],
              );
              writeReject(rows, [...broken, ...others]);
              return;
            }
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
          for await (const record of reader.read(input)) {
            if (record.kind === 'blank') {
              counts.skippedLines++;
              continue;
            }
            if (!columns) {
              if (record.kind === 'malformed')
                throw new UsageError('HUJI_VALIDATION', {
                  detail: `${file}:${record.line}: ${zh ? '表头' : 'header'}: ${describeRowProblem(csvLineProblem(record.problem, [], encoding), io.locale)}`,
                });
              const header = mapHeader(record.cells);
              if (header.unknown.length > 0 || header.missing.length > 0) {
                throw new UsageError('HUJI_VALIDATION', {
                  detail: `${file}: ${header.unknown.length ? `unknown columns ${header.unknown.join(', ')}` : ''}${header.missing.length ? ` missing columns ${header.missing.join(', ')}` : ''}`,
                });
              }
              columns = header.columns;
              counts.skippedLines += record.lines;
              continue;
            }
            counts.rows++;
            const values: Partial<Record<ImportColumn, string>> = {};
            columns.forEach((c, i) => {
              if (c) values[c] = record.cells[i] ?? '';
            });
            if (group.length > 0 && group[0]?.values.household_number !== values.household_number)
              await flush();
            if (record.kind === 'malformed')
              malformed.push({ ...csvLineProblem(record.problem, columns, encoding), member: group.length });
            group.push({ line: record.line, lines: record.lines, values });
            if (counts.rows % 5000 === 0) progress();
          }
          await flush();
          await pipeline.finish();
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          progress();
          bar.stop();
          input.destroy();
          await new Promise<void>((resolve) => rejects.end(resolve));
          try {
            const code = isHujiError(failure) || failure instanceof UsageError ? failure.code : undefined;
            await audit(failure === undefined ? 'success' : 'failed', {
              phase: 'finished',
              ...counts,
              ...(code ? { code } : {}),
            }).catch((error: unknown) => {
              // The run's own error (often the same database failure) is the one to report.
              if (failure === undefined) throw error;
            });
          } finally {
            await handle.close();
          }
        }
        counts.lines = reader.linesRead;
        const accounted = counts.importedLines + counts.rejectedLines + counts.skippedLines;
        if (accounted !== counts.lines)
          // Never a success with rows unaccounted for: this is a defect of the importer, said as such.
          throw new Error(
            `import accounted for ${accounted} of the ${counts.lines} lines of ${file} (imported ${counts.importedLines}, rejected ${counts.rejectedLines}, skipped ${counts.skippedLines})`,
          );
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
              ? `读取 ${counts.lines} 行（${encoding}）：导入 ${counts.importedLines} 行，拒收 ${counts.rejectedLines} 行（见 ${rejectsFile}），跳过 ${counts.skippedLines} 行（表头、空行、已导入过的户）。共 ${counts.rows} 条记录、${counts.households} 户：导入 ${counts.imported} 户，已导入过 ${counts.alreadyImported} 户，拒收 ${counts.rejectedHouseholds} 户（${counts.rejectedRows} 条记录）；${summary.rowsPerSecond} 行/秒`
              : `${counts.lines} lines read (${encoding}): ${counts.importedLines} imported, ${counts.rejectedLines} rejected (see ${rejectsFile}), ${counts.skippedLines} skipped (header, blank lines, households already imported). ${counts.rows} records, ${counts.households} households: ${counts.imported} imported, ${counts.alreadyImported} already imported, ${counts.rejectedHouseholds} rejected (${counts.rejectedRows} records); ${summary.rowsPerSecond} rows/s`,
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
      const config = readConfig();
      const handle = await openDatabase(config.database);
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
        // Recorded before a line is written; full ids are a separate action for the auditor's filter.
        await recordCliAudit(handle.db, config.cryptoSuite, {
          action: options.fullId ? 'register.export-full-id' : 'register.export',
          objectType: options.county ? 'division' : null,
          objectId: options.county || null,
          outcome: 'success',
          details: {
            command: 'export',
            fullId: options.fullId === true,
            rows: lines.length,
            encoding,
            out: options.out ? resolvePath(options.out) : 'stdout',
          },
        });
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
