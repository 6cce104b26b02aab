/**
 * `huji apply` (scripted submission of an online application, e.g. from a partner system or a test
 * rig, on behalf of a resident identified by their phone number) and `huji queue` (an officer's work
 * queue, ordered by deadline, overdue first). Both work on the database directly, like the other
 * operator commands; the same use cases serve the HTTP API.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { findAccountByUsername } from '../accounts/repository.js';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { HujiError } from '../errors/huji-error.js';
import { readConfig } from '../server/config.js';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { issuesToProblems } from '../server/validation.js';
import { APPLICATION_ACTION_LABELS, APPLICATION_STATE_LABELS } from '../services/workflow.js';
import { ApplicationForm } from '../services/forms.js';
import {
  addMaterial,
  clockOf,
  completenessOf,
  submitApplication,
  typeOfRecord,
  type ServicesContext,
} from '../services/repository.js';
import { officerQueue } from '../services/queue-repository.js';
import { maskCitizenId } from '../standards/masking.js';
import { labelOf, OUTCOME_TEXT } from './labels.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';

async function withServices<T>(
  work: (db: Awaited<ReturnType<typeof openDatabase>>['db'], ctx: ServicesContext) => Promise<T>,
): Promise<T> {
  const config = readConfig();
  const handle = await openDatabase(config.database);
  try {
    await migrateDatabase(handle.db);
    const ctx: ServicesContext = {
      policies: loadPolicyCatalog().policies.map((p) => p.policy),
      publicUrl: config.publicUrl,
      cryptoSuite: config.cryptoSuite,
      timeLimits: config.timeLimits,
    };
    return await work(handle.db, ctx);
  } finally {
    await handle.close();
  }
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError('HUJI_VALIDATION', { detail: `${path}: cannot be read` });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError('HUJI_VALIDATION', {
      detail: `${what} ${path}: not JSON (${error instanceof Error ? error.message : String(error)})`,
    });
  }
}

const MaterialOption = z.string().regex(/^[^=]+=.+$/, { message: 'key=path' });

export function registerServiceCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const label = (t: { zh: string; en: string }) => (zh ? t.zh : t.en);

  program
    .command('apply')
    .description(
      zh
        ? '代群众提交网上申请（脚本化提交）：申请表 JSON、政策事实 JSON 与材料文件'
        : 'submit an online application for a resident (scripted): form JSON, facts JSON and material files',
    )
    .requiredOption('--type <typeId>', zh ? '申请类型，如 settlement/legal-residence' : 'application type id')
    .requiredOption('--form <file>', zh ? '申请表（JSON，见 OpenAPI 的 ApplicationForm）' : 'the form (JSON)')
    .requiredOption(
      '--phone <mobile>',
      zh ? '申请人手机号码（其登录门户后可见此申请）' : "the applicant's mobile number",
    )
    .option('--facts <file>', zh ? '政策事实（JSON）' : 'the facts for the policy engine (JSON)')
    .option(
      '--material <key=path...>',
      zh ? '材料：清单中的材料键=文件路径，可多次' : 'a material: checklist key=file path (repeatable)',
    )
    .option('--provider <id>', zh ? '身份提供方' : 'identity provider of the resident', 'demo-phone')
    .option('--json', 'JSON output')
    .action(
      async (options: {
        type: string;
        form: string;
        phone: string;
        facts?: string;
        material?: string[];
        provider: string;
        json?: boolean;
      }) => {
        if (!/^1[3-9]\d{9}$/.test(options.phone))
          throw new UsageError('HUJI_VALIDATION', {
            detail: `--phone ${options.phone}: not a mainland mobile number`,
          });
        // reportInput: a missing value is then named as such (必填), as the API names it.
        const parsed = ApplicationForm.safeParse(readJsonFile(options.form, '--form'), { reportInput: true });
        if (!parsed.success)
          throw new UsageError('HUJI_VALIDATION', {
            // The API's field messages, in the CLI's language (a wrong code names its table and standard).
            detail: issuesToProblems(parsed.error.issues, 'form')
              .map((p) => `${p.path}: ${p.message[io.locale]}`)
              .join('; '),
          });
        const materials = (options.material ?? []).map((m) => {
          if (!MaterialOption.safeParse(m).success)
            throw new UsageError('HUJI_VALIDATION', { detail: `--material ${m}: expected key=path` });
          const at = m.indexOf('=');
          const path = m.slice(at + 1);
          let bytes: Buffer;
          try {
            bytes = readFileSync(path);
          } catch {
            throw new UsageError('HUJI_VALIDATION', { detail: `${path}: cannot be read` });
          }
          return { materialKey: m.slice(0, at), fileName: basename(path), bytes };
        });
        const facts = options.facts ? readJsonFile(options.facts, '--facts') : undefined;
        const resident = { provider: options.provider, subject: options.phone };
        await withServices(async (db, ctx) => {
          const { record, completeness } = await db.transaction(async (tx) => {
            const submitted = await submitApplication(tx, ctx, resident, {
              typeId: options.type,
              form: parsed.data,
              ...(facts === undefined ? {} : { facts }),
            });
            for (const material of materials)
              await addMaterial(tx, ctx, resident, submitted.application.id, material);
            return { record: submitted, completeness: await completenessOf(tx, ctx, submitted) };
          });
          const clock = clockOf(ctx, record);
          if (options.json) {
            printJson(io, {
              id: record.application.id,
              reference: record.reference,
              countyCode: record.application.countyCode,
              state: record.application.state,
              deadline: clock.deadline,
              decision: { ...record.decision, explanation: undefined },
              completeness,
            });
          } else {
            const type = typeOfRecord(ctx, record);
            io.out(
              `${zh ? '已提交' : 'submitted'} ${record.reference}  ${type ? label(type.label) : record.application.typeId}  ${record.application.countyCode}`,
            );
            io.out(
              `${zh ? '政策' : 'policy'} ${record.decision.policy}  ${zh ? '评估' : 'outcome'} ${labelOf(OUTCOME_TEXT, record.decision.outcome, io.locale)}  ${zh ? '依据' : 'articles'} ${record.decision.articles.map((a) => a.id).join(', ') || '—'}`,
            );
            io.out(`${zh ? '办理时限至' : 'due by'} ${clock.deadline ?? '—'}`);
            const outstanding = [...completeness.missing, ...completeness.toRedo];
            io.out(
              outstanding.length === 0
                ? zh
                  ? '材料齐全'
                  : 'materials complete'
                : `${zh ? '尚缺材料' : 'still missing'}: ${outstanding.map((c) => label(c.label)).join(zh ? '；' : '; ')}`,
            );
          }
          setExit(EXIT_OK);
        });
      },
    );

  program
    .command('queue')
    .description(
      zh
        ? '工作人员的待办队列（超期在前，按时限排序）'
        : "an officer's work queue (overdue first, by deadline)",
    )
    .requiredOption('--officer <username>', zh ? '工作人员账号' : 'the officer account')
    .option('--all', zh ? '包括退回补正等待群众的申请' : 'include applications waiting for the applicant')
    .option('--limit <n>', zh ? '最多显示条数' : 'at most this many', '50')
    .option('--json', 'JSON output')
    .action(async (options: { officer: string; all?: boolean; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('HUJI_VALIDATION', {
          detail: `--limit ${options.limit}: a whole number 1–1000`,
        });
      await withServices(async (db, ctx) => {
        const account = await findAccountByUsername(db, options.officer.toLowerCase());
        if (!account || !account.isEnabled)
          throw new HujiError('HUJI_ACCOUNT_UNKNOWN', { ref: options.officer });
        const officer = {
          kind: 'officer' as const,
          id: account.id,
          roles: account.roles,
          countyCode: account.countyCode,
        };
        const items = await officerQueue(db, ctx, officer, {
          includeWaiting: options.all === true,
          onlyActionable: options.all !== true,
          limit,
        });
        if (options.json) {
          printJson(
            io,
            items.map(({ item, record }) => ({
              id: record.application.id,
              reference: record.reference,
              typeId: record.application.typeId,
              countyCode: record.application.countyCode,
              state: record.application.state,
              applicant: {
                name: record.applicantName,
                citizenId: record.applicantCitizenId ? maskCitizenId(record.applicantCitizenId) : null,
              },
              deadline: item.clock.deadline,
              isOverdue: item.clock.isOverdue,
              remainingWorkingDays: item.clock.remainingWorkingDays,
              actions: item.actions,
            })),
          );
        } else if (items.length === 0) {
          io.out(zh ? '没有待办的申请' : 'nothing in the queue');
        } else {
          for (const { item, record } of items) {
            const type = typeOfRecord(ctx, record);
            const due = item.clock.deadline ?? item.clock.deadlineIfResumed;
            io.out(
              [
                item.clock.isOverdue ? (zh ? '【超期】' : '[OVERDUE]') : '',
                record.reference,
                type ? label(type.label) : record.application.typeId,
                label(APPLICATION_STATE_LABELS[record.application.state]),
                `${zh ? '时限' : 'due'} ${due}`,
                `${record.applicantName} ${record.applicantCitizenId ? maskCitizenId(record.applicantCitizenId) : ''}`,
                item.actions.map((a) => label(APPLICATION_ACTION_LABELS[a])).join('/'),
              ]
                .filter(Boolean)
                .join('  '),
            );
          }
        }
        setExit(items.length === 0 ? EXIT_NO : EXIT_OK);
      });
    });
}
