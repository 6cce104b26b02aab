/**
 * Compiles a programme of a policy into one plain function for bulk evaluation (simulations over a
 * whole population): no explanation, just each pathway's status per person. The condition trees become
 * a JavaScript expression (three-valued: 0 not met, 1 needs approval, 2 met; `all` is the minimum,
 * `any` the maximum), built from the checked policy only, never from user input. Where code generation
 * is not allowed (a strict Content-Security-Policy), an equivalent closure tree is used.
 *
 * The explaining evaluator (`evaluate.ts`) and this compiler must agree on every person: a property
 * test checks it.
 */
import { FACTS, type Facts } from './facts.js';
import type { Condition, Policy, Programme } from './policy.js';
import { compare } from './evaluate.js';

export const NOT_MET = 0;
export const NEEDS_APPROVAL = 1;
export const MET = 2;

export interface CompiledProgramme {
  readonly policyRef: string;
  readonly programmeId: string;
  readonly pathwayIds: readonly string[];
  /** Writes each pathway's status (0 / 1 / 2) for one person into `out` from `offset`. */
  readonly evaluateInto: (facts: Facts, out: Uint8Array, offset: number) => void;
  /** 'codegen' or 'closures' (the CSP fallback). */
  readonly mode: 'codegen' | 'closures';
}

const hasDiscretion = (c: Condition): boolean =>
  'discretion' in c ||
  ('all' in c && c.all.some(hasDiscretion)) ||
  ('any' in c && c.any.some(hasDiscretion)) ||
  ('not' in c && hasDiscretion(c.not));

function access(path: string): string {
  const keys = path.split('.').map((k) => `[${JSON.stringify(k)}]`);
  return `f${keys.join('')}`;
}

function boolExpr(c: Condition): string {
  if ('fact' in c) {
    const x = access(c.fact);
    const v = JSON.stringify(c.value);
    switch (c.op) {
      case 'eq':
        return `(${x} === ${v})`;
      case 'ne':
        return `(${x} !== ${v})`;
      case 'in':
        return `(${(c.value as unknown[]).map((item) => `${x} === ${JSON.stringify(item)}`).join(' || ')})`;
      case 'notIn':
        return `!(${(c.value as unknown[]).map((item) => `${x} === ${JSON.stringify(item)}`).join(' || ')})`;
      case 'gte':
        return `(${x} >= ${v})`;
      case 'gt':
        return `(${x} > ${v})`;
      case 'lte':
        return `(${x} <= ${v})`;
      case 'lt':
        return `(${x} < ${v})`;
    }
  }
  if ('discretion' in c) throw new Error('discretion has no boolean form');
  if ('all' in c) return `(${c.all.map(boolExpr).join(' && ')})`;
  if ('any' in c) return `(${c.any.map(boolExpr).join(' || ')})`;
  return `!${boolExpr(c.not)}`;
}

function triExpr(c: Condition): string {
  if (!hasDiscretion(c)) return `(${boolExpr(c)} ? 2 : 0)`;
  if ('discretion' in c) return '1';
  if ('all' in c) return `Math.min(${c.all.map(triExpr).join(', ')})`;
  if ('any' in c) return `Math.max(${c.any.map(triExpr).join(', ')})`;
  if ('not' in c) return `(2 - ${triExpr(c.not)})`;
  throw new Error('unreachable');
}

type Tri = (f: Facts) => number;

function read(path: readonly string[]): (f: Facts) => unknown {
  return (f) => {
    let v: unknown = f;
    for (const k of path) v = (v as Record<string, unknown>)[k];
    return v;
  };
}

function closure(c: Condition): Tri {
  if ('fact' in c) {
    const get = read(c.fact.split('.'));
    const { op, value } = c;
    return (f) => (compare(op, get(f), value) ? 2 : 0);
  }
  if ('discretion' in c) return () => 1;
  if ('all' in c) {
    const parts = c.all.map(closure);
    return (f) => parts.reduce((m, p) => (m === 0 ? 0 : Math.min(m, p(f))), 2);
  }
  if ('any' in c) {
    const parts = c.any.map(closure);
    return (f) => parts.reduce((m, p) => (m === 2 ? 2 : Math.max(m, p(f))), 0);
  }
  const inner = closure(c.not);
  return (f) => 2 - inner(f);
}

