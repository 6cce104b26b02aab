/** `huji register show` and `huji household show`: the register from the terminal (officer tools). */
import type { Command } from 'commander';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { readConfig } from '../server/config.js';
import { parseIsoDate, todayInChina } from '../standards/calendar.js';
import { codeLabel, optionalCodeLabel, UNKNOWN_LABEL } from '../standards/code-tables.js';
import { maskCitizenId, maskIfBirthDate, maskPersonalFields } from '../standards/masking.js';
import { EVENT_LABELS } from '../register/commands.js';
import { findDuplicates } from '../register/find-duplicates.js';
import { rebuildProjections } from '../register/rebuild-projections.js';
import {
  duplicateCandidates,
  eventsOf,
  findPersonByCitizenId,
  membershipOfPersonAt,
} from '../register/repository.js';
import { householdAt, personAt } from '../register/time-travel.js';
import { HOUSEHOLD_STATUS_TEXT, labelOf, PERSON_STATUS_TEXT } from './labels.js';
import { eventDetailsOf, shownEffectiveDate } from '../register/event-details.js';
import { findDivision } from '../standards/divisions.js';
import { recordCliAudit, type CliAuditInput } from './cli-audit.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

async function withDatabase<T>(
  work: (
    db: Awaited<ReturnType<typeof openDatabase>>['db'],
    audit: (entry: CliAuditInput) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const config = readConfig();
  const handle = await openDatabase(config.database);
  try {
    // A migrated database is the norm; this makes a fresh one usable too (and refuses a newer one).
    await migrateDatabase(handle.db);
    return await work(handle.db, (entry) => recordCliAudit(handle.db, config.cryptoSuite, entry));
  } finally {
    await handle.close();
  }
}

function dateOption(value: string | undefined): string {
  if (value === undefined) return todayInChina();
  if (!parseIsoDate(value)) throw new UsageError('HUJI_ID_DATE_IMPOSSIBLE', { dateCode: value });
  return value;
}

export function registerRegisterCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const label = (t: { zh: string; en: string }) => (zh ? t.zh : t.en);

  const register = program.command('register').description(zh ? '人口登记' : 'population register');
  register
    .command('show')
    .description(zh ? '按公民身份号码显示人员及其登记历史' : 'show a person and their history by citizen id')
    .argument('<citizenId>')
    .option('--at <date>', zh ? '显示某日的登记情况' : 'as it was on a date')
    .option('--full-id', zh ? '显示完整身份号码' : 'show the full citizen id')
    .option('--json', 'JSON output')
    .action(async (citizenId: string, options: { at?: string; fullId?: boolean; json?: boolean }) => {
      if (!/^\d{17}[\dXx]$/.test(citizenId))
        throw new UsageError('HUJI_ID_LENGTH', { length: [...citizenId].length });
      const at = dateOption(options.at);
      await withDatabase(async (db, audit) => {
        const current = await findPersonByCitizenId(db, citizenId);
        const person = current ? await personAt(db, current.id, at) : undefined;
        // Recorded before anything is shown (the audit log keeps the full id, as for the API).
        await audit({
          action: options.fullId ? 'register.read-full-id' : 'register.read',
          objectType: 'citizen-id',
          objectId: citizenId.toUpperCase(),
          outcome: current && person ? 'success' : 'refused',
          details: {
            command: 'register show',
            at,
            fullId: options.fullId === true,
            ...(current && person ? { personId: person.id } : { code: 'HUJI_REGISTER_PERSON_UNKNOWN' }),
          },
        });
        if (!current || !person) {
          io.err(
            zh
              ? `登记中没有此人（${maskCitizenId(citizenId)}）[HUJI_REGISTER_PERSON_UNKNOWN]`
              : `No such person (${maskCitizenId(citizenId)}) [HUJI_REGISTER_PERSON_UNKNOWN]`,
          );
          setExit(EXIT_NO);
          return;
        }
        // Without --full-id the id and the birth date are masked by the one rule (src/standards/masking.ts).
        const shown = options.fullId ? person : maskPersonalFields(person);
        const history = (await eventsOf(db, { personId: person.id })).map((e) =>
          options.fullId ? e : { ...e, effectiveDate: shownEffectiveDate(e, person.birthDate) },
        );
        const held = await membershipOfPersonAt(db, person.id, at);
        const membership =
          held && !options.fullId
            ? { ...held, validFrom: maskIfBirthDate(held.validFrom, person.birthDate) }
            : held;
        if (options.json) {
          printJson(io, {
            person: shown,
            asOf: at,
            membership,
            history: history.map(({ payload: _p, before: _b, after: _a, ...e }) => ({
              ...e,
              ...eventDetailsOf({ ...e, payload: _p }),
            })),
          });
        } else {
          io.out(
            `${shown.name}  ${shown.citizenId}  ${codeLabel('sex', shown.sex, io.locale)}  ${shown.birthDate}  ${optionalCodeLabel('ethnicity', shown.ethnicity, io.locale)}`,
          );
          // What was declared and checked; an unknown is 不详, a fact never declared is not recorded.
          const notRecorded = zh ? '未登记' : 'not recorded';
          const birthplace =
            shown.birthplace === null
              ? UNKNOWN_LABEL[zh ? 'zh' : 'en']
              : `${findDivision(shown.birthplace)?.name ?? shown.birthplace} (${shown.birthplace})`;
          io.out(
            `  ${zh ? '出生地' : 'birthplace'}: ${birthplace}  ${zh ? '文化程度' : 'education'}: ${shown.education ? codeLabel('education', shown.education, io.locale) : notRecorded}  ${zh ? '婚姻状况' : 'marital status'}: ${shown.maritalStatus ? codeLabel('marital-status', shown.maritalStatus, io.locale) : notRecorded}  ${zh ? '职业' : 'occupation'}: ${shown.occupation ?? notRecorded}`,
          );
          io.out(
            `  ${zh ? '状态' : 'status'}: ${labelOf(PERSON_STATUS_TEXT, shown.status, io.locale)}  ${zh ? '截至' : 'as of'} ${at}${shown.formerNames.length ? `  ${zh ? '曾用名' : 'former names'}: ${shown.formerNames.join('、')}` : ''}`,
          );
          if (membership)
            io.out(
              `  ${zh ? '与户主关系' : 'relationship'}: ${codeLabel('relationship', membership.relationship, io.locale)} (${zh ? '自' : 'since'} ${membership.validFrom})`,
            );
          io.out(zh ? '  登记历史：' : '  History:');
          for (const e of history) {
            const l = EVENT_LABELS[e.type as keyof typeof EVENT_LABELS];
            io.out(
              `    ${e.effectiveDate}  ${l ? label(l) : e.type}  [${e.countyCode}#${e.seq}]  ${zh ? '经办' : 'by'} ${e.officerId}`,
            );
            const details = eventDetailsOf(e);
            if (details.fromDivision)
              io.out(
                `      ${zh ? '迁出地' : 'from'}: ${details.fromDivision.name} (${details.fromDivision.code})`,
              );
            if (details.sourceApplication)
              io.out(`      ${zh ? '申请编号' : 'application'}: ${details.sourceApplication}`);
            if (details.basis)
              io.out(`      ${zh ? '依据' : 'under'} ${details.basis.article}: “${details.basis.quote}”`);
          }
        }
        setExit(EXIT_OK);
      });
    });

  register
    .command('rebuild')
    .description(
      zh
        ? '按登记链重放，核对人员、户、户成员表；--repair 按登记链修复'
        : 'replay the ledger and check the person, household and membership tables against it; --repair rewrites them',
    )
    .option(
      '--repair',
      zh ? '修复不一致的行（同一事务内）' : 'rewrite the rows that differ (in one transaction)',
    )
    .option('--json', 'JSON output')
    .action(async (options: { repair?: boolean; json?: boolean }) => {
      await withDatabase(async (db) => {
        const check = await rebuildProjections(db, { repair: options.repair === true });
        if (options.json) printJson(io, check);
        else {
          const rate = Math.round(check.events / Math.max(check.milliseconds / 1000, 0.001));
          io.out(
            zh
              ? `重放 ${check.counties} 个县的 ${check.events} 条事件（${check.milliseconds} ms，${rate} 条/秒）：${check.persons} 人、${check.households} 户、${check.memberships} 段户成员关系`
              : `replayed ${check.events} events of ${check.counties} counties (${check.milliseconds} ms, ${rate}/s): ${check.persons} persons, ${check.households} households, ${check.memberships} membership intervals`,
          );
          for (const d of check.examples) {
            const kind = {
              missing: zh ? '表中缺少' : 'missing from the table',
              unexpected: zh ? '登记链中没有' : 'not written by any event',
              differs: zh ? `字段不同：${d.fields.join('、')}` : `differs in ${d.fields.join(', ')}`,
            }[d.kind];
            io.out(`  ${d.table} ${d.key}: ${kind}`);
          }
          const { person, household, membership } = check.byTable;
          io.out(
            check.differences === 0
              ? zh
                ? '各表与登记链一致'
                : 'the tables agree with the ledger'
              : zh
                ? `不一致 ${check.differences} 处（人员 ${person}、户 ${household}、户成员 ${membership}）${check.repaired > 0 ? `，已修复 ${check.repaired} 处` : '；用 --repair 修复'}`
                : `${check.differences} differences (person ${person}, household ${household}, membership ${membership})${check.repaired > 0 ? `, ${check.repaired} repaired` : '; --repair rewrites them'}`,
          );
        }
        setExit(check.differences === 0 || check.repaired === check.differences ? EXIT_OK : EXIT_NO);
      });
    });

  program
    .command('household')
    .description(zh ? '户' : 'households')
    .command('show')
    .description(
      zh ? '按户号显示户及成员（可指定日期）' : 'show a household and its members by number, as of a date',
    )
    .argument('<householdNumber>')
    .option('--at <date>', zh ? '显示某日的情况' : 'as it was on a date')
    .option('--json', 'JSON output')
    .action(async (householdNumber: string, options: { at?: string; json?: boolean }) => {
      if (!/^\d{15}$/.test(householdNumber))
        throw new UsageError('HUJI_VALIDATION', { detail: `householdNumber ${householdNumber} (15 digits)` });
      const at = dateOption(options.at);
      await withDatabase(async (db, audit) => {
        const view = await householdAt(db, { householdNumber }, at);
        await audit({
          action: 'register.read',
          objectType: 'household-number',
          objectId: householdNumber,
          outcome: view ? 'success' : 'refused',
          details: {
            command: 'household show',
            at,
            ...(view ? { members: view.members.length } : { code: 'HUJI_REGISTER_HOUSEHOLD_UNKNOWN' }),
          },
        });
        if (!view) {
          io.err(
            zh
              ? `登记中没有户号 ${householdNumber} [HUJI_REGISTER_HOUSEHOLD_UNKNOWN]`
              : `No household ${householdNumber} [HUJI_REGISTER_HOUSEHOLD_UNKNOWN]`,
          );
          setExit(EXIT_NO);
          return;
        }
        const members = view.members.map((m) => ({
          ...m,
          membership: {
            ...m.membership,
            validFrom: maskIfBirthDate(m.membership.validFrom, m.person.birthDate),
          },
          person: maskPersonalFields(m.person),
        }));
        if (options.json) printJson(io, { ...view, members });
        else {
          io.out(
            `${view.household.householdNumber}  ${view.household.type === 'family' ? (zh ? '家庭户' : 'family') : zh ? '集体户' : 'collective'}  ${view.household.address.text}  (${zh ? '截至' : 'as of'} ${at}${zh ? '，' : ', '}${labelOf(HOUSEHOLD_STATUS_TEXT, view.household.status, io.locale)})`,
          );
          for (const m of members) {
            io.out(
              `  ${codeLabel('relationship', m.membership.relationship, io.locale).padEnd(6)} ${m.person.name}  ${m.person.citizenId}  ${m.person.birthDate}  ${zh ? '自' : 'since'} ${m.membership.validFrom}`,
            );
          }
          if (members.length === 0) io.out(zh ? '  （当日无成员）' : '  (no members on that date)');
        }
        setExit(EXIT_OK);
      });
    });

  program
    .command('duplicates')
    .description(zh ? '查找疑似一人多户' : 'find likely duplicate registrations (一人多户)')
    .option('--county <code>', zh ? '县（市、区）或市代码前缀' : 'county or city code prefix', '')
    .option('--threshold <score>', zh ? '最低得分（0.5–1）' : 'minimum score (0.5–1)', '0.75')
    .option('--json', 'JSON output')
    .action(async (options: { county: string; threshold: string; json?: boolean }) => {
      const threshold = Number(options.threshold);
      if (!(threshold >= 0.5 && threshold <= 1))
        throw new UsageError('HUJI_VALIDATION', { detail: `--threshold ${options.threshold} (0.5–1)` });
      if (!/^\d{0,6}$/.test(options.county))
        throw new UsageError('HUJI_DIVISION_CODE_FORMAT', { code: options.county });
      await withDatabase(async (db, audit) => {
        const candidates = await duplicateCandidates(db, options.county);
        const byId = new Map(candidates.map((c) => [c.personId, c]));
        const pairs = findDuplicates(candidates, { threshold });
        await audit({
          action: 'register.duplicates',
          objectType: options.county ? 'division' : null,
          objectId: options.county || null,
          outcome: 'success',
          details: { command: 'duplicates', threshold, pairs: pairs.length },
        });
        if (options.json) printJson(io, { candidates: candidates.length, pairs });
        else {
          for (const p of pairs) {
            const a = byId.get(p.a);
            const b = byId.get(p.b);
            io.out(
              `${p.score.toFixed(2)}  ${a?.name ?? p.a} ${a ? maskCitizenId(a.citizenId) : ''}  ↔  ${b?.name ?? p.b} ${b ? maskCitizenId(b.citizenId) : ''}`,
            );
            io.out(`      ${p.evidence.map((e) => (zh ? e.zh : e.en)).join('；')}`);
          }
          io.out(
            zh
              ? `${candidates.length} 人中发现 ${pairs.length} 对疑似重复登记`
              : `${pairs.length} likely duplicate pairs among ${candidates.length} persons`,
          );
        }
        setExit(EXIT_OK);
      });
    });
}
