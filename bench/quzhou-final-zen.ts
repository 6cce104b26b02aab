/**
 * The settlement pathways of `policies/quzhou-2017-final.yaml` as a GoRules JDM decision graph for
 * @gorules/zen-engine: request → one expression node → response. The expression node computes each
 * pathway's status (0 / 1 / 2) in the ZEN expression language, written by hand from the YAML as a team
 * adopting ZEN would author it.
 *
 * Fastest mode of the Node binding (0.54 has no batch call and takes its input only as JS values): the
 * expression node runs in `loop` execution mode over `persons`, so one `decision.evaluate({ persons })`
 * evaluates a whole chunk inside Rust; the persons are pre-encoded before timing into tuples of just the
 * facts the rules read, which makes the binding's JS → Rust conversion (on the main thread) as cheap as it
 * gets; and a few chunks are kept in flight so the binding's worker pool evaluates while the main thread
 * converts. What remains is mostly ZEN itself: it parses and compiles every expression anew for every
 * evaluated item (`Isolate::run_standard`), so the cost grows with the length of the rules.
 *
 * Tried and slower on this machine: one `evaluate` per person (~3x slower, see the per-person rows);
 * objects instead of tuples (~3-4x slower conversion); a decision table (collect, one row per disjunct,
 * 22 rows) over flat objects (~2x slower) — tuples cannot feed it, since in 0.54 a row with `$root[i]`
 * fields in two columns never matches.
 *
 * The engine is loaded from `bench/peers/` (see `requirePeer` in policy.ts), so only the part of its API
 * used here is typed below.
 */
import type { Facts } from '../src/policy/facts.js';
import { QUZHOU_FINAL_PATHWAYS } from './quzhou-final-handwritten.js';

interface ZenResponse {
  readonly result: unknown;
  readonly trace?: unknown;
}

interface ZenDecision {
  evaluate(context: unknown, opts?: { trace?: boolean }): Promise<ZenResponse>;
}

/** The module's shape as `require('@gorules/zen-engine')` returns it. */
export interface ZenEngineModule {
  ZenEngine: new () => { createDecision(content: unknown): ZenDecision; dispose(): void };
  ZenDecisionContent: new (content: object) => unknown;
}

/** The facts the rules read, in the order of a pre-encoded person's tuple. */
const FIELDS = {
  scope: (f: Facts) => f.hukou.scope,
  resType: (f: Facts) => f.residence.type,
  resTown: (f: Facts) => f.residence.townType,
  lease: (f: Facts) => f.residence.leaseMonths,
  proof: (f: Facts) => f.residence.hasResidenceProof,
  spRel: (f: Facts) => f.sponsor.relation,
  spLegal: (f: Facts) => f.sponsor.hasLegalStableResidence,
  spTown: (f: Facts) => f.sponsor.townType,
  spCoResident: (f: Facts) => f.sponsor.isCoResident,
  age: (f: Facts) => f.person.age,
  marital: (f: Facts) => f.person.maritalStatus,
  income: (f: Facts) => f.person.hasIncome,
  edu: (f: Facts) => f.education.level,
  title: (f: Facts) => f.qualifications.professionalTitle,
  voc: (f: Facts) => f.qualifications.vocationalLevel,
  expert: (f: Facts) => f.qualifications.expertLevel,
  special: (f: Facts) => f.qualifications.specialTalent,
  invAmount: (f: Facts) => f.investment.amountYuan,
  invRole: (f: Facts) => f.investment.role,
  honLevel: (f: Facts) => f.honour.level,
  honKind: (f: Facts) => f.honour.kind,
  mRes: (f: Facts) => f.months.residence,
  mEmp: (f: Facts) => f.months.employment,
  mIns: (f: Facts) => f.months.socialInsurance,
  criminal: (f: Facts) => f.records.hasCriminalRecord,
  study: (f: Facts) => f.study.status,
  emp: (f: Facts) => f.employment.status,
} satisfies Record<string, (f: Facts) => string | number | boolean>;

type Field = keyof typeof FIELDS;
const READERS = Object.values(FIELDS);

/** One person as the graph reads it: the values of `FIELDS`, positionally. */
export type ZenPerson = readonly (string | number | boolean)[];

/**
 * Pre-encodes one person (before timing: a caller would keep its data in this shape). A tuple, not an
 * object: the binding converts JS values to Rust property by property, and dropping the 27 keys per
 * person makes that conversion several times cheaper (measured: ~4x on this machine).
 */
export function encodeForZen(f: Facts): ZenPerson {
  return READERS.map((read) => read(f));
}

/** `v.scope` is the expression reading field `scope` of the looped item (`$root` in ZEN). */
const v = Object.fromEntries(Object.keys(FIELDS).map((k, i) => [k, `$root[${i}]`])) as Record<Field, string>;

const TOWNS = "['county-seat', 'organized-town']";
const LEGAL_RESIDENCE = "['owned', 'public-rental', 'private-rental']";

