/** `huji policy …` and `huji seed`: list, show, check, schema, diff and simulate policy versions. */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { conditionText } from '../policy/describe.js';
import { diffPolicies } from '../policy/diff.js';
import { explainPolicy, explainProgramme } from '../policy/explain.js';
import { FACTS, Facts, factsJsonSchema } from '../policy/facts.js';
import { FACT_COLUMNS, factsToRow, rowToFacts } from '../policy/facts-table.js';
import type { Condition, Policy } from '../policy/policy.js';
import { dueDates } from '../policy/schedules.js';
import { createSimulation } from '../policy/simulate.js';
import { syntheticPopulation, type City } from '../policy/synthetic-population.js';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { REGISTER_FACT_PATHS } from '../register/policy-facts.js';
import { registeredPopulationFacts } from '../register/population-facts.js';
import { seedRegister } from '../register/seed-register.js';
import { readConfig } from '../server/config.js';
import { loadPolicyCatalog } from '../server/policy-catalog.js';
import { todayInChina } from '../standards/calendar.js';
import { findDivision } from '../standards/divisions.js';
import { parseCsv, toCsvLine } from './csv.js';
import { isStandingDraftClause } from '../policy/cited-article.js';
import { labelOf, OUTCOME_TEXT, POLICY_STATUS_TEXT } from './labels.js';
import { EXIT_NO, EXIT_OK, printJson, UsageError, type Io } from './output.js';
import { pick, renderDecision } from './render-decision.js';

function policyOrUsage(id: string): Policy {
  const catalog = loadPolicyCatalog();
  const found = catalog.find(id);
  if (!found) {
    throw new UsageError('HUJI_POLICY_UNKNOWN', {
      id,
      known: catalog.policies.map((p) => p.policy.id).join(', '),
    });
  }
  return found.policy;
}

/** The programme `policy check` answers for by its exit code: settlement, or the first where there is none. */
function mainProgramme(policy: Policy): string | undefined {
  return (policy.programmes.find((x) => x.id === 'settlement') ?? policy.programmes[0])?.id;
}

function conditionLines(c: Condition, io: Io, depth: number, out: string[]) {
  out.push(
    `${'  '.repeat(depth)}- ${pick(conditionText(c), io.locale)}${c.article ? ` [${c.article}]` : ''}`,
  );
  if ('all' in c) for (const x of c.all) conditionLines(x, io, depth + 1, out);
  if ('any' in c) for (const x of c.any) conditionLines(x, io, depth + 1, out);
  if ('not' in c) conditionLines(c.not, io, depth + 1, out);
}

/**
 * The register's active persons (of a county or city code prefix) with the facts it holds; every other
 * fact keeps its default (src/register/policy-facts.ts).
 */
async function* registerPopulation(countyPrefix: string, io: Io): AsyncGenerator<Facts> {
  io.err(
    io.locale === 'zh-CN'
      ? `人口库在册人员${countyPrefix ? `（${countyPrefix}）` : ''}：取自人口库的事实为 ${REGISTER_FACT_PATHS.join('；')}；住所、就业、社保等其他事实取默认值（无 / 0），需要它们的途径只是下限。`
      : `registered persons${countyPrefix ? ` (${countyPrefix})` : ''}: facts from the register are ${REGISTER_FACT_PATHS.join('; ')}; residence, employment, social insurance and other facts take their defaults (none / 0), so pathways that need them are a lower bound.`,
  );
  const handle = await openDatabase(readConfig().database);
  try {
    await migrateDatabase(handle.db);
    yield* registeredPopulationFacts(handle.db, countyPrefix, todayInChina());
  } finally {
    await handle.close();
  }
}

