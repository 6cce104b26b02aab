/**
 * Words for conditions and values, in Chinese and English, generated from the fact definitions so that
 * every explanation, diff line and wizard question speaks the same language.
 */
import { FACTS, type FactDefinition } from './facts.js';
import type { Comparison, Condition, FactCondition, Text } from './policy.js';

const OP_WORDS: Record<Comparison, { zh: string; en: string }> = {
  eq: { zh: '为', en: 'is' },
  ne: { zh: '不为', en: 'is not' },
  in: { zh: '为', en: 'is one of' },
  notIn: { zh: '不为', en: 'is none of' },
  gte: { zh: '≥', en: '≥' },
  gt: { zh: '>', en: '>' },
  lte: { zh: '≤', en: '≤' },
  lt: { zh: '<', en: '<' },
};

export function factDefinition(path: string): FactDefinition {
  const def = FACTS.get(path);
  if (!def) throw new RangeError(`unknown fact ${path}`);
  return def;
}

// One formatter for all: Number#toLocaleString builds a new one on every call.
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A value of a fact in words: enum labels, yes / no, numbers with their unit. */
const YES: Text = { zh: '是', en: 'yes' };
const NO: Text = { zh: '否', en: 'no' };

export function valueText(def: FactDefinition, value: unknown): Text {
  if (Array.isArray(value)) {
    const parts = value.map((v) => valueText(def, v));
    return { zh: parts.map((p) => p.zh).join('、'), en: parts.map((p) => p.en).join(', ') };
  }
  if (def.type === 'boolean') return value ? YES : NO;
  if (def.type === 'enum') {
    // The labels are shared, not copied: explanations are built per person, millions of times.
    const label = def.values?.[String(value)];
    return label ?? { zh: String(value), en: String(value) };
  }
  if (typeof value === 'number') {
    const n = Number.isInteger(value) && Math.abs(value) < 1000 ? String(value) : NUMBER.format(value);
    return def.unit ? { zh: `${n} ${def.unit.zh}`, en: `${n} ${def.unit.en}` } : { zh: n, en: n };
  }
  const text =
    value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
  return { zh: text, en: text };
}

/** What a fact condition requires: "租赁合同期限 ≥ 12 个月" / "lease term ≥ 12 months". */
export function factConditionText(c: FactCondition): Text {
  if (c.label) return c.label;
  const def = factDefinition(c.fact);
  if (def.type === 'boolean' && (c.op === 'eq' || c.op === 'ne')) {
    const wanted = c.op === 'eq' ? c.value === true : c.value !== true;
    return wanted ? { zh: def.zh, en: def.en } : { zh: `无「${def.zh}」`, en: `not: ${def.en}` };
  }
  const v = valueText(def, c.value);
  const op = OP_WORDS[c.op];
  const isSymbol = !/[a-z\u4e00-\u9fff]/.test(op.zh);
  return {
    zh: isSymbol ? `${def.zh} ${op.zh} ${v.zh}` : `${def.zh}${op.zh}${v.zh}`,
    en: `${def.en} ${op.en} ${v.en}`,
  };
}

/** One line for any condition; groups are summarised ("all of 3 conditions"). */
export function conditionText(c: Condition): Text {
  if ('fact' in c) return factConditionText(c);
  if ('discretion' in c) {
    return {
      zh: `${c.discretion.question.zh}（由${c.discretion.authority.zh}决定）`,
      en: `${c.discretion.question.en} (decided by ${c.discretion.authority.en})`,
    };
  }
  if (c.label) return c.label;
  if ('all' in c) return { zh: `同时满足以下 ${c.all.length} 项`, en: `all of ${c.all.length} conditions` };
  if ('any' in c)
    return { zh: `满足以下 ${c.any.length} 项之一`, en: `any one of ${c.any.length} conditions` };
  const inner = conditionText(c.not);
  return { zh: `不满足：${inner.zh}`, en: `not: ${inner.en}` };
}