/** Each pathway's condition as a ZEN expression over a `ZenPerson`, transcribed from the YAML. */
const EXPRESSIONS: Record<(typeof QUZHOU_FINAL_PATHWAYS)[number], string> = {
  'intra-county': `${v.scope} == 'same-county' and ${v.resTown} in ${TOWNS} and (${v.resType} in ['owned', 'public-rental'] or (${v.resType} == 'private-rental' and ${v.lease} >= 12 and ${v.proof} == true))`,
  'legal-residence': `${v.scope} != 'same-county' and ${v.resTown} in ${TOWNS} and ${v.resType} in ${LEGAL_RESIDENCE}`,
  'provincial-free-movement': `${v.scope} in ['same-city', 'same-province'] and ${v.resTown} in ${TOWNS} and ${v.resType} in ${LEGAL_RESIDENCE}`,
  'relatives-joining': `${v.spLegal} == true and ${v.spTown} in ${TOWNS} and ${v.spCoResident} == true and (${v.spRel} in ['spouse', 'parent'] or (${v.spRel} == 'child' and (${v.age} < 18 or (${v.marital} == 'unmarried' and ${v.income} == false)))) and (${v.scope} != 'same-county' or ${v.proof} == true)`,
  talent: `(${v.edu} in ['college', 'bachelor', 'master', 'doctorate'] and ${v.title} in ['junior', 'intermediate', 'associate-senior', 'senior']) or ${v.voc} in ['technician', 'senior-technician'] or ${v.edu} in ['bachelor', 'master', 'doctorate'] or ${v.expert} in ['provincial', 'national']`,
  // "Specially needed" is the government's decision: the graph can only say "needs approval" (1).
  'special-talent': `${v.special} in ['graduate', 'scarce-trade-worker', 'returned-overseas']`,
  investor: `${v.invAmount} >= 100000 and ${v.invRole} in ['legal-representative', 'middle-manager', 'technical-staff']`,
  honoured: `${v.honLevel} in ['county', 'city', 'provincial', 'national'] and ${v.honKind} in ['model-worker', 'excellent-migrant-worker', 'heroic-deed', 'other-contribution']`,
  'workers-from-outside': `${v.scope} in ['same-province', 'other-province'] and ${v.mRes} >= 12 and ${v.mEmp} >= 12 and ${v.mIns} >= 12 and ${v.criminal} == false`,
  graduate: `${v.study} == 'graduated' and (${v.emp} in ['stable', 'self-employed', 'flexible'] or ${v.resType} != 'none')`,
};

/** Output key of each person's statuses: one array (fewer Rust → JS object keys than one key per pathway). */
const OUT_KEY = 's';

/**
 * The JDM graph. The expression node runs in `loop` execution mode: it evaluates every item of the
 * request's `persons` (the item is `$root`) and writes the results to `statuses`.
 */
export function quzhouFinalGraph(): object {
  const statuses = QUZHOU_FINAL_PATHWAYS.map(
    (id) => `(${EXPRESSIONS[id]}) ? ${id === 'special-talent' ? 1 : 2} : 0`,
  );
  return {
    nodes: [
      { id: 'request', name: 'request', type: 'inputNode', position: { x: 0, y: 0 } },
      {
        id: 'pathways',
        name: 'pathways',
        type: 'expressionNode',
        position: { x: 300, y: 0 },
        content: {
          expressions: [{ id: 'statuses', key: OUT_KEY, value: `[${statuses.join(', ')}]` }],
          executionMode: 'loop',
          inputField: 'persons',
          outputPath: 'statuses',
        },
      },
      { id: 'response', name: 'response', type: 'outputNode', position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'request-pathways', sourceId: 'request', targetId: 'pathways' },
      { id: 'pathways-response', sourceId: 'pathways', targetId: 'response' },
    ],
  };
}

type Row = { readonly [OUT_KEY]: readonly number[] };

function copyRow(row: Row | undefined, out: Uint8Array, offset: number): void {
  const s = row?.[OUT_KEY];
  if (!s || s.length !== QUZHOU_FINAL_PATHWAYS.length) throw new Error('zen-engine returned no statuses');
  for (let i = 0; i < s.length; i++) out[offset + i] = s[i] as number;
}

export interface ZenEvaluator {
  /** Evaluates `persons` in chunks of `chunk` (one `evaluate` call each), `inFlight` chunks at a time. */
  readonly evaluateBatch: (
    persons: readonly ZenPerson[],
    out: Uint8Array,
    options?: { chunk?: number; inFlight?: number; trace?: boolean },
  ) => Promise<void>;
  /** One `evaluate` call per person (a batch of one), `inFlight` calls at a time. */
  readonly evaluateEach: (
    persons: readonly ZenPerson[],
    out: Uint8Array,
    options?: { inFlight?: number; trace?: boolean },
  ) => Promise<void>;
  readonly dispose: () => void;
}

/** Runs `count` tasks, at most `limit` at a time, in index order. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

export function createZenEvaluator(lib: ZenEngineModule): ZenEvaluator {
  const engine = new lib.ZenEngine();
  // ZenDecisionContent parses the JDM once; createDecision then reuses it for every call.
  const decision = engine.createDecision(new lib.ZenDecisionContent(quzhouFinalGraph()));
  const width = QUZHOU_FINAL_PATHWAYS.length;
  return {
    evaluateBatch: async (persons, out, { chunk = 10_000, inFlight = 4, trace = false } = {}) => {
      await pool(Math.ceil(persons.length / chunk), inFlight, async (c) => {
        const start = c * chunk;
        const slice = persons.slice(start, start + chunk);
        const response = await decision.evaluate({ persons: slice }, { trace });
        const rows = (response.result as { statuses?: Row[] }).statuses ?? [];
        for (let i = 0; i < slice.length; i++) copyRow(rows[i], out, (start + i) * width);
      });
    },
    evaluateEach: async (persons, out, { inFlight = 16, trace = false } = {}) => {
      await pool(persons.length, inFlight, async (i) => {
        const response = await decision.evaluate({ persons: [persons[i]] }, { trace });
        copyRow((response.result as { statuses?: Row[] }).statuses?.[0], out, i * width);
      });
    },
    dispose: () => engine.dispose(),
  };
}