function findProgramme(policy: Policy, programmeId?: string): Programme {
  const programme = programmeId ? policy.programmes.find((p) => p.id === programmeId) : policy.programmes[0];
  if (!programme) throw new RangeError(`policy ${policy.id} has no programme ${programmeId}`);
  return programme;
}

/**
 * @example
 *   const c = compileProgramme(policy);
 *   const out = new Uint8Array(c.pathwayIds.length);
 *   c.evaluateInto(facts, out, 0); // out[i] === 2 when pathway i holds
 */
export function compileProgramme(
  policy: Policy,
  programmeId?: string,
  options: { mode?: 'codegen' | 'closures' } = {},
): CompiledProgramme {
  const programme = findProgramme(policy, programmeId);
  const base = {
    policyRef: `${policy.id}@${policy.version}`,
    programmeId: programme.id,
    pathwayIds: programme.pathways.map((p) => p.id),
  };
  if (options.mode !== 'closures') {
    const body = programme.pathways.map((p, i) => `out[o + ${i}] = ${triExpr(p.when)};`).join('\n');
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a checked policy, not user input
      const evaluateInto = new Function(
        'f',
        'out',
        'o',
        `"use strict";\n${body}`,
      ) as CompiledProgramme['evaluateInto'];
      return { ...base, evaluateInto, mode: 'codegen' };
    } catch {
      // Code generation refused (Content-Security-Policy without 'unsafe-eval'): use closures.
    }
  }
  const parts = programme.pathways.map((p) => closure(p.when));
  const evaluateInto: CompiledProgramme['evaluateInto'] = (f, out, o) => {
    for (let i = 0; i < parts.length; i++) out[o + i] = (parts[i] as Tri)(f);
  };
  return { ...base, evaluateInto, mode: 'closures' };
}

/** Each pathway's status for every person, row-major: `statuses[person * pathways + pathway]`. */
export function evaluateBulk(compiled: CompiledProgramme, persons: readonly Facts[]): Uint8Array {
  const width = compiled.pathwayIds.length;
  const out = new Uint8Array(persons.length * width);
  for (let i = 0; i < persons.length; i++) compiled.evaluateInto(persons[i] as Facts, out, i * width);
  return out;
}

/** The outcome code of one person's row: 2 when a pathway is met, 1 when one needs approval, else 0. */
export function outcomeOfRow(statuses: Uint8Array, offset: number, width: number): number {
  let best = 0;
  for (let i = 0; i < width; i++) {
    const s = statuses[offset + i] ?? 0;
    if (s > best) best = s;
    if (best === 2) break;
  }
  return best;
}

/**
 * A population in columns: one typed array per fact the programme reads (enums as 1-based codes of the
 * fact's options, booleans as 0/1, numbers as float64). Simulations of millions of people encode once
 * and evaluate at memory speed.
 */
export interface ColumnarPopulation {
  readonly size: number;
  readonly columns: ReadonlyMap<string, Float64Array | Uint8Array>;
}

export interface ColumnarProgramme {
  readonly policyRef: string;
  readonly programmeId: string;
  readonly pathwayIds: readonly string[];
  /** The fact paths the programme reads, i.e. the columns it needs. */
  readonly factPaths: readonly string[];
  /** Writes statuses row-major into `out` (size × pathways). */
  readonly evaluate: (population: ColumnarPopulation, out: Uint8Array) => void;
}

function factPathsOf(c: Condition, into: Set<string>) {
  if ('fact' in c) into.add(c.fact);
  else if ('all' in c) c.all.forEach((x) => factPathsOf(x, into));
  else if ('any' in c) c.any.forEach((x) => factPathsOf(x, into));
  else if ('not' in c) factPathsOf(c.not, into);
}

function enumCode(path: string, value: unknown): number {
  const options = FACTS.get(path)?.options ?? [];
  return options.indexOf(String(value)) + 1;
}

