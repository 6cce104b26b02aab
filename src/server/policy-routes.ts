/**
 * HTTP routes of the policy engine: the versions, one version with its articles and rules, public
 * evaluation of a person's facts (no login, rate-limited), and the difference between two versions.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HujiError } from '../errors/huji-error.js';
import { diffPolicies } from '../policy/diff.js';
import { explainPolicy, explainProgramme } from '../policy/explain.js';
import { Facts, factsJsonSchema } from '../policy/facts.js';
import { policyRef } from '../policy/policy.js';
import { dueDates } from '../policy/schedules.js';
import { findDivision } from '../standards/divisions.js';
import type { PolicyCatalog } from './policy-catalog.js';

const Text = z.object({ zh: z.string(), en: z.string() });

const PolicySummary = z.object({
  id: z.string(),
  version: z.number(),
  ref: z.string().describe('policyId@version, recorded by every decision'),
  status: z.enum(['draft', 'published']),
  jurisdiction: z.string(),
  jurisdictionName: z.string(),
  title: Text,
  effective: z.object({ from: z.string(), to: z.string().nullable() }),
  programmes: z.array(z.object({ id: z.string(), title: Text })),
  sha256: z.string(),
});

const ConditionOut: z.ZodType = z.lazy(() =>
  z.looseObject({
    kind: z.enum(['fact', 'discretion', 'all', 'any', 'not']),
    status: z.enum(['met', 'not_met', 'needs_approval']),
    article: z.string(),
    text: Text,
    children: z.array(ConditionOut).readonly().optional(),
  }),
);

const DecisionOut = z.looseObject({
  policy: z.looseObject({ ref: z.string(), id: z.string(), version: z.number(), title: Text }),
  programme: z.looseObject({ id: z.string(), title: Text }),
  outcome: z.enum(['eligible', 'not_eligible', 'needs_approval']),
  pathway: z.string().optional(),
  pathways: z
    .array(
      z.looseObject({
        id: z.string(),
        title: Text,
        article: z.string(),
        status: z.enum(['eligible', 'not_eligible', 'needs_approval']),
        condition: ConditionOut,
      }),
    )
    .readonly(),
  followers: z.array(z.looseObject({ status: z.string(), text: Text })).readonly(),
  materials: z.array(Text).readonly(),
  nearestChanges: z
    .array(
      z.looseObject({
        pathway: z.string(),
        changes: z.array(z.looseObject({ fact: z.string(), text: Text })).readonly(),
      }),
    )
    .readonly(),
  guarantees: z.array(z.looseObject({ article: z.string(), statement: Text })).readonly(),
  articles: z
    .array(
      z.looseObject({
        id: z.string(),
        quote: z.string(),
        translation: z.string(),
        standing: Text.optional().describe(
          'why a clause of the draft is cited under the final version (the final is silent there, so it stands)',
        ),
      }),
    )
    .readonly(),
});

export interface PolicyRouteOptions {
  readonly catalog: PolicyCatalog;
  /** Evaluations per minute per client address on the public endpoint. */
  readonly evaluateRateLimit: number;
}

export function registerPolicyRoutes(app: FastifyInstance, options: PolicyRouteOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { catalog } = options;
  const get = (id: string) => {
    const found = catalog.find(id);
    if (!found)
      throw new HujiError('HUJI_POLICY_UNKNOWN', {
        id,
        known: catalog.policies.map((p) => p.policy.id).join(', '),
      });
    return found;
  };
  const params = z.object({ id: z.string().min(1).max(80) });

  r.get(
    '/api/v1/policies',
    {
      schema: {
        tags: ['policy'],
        summary: '政策版本列表 / policy versions',
        response: { 200: z.object({ items: z.array(PolicySummary) }) },
      },
    },
    async () => ({
      items: catalog.policies.map(({ policy: p, sha256 }) => ({
        id: p.id,
        version: p.version,
        ref: policyRef(p),
        status: p.status,
        jurisdiction: p.jurisdiction,
        jurisdictionName: findDivision(p.jurisdiction)?.name ?? p.jurisdiction,
        title: p.title,
        effective: p.effective,
        programmes: p.programmes.map((x) => ({ id: x.id, title: x.title })),
        sha256,
      })),
    }),
  );

  r.get(
    '/api/v1/policies/facts-schema',
    {
      schema: {
        tags: ['policy'],
        summary: '规则可用的事实（JSON Schema） / the facts rules may use, as JSON Schema',
      },
    },
    async () => factsJsonSchema(),
  );

  r.get(
    '/api/v1/policies/:id',
    {
      schema: {
        tags: ['policy'],
        summary: '一个政策版本：条款原文与规则 / one version with its articles and rules',
        params,
      },
    },
    async (request) => {
      const { policy, sha256 } = get(request.params.id);
      return { ref: policyRef(policy), sha256, ...policy };
    },
  );

  r.post(
    '/api/v1/policies/:id/evaluate',
    {
      config: { rateLimit: { max: options.evaluateRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['policy'],
        summary:
          '按政策评估一个人的情况（公开，无需登录，限流） / evaluate a person under a policy (public, rate-limited)',
        description:
          'Answers with one decision per programme (or the one asked for): the outcome, every pathway with each condition and the value it saw, ' +
          'the family members who may follow, materials, who decides, the nearest changes for a "no", and the articles with their quoted sentences. ' +
          'Nothing is stored.',
        params,
        body: z.object({ facts: Facts, programme: z.string().max(80).optional() }),
        response: { 200: z.object({ decisions: z.array(DecisionOut) }) },
      },
    },
    async (request) => {
      const { policy } = get(request.params.id);
      const { facts, programme } = request.body;
      if (programme !== undefined && !policy.programmes.some((p) => p.id === programme)) {
        throw new HujiError('HUJI_PROGRAMME_UNKNOWN', {
          id: policy.id,
          programme,
          known: policy.programmes.map((p) => p.id).join(', '),
        });
      }
      return {
        decisions: programme ? [explainProgramme(policy, facts, programme)] : explainPolicy(policy, facts),
      };
    },
  );

  r.get(
    '/api/v1/policies/:id/schedules',
    {
      schema: {
        tags: ['policy'],
        summary: '政策规定的报送期限 / reporting due dates a policy sets for a year',
        params,
        querystring: z.object({ year: z.coerce.number().int().min(1949).max(2100) }),
      },
    },
    async (request) => ({ items: dueDates(get(request.params.id).policy, request.query.year) }),
  );

  r.get(
    '/api/v1/policies/:a/diff/:b',
    {
      schema: {
        tags: ['policy'],
        summary: '比较两个政策版本 / compare two versions, pathway by pathway',
        params: z.object({ a: z.string().min(1).max(80), b: z.string().min(1).max(80) }),
      },
    },
    async (request) => diffPolicies(get(request.params.a).policy, get(request.params.b).policy),
  );
}
