/** `huji divisions show` and `huji divisions search`. */
import type { Command } from 'commander';
import {
  childDivisions,
  findDivision,
  normalizeDivisionCode,
  searchDivisions,
  type Division,
} from '../standards/divisions.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

const KIND_LABELS: Record<string, { zh: string; en: string }> = {
  province: { zh: '省级', en: 'province' },
  prefecture: { zh: '地级', en: 'prefecture' },
  district: { zh: '市辖区', en: 'district' },
  county: { zh: '县', en: 'county' },
  'county-level-city': { zh: '县级市', en: 'county-level city' },
  'statistical-unit': { zh: '统计单位（非行政区划）', en: 'statistical unit (not a division)' },
  'sub-district': { zh: '街道', en: 'sub-district' },
  town: { zh: '镇', en: 'town' },
  township: { zh: '乡', en: 'township' },
  'special-area': { zh: '类似乡级单位', en: 'township-level special area' },
  'residents-committee': { zh: '居委会', en: "residents' committee" },
  'villagers-committee': { zh: '村委会', en: "villagers' committee" },
};

function kindOf(d: Division, io: Io): string {
  const key = d.countyKind ?? d.townKind ?? d.villageKind;
  const label = key ? KIND_LABELS[key] : undefined;
  const fallback = KIND_LABELS[d.level];
  const chosen = label ?? fallback;
  return chosen ? (io.locale === 'zh-CN' ? chosen.zh : chosen.en) : d.level;
}

function line(d: Division, io: Io): string {
  const path = [...d.path.map((p) => p.name), d.name].join(' ');
  const abolished = d.isCurrent ? '' : io.locale === 'zh-CN' ? '（已撤销）' : ' (abolished)';
  return `${d.code}  ${path}  [${kindOf(d, io)}]${abolished}`;
}

/** The data's vintage in Chinese: the NBS codes' year and source package, or the MCA lists. */
export function vintageZh(vintage: string): string {
  const nbs = /^NBS (\d{4}) statistical division codes \((.+)\)$/.exec(vintage);
  if (nbs) return `国家统计局${nbs[1]}年统计用区划代码（${nbs[2]}）`;
  if (vintage === 'MCA county code lists (historical)') return '民政部县级以上行政区划代码（历年）';
  return vintage;
}

export function registerDivisionCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const divisions = program
    .command('divisions')
    .description(
      zh ? '行政区划（GB/T 2260 与统计用区划代码）' : 'administrative divisions (GB/T 2260, NBS codes)',
    );

  divisions
    .command('show')
    .description(zh ? '按代码显示区划及其下级' : 'show a division and its children by code')
    .argument('<code>', zh ? '2、4、6、9 或 12 位代码' : '2, 4, 6, 9 or 12-digit code')
    .option('--json', 'JSON output')
    .action((code: string, options: { json?: boolean }) => {
      if (!normalizeDivisionCode(code)) throw new UsageError('HUJI_DIVISION_CODE_FORMAT', { code });
      const d = findDivision(code);
      if (!d) {
        if (options.json) printJson(io, { found: false, code });
        else
          io.err(
            zh
              ? `没有区划代码为 ${code} 的行政区划 [HUJI_DIVISION_UNKNOWN]`
              : `No division has the code ${code} [HUJI_DIVISION_UNKNOWN]`,
          );
        setExit(EXIT_NO);
        return;
      }
      const children = childDivisions(d.code);
      if (options.json) {
        printJson(io, { found: true, division: d, children });
      } else {
        io.out(line(d, io));
        if (d.history.length > 0) {
          const names = d.history.map((p) => `${p.name} ${p.from ?? '…'}–${p.to ?? ''}`).join('; ');
          io.out(`  ${zh ? '历史' : 'history'}: ${names}`);
        }
        io.out(`  ${zh ? '数据版本' : 'vintage'}: ${zh ? vintageZh(d.vintage) : d.vintage}`);
        for (const c of children) io.out(`    ${c.code}  ${c.name}  [${kindOf(c, io)}]`);
      }
      setExit(EXIT_OK);
    });

  divisions
    .command('search')
    .description(zh ? '按名称（含曾用名）查找' : 'find divisions by current or former name')
    .argument('<name>', zh ? '名称或其中一部分' : 'name or part of it')
    .option('--limit <n>', zh ? '最多条数' : 'maximum hits', '20')
    .option('--json', 'JSON output')
    .action((name: string, options: { json?: boolean; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new UsageError('HUJI_VALIDATION', { detail: `--limit ${options.limit} (1–1000)` });
      }
      const hits = searchDivisions(name, limit);
      if (options.json) {
        printJson(io, { items: hits });
      } else {
        for (const h of hits) {
          const until = h.codePeriod?.to;
          // A reused code is no former name: the place shown never bore the matched name.
          const former = h.isReusedCode
            ? zh
              ? `  代码 ${h.division.code}${until ? ` 在 ${until} 年前` : ''}曾属${h.matchedName}（另一地，代码重新使用；非此地曾用名）`
              : `  code ${h.division.code} belonged to ${h.matchedName}${until ? ` until ${until}` : ''} (another place; the code was reused, not a former name)`
            : h.isFormerName && h.matchedName !== h.division.name
              ? zh
                ? `  曾用名：${h.matchedName}`
                : `  former name: ${h.matchedName}`
              : '';
          io.out(`${line(h.division, io)}${former}`);
        }
        if (hits.length === 0)
          io.err(zh ? `没有名称含“${name}”的区划` : `No division name contains "${name}"`);
      }
      setExit(hits.length > 0 ? EXIT_OK : EXIT_NO);
    });
}
