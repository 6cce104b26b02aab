/**
 * `npm run bench:policy [-- --persons N --seed S --runs R]`: the Quzhou final settlement pathways over a
 * synthetic population, evaluated in one process by
 *   - a hand-written TypeScript function (the baseline, `quzhou-final-handwritten.ts`),
 *   - Huji's compiled programme (bulk mode; also its closure fallback) and its explaining evaluator
 *     (compiled: the compact record, and spelt out as Decision objects; and the reference interpreter),
 *   - json-rules-engine (`quzhou-final-json-rules.ts`) and @gorules/zen-engine (`quzhou-final-zen.ts`),
 * checking that all agree on every person they evaluated and printing persons/s and the ratios. It prints
 * figures; it asserts nothing about time (only agreement fails the run, with exit code 1).
 *
 * Method: the population is generated into an array and every output buffer allocated before timing;
 * each implementation is warmed up, then timed `--runs` times (at least 2) with `process.hrtime.bigint()`
 * and the best run is reported. The slow implementations run on a sample (the first persons of the same
 * population) sized so that a run takes a few seconds on a 2-core machine.
 *
 * Caveats on noise: figures move by ±10–20 % between runs on a shared or virtualised machine (CPU
 * frequency, neighbours, GC of the 1.3 GB population), the best of a few runs hides but does not remove
 * that; zen-engine evaluates on a native worker pool, so its figures also depend on the number of cores
 * and on what else runs on them; compare ratios from the same run, not figures from different machines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  compileColumnar,
  compileProgramme,
  encodeColumns,
  type CompiledProgramme,
} from '../src/policy/compile.js';
import { evaluateProgramme, type Outcome } from '../src/policy/evaluate.js';
import { compileExplainer, toDecision, type CompiledExplainer } from '../src/policy/explain.js';
import type { Facts } from '../src/policy/facts.js';
import type { Policy } from '../src/policy/policy.js';
import { syntheticPopulation } from '../src/policy/synthetic-population.js';
import { loadPolicyCatalog } from '../src/server/policy-catalog.js';
import { QUZHOU_FINAL_PATHWAYS, writeQuzhouFinalStatuses } from './quzhou-final-handwritten.js';
import { createJsonRulesEvaluator, type JsonRulesEngineModule } from './quzhou-final-json-rules.js';
import { createZenEvaluator, encodeForZen, type ZenEngineModule } from './quzhou-final-zen.js';

const POLICY_ID = 'quzhou-2017-final';
const WIDTH = QUZHOU_FINAL_PATHWAYS.length;

/** Persons per slow implementation at the full size: a run of a few seconds each on 2 cores. */
const SAMPLES = {
  explained: 100_000,
  /** Persons whose compiled decisions are compared with the reference evaluator's, field by field. */
  explanationCheck: 20_000,
  jsonRulesJsonPath: 10_000,
  jsonRulesPlainPath: 20_000,
  zenBatch: 300_000,
  zenEach: 40_000,
  zenTracedBatch: 100_000,
  zenTracedEach: 40_000,
} as const;

/** zen-engine batch shape, tuned on this machine: small chunks with a few in flight beat one big call. */
const ZEN_BATCH = { chunk: 1_000, inFlight: 4 } as const;
const ZEN_EACH = { inFlight: 16 } as const;

// ---- peers: installed on demand into bench/peers, never into the main package ----

const PEERS_DIR = fileURLToPath(new URL('./peers/', import.meta.url));

