/**
 * The articles a decision rests on, as an approval cites them: the pathway's own article, then the
 * articles of the conditions that made it hold — every branch of an `all`, the branches of an `any` that
 * held. A condition that holds because the person is outside a clause (`hukou.scope ≠ same-county`, cited
 * to qz-draft/2.1.6, which governs moves within one county) is not a basis: the clause does not apply to
 * them. Nor is a `not`. Pure.
 */
import type { ConditionResult, PathwayResult } from './evaluate.js';

const EXCLUDING = new Set(['ne', 'notIn']);

function walk(c: ConditionResult, into: Set<string>): void {
  if (c.status === 'not_met') return;
  switch (c.kind) {
    case 'all':
      for (const child of c.children ?? []) walk(child, into);
      return;
    case 'any': {
      const children = c.children ?? [];
      const met = children.filter((x) => x.status === 'met');
      for (const child of met.length > 0 ? met : children) walk(child, into);
      return;
    }
    case 'not':
      return;
    case 'discretion':
      into.add(c.article);
      return;
    case 'fact':
      if (!c.op || !EXCLUDING.has(c.op)) into.add(c.article);
      return;
  }
}

/**
 * The article ids a pathway's decision rests on, its own article first.
 *
 * @example decisionBasis(legalResidenceForAnotherProvince) // ['qz-final/1'] (not qz-draft/2.1.6)
 */
export function decisionBasis(pathway: Pick<PathwayResult, 'article' | 'condition'>): string[] {
  const found = new Set<string>([pathway.article]);
  walk(pathway.condition, found);
  return [...found];
}
