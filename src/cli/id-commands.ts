/** `huji id check` and `huji id upgrade`. */
import type { Command } from 'commander';
import { formatMessage } from '../errors/codes.js';
import { parseIsoDate } from '../standards/calendar.js';
import { checkCitizenId, upgradeCitizenId, type ParsedCitizenId } from '../standards/citizen-id.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

function describeParsed(parsed: ParsedCitizenId, io: Io): string[] {
  const zh = io.locale === 'zh-CN';
  const a = parsed.address;
  const place = [a.province, a.prefecture, a.name].filter(Boolean).join(' ');
  const former = a.currentName && a.currentName !== a.name ? ` (${zh ? '今' : 'now'} ${a.currentName})` : '';
  const abolished = a.isCurrent ? '' : zh ? '（已撤销的区划代码）' : ' (abolished code)';
  return [
    `${zh ? '地址码' : 'Address'}: ${a.code} ${place}${former}${abolished}`,
    `${zh ? '出生日期' : 'Birth date'}: ${parsed.birthDate}`,
    `${zh ? '性别' : 'Sex'}: ${parsed.sex === 'male' ? (zh ? '男' : 'male') : zh ? '女' : 'female'} (${zh ? '顺序码' : 'sequence'} ${String(parsed.sequence).padStart(3, '0')})`,
    ...(parsed.kind === 'hmt-residence-permit'
      ? [
          zh
            ? '类别: 港澳台居民居住证号码'
            : 'Kind: residence permit of a Hong Kong, Macao or Taiwan resident',
        ]
      : []),
  ];
}

export function registerIdCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const id = program
    .command('id')
    .description(
      io.locale === 'zh-CN' ? '公民身份号码（GB 11643-1999）' : 'citizen ID numbers (GB 11643-1999)',
    );

  id.command('check')
    .description(io.locale === 'zh-CN' ? '校验号码并说明原因' : 'validate a number and say why')
    .argument('<number>', io.locale === 'zh-CN' ? '18 位或 15 位号码' : '18- or 15-character number')
    .option('--json', 'JSON output')
    .action((number: string, options: { json?: boolean }) => {
      const result = checkCitizenId(number);
      if (options.json) {
        printJson(
          io,
          result.isValid
            ? result
            : {
                ...result,
                problems: result.problems.map((p) => ({
                  ...p,
                  message: formatMessage(p.code, io.locale, p.params),
                })),
              },
        );
      } else if (result.isValid) {
        const zh = io.locale === 'zh-CN';
        io.out(
          `${result.parsed.citizenId} ${zh ? '有效' : 'valid'}${result.parsed.format === 15 ? (zh ? '（15 位旧号码，升位后如上）' : ' (15-digit number, upgraded form shown)') : ''}`,
        );
        for (const line of describeParsed(result.parsed, io)) io.out(`  ${line}`);
      } else {
        io.out(`${result.input} ${io.locale === 'zh-CN' ? '无效' : 'invalid'}`);
        for (const p of result.problems)
          io.out(`  - ${formatMessage(p.code, io.locale, p.params)} [${p.code}]`);
      }
      setExit(result.isValid ? EXIT_OK : EXIT_NO);
    });

  id.command('upgrade')
    .description(io.locale === 'zh-CN' ? '15 位号码升为 18 位' : 'upgrade a 15-digit number to 18 characters')
    .argument('<number>', io.locale === 'zh-CN' ? '15 位号码' : '15-digit number')
    .option(
      '--birth-date <date>',
      io.locale === 'zh-CN'
        ? '户籍登记的出生日期（1900 年以前出生者必填）'
        : 'birth date on record (needed for holders born before 1900)',
    )
    .option('--json', 'JSON output')
    .action((number: string, options: { json?: boolean; birthDate?: string }) => {
      if (options.birthDate !== undefined && !parseIsoDate(options.birthDate)) {
        throw new UsageError('HUJI_ID_DATE_IMPOSSIBLE', { dateCode: options.birthDate });
      }
      const result = upgradeCitizenId(
        number,
        options.birthDate ? { birthDateOnRecord: options.birthDate } : {},
      );
      if (options.json) {
        printJson(
          io,
          result.isUpgraded
            ? result
            : {
                ...result,
                problems: result.problems.map((p) => ({
                  ...p,
                  message: formatMessage(p.code, io.locale, p.params),
                })),
              },
        );
      } else if (result.isUpgraded) {
        io.out(result.citizenId);
        if (result.isBornBefore1900) {
          io.out(
            io.locale === 'zh-CN'
              ? '  注意：持有人 1900 年以前出生，已按登记日期使用“18”世纪码'
              : '  Note: holder born before 1900; century 18 used from the date on record',
          );
        }
        for (const line of describeParsed(result.parsed, io)) io.out(`  ${line}`);
      } else {
        for (const p of result.problems)
          io.out(`- ${formatMessage(p.code, io.locale, p.params)} [${p.code}]`);
      }
      setExit(result.isUpgraded ? EXIT_OK : EXIT_NO);
    });
}