/** Installs bench/peers' dependencies when one is missing or at another version than pinned. */
function ensurePeers(): void {
  const manifest = JSON.parse(readFileSync(`${PEERS_DIR}package.json`, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const stale = Object.entries(manifest.dependencies).filter(([name, version]) => {
    const installed = `${PEERS_DIR}node_modules/${name}/package.json`;
    if (!existsSync(installed)) return true;
    return (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version !== version;
  });
  if (stale.length === 0) return;
  console.log(`installing bench peers (${stale.map(([n, v]) => `${n}@${v}`).join(', ')}) into bench/peers …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    ['install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--no-package-lock'],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`npm install --prefix bench/peers failed (${result.status})`);
}

/** Requires a package from bench/peers/node_modules (the main package does not depend on it). */
const requirePeer = createRequire(`${PEERS_DIR}package.json`);

function peerVersion(name: string): string {
  return (requirePeer(`${name}/package.json`) as { version: string }).version;
}

// ---- measuring ----

interface Measurement {
  readonly name: string;
  readonly persons: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/** Warms `run` up, then times it `runs` times and keeps the best. */
async function measure(
  name: string,
  persons: number,
  runs: number,
  run: () => void | Promise<void>,
  warmUp: () => void | Promise<void> = run,
): Promise<Measurement> {
  await warmUp();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    await run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (seconds < best) best = seconds;
  }
  console.log(`  measured ${name}`);
  return { name, persons, seconds: best, perSecond: persons / best };
}

class Disagreement extends Error {
  override readonly name = 'Disagreement';
}

/** Throws on the first person whose statuses differ from the reference (Huji bulk). */
function checkAgreement(name: string, reference: Uint8Array, actual: Uint8Array, persons: number): void {
  for (let i = 0; i < persons * WIDTH; i++) {
    if (actual[i] === reference[i]) continue;
    const person = Math.floor(i / WIDTH);
    const row = (a: Uint8Array) => [...a.subarray(person * WIDTH, (person + 1) * WIDTH)].join('');
    const differing = QUZHOU_FINAL_PATHWAYS.flatMap((id, p) => {
      const [want, got] = [reference[person * WIDTH + p], actual[person * WIDTH + p]];
      return want === got ? [] : [`${id}: Huji ${want}, ${name} ${got}`];
    });
    throw new Disagreement(
      `${name} disagrees with Huji's engine on person #${person}: ${differing.join('; ')} ` +
        `(statuses in pathway order ${QUZHOU_FINAL_PATHWAYS.join(', ')}: Huji ${row(reference)}, ${name} ${row(actual)})`,
    );
  }
}

const STATUS_OF: Record<Outcome, number> = { not_eligible: 0, needs_approval: 1, eligible: 2 };

// Huji's and the hand-written loop are separate functions so that each call site stays monomorphic while
// timed (the closure fallback shares `runHuji`, but only after the codegen version was timed).
function runHuji(compiled: CompiledProgramme, persons: readonly Facts[], out: Uint8Array): void {
  const evaluateInto = compiled.evaluateInto;
  for (let i = 0; i < persons.length; i++) evaluateInto(persons[i] as Facts, out, i * WIDTH);
}

function runHandwritten(persons: readonly Facts[], out: Uint8Array): void {
  for (let i = 0; i < persons.length; i++) writeQuzhouFinalStatuses(persons[i] as Facts, out, i * WIDTH);
}

/**
 * The compiled explainer's compact record: every condition's status and seen value, followers, nearest
 * changes, cited articles. Besides the statuses, a checksum reads the other parts of each record, so that
 * none of it could be left uncomputed.
 */
function runExplainedCompact(
  explainer: CompiledExplainer,
  persons: readonly Facts[],
  out: Uint8Array,
): number {
  const roots = explainer.pathwayRoots;
  let sum = 0;
  for (let i = 0; i < persons.length; i++) {
    const x = explainer.explain(persons[i] as Facts);
    const conditions = x.conditions;
    for (let p = 0; p < WIDTH; p++) out[i * WIDTH + p] = conditions[roots[p] as number] as number;
    sum +=
      conditions.length + x.followers.length + x.nearest.length + (x.cited[0] ?? 0) + (x.changes ? 1 : 0);
  }
  return sum;
}

/** The same, spelt out as the `Decision` tree the API serialises (words, proposed changes, quotes). */
function runExplainedDecision(
  explainer: CompiledExplainer,
  persons: readonly Facts[],
  out: Uint8Array,
): void {
  for (let i = 0; i < persons.length; i++) {
    const decision = toDecision(explainer.explain(persons[i] as Facts));
    for (let p = 0; p < WIDTH; p++)
      out[i * WIDTH + p] = STATUS_OF[decision.pathways[p]?.status ?? 'not_eligible'];
  }
}

/**
 * Outside timing: the compiled explainer's decisions must equal the reference evaluator's in every
 * detail (conditions, seen values, followers, changes, articles) on the first `n` persons.
 */
function checkExplanations(policy: Policy, explainer: CompiledExplainer, persons: readonly Facts[]): void {
  for (let i = 0; i < persons.length; i++) {
    const facts = persons[i] as Facts;
    if (
      !isDeepStrictEqual(toDecision(explainer.explain(facts)), evaluateProgramme(policy, facts, 'settlement'))
    ) {
      throw new Disagreement(
        `the compiled explainer's decision differs from evaluateProgramme on person #${i}`,
      );
    }
  }
}

function runExplained(policy: Policy, persons: readonly Facts[], out: Uint8Array): void {
  for (let i = 0; i < persons.length; i++) {
    const decision = evaluateProgramme(policy, persons[i] as Facts, 'settlement');
    for (let p = 0; p < WIDTH; p++)
      out[i * WIDTH + p] = STATUS_OF[decision.pathways[p]?.status ?? 'not_eligible'];
  }
}

// ---- reporting ----

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) =>
  n >= 100
    ? `${int(n)}×`
    : n >= 10
      ? `${n.toFixed(1)}×`
      : n >= 0.1
        ? `${n.toFixed(2)}×`
        : `${n.toPrecision(2)}×`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function printTable(rows: readonly Measurement[], columns: readonly [string, (m: Measurement) => string][]) {
  const header = ['implementation', 'persons', 'seconds', 'persons/s', ...columns.map(([h]) => h)];
  const cells = rows.map((m) => [
    m.name,
    int(m.persons),
    m.seconds.toFixed(3),
    int(m.perSecond),
    ...columns.map(([, f]) => f(m)),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) console.log(line(r));
}

// ---- main ----

function options() {
  const { values } = parseArgs({
    options: {
      persons: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: '3' },
    },
  });
  const persons = Number(values.persons);
  const seed = Number(values.seed);
  const runs = Number(values.runs);
  if (!Number.isInteger(persons) || persons < 1) throw new RangeError('--persons must be a positive integer');
  if (!Number.isInteger(seed)) throw new RangeError('--seed must be an integer');
  if (!Number.isInteger(runs) || runs < 2) throw new RangeError('--runs must be an integer of at least 2');
  return { persons, seed, runs };
}

async function main(): Promise<void> {
  const { persons: count, seed, runs } = options();
  ensurePeers();
  const jsonRules = requirePeer('json-rules-engine') as JsonRulesEngineModule;
  const zen = requirePeer('@gorules/zen-engine') as ZenEngineModule;

  const policy = loadPolicyCatalog().find(POLICY_ID)?.policy;
  if (!policy) throw new Error(`policy ${POLICY_ID} not found in policies/`);
  const compiled = compileProgramme(policy, 'settlement');
  const closures = compileProgramme(policy, 'settlement', { mode: 'closures' });
  // The three hand encodings follow the policy's pathway order; a reordered YAML must fail loudly.
  if (compiled.pathwayIds.join() !== QUZHOU_FINAL_PATHWAYS.join()) {
    throw new Disagreement(`pathway order changed: policy ${compiled.pathwayIds.join()}`);
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`policy benchmark: ${policy.id}@${policy.version} settlement, ${WIDTH} pathways`);
  console.log(`node ${process.version}, ${cpus().length} × ${cpu}, ${process.platform}-${process.arch}`);
  console.log(
    `json-rules-engine ${peerVersion('json-rules-engine')}, @gorules/zen-engine ${peerVersion('@gorules/zen-engine')}, Huji compile mode ${compiled.mode}`,
  );
  // Other processes on the machine skew every figure: the load average says whether they were there.
  console.log(`load average before: ${load()} (other processes skew every figure: best near 0)`);
  console.log(`generating ${int(count)} synthetic persons (quzhou, seed ${seed}) …`);
  const persons = [...syntheticPopulation('quzhou', count, seed)];
  const sample = (n: number) => persons.slice(0, Math.min(n, count));
  const buffer = () => new Uint8Array(count * WIDTH);
  const warmUpSample = sample(2_000);
  const warmUpOut = new Uint8Array(warmUpSample.length * WIDTH);

  console.log(`measuring (warm-up, then best of ${runs} runs) …`);
  const reference = buffer();
  const bulk = await measure('Huji bulk (compiled, codegen)', count, runs, () =>
    runHuji(compiled, persons, reference),
  );

  const results: Measurement[] = [bulk];
  const verified: [string, number][] = [];
  const check = (m: Measurement, out: Uint8Array) => {
    checkAgreement(m.name, reference, out, m.persons);
    verified.push([m.name, m.persons]);
    results.push(m);
    return m;
  };

  const handOut = buffer();
  const handwritten = check(
    await measure('hand-written TypeScript (baseline)', count, runs, () => runHandwritten(persons, handOut)),
    handOut,
  );

  const closureOut = buffer();
  check(
    await measure('Huji bulk (closures, CSP fallback)', count, runs, () =>
      runHuji(closures, persons, closureOut),
    ),
    closureOut,
  );

  // The columnar form reads pre-encoded typed-array columns (as zen-engine reads pre-encoded tuples).
  const columnar = compileColumnar(policy, 'settlement');
  const columns = encodeColumns(persons, columnar.factPaths);
  const columnarOut = buffer();
  const bulkColumnar = check(
    await measure('Huji bulk (columnar, pre-encoded)', count, runs, () =>
      columnar.evaluate(columns, columnarOut),
    ),
    columnarOut,
  );

  const explainedPersons = sample(SAMPLES.explained);
  const explainedOut = buffer();
  const explainer = compileExplainer(policy, 'settlement');
  checkExplanations(policy, explainer, sample(SAMPLES.explanationCheck));
  const compactOut = buffer();
  let checksum = 0;
  const explained = check(
    await measure(
      'Huji explained (compiled, compact record)',
      explainedPersons.length,
      runs,
      () => {
        checksum += runExplainedCompact(explainer, explainedPersons, compactOut);
      },
      () => {
        checksum += runExplainedCompact(explainer, warmUpSample, warmUpOut);
      },
    ),
    compactOut,
  );
  const decisionOut = buffer();
  const explainedDecision = check(
    await measure(
      'Huji explained (compiled → Decision objects)',
      explainedPersons.length,
      runs,
      () => runExplainedDecision(explainer, explainedPersons, decisionOut),
      () => runExplainedDecision(explainer, warmUpSample, warmUpOut),
    ),
    decisionOut,
  );
  const explainedReference = check(
    await measure(
      'Huji explained (evaluateProgramme, interpreter)',
      explainedPersons.length,
      runs,
      () => runExplained(policy, explainedPersons, explainedOut),
      () => runExplained(policy, warmUpSample, warmUpOut),
    ),
    explainedOut,
  );

  for (const [label, options, size] of [
    ['json-rules-engine (JSONPath paths, default)', {}, SAMPLES.jsonRulesJsonPath],
    [
      'json-rules-engine (plain pathResolver)',
      { pathResolver: (value: object, path: string) => (value as Record<string, unknown>)[path.slice(2)] },
      SAMPLES.jsonRulesPlainPath,
    ],
  ] as const) {
    const evaluator = createJsonRulesEvaluator(jsonRules, options);
    const subset = sample(size);
    const out = buffer();
    const run = async (list: readonly Facts[], into: Uint8Array) => {
      for (let i = 0; i < list.length; i++) await evaluator.evaluateInto(list[i] as Facts, into, i * WIDTH);
    };
    check(
      await measure(
        label,
        subset.length,
        runs,
        () => run(subset, out),
        () => run(warmUpSample, warmUpOut),
      ),
      out,
    );
  }

  const zenEvaluator = createZenEvaluator(zen);
  const encoded = sample(Math.max(...Object.values(SAMPLES))).map(encodeForZen);
  const zenRow = async (label: string, size: number, each: boolean, trace: boolean) => {
    const subset = encoded.slice(0, Math.min(size, count));
    const out = buffer();
    const run = (list: typeof encoded, into: Uint8Array) =>
      each
        ? zenEvaluator.evaluateEach(list, into, { ...ZEN_EACH, trace })
        : zenEvaluator.evaluateBatch(list, into, { ...ZEN_BATCH, trace });
    return check(
      await measure(
        label,
        subset.length,
        runs,
        () => run(subset, out),
        () => run(encoded.slice(0, 20_000), new Uint8Array(20_000 * WIDTH)),
      ),
      out,
    );
  };
  const zenBatch = await zenRow(
    `zen-engine batch (loop node, ${ZEN_BATCH.chunk}/call, ${ZEN_BATCH.inFlight} in flight)`,
    SAMPLES.zenBatch,
    false,
    false,
  );
  const zenEach = await zenRow(
    `zen-engine per person (${ZEN_EACH.inFlight} in flight)`,
    SAMPLES.zenEach,
    true,
    false,
  );
  const zenTracedBatch = await zenRow('zen-engine traced batch', SAMPLES.zenTracedBatch, false, true);
  const zenTracedEach = await zenRow('zen-engine traced per person', SAMPLES.zenTracedEach, true, true);
  zenEvaluator.dispose();

  // The references for the targets are zen-engine's fastest mode, untraced and traced.
  const zenFastest = zenBatch.perSecond >= zenEach.perSecond ? zenBatch : zenEach;
  const zenTraced = zenTracedBatch.perSecond >= zenTracedEach.perSecond ? zenTracedBatch : zenTracedEach;

  console.log(`load average after: ${load()} (includes this benchmark's own threads)`);
  console.log('');
  printTable(results, [
    ['× hand-written', (m) => ratio(m.perSecond / handwritten.perSecond)],
    ['× zen batch', (m) => ratio(m.perSecond / zenFastest.perSecond)],
    [
      '× zen traced',
      (m) =>
        m.name.startsWith('Huji explained') || m.name.includes('traced')
          ? ratio(m.perSecond / zenTraced.perSecond)
          : '',
    ],
  ]);
  console.log(`(zen references: "${zenFastest.name}" and "${zenTraced.name}")`);

  console.log('');
  const holds = QUZHOU_FINAL_PATHWAYS.map((id, p) => {
    let n = 0;
    for (let i = p; i < reference.length; i += WIDTH) if ((reference[i] ?? 0) > 0) n++;
    return `${id} ${int(n)}${id === 'special-talent' ? ' (needs approval)' : ''}`;
  });
  console.log(`persons per pathway (of ${int(count)}): ${holds.join(', ')}`);
  for (const [name, n] of verified) console.log(`  ${name}: agrees with Huji bulk on ${int(n)} persons`);
  console.log(
    `  compiled explainer: decisions equal evaluateProgramme's field by field on ${int(Math.min(SAMPLES.explanationCheck, count))} persons (checksum of the records read: ${checksum})`,
  );
  console.log(
    `all implementations agree on ${int(count)} persons (the sampled ones on every person of their sample)`,
  );

  console.log('');
  const fastestBulk = bulkColumnar.perSecond > bulk.perSecond ? bulkColumnar : bulk;
  console.log(`(Huji bulk for the targets: "${fastestBulk.name}")`);
  const targets: [string, number, number][] = [
    ['Huji bulk ≥ 0.5× hand-written', fastestBulk.perSecond / handwritten.perSecond, 0.5],
    ['Huji bulk ≥ 100× zen-engine batch', fastestBulk.perSecond / zenFastest.perSecond, 100],
    ['Huji explained ≥ 10× zen-engine traced', explained.perSecond / zenTraced.perSecond, 10],
  ];
  console.log(
    `(Huji explained for the target: "${explained.name}"; spelt out as Decision objects ${ratio(explainedDecision.perSecond / zenTraced.perSecond)}, the interpreter ${ratio(explainedReference.perSecond / zenTraced.perSecond)} zen traced)`,
  );
  for (const [label, actual, wanted] of targets) {
    console.log(`${actual >= wanted ? 'PASS' : 'MISS'}  ${label}: ${ratio(actual)}`);
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Disagreement)) throw error;
  console.error(`\nDISAGREEMENT: ${error.message}`);
  process.exitCode = 1;
}
