/** Plain-text rendering of a policy decision for the terminal, in the user's language. */
import type { Locale } from '../errors/codes.js';
import type { ConditionResult, Decision } from '../policy/evaluate.js';
import type { Text } from '../policy/policy.js';

const MARK = { met: '✓', not_met: '✗', needs_approval: '?' } as const;
const OUTCOME = {
  eligible: { zh: '符合条件', en: 'eligible' },
  not_eligible: { zh: '不符合条件', en: 'not eligible' },
  needs_approval: { zh: '需经审批', en: 'needs approval' },
} as const;

export function pick(t: Text, locale: Locale): string {
  return locale === 'zh-CN' ? t.zh : t.en;
}

function renderCondition(c: ConditionResult, locale: Locale, depth: number, out: string[]) {
  const seen =
    c.kind === 'fact' && c.actualText && c.status !== 'met'
      ? ` (${locale === 'zh-CN' ? '现为' : 'now'} ${pick(c.actualText, locale)})`
      : '';
  const who = c.authority ? ` — ${pick(c.authority, locale)}` : '';
  out.push(`${'  '.repeat(depth)}${MARK[c.status]} ${pick(c.text, locale)}${seen}${who} [${c.article}]`);
  for (const child of c.children ?? []) renderCondition(child, locale, depth + 1, out);
}

export function renderDecision(d: Decision, locale: Locale, options: { verbose?: boolean } = {}): string {
  const zh = locale === 'zh-CN';
  const out: string[] = [];
  out.push(`${pick(d.policy.title, locale)} (${d.policy.ref}) · ${pick(d.programme.title, locale)}`);
  const chosen = d.pathways.find((p) => p.id === d.pathway);
  out.push(
    `${zh ? '结论' : 'Outcome'}: ${pick(OUTCOME[d.outcome], locale)}${chosen ? ` — ${pick(chosen.title, locale)} [${chosen.article}]` : ''}`,
  );
  if (d.decidedBy) out.push(`${zh ? '决定机关' : 'Decided by'}: ${pick(d.decidedBy, locale)}`);
  if (d.registersAt) out.push(`${zh ? '落户地' : 'Registers at'}: ${pick(d.registersAt, locale)}`);
  out.push('', zh ? '各路径：' : 'Pathways:');
  for (const p of d.pathways) {
    const mark = p.status === 'eligible' ? '✓' : p.status === 'needs_approval' ? '?' : '✗';
    out.push(`  ${mark} ${pick(p.title, locale)} [${p.article}]`);
    if (options.verbose || p.id === d.pathway) {
      for (const child of p.condition.children ?? [p.condition]) renderCondition(child, locale, 3, out);
    }
  }
  if (d.followers.length > 0) {
    out.push('', zh ? '随迁家庭成员：' : 'Family members:');
    for (const f of d.followers) out.push(`  - ${pick(f.text, locale)}${f.article ? ` [${f.article}]` : ''}`);
  }
  if (d.materials.length > 0) {
    out.push('', zh ? '所需材料：' : 'Materials to bring:');
    for (const m of d.materials) out.push(`  - ${pick(m, locale)}`);
  }
  if (d.nearestChanges.length > 0) {
    out.push('', zh ? '怎样才能符合条件：' : 'What would change the answer:');
    for (const n of d.nearestChanges) {
      out.push(`  ${pick(n.title, locale)} [${n.article}]:`);
      for (const c of n.changes) out.push(`    - ${pick(c.text, locale)} [${c.article}]`);
    }
  }
  if (d.guarantees.length > 0) {
    out.push('', zh ? '保障：' : 'Guarantees:');
    for (const g of d.guarantees) out.push(`  - ${pick(g.statement, locale)} [${g.article}]`);
  }
  out.push('', zh ? '依据：' : 'Articles:');
  for (const a of d.articles) out.push(`  ${a.id} 「${a.quote}」${zh ? '' : `\n    ${a.translation}`}`);
  return out.join('\n');
}
