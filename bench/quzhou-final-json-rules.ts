/**
 * The settlement pathways of `policies/quzhou-2017-final.yaml` as json-rules-engine (v7) rules, one rule
 * per pathway, written as a team adopting that engine would author them: the facts object's top-level
 * keys are its facts, nested values are read with a JSONPath `path`. A rule that succeeds emits an event
 * carrying the pathway's index and status (2, or 1 for the discretionary special-talent pathway).
 *
 * The engine is loaded from `bench/peers/` (see `requirePeer` in policy.ts), so only the small part of its
 * API used here is typed below.
 */
import type { Facts } from '../src/policy/facts.js';
import { QUZHOU_FINAL_PATHWAYS } from './quzhou-final-handwritten.js';

type Operator = 'equal' | 'notEqual' | 'in' | 'lessThan' | 'greaterThanInclusive';
type Leaf = { fact: string; path: string; operator: Operator; value: unknown };
type Condition = Leaf | { all: Condition[] } | { any: Condition[] };

interface RuleProperties {
  name: string;
  conditions: { all: Condition[] } | { any: Condition[] };
  event: { type: string; params: { index: number; status: number } };
}

interface JsonRulesEngine {
  addRule(rule: RuleProperties): unknown;
  run(facts: Record<string, unknown>): Promise<{ events: { params?: Record<string, unknown> }[] }>;
}

/** The module's shape as `require('json-rules-engine')` returns it. */
export interface JsonRulesEngineModule {
  Engine: new (rules?: unknown[], options?: JsonRulesOptions) => JsonRulesEngine;
}

/** Engine options used here; `pathResolver` replaces the default JSONPath resolver of `path`. */
export interface JsonRulesOptions {
  allowUndefinedFacts?: boolean;
  pathResolver?: (value: object, path: string) => unknown;
}

const TOWNS = ['county-seat', 'organized-town'];
const LEGAL_RESIDENCE = ['owned', 'public-rental', 'private-rental'];

const is = (fact: string, key: string, operator: Operator, value: unknown): Leaf => ({
  fact,
  path: `$.${key}`,
  operator,
  value,
});

/** Condition trees keyed by pathway id, transcribed from the YAML. */
const CONDITIONS: Record<(typeof QUZHOU_FINAL_PATHWAYS)[number], RuleProperties['conditions']> = {
  'intra-county': {
    all: [
      is('hukou', 'scope', 'equal', 'same-county'),
      is('residence', 'townType', 'in', TOWNS),
      {
        any: [
          is('residence', 'type', 'in', ['owned', 'public-rental']),
          {
            all: [
              is('residence', 'type', 'equal', 'private-rental'),
              is('residence', 'leaseMonths', 'greaterThanInclusive', 12),
              is('residence', 'hasResidenceProof', 'equal', true),
            ],
          },
        ],
      },
    ],
  },
  'legal-residence': {
    all: [
      is('hukou', 'scope', 'notEqual', 'same-county'),
      is('residence', 'townType', 'in', TOWNS),
      is('residence', 'type', 'in', LEGAL_RESIDENCE),
    ],
  },
  'provincial-free-movement': {
    all: [
      is('hukou', 'scope', 'in', ['same-city', 'same-province']),
      is('residence', 'townType', 'in', TOWNS),
      is('residence', 'type', 'in', LEGAL_RESIDENCE),
    ],
  },
  'relatives-joining': {
    all: [
      is('sponsor', 'hasLegalStableResidence', 'equal', true),
      is('sponsor', 'townType', 'in', TOWNS),
      is('sponsor', 'isCoResident', 'equal', true),
      {
        any: [
          is('sponsor', 'relation', 'in', ['spouse', 'parent']),
          {
            all: [
              is('sponsor', 'relation', 'equal', 'child'),
              {
                any: [
                  is('person', 'age', 'lessThan', 18),
                  {
                    all: [
                      is('person', 'maritalStatus', 'equal', 'unmarried'),
                      is('person', 'hasIncome', 'equal', false),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        any: [
          is('hukou', 'scope', 'notEqual', 'same-county'),
          is('residence', 'hasResidenceProof', 'equal', true),
        ],
      },
    ],
  },
  talent: {
    any: [
      {
        all: [
          is('education', 'level', 'in', ['college', 'bachelor', 'master', 'doctorate']),
          is('qualifications', 'professionalTitle', 'in', [
            'junior',
            'intermediate',
            'associate-senior',
            'senior',
          ]),
        ],
      },
      is('qualifications', 'vocationalLevel', 'in', ['technician', 'senior-technician']),
      is('education', 'level', 'in', ['bachelor', 'master', 'doctorate']),
      is('qualifications', 'expertLevel', 'in', ['provincial', 'national']),
    ],
  },
  // The discretion ("specially needed") has no fact to test: the rule's event says "needs approval".
  'special-talent': {
    all: [
      is('qualifications', 'specialTalent', 'in', ['graduate', 'scarce-trade-worker', 'returned-overseas']),
    ],
  },
  investor: {
    all: [
      is('investment', 'amountYuan', 'greaterThanInclusive', 100_000),
      is('investment', 'role', 'in', ['legal-representative', 'middle-manager', 'technical-staff']),
    ],
  },
  honoured: {
    all: [
      is('honour', 'level', 'in', ['county', 'city', 'provincial', 'national']),
      is('honour', 'kind', 'in', [
        'model-worker',
        'excellent-migrant-worker',
        'heroic-deed',
        'other-contribution',
      ]),
    ],
  },
  'workers-from-outside': {
    all: [
      is('hukou', 'scope', 'in', ['same-province', 'other-province']),
      is('months', 'residence', 'greaterThanInclusive', 12),
      is('months', 'employment', 'greaterThanInclusive', 12),
      is('months', 'socialInsurance', 'greaterThanInclusive', 12),
      is('records', 'hasCriminalRecord', 'equal', false),
    ],
  },
  graduate: {
    all: [
      is('study', 'status', 'equal', 'graduated'),
      {
        any: [
          is('employment', 'status', 'in', ['stable', 'self-employed', 'flexible']),
          is('residence', 'type', 'notEqual', 'none'),
        ],
      },
    ],
  },
};

/** The rules, one per pathway, in the policy's order. */
export function quzhouFinalRules(): RuleProperties[] {
  return QUZHOU_FINAL_PATHWAYS.map((id, index) => ({
    name: id,
    conditions: CONDITIONS[id],
    event: { type: id, params: { index, status: id === 'special-talent' ? 1 : 2 } },
  }));
}

export interface JsonRulesEvaluator {
  /** Evaluates one person and writes each pathway's status from `offset` (pathways without an event: 0). */
  readonly evaluateInto: (facts: Facts, out: Uint8Array, offset: number) => Promise<void>;
}

/** One engine holding the rules, reused for every person as the library intends. */
export function createJsonRulesEvaluator(
  lib: JsonRulesEngineModule,
  options: JsonRulesOptions = {},
): JsonRulesEvaluator {
  const engine = new lib.Engine([], { allowUndefinedFacts: false, ...options });
  for (const rule of quzhouFinalRules()) engine.addRule(rule);
  const width = QUZHOU_FINAL_PATHWAYS.length;
  return {
    evaluateInto: async (facts, out, offset) => {
      out.fill(0, offset, offset + width);
      const { events } = await engine.run(facts);
      for (const e of events) out[offset + Number(e.params?.index)] = Number(e.params?.status);
    },
  };
}