/** Encodes people into the columns a columnar programme reads. */
export function encodeColumns(persons: readonly Facts[], factPaths: readonly string[]): ColumnarPopulation {
  const columns = new Map<string, Float64Array | Uint8Array>();
  for (const path of factPaths) {
    const def = FACTS.get(path);
    // A generated accessor per column keeps the property loads monomorphic (keyed loads are 20× slower).
    const keys = path
      .split('.')
      .map((k) => `[${JSON.stringify(k)}]`)
      .join('');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fact path from the checked policy
    const read = new Function('p', `return p${keys};`) as (p: Facts) => unknown;
    const n = persons.length;
    if (def?.type === 'number') {
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) column[i] = read(persons[i] as Facts) as number;
      columns.set(path, column);
      continue;
    }
    const codes = new Map<unknown, number>((def?.options ?? []).map((o, k) => [o, k + 1]));
    const isBoolean = def?.type === 'boolean';
    const column = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = read(persons[i] as Facts);
      column[i] = isBoolean ? (v ? 1 : 0) : (codes.get(v) ?? 0);
    }
    columns.set(path, column);
  }
  return { size: persons.length, columns };
}

function columnarBool(c: Condition, col: (path: string) => string): string {
  if ('fact' in c) {
    const def = FACTS.get(c.fact);
    const x = `${col(c.fact)}[i]`;
    const encode = (v: unknown) =>
      def?.type === 'enum'
        ? String(enumCode(c.fact, v))
        : def?.type === 'boolean'
          ? v
            ? '1'
            : '0'
          : JSON.stringify(v);
    switch (c.op) {
      case 'eq':
        return `(${x} === ${encode(c.value)})`;
      case 'ne':
        return `(${x} !== ${encode(c.value)})`;
      case 'in':
        return `(${(c.value as unknown[]).map((v) => `${x} === ${encode(v)}`).join(' || ')})`;
      case 'notIn':
        return `!(${(c.value as unknown[]).map((v) => `${x} === ${encode(v)}`).join(' || ')})`;
      case 'gte':
        return `(${x} >= ${encode(c.value)})`;
      case 'gt':
        return `(${x} > ${encode(c.value)})`;
      case 'lte':
        return `(${x} <= ${encode(c.value)})`;
      case 'lt':
        return `(${x} < ${encode(c.value)})`;
    }
  }
  if ('discretion' in c) throw new Error('discretion has no boolean form');
  if ('all' in c) return `(${c.all.map((x) => columnarBool(x, col)).join(' && ')})`;
  if ('any' in c) return `(${c.any.map((x) => columnarBool(x, col)).join(' || ')})`;
  return `!${columnarBool(c.not, col)}`;
}

function columnarTri(c: Condition, col: (path: string) => string): string {
  if (!hasDiscretion(c)) return `(${columnarBool(c, col)} ? 2 : 0)`;
  if ('discretion' in c) return '1';
  if ('all' in c) return `Math.min(${c.all.map((x) => columnarTri(x, col)).join(', ')})`;
  if ('any' in c) return `Math.max(${c.any.map((x) => columnarTri(x, col)).join(', ')})`;
  if ('not' in c) return `(2 - ${columnarTri(c.not, col)})`;
  throw new Error('unreachable');
}

/**
 * Compiles a programme into one loop over a columnar population. Needs code generation; where it is
 * refused, use `compileProgramme` (row by row).
 */
export function compileColumnar(policy: Policy, programmeId?: string): ColumnarProgramme {
  const programme = findProgramme(policy, programmeId);
  const paths = new Set<string>();
  for (const p of programme.pathways) factPathsOf(p.when, paths);
  const factPaths = [...paths];
  const col = (path: string) => `c${factPaths.indexOf(path)}`;
  const width = programme.pathways.length;
  const rows = programme.pathways.map((p, k) => `out[o + ${k}] = ${columnarTri(p.when, col)};`).join('\n');
  const source = [
    '"use strict";',
    ...factPaths.map((p, k) => `const c${k} = columns[${k}];`),
    `for (let i = 0, o = 0; i < n; i++, o += ${width}) {`,
    rows,
    '}',
  ].join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from a checked policy, not user input
  const loop = new Function('columns', 'n', 'out', source) as (
    columns: readonly ArrayLike<number>[],
    n: number,
    out: Uint8Array,
  ) => void;
  return {
    policyRef: `${policy.id}@${policy.version}`,
    programmeId: programme.id,
    pathwayIds: programme.pathways.map((p) => p.id),
    factPaths,
    evaluate: (population, out) => {
      const columns = factPaths.map((p) => {
        const column = population.columns.get(p);
        if (!column) throw new RangeError(`the population lacks the column ${p}`);
        return column;
      });
      loop(columns, population.size, out);
    },
  };
}
