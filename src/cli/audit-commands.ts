/**
 * `huji audit verify` and `huji audit list`: the audit trail from the terminal, for the operator who
 * holds the database (security.md § Audit). Reading the trail is itself recorded, on the `system`
 * chain, with the operating-system user who ran the command.
 */
import type { Command } from 'commander';
import {
  AuditWriter,
  listAuditEntries,
  MAX_PAGE,
  timeBound,
  verifyAuditLog,
  type AuditRecordInput,
} from '../audit/audit-log.js';
import { OUTCOMES, type ChainProblem, type Outcome, type ProblemKind } from '../audit/chain.js';
import { openDatabase, type HujiDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { readConfig } from '../server/config.js';
import { cliOperator, EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

const PROBLEM_LABELS = {
  edited: { zh: '被修改（哈希与内容不符）', en: 'edited (the hash does not match the content)' },
  removed: { zh: '缺失', en: 'missing' },
  reordered: { zh: '位置被调换', en: 'reordered' },
  'broken-link': {
    zh: '链接断开（与前一条的哈希不符，前一条可能被替换）',
    en: "broken link (does not match the previous entry's hash; that entry may have been replaced)",
  },
  'head-mismatch': {
    zh: '链头与记录不符（记录被追加、替换，或链头被改动）',
    en: 'the chain head disagrees with the entries (entries added or replaced, or the head altered)',
  },
} as const satisfies Record<ProblemKind, { zh: string; en: string }>;

const OUTCOME_LABELS = {
  success: { zh: '成功', en: 'success' },
  refused: { zh: '拒绝', en: 'refused' },
  failed: { zh: '失败', en: 'failed' },
} as const satisfies Record<Outcome, { zh: string; en: string }>;

const chinaTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

async function withAuditDatabase<T>(
  work: (
    db: HujiDatabase,
    audit: (entry: Omit<AuditRecordInput, 'actorKind' | 'actorId'>) => Promise<void>,
  ) => Promise<T>,
): Promise<T> {
  const config = readConfig();
  const handle = await openDatabase(config.database);
  try {
    await migrateDatabase(handle.db);
    const writer = new AuditWriter(handle.db, { suite: config.cryptoSuite });
    try {
      return await work(handle.db, (entry) =>
        writer.record({ ...entry, actorKind: 'system', actorId: cliOperator() }),
      );
    } finally {
      await writer.close();
    }
  } finally {
    await handle.close();
  }
}

function describeProblem(p: ChainProblem, zh: boolean): string {
  const label = zh ? PROBLEM_LABELS[p.kind].zh : PROBLEM_LABELS[p.kind].en;
  const where = zh ? `第 ${p.seq} 条` : `seq ${p.seq}`;
  switch (p.kind) {
    case 'removed': {
      const n = p.count ?? 1;
      return zh
        ? `${where}起${label} ${n} 条 [removed]`
        : `seq ${p.seq}: ${n} ${n === 1 ? 'entry' : 'entries'} ${label} from here [removed]`;
    }
    case 'reordered':
      return p.movedFrom === undefined
        ? `${where}${zh ? '：' : ': '}${label} [reordered]`
        : zh
          ? `${where}：${label}（本应是第 ${p.movedFrom} 条）[reordered]`
          : `seq ${p.seq}: ${label} (belongs at seq ${p.movedFrom}) [reordered]`;
    case 'edited':
    case 'broken-link':
    case 'head-mismatch':
      return `${where}${zh ? '：' : ': '}${label} [${p.kind}]`;
  }
}

export function registerAuditCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const audit = program.command('audit').description(zh ? '审计记录' : 'audit trail');

  audit
    .command('verify')
    .description(
      zh
        ? '校验审计记录的哈希链：发现被修改、删除或调换的记录时退出码为 1'
        : 'verify the audit hash chains; exit code 1 when an entry was edited, removed or reordered',
    )
    .option('--chain <chain>', zh ? '只校验一条链（县代码、resident、system、anonymous）' : 'one chain only')
    .option('--json', 'JSON output')
    .action(async (options: { chain?: string; json?: boolean }) => {
      await withAuditDatabase(async (db, record) => {
        const report = await verifyAuditLog(db, { chain: options.chain });
        await record({
          action: 'audit.verify',
          objectType: options.chain === undefined ? null : 'audit-chain',
          objectId: options.chain ?? null,
          outcome: 'success',
          details: { isIntact: report.isIntact, entries: report.entries, problemCount: report.problemCount },
        });
        if (options.json) printJson(io, report);
        else {
          for (const c of report.chains) {
            io.out(
              zh
                ? `审计链 ${c.chain}：${c.entries} 条，${c.isIntact ? '完好' : `发现 ${c.problemCount} 个问题`}${c.head ? `（链头 #${c.head.seq} ${c.head.hash.slice(0, 16)}…）` : ''}`
                : `chain ${c.chain}: ${c.entries} entries, ${c.isIntact ? 'intact' : `${c.problemCount} problem(s)`}${c.head ? ` (head #${c.head.seq} ${c.head.hash.slice(0, 16)}…)` : ''}`,
            );
            for (const p of c.problems) io.out(`  ${c.chain} ${describeProblem(p, zh)}`);
            if (c.problemCount > c.problems.length)
              io.out(
                zh
                  ? `  ……另有 ${c.problemCount - c.problems.length} 个问题未列出`
                  : `  … and ${c.problemCount - c.problems.length} more`,
              );
          }
          if (report.chains.length === 0) io.out(zh ? '还没有审计记录。' : 'No audit entries yet.');
          io.out(
            zh
              ? `共 ${report.chains.length} 条链、${report.entries} 条记录：${report.isIntact ? '全部完好' : `发现 ${report.problemCount} 个问题`}`
              : `${report.chains.length} chain(s), ${report.entries} entries: ${report.isIntact ? 'all intact' : `${report.problemCount} problem(s) found`}`,
          );
        }
        setExit(report.isIntact ? EXIT_OK : EXIT_NO);
      });
    });

  audit
    .command('list')
    .description(zh ? '列出审计记录（最新的在前）' : 'list audit entries, newest first')
    .option('--since <date>', zh ? '起始日期或时间（含）' : 'from this date or time on')
    .option('--until <date>', zh ? '截止日期或时间（日期含当天）' : 'up to this date (inclusive) or time')
    .option('--actor <id>', zh ? '操作者：账户编号或用户名' : 'actor: account id or username')
    .option('--action <action>', zh ? '操作' : 'action')
    .option('--outcome <outcome>', OUTCOMES.join(' | '))
    .option('--chain <chain>', zh ? '链' : 'chain')
    .option('--limit <n>', `1–${MAX_PAGE}`, '50')
    .option(
      '--cursor <cursor>',
      zh ? '下一页（上一页给出的 nextCursor）' : 'the next page (nextCursor of the previous page)',
    )
    .option('--json', 'JSON output')
    .action(
      async (options: {
        since?: string;
        until?: string;
        actor?: string;
        action?: string;
        outcome?: string;
        chain?: string;
        limit: string;
        cursor?: string;
        json?: boolean;
      }) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
          throw new UsageError('HUJI_VALIDATION', { detail: `--limit ${options.limit} (1–${MAX_PAGE})` });
        const since = options.since === undefined ? undefined : timeBound(options.since, 'start');
        if (options.since !== undefined && !since)
          throw new UsageError('HUJI_VALIDATION', { detail: `--since ${options.since}` });
        const until = options.until === undefined ? undefined : timeBound(options.until, 'end');
        if (options.until !== undefined && !until)
          throw new UsageError('HUJI_VALIDATION', { detail: `--until ${options.until}` });
        const outcome = options.outcome as Outcome | undefined;
        if (outcome !== undefined && !OUTCOMES.includes(outcome))
          throw new UsageError('HUJI_VALIDATION', { detail: `--outcome ${options.outcome}` });
        await withAuditDatabase(async (db, record) => {
          const page = await listAuditEntries(db, {
            since,
            until,
            actor: options.actor,
            action: options.action,
            outcome,
            chain: options.chain,
            limit,
            cursor: options.cursor,
          });
          await record({
            action: 'audit.read',
            outcome: 'success',
            details: { entries: page.items.length },
          });
          if (options.json) printJson(io, page);
          else {
            for (const e of page.items) {
              const username =
                typeof e.details === 'object' && e.details !== null && !Array.isArray(e.details)
                  ? e.details.username
                  : undefined;
              const who = typeof username === 'string' ? `${e.actorId} (${username})` : e.actorId;
              const object = e.objectType ? `  ${e.objectType} ${e.objectId ?? ''}` : '';
              const outcomeLabel = zh ? OUTCOME_LABELS[e.outcome].zh : OUTCOME_LABELS[e.outcome].en;
              io.out(
                `${chinaTime.format(new Date(e.at))}  ${e.chain}#${e.seq}  ${e.actorKind} ${who}${e.roles.length ? ` [${e.roles.join(',')}]` : ''}  ${e.action}${object}  ${outcomeLabel} ${e.status ?? ''}  ${e.sourceAddress ?? ''}  ${e.requestId ?? ''}`,
              );
            }
            if (page.items.length === 0)
              io.out(zh ? '没有符合条件的审计记录。' : 'No matching audit entries.');
            else if (page.nextCursor)
              io.out(
                zh ? `（还有更多：--cursor ${page.nextCursor}）` : `(more: --cursor ${page.nextCursor})`,
              );
          }
          setExit(EXIT_OK);
        });
      },
    );
}
