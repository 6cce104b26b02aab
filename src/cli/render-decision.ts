/** Plain-text rendering of a policy decision for the terminal, in the user's language. */
import type { Locale } from '../errors/codes.js';
import type { ConditionResult, Decision } from '../policy/evaluate.js';
import type { Text } from '../policy/policy.js';
import { OUTCOME_TEXT } from './labels.js';

const MARK = { met: '✓', not_met: '✗', needs_approval: '?' } as const;

export function pick(t: Text, locale: Locale): string {
  return locale === 'zh-CN' ? t.zh : t.en;
}

/**
 * `[id]`, or for a draft clause standing under the final version `[id · 沿用送审稿]`; the articles at the
 * end say why in full.
 */
type Ref = (articleId: string) => string;

function refsOf(d: Decision, locale: Locale): Ref {
  const standing = new Set(d.articles.flatMap((a) => (a.standing ? [a.id] : [])));
  const mark = locale === 'zh-CN' ? '沿用送审稿' : 'draft clause, stands';
  return (id) => (standing.has(id) ? `[${id} · ${mark}]` : `[${id}]`);
}

function renderCondition(c: ConditionResult, locale: Locale, depth: number, out: string[], ref: Ref) {
  const seen =
    c.kind === 'fact' && c.actualText && c.status !== 'met'
      ? ` (${locale === 'zh-CN' ? '现为' : 'now'} ${pick(c.actualText, locale)})`
      : '';
  const who = c.authority ? ` — ${pick(c.authority, locale)}` : '';
  out.push(`${'  '.repeat(depth)}${MARK[c.status]} ${pick(c.text, locale)}${seen}${who} ${ref(c.article)}`);
  for (const child of c.children ?? []) renderCondition(child, locale, depth + 1, out, ref);
}

export function renderDecision(d: Decision, locale: Locale, options: { verbose?: boolean } = {}): string {
  const zh = locale === 'zh-CN';
  const ref = refsOf(d, locale);
  const out: string[] = [];
  out.push(`${pick(d.policy.title, locale)} (${d.policy.ref}) · ${pick(d.programme.title, locale)}`);
  const chosen = d.pathways.find((p) => p.id === d.pathway);
  out.push(
    `${zh ? '结论' : 'Outcome'}: ${pick(OUTCOME_TEXT[d.outcome], locale)}${chosen ? ` — ${pick(chosen.title, locale)} ${ref(chosen.article)}` : ''}`,
  );
  if (d.decidedBy) out.push(`${zh ? '决定机关' : 'Decided by'}: ${pick(d.decidedBy, locale)}`);
  if (d.registersAt) out.push(`${zh ? '落户地' : 'Registers at'}: ${pick(d.registersAt, locale)}`);
  out.push('', zh ? '各路径：' : 'Pathways:');
  for (const p of d.pathways) {
    const mark = p.status === 'eligible' ? '✓' : p.status === 'needs_approval' ? '?' : '✗';
    out.push(`  ${mark} ${pick(p.title, locale)} ${ref(p.article)}`);
    if (options.verbose || p.id === d.pathway) {
      for (const child of p.condition.children ?? [p.condition]) renderCondition(child, locale, 3, out, ref);
    }
  }
  if (d.followers.length > 0) {
    out.push('', zh ? '随迁家庭成员：' : 'Family members:');
    for (const f of d.followers)
      out.push(`  - ${pick(f.text, locale)}${f.article ? ` ${ref(f.article)}` : ''}`);
  }
  if (d.materials.length > 0) {
    out.push('', zh ? '所需材料：' : 'Materials to bring:');
    for (const m of d.materials) out.push(`  - ${pick(m, locale)}`);
  }
  if (d.nearestChanges.length > 0) {
    out.push('', zh ? '怎样才能符合条件：' : 'What would change the answer:');
    for (const n of d.nearestChanges) {
      out.push(`  ${pick(n.title, locale)} ${ref(n.article)}:`);
      for (const c of n.changes) out.push(`    - ${pick(c.text, locale)} ${ref(c.article)}`);
    }
  }
  if (d.guarantees.length > 0) {
    out.push('', zh ? '保障：' : 'Guarantees:');
    for (const g of d.guarantees) out.push(`  - ${pick(g.statement, locale)} ${ref(g.article)}`);
  }
  out.push('', zh ? '依据：' : 'Articles:');
  for (const a of d.articles) {
    out.push(`  ${a.id} 「${a.quote}」${zh ? '' : `\n    ${a.translation}`}`);
    if (a.standing) out.push(zh ? `    （${a.standing.zh}）` : `    (${a.standing.en})`);
  }
  return out.join('\n');
}
