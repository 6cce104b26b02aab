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
import type { Facts } from './facts.js';
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
