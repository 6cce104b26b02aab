/**
 * Facts as table rows (CSV files of populations): one column per person fact by its dotted path, and
 * `family` as a JSON list. Values are parsed by the fact's type and the row validated by the facts
 * schema, so every bad cell is reported with its column and rule.
 */
import { FACTS, Facts, type FactDefinition } from './facts.js';

/** The columns, in a stable order: every person-scope fact, then `family`. */
export const FACT_COLUMNS: readonly string[] = [
  ...[...FACTS.values()].filter((d) => d.scope === 'person').map((d) => d.path),
  'family',
];

export function factsToRow(facts: Facts): string[] {
  return FACT_COLUMNS.map((column) => {
    if (column === 'family') return JSON.stringify(facts.family);
    let v: unknown = facts;
    for (const k of column.split('.')) v = (v as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    return v === undefined || v === null ? '' : JSON.stringify(v);
  });
}

export interface RowProblem {
  readonly column: string;
  readonly message: string;
}

function cellValue(def: FactDefinition, cell: string): unknown {
  if (def.type === 'number') return cell.trim() === '' ? undefined : Number(cell);
  if (def.type === 'boolean') {
    const v = cell.trim().toLowerCase();
    if (['true', '1', 'yes', '是'].includes(v)) return true;
    if (['false', '0', 'no', '否'].includes(v)) return false;
    return cell;
  }
  return cell.trim();
}

/** Reads one row (with the header's column names) into facts, or says what is wrong with it. */
export function rowToFacts(
  header: readonly string[],
  cells: readonly string[],
): { facts: Facts; problems?: undefined } | { facts?: undefined; problems: RowProblem[] } {
  const input: Record<string, unknown> = {};
  const problems: RowProblem[] = [];
  header.forEach((column, i) => {
    const cell = cells[i] ?? '';
    if (cell.trim() === '') return;
    if (column === 'family') {
      try {
        input.family = JSON.parse(cell) as unknown;
      } catch {
        problems.push({ column, message: 'family must be a JSON list' });
      }
      return;
    }
    const def = FACTS.get(column);
    if (!def || def.scope !== 'person') {
      problems.push({ column, message: `unknown column ${column}` });
      return;
    }
    const keys = column.split('.');
    let target = input;
    for (const k of keys.slice(0, -1)) target = (target[k] ??= {}) as Record<string, unknown>;
    target[keys.at(-1) as string] = cellValue(def, cell);
  });
  if (problems.length > 0) return { problems };
  const parsed = Facts.safeParse(input);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => ({ column: i.path.join('.'), message: i.message })) };
  }
  return { facts: parsed.data };
}