/** A population source: a facts CSV file, `synthetic:<city>:<persons>[:<seed>]` or `db[:<code prefix>]`. */
async function* population(
  source: string,
  io: Io,
  onBadRow: (line: number, problems: string) => void,
): AsyncGenerator<Facts> {
  const synthetic = /^synthetic:(quzhou|lanzhou):(\d+)(?::(\d+))?$/.exec(source);
  if (synthetic) {
    yield* syntheticPopulation(synthetic[1] as City, Number(synthetic[2]), Number(synthetic[3] ?? 1));
    return;
  }
  const fromRegister = /^db(?::(\d{2,6}))?$/.exec(source);
  if (fromRegister) {
    yield* registerPopulation(fromRegister[1] ?? '', io);
    return;
  }
  let header: string[] | undefined;
  let line = 0;
  let pending = '';
  let pendingLine = 0;
  // Records may span lines (quoted newlines): accumulate until the quotes balance.
  for await (const text of createInterface({
    input: createReadStream(source, 'utf8'),
    crlfDelay: Infinity,
  })) {
    line++;
    if (pending === '') pendingLine = line;
    pending = pending === '' ? text : `${pending}\n${text}`;
    if ((pending.match(/"/g)?.length ?? 0) % 2 === 1) continue;
    const [row] = parseCsv(pending);
    pending = '';
    if (!row) continue;
    if (!header) {
      header = row.cells.map((c) => c.trim());
      const unknown = header.filter((h) => !FACT_COLUMNS.includes(h));
      if (unknown.length > 0)
        throw new UsageError('HUJI_VALIDATION', {
          detail: `${source}: unknown columns ${unknown.join(', ')}`,
        });
      continue;
    }
    const result = rowToFacts(header, row.cells);
    if (result.facts) yield result.facts;
    else onBadRow(pendingLine, result.problems.map((p) => `${p.column}: ${p.message}`).join('; '));
  }
  void io;
}

export function registerPolicyCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const policy = program
    .command('policy')
    .description(
      zh ? '落户政策版本：查看、核验、比较、模拟' : 'policy versions: show, check, compare, simulate',
    );

  policy
    .command('list')
    .description(zh ? '列出政策版本' : 'list policy versions')
    .option('--json', 'JSON output')
    .action((options: { json?: boolean }) => {
      const catalog = loadPolicyCatalog();
      const items = catalog.policies.map(({ policy: p, sha256 }) => ({
        id: p.id,
        version: p.version,
        ref: `${p.id}@${p.version}`,
        status: p.status,
        jurisdiction: p.jurisdiction,
        jurisdictionName: findDivision(p.jurisdiction)?.name ?? p.jurisdiction,
        title: p.title,
        effective: p.effective,
        programmes: p.programmes.map((x) => x.id),
        sha256,
      }));
      if (options.json) printJson(io, { items });
      else
        for (const i of items)
          io.out(
            `${i.ref.padEnd(24)} ${labelOf(POLICY_STATUS_TEXT, i.status, io.locale).padEnd(9)} ${i.jurisdictionName} ${pick(i.title, io.locale)} (${i.effective.from} – ${i.effective.to ?? ''})`,
          );
      setExit(EXIT_OK);
    });

  policy
    .command('show')
    .description(zh ? '显示政策的条款与规则' : 'show the articles and rules of a policy')
    .argument('<id>')
    .option('--json', 'JSON output')
    .action((id: string, options: { json?: boolean }) => {
      const p = policyOrUsage(id);
      if (options.json) {
        printJson(io, p);
        setExit(EXIT_OK);
        return;
      }
      const out = [
        `${pick(p.title, io.locale)} (${p.id}@${p.version}, ${labelOf(POLICY_STATUS_TEXT, p.status, io.locale)})`,
        `${p.source.document} · ${p.source.issuer} · ${p.source.date}`,
        '',
      ];
      for (const programme of p.programmes) {
        out.push(`## ${pick(programme.title, io.locale)} (${programme.id})`);
        for (const pathway of programme.pathways) {
          out.push(`### ${pick(pathway.title, io.locale)} [${pathway.article}]`);
          conditionLines(pathway.when, io, 1, out);
          out.push(`  ${zh ? '决定机关' : 'decided by'}: ${pick(pathway.decidedBy, io.locale)}`);
        }
        out.push('');
      }
      const year = Number(todayInChina().slice(0, 4));
      for (const d of dueDates(p, year)) {
        out.push(
          `${zh ? '报送期限' : 'Due'} ${d.due}: ${pick(d.title, io.locale)} (${d.period}) [${d.article}]`,
        );
      }
      if (p.schedules.length > 0) out.push('');
      out.push(zh ? '## 条款原文' : '## Articles');
      for (const a of p.articles) out.push(`${a.id} 「${a.quote}」${zh ? '' : `\n  ${a.translation}`}`);
      io.out(out.join('\n'));
      setExit(EXIT_OK);
    });

  policy
    .command('check')
    .description(
      zh ? '按政策核验一个人的事实（FACTS.json）' : "check one person's facts (FACTS.json) against a policy",
    )
    .requiredOption('--policy <id>', zh ? '政策版本' : 'policy version')
    .argument('<facts>', zh ? '事实 JSON 文件（- 为标准输入）' : 'facts JSON file (- for stdin)')
    .option(
      '--programme <id>',
      zh
        ? '事项（默认全部；退出码按落户事项，无落户事项时按第一个事项）'
        : 'programme (default: all; the exit code follows settlement, or the first programme where there is none)',
    )
    .option('--verbose', zh ? '显示每条路径的每个条件' : 'show every condition of every pathway')
    .option('--json', 'JSON output')
    .action(
      (file: string, options: { policy: string; programme?: string; verbose?: boolean; json?: boolean }) => {
        const p = policyOrUsage(options.policy);
        let raw: unknown;
        try {
          raw = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8'));
        } catch (error) {
          throw new UsageError('HUJI_MALFORMED_BODY', { detail: `${file}: ${(error as Error).message}` });
        }
        const parsed = Facts.safeParse(raw);
        if (!parsed.success) {
          throw new UsageError('HUJI_VALIDATION', {
            detail: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          });
        }
        if (options.programme && !p.programmes.some((x) => x.id === options.programme)) {
          throw new UsageError('HUJI_VALIDATION', {
            detail: `--programme ${options.programme} (${p.programmes.map((x) => x.id).join(', ')})`,
          });
        }
        const decisions = options.programme
          ? [explainProgramme(p, parsed.data, options.programme)]
          : explainPolicy(p, parsed.data);
        if (options.json) printJson(io, { decisions });
        else
          io.out(
            decisions
              .map((d) => renderDecision(d, io.locale, { verbose: options.verbose ?? false }))
              .join('\n\n———\n\n'),
          );
        // The exit code answers one question: the programme named, else settlement (else the first). A
        // refused settlement is a "no" even when the person qualifies for some other programme.
        const decisive = options.programme ?? mainProgramme(p);
        const answer = decisions.find((d) => d.programme.id === decisive);
        setExit(answer?.outcome === 'not_eligible' ? EXIT_NO : EXIT_OK);
      },
    );

  policy
    .command('schema')
    .description(
      zh ? '规则可用的事实（--json 输出 JSON Schema）' : 'the facts rules may use (--json: JSON Schema)',
    )
    .option('--json', 'JSON Schema output')
    .action((options: { json?: boolean }) => {
      if (options.json) printJson(io, factsJsonSchema());
      else
        for (const d of FACTS.values())
          io.out(
            `${d.path.padEnd(40)} ${d.type.padEnd(8)} ${io.locale === 'zh-CN' ? d.zh : d.en}${d.options ? ` (${d.options.join(' | ')})` : ''}`,
          );
      setExit(EXIT_OK);
    });

  policy
    .command('diff')
    .description(zh ? '逐条比较两个政策版本' : 'compare two policy versions article by article')
    .argument('<from>')
    .argument('<to>')
    .option('--json', 'JSON output')
    .action((from: string, to: string, options: { json?: boolean }) => {
      const d = diffPolicies(policyOrUsage(from), policyOrUsage(to));
      if (options.json) {
        printJson(io, d);
        setExit(EXIT_OK);
        return;
      }
      const VERDICT = {
        added: { zh: '新增', en: 'added' },
        removed: { zh: '删除', en: 'removed' },
        loosened: { zh: '放宽', en: 'loosened' },
        tightened: { zh: '收紧', en: 'tightened' },
        changed: { zh: '变化', en: 'changed' },
        unchanged: { zh: '未变', en: 'unchanged' },
      } as const;
      io.out(`${d.from} → ${d.to}`);
      for (const p of d.pathways) {
        io.out(
          `[${pick(VERDICT[p.verdict], io.locale)}] ${pick(p.title, io.locale)} (${p.fromArticle ?? '—'} → ${p.toArticle ?? '—'})`,
        );
        for (const x of p.details)
          io.out(`    · [${pick(VERDICT[x.kind], io.locale)}] ${pick(x.text, io.locale)}`);
      }
      const s = d.summary;
      io.out(
        zh
          ? `合计（按途径）：放宽 ${s.loosened}，收紧 ${s.tightened}，变化 ${s.changed}，新增 ${s.added}，删除 ${s.removed}，未变 ${s.unchanged}`
          : `Total (pathways): ${s.loosened} loosened, ${s.tightened} tightened, ${s.changed} changed, ${s.added} added, ${s.removed} removed, ${s.unchanged} unchanged`,
      );
      setExit(EXIT_OK);
    });

  policy
    .command('simulate')
    .description(zh ? '在整个人口上模拟政策效果' : 'simulate a policy over a whole population')
    .requiredOption('--policy <id>', zh ? '政策版本' : 'policy version')
    .option('--compare <id>', zh ? '与之比较的版本' : 'version to compare with')
    .requiredOption(
      '--population <source>',
      zh
        ? '人口：CSV 文件、synthetic:<城市>:<人数>[:<种子>]，或 db[:<区划代码前缀>]（人口库在册人员；库中没有的事实取默认值）'
        : 'population: a facts CSV file, synthetic:<city>:<persons>[:<seed>], or db[:<code prefix>] (registered persons; facts the register lacks take their defaults)',
    )
    .option('--programme <id>', zh ? '事项（默认第一个）' : 'programme (default: the first)')
    .option('--json', 'JSON output')
    .action(
      async (options: {
        policy: string;
        compare?: string;
        population: string;
        programme?: string;
        json?: boolean;
      }) => {
        const p = policyOrUsage(options.policy);
        const compareWith = options.compare ? policyOrUsage(options.compare) : undefined;
        const simulation = createSimulation(p, {
          ...(options.programme ? { programme: options.programme } : {}),
          ...(compareWith ? { compareWith } : {}),
        });
        const badRows: { line: number; problems: string }[] = [];
        const total = /^synthetic:\w+:(\d+)/.exec(options.population)?.[1];
        const bar = new SingleBar({
          format: `${zh ? '模拟' : 'simulating'} [{bar}] {value}${total ? '/{total}' : ''} · {speed}/s · ETA {eta}s`,
          stream: process.stderr,
          noTTYOutput: false,
        });
        bar.start(Number(total ?? 0), 0, { speed: 0 });
        const started = performance.now();
        let n = 0;
        for await (const facts of population(options.population, io, (line, problems) =>
          badRows.push({ line, problems }),
        )) {
          simulation.add(facts);
          if (++n % 5000 === 0)
            bar.update(n, { speed: Math.round(n / ((performance.now() - started) / 1000)) });
        }
        bar.update(n, { speed: Math.round(n / Math.max(0.001, (performance.now() - started) / 1000)) });
        bar.stop();
        const report = simulation.report();
        if (options.json) {
          printJson(io, { ...report, rejectedRows: badRows });
        } else {
          io.out(renderSimulation(report, p, io));
          for (const b of badRows.slice(0, 20)) io.err(`${options.population}:${b.line}: ${b.problems}`);
          if (badRows.length > 0)
            io.err(zh ? `共 ${badRows.length} 行无效，已跳过` : `${badRows.length} invalid rows skipped`);
        }
        setExit(EXIT_OK);
      },
    );

  program
    .command('seed')
    .description(
      zh
        ? '生成可复现的合成人口：写入人口库，或输出政策事实 CSV'
        : 'generate a reproducible synthetic population: into the register, or as a facts CSV',
    )
    .requiredOption('--city <city>', 'quzhou | lanzhou')
    .requiredOption('--persons <n>', zh ? '人数' : 'number of persons')
    .option('--seed <s>', zh ? '随机种子' : 'random seed', '1')
    .option(
      '--duplicates <rate>',
      zh ? '一人多户比例（写入人口库时）' : 'share of duplicate registrations (register only)',
      '0',
    )
    .option(
      '--facts-csv <file>',
      zh
        ? '不写人口库，输出政策事实 CSV（- 为标准输出）'
        : 'write policy facts as CSV instead of the register (- for stdout)',
    )
    .option('--json', 'JSON output')
    .action(
      async (options: {
        city: string;
        persons: string;
        seed: string;
        duplicates: string;
        factsCsv?: string;
        json?: boolean;
      }) => {
        if (options.city !== 'quzhou' && options.city !== 'lanzhou')
          throw new UsageError('HUJI_VALIDATION', { detail: `--city ${options.city} (quzhou | lanzhou)` });
        const persons = Number(options.persons);
        const seed = Number(options.seed);
        const duplicateRate = Number(options.duplicates);
        if (!Number.isInteger(persons) || persons < 1 || persons > 50_000_000)
          throw new UsageError('HUJI_VALIDATION', { detail: `--persons ${options.persons} (1–50,000,000)` });
        if (!Number.isInteger(seed))
          throw new UsageError('HUJI_VALIDATION', { detail: `--seed ${options.seed} (an integer)` });
        if (!(duplicateRate >= 0 && duplicateRate <= 0.2))
          throw new UsageError('HUJI_VALIDATION', { detail: `--duplicates ${options.duplicates} (0–0.2)` });
        if (options.factsCsv) {
          const lines = [toCsvLine(FACT_COLUMNS)];
          for (const facts of syntheticPopulation(options.city, persons, seed))
            lines.push(toCsvLine(factsToRow(facts)));
          const text = `${lines.join('\n')}\n`;
          if (options.factsCsv === '-') process.stdout.write(text);
          else {
            writeFileSync(options.factsCsv, text);
            // Said on stderr, so `--facts-csv -` piped elsewhere stays pure CSV.
            io.err(
              zh
                ? `已写出 ${persons} 人的政策事实（${lines.length - 1} 行，${options.city}，种子 ${seed}）到 ${options.factsCsv}`
                : `wrote the policy facts of ${persons} persons (${lines.length - 1} rows, ${options.city}, seed ${seed}) to ${options.factsCsv}`,
            );
          }
          setExit(EXIT_OK);
          return;
        }
        const handle = await openDatabase(readConfig().database);
        const bar = new SingleBar({
          format: `${zh ? '生成' : 'seeding'} [{bar}] {value}/{total} · {speed}/s`,
          stream: process.stderr,
          noTTYOutput: false,
        });
        const started = performance.now();
        bar.start(persons, 0, { speed: 0 });
        try {
          await migrateDatabase(handle.db);
          const report = await seedRegister(
            handle,
            { city: options.city, persons, seed, duplicateRate },
            (n) => {
              if (n % 500 < 8)
                bar.update(Math.min(n, persons), {
                  speed: Math.round(n / ((performance.now() - started) / 1000)),
                });
            },
          );
          bar.update(persons);
          bar.stop();
          const seconds = (performance.now() - started) / 1000;
          if (options.json) printJson(io, { ...report, seconds: Math.round(seconds * 10) / 10 });
          else
            io.out(
              zh
                ? `生成 ${report.persons} 人 ${report.households} 户：导入 ${report.imported} 户，已存在 ${report.alreadyImported} 户，拒收 ${report.rejected} 户（同号重复登记）；${Math.round(report.persons / seconds)} 人/秒`
                : `${report.persons} persons in ${report.households} households: ${report.imported} imported, ${report.alreadyImported} already there, ${report.rejected} refused (same-id duplicates); ${Math.round(report.persons / seconds)} persons/s`,
            );
        } finally {
          bar.stop();
          await handle.close();
        }
        setExit(EXIT_OK);
      },
    );
}

/** A programme's title in the user's language (its id when the policy lacks it). */
function programmeTitle(p: Policy, id: string, locale: Io['locale']): string {
  const programme = p.programmes.find((x) => x.id === id);
  return programme ? pick(programme.title, locale) : id;
}

function renderSimulation(
  r: ReturnType<ReturnType<typeof createSimulation>['report']>,
  p: Policy,
  io: Io,
): string {
  const zh = io.locale === 'zh-CN';
  // A draft clause cited under the final version is marked as standing (the final is silent there).
  const standing = (id: string) =>
    isStandingDraftClause(p, id) ? `${id} · ${zh ? '沿用送审稿' : 'draft clause, stands'}` : id;
  const pct = (n: number) => (r.persons === 0 ? '0.0' : ((100 * n) / r.persons).toFixed(1));
  const out = [
    `${pick(p.title, io.locale)} (${r.policy}) · ${programmeTitle(p, r.programme, io.locale)}${r.compareWith ? ` ${zh ? '对比' : 'vs'} ${r.compareWith}` : ''}`,
    `${zh ? '人数' : 'persons'}: ${r.persons.toLocaleString('en-US')}`,
    `${zh ? '符合条件' : 'eligible'}: ${r.outcomes.eligible.toLocaleString('en-US')} (${pct(r.outcomes.eligible)}%)  ${zh ? '需审批' : 'needs approval'}: ${r.outcomes.needs_approval.toLocaleString('en-US')} (${pct(r.outcomes.needs_approval)}%)  ${zh ? '不符合' : 'not eligible'}: ${r.outcomes.not_eligible.toLocaleString('en-US')} (${pct(r.outcomes.not_eligible)}%)`,
    '',
    zh ? '按路径（一人可满足多条）：' : 'By pathway (one person may hold several):',
  ];
  for (const x of r.pathways)
    out.push(
      `  ${pick(x.title, io.locale).padEnd(zh ? 16 : 40)} [${standing(x.article)}] ${x.met.toLocaleString('en-US').padStart(10)}${x.needsApproval ? ` (+${x.needsApproval.toLocaleString('en-US')} ${zh ? '需审批' : 'need approval'})` : ''}`,
    );
  out.push('', zh ? '按县（市、区）：' : 'By county:');
  for (const [code, c] of Object.entries(r.counties).sort()) {
    out.push(
      `  ${code} ${(findDivision(code)?.name ?? '').padEnd(6)} ${c.persons.toLocaleString('en-US').padStart(10)}  ${zh ? '符合' : 'eligible'} ${c.eligible.toLocaleString('en-US').padStart(9)}  ${zh ? '需审批' : 'approval'} ${c.needs_approval.toLocaleString('en-US').padStart(8)}`,
    );
  }
  if (r.comparison) {
    const c = r.comparison;
    out.push(
      '',
      `${zh ? '与' : 'Against'} ${r.compareWith}: ${c.changed.toLocaleString('en-US')} ${zh ? '人结论改变' : 'persons change outcome'}`,
    );
    for (const ch of c.changes)
      out.push(
        `  ${labelOf(OUTCOME_TEXT, ch.from, io.locale)} → ${labelOf(OUTCOME_TEXT, ch.to, io.locale)}: ${ch.count.toLocaleString('en-US')}`,
      );
    out.push(zh ? '原因（路径结论变化）：' : 'Why (pathway changes):');
    for (const reason of c.reasons) {
      out.push(
        `  ${pick(reason.title, io.locale)} [${reason.fromArticle ?? '—'} → ${reason.toArticle ? standing(reason.toArticle) : '—'}]: ${labelOf(OUTCOME_TEXT, reason.from, io.locale)} → ${labelOf(OUTCOME_TEXT, reason.to, io.locale)} · ${reason.count.toLocaleString('en-US')}`,
      );
    }
  }
  return out.join('\n');
}
