/**
 * Demands no application may make. Giving up land contract, homestead or collective income rights may
 * never be a condition of settling (qz-draft/2.5.1, lz/2.5; nationally 国发〔2014〕25号); where a policy
 * decouples family planning from registration (qz-final/8) no family-planning document may be asked for.
 *
 * The policy parser already refuses a condition on such a fact (`guarantees[].forbiddenFacts`). Materials
 * and the officer's return notices are free text, so they are checked here by wording: a material or a
 * requested change that asks the applicant to give up (退出、放弃、交回、转让…) one of those rights, or to
 * produce a family-planning document, is refused with the guarantee it breaks. Wording that says the
 * opposite ("无需退出宅基地", "no need to give up") is allowed.
 */
import type { Policy, Text } from './policy.js';

export type ForbiddenDemandKind = 'land-rights' | 'family-planning';

export interface ForbiddenDemand {
  readonly kind: ForbiddenDemandKind;
  /** The digest article of the policy's guarantee; absent when only the national rule applies. */
  readonly article?: string;
  /** The quoted sentence of that article (or the national document's rule). */
  readonly quote: string;
  readonly statement: Text;
  /** The words that made the demand forbidden. */
  readonly matched: string;
}

const NEGATION_ZH = /(无需|无须|不需|不必|不得|不要求|不以|不作为|不再|禁止|不用)$/;
const NEGATION_EN = /\b(no need to|not required to|need not|never|not|without|no)\s+(be\s+)?$/i;

interface Rule {
  readonly kind: ForbiddenDemandKind;
  /** Guarantee facts that switch the rule on; `always` rules apply to every policy. */
  readonly facts: readonly string[];
  readonly always: boolean;
  readonly zh: readonly RegExp[];
  readonly en: readonly RegExp[];
  readonly national?: { readonly quote: string; readonly statement: Text };
}

const LAND_VERB_ZH = '(?:退出|放弃|交回|交出|转让|注销|退还|收回|腾退|让渡|流转|有偿退出|自愿退出)';
const LAND_OBJECT_ZH =
  '(?:土地承包经营权|土地承包|承包地|承包经营权|宅基地|集体收益分配权|集体收益|集体经济组织成员|农村“?三权”?|农村土地)';
const LAND_VERB_EN =
  '(?:giv(?:e|ing) up|surrender\\w*|relinquish\\w*|waiv(?:e|er|ing)|transfer\\w*|exit\\w*|withdraw\\w*|return\\w*|cancel\\w*)';
const LAND_OBJECT_EN =
  '(?:land[- ]contract\\w*|contracted land|homestead\\w*|collective (?:income|economic|distribution)\\w*|rural land)';

const RULES: readonly Rule[] = [
  {
    kind: 'land-rights',
    facts: ['ruralRights.*'],
    always: true,
    zh: [
      new RegExp(`${LAND_VERB_ZH}.{0,12}?${LAND_OBJECT_ZH}`, 'u'),
      new RegExp(`${LAND_OBJECT_ZH}.{0,12}?${LAND_VERB_ZH}`, 'u'),
    ],
    en: [
      new RegExp(`${LAND_VERB_EN}.{0,40}?${LAND_OBJECT_EN}`, 'iu'),
      new RegExp(`${LAND_OBJECT_EN}.{0,40}?${LAND_VERB_EN}`, 'iu'),
    ],
    national: {
      quote: '现阶段，不得以退出土地承包经营权、宅基地使用权、集体收益分配权作为农民进城落户的条件。',
      statement: {
        zh: '国务院关于进一步推进户籍制度改革的意见（国发〔2014〕25号）：不得以退出土地承包经营权、宅基地使用权、集体收益分配权作为进城落户的条件。',
        en: 'State Council opinion on further hukou reform (国发〔2014〕25号): giving up land contract, homestead or collective income rights may not be a condition of settling in town.',
      },
    },
  },
  {
    kind: 'family-planning',
    facts: ['records.hasFamilyPlanningViolation'],
    always: false,
    zh: [/计划生育|准生证|生育证|生育服务证|生育登记证明|社会抚养费|独生子女证|节育/u],
    en: [
      /family[- ]planning|birth permit|birth[- ]service certificate|social maintenance fee|one[- ]child/iu,
    ],
  },
];

function isNegated(text: string, index: number, negation: RegExp): boolean {
  return negation.test(text.slice(Math.max(0, index - 20), index));
}

// matchAll needs the g flag; each pattern's global twin is made once, not per text checked.
const globalTwins = new WeakMap<RegExp, RegExp>();
function globalTwin(pattern: RegExp): RegExp {
  let twin = globalTwins.get(pattern);
  if (!twin) {
    twin = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    globalTwins.set(pattern, twin);
  }
  return twin;
}

function firstMatch(text: string, patterns: readonly RegExp[], negation: RegExp): string | undefined {
  for (const pattern of patterns) {
    // matchAll works on a copy of the expression, so the shared twin keeps no lastIndex between texts.
    for (const m of text.matchAll(globalTwin(pattern))) {
      if (!isNegated(text, m.index, negation)) return m[0];
    }
  }
  return undefined;
}

export type GuaranteeSource = Pick<Policy, 'guarantees' | 'articles'>;

/**
 * The forbidden demand a text makes under a policy's guarantees, or undefined when it makes none.
 *
 * @example findForbiddenDemand({ zh: '宅基地退出协议', en: 'homestead exit agreement' }, policy)?.article // 'qz-draft/2.5.1'
 */
export function findForbiddenDemand(
  text: Text | string,
  policy?: GuaranteeSource,
): ForbiddenDemand | undefined {
  const zh = typeof text === 'string' ? text : text.zh;
  const en = typeof text === 'string' ? text : text.en;
  for (const rule of RULES) {
    const guarantee = policy?.guarantees.find((g) => g.forbiddenFacts.some((f) => rule.facts.includes(f)));
    if (!guarantee && !rule.always) continue;
    const matched = firstMatch(zh, rule.zh, NEGATION_ZH) ?? firstMatch(en, rule.en, NEGATION_EN);
    if (matched === undefined) continue;
    if (guarantee) {
      const article = policy?.articles.find((a) => a.id === guarantee.article);
      return {
        kind: rule.kind,
        article: guarantee.article,
        quote: article?.quote ?? guarantee.statement.zh,
        statement: guarantee.statement,
        matched,
      };
    }
    if (rule.national) return { kind: rule.kind, ...rule.national, matched };
  }
  return undefined;
}
