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
import {
  verifyAuditAnchors,
  writeAuditAnchor,
  type AnchorProblem,
  type AnchorVerification,
} from '../audit/anchors.js';
import { OUTCOMES, type ChainProblem, type Outcome, type ProblemKind } from '../audit/chain.js';
import { openDatabase, type HujiDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { readConfig, type Config } from '../server/config.js';
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
    config: Config,
  ) => Promise<T>,
): Promise<T> {
  const config = readConfig();
  const handle = await openDatabase(config.database);
  try {
    await migrateDatabase(handle.db);
    const writer = new AuditWriter(handle.db, { suite: config.cryptoSuite });
    try {
      return await work(
        handle.db,
        (entry) => writer.record({ ...entry, actorKind: 'system', actorId: cliOperator() }),
        config,
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

function describeAnchors(a: AnchorVerification, zh: boolean): string {
  if (a.anchors === 0 && a.problems.length === 0)
    return zh
      ? `还没有锚点（${a.file}）：末尾被截去的记录无法发现；运行 huji audit anchor 或启动服务端`
      : `no anchors yet (${a.file}): a cut tail cannot be detected; run huji audit anchor or start the server`;
  const last = a.last ? ` #${a.last.n} ${chinaTime.format(new Date(a.last.at))}` : '';
  return zh
    ? `锚点：${a.anchors} 个（最近${last}${a.last ? `，密钥 ${a.last.kid}` : ''}），覆盖 ${a.chains} 条链：${a.isIntact ? '记录与锚点相符' : `发现 ${a.problems.length} 个问题`}`
    : `anchors: ${a.anchors} (last${last}${a.last ? `, key ${a.last.kid}` : ''}) over ${a.chains} chain(s): ${a.isIntact ? 'the entries match them' : `${a.problems.length} problem(s)`}`;
}

function describeAnchorProblem(p: AnchorProblem, zh: boolean): string {
  const at = p.at ? ` ${chinaTime.format(new Date(p.at))}` : '';
  const which = p.anchor !== undefined ? `#${p.anchor}${at}` : zh ? `第 ${p.line} 行` : `line ${p.line}`;
  switch (p.kind) {
    case 'tail-cut': {
      const from = (p.lastSeq ?? 0) + 1;
      const range = from === p.anchoredSeq ? `${from}` : `${from}–${p.anchoredSeq}`;
      return zh
        ? `审计链 ${p.chain} 末尾被截去：锚点 ${which} 记录链头为第 ${p.anchoredSeq} 条，现只到第 ${p.lastSeq} 条（第 ${range} 条缺失）[tail-cut]`
        : `chain ${p.chain}: tail cut after anchor ${which}: the anchor fixed the head at seq ${p.anchoredSeq}, the chain now ends at seq ${p.lastSeq} (seq ${range} missing) [tail-cut]`;
    }
    case 'rewritten':
      return zh
        ? `审计链 ${p.chain} 第 ${p.anchoredSeq} 条与锚点 ${which} 记录的哈希不符（记录被改写）[rewritten]`
        : `chain ${p.chain}: seq ${p.anchoredSeq} does not match the hash anchor ${which} fixed (entries rewritten) [rewritten]`;
    case 'signature-invalid': {
      const why = {
        malformed: { zh: '不是有效的锚点', en: 'not a well-formed anchor' },
        'unknown-key': { zh: '签名密钥不在锚点目录中', en: 'signed with a key not in the anchor directory' },
        'bad-signature': { zh: '签名与内容不符', en: 'the signature does not match the content' },
      }[p.reason ?? 'malformed'];
      return zh
        ? `锚点 ${which}（第 ${p.line} 行）签名无效：${why.zh} [anchor-signature-invalid]`
        : `anchor ${which} (line ${p.line}): signature invalid: ${why.en} [anchor-signature-invalid]`;
    }
    case 'sequence-broken':
      return zh
        ? `锚点 ${which}（第 ${p.line} 行）与前一行不衔接（锚点被删除、插入或调换）[anchor-sequence-broken]`
        : `anchor ${which} (line ${p.line}) does not follow the line before (an anchor removed, inserted or reordered) [anchor-sequence-broken]`;
    case 'anchors-missing':
      return zh
        ? `数据库记录已写到锚点 #${p.expected}，锚点文件中没有该锚点（最后一个有效锚点 #${p.found}）：锚点文件被截短或替换 [anchors-missing]`
        : `the database recorded anchor #${p.expected}, the anchors file does not hold it (last valid anchor #${p.found}): the file was truncated or replaced [anchors-missing]`;
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
      await withAuditDatabase(async (db, record, config) => {
        const report = await verifyAuditLog(db, { chain: options.chain });
        const anchors = await verifyAuditAnchors(db, { dir: config.auditAnchors.dir, chain: options.chain });
        const isIntact = report.isIntact && anchors.isIntact;
        await record({
          action: 'audit.verify',
          objectType: options.chain === undefined ? null : 'audit-chain',
          objectId: options.chain ?? null,
          outcome: 'success',
          details: {
            isIntact,
            entries: report.entries,
            problemCount: report.problemCount,
            anchors: anchors.anchors,
            anchorProblems: anchors.problems.length,
          },
        });
        if (options.json) printJson(io, { ...report, isIntact, anchors });
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
          io.out(describeAnchors(anchors, zh));
          for (const p of anchors.problems) io.out(`  ${describeAnchorProblem(p, zh)}`);
          io.out(
            zh
              ? `共 ${report.chains.length} 条链、${report.entries} 条记录、${anchors.anchors} 个锚点：${isIntact ? '全部完好' : `发现 ${report.problemCount + anchors.problems.length} 个问题`}`
              : `${report.chains.length} chain(s), ${report.entries} entries, ${anchors.anchors} anchor(s): ${isIntact ? 'all intact' : `${report.problemCount + anchors.problems.length} problem(s) found`}`,
          );
        }
        setExit(isIntact ? EXIT_OK : EXIT_NO);
      });
    });

  audit
    .command('anchor')
    .description(
      zh
        ? '立即为审计链的链头写一个签名锚点（服务端也按 HUJI_AUDIT_ANCHOR_MINUTES 定期写）'
        : 'write a signed anchor of the audit chain heads now (the server also writes one every HUJI_AUDIT_ANCHOR_MINUTES)',
    )
    .option('--json', 'JSON output')
    .action(async (options: { json?: boolean }) => {
      await withAuditDatabase(async (db, record, config) => {
        // Recorded first, so the anchor fixes the entry of its own making too.
        await record({ action: 'audit.anchor', outcome: 'success' });
        const result = await writeAuditAnchor(db, {
          dir: config.auditAnchors.dir,
          suite: config.cryptoSuite,
        });
        if (options.json) printJson(io, result);
        else if (!result.anchor)
          io.out(
            zh
              ? `链头自上个锚点以来未变，未写新锚点（${result.file}）`
              : `no head moved since the last anchor; none written (${result.file})`,
          );
        else
          io.out(
            zh
              ? `锚点 #${result.anchor.n}：${result.chains} 条链的链头，${result.anchor.suite === 'gm' ? 'SM2' : 'Ed25519'} 签名（密钥 ${result.anchor.kid}），已写入 ${result.file}`
              : `anchor #${result.anchor.n}: the heads of ${result.chains} chain(s), signed with ${result.anchor.suite === 'gm' ? 'SM2' : 'Ed25519'} (key ${result.anchor.kid}), written to ${result.file}`,
          );
        setExit(EXIT_OK);
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
