/**
 * The policy workbench's simulation over the register's own population (issue 6): a version, and the one
 * it is compared with, run over the registered persons of the officer's jurisdiction on today's date.
 * Only counts leave the server. The register holds some of the facts the rules ask about; the answer
 * names them, and pathways that need the others (residence, employment, …) are a lower bound.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jurisdictionPrefix } from '../accounts/roles.js';
import { requireOfficer } from '../accounts/require-officer.js';
import type { HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { FACTS } from '../policy/facts.js';
import type { Policy } from '../policy/policy.js';
import { createSimulation } from '../policy/simulate.js';
import { todayInChina } from '../standards/calendar.js';
import { REGISTER_FACT_PATHS } from './policy-facts.js';
import { registeredPopulationFacts } from './population-facts.js';

/** The facts the register supplies, labelled for people (the family is one entry). */
const REGISTER_FACTS = REGISTER_FACT_PATHS.map((path) => {
  const fact = FACTS.get(path);
  return {
    path,
    label: fact
      ? { zh: fact.zh, en: fact.en }
      : {
          zh: '家庭成员（与本人关系、年龄、性别、婚姻状况、共同居住）',
          en: 'family members (relation, age, sex, marital status, living together)',
        },
  };
});

const OfficerHeaders = z.object({ 'x-csrf-token': z.string().max(100).optional() });

/**
 * The division prefix to simulate over: the narrower of the officer's jurisdiction and the policy's, or
 * the one asked for inside both. Undefined when they do not overlap.
 */
export function simulationPrefix(
  officerCounty: string,
  policyJurisdiction: string,
  asked?: string,
): string | undefined {
  const mine = jurisdictionPrefix(officerCounty);
  const policy = jurisdictionPrefix(policyJurisdiction);
  const narrower = mine.startsWith(policy) ? mine : policy.startsWith(mine) ? policy : undefined;
  if (narrower === undefined) return undefined;
  if (asked === undefined) return narrower;
  return asked.startsWith(narrower) ? asked : undefined;
}

export function registerSimulationRoutes(
  app: FastifyInstance,
  db: HujiDatabase,
  policies: readonly Policy[],
  now: () => Date = () => new Date(),
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/register/simulations',
    {
      config: { officerAction: 'register.counts' },
      schema: {
        tags: ['register'],
        summary: '在册人口上模拟政策 / simulate a policy version over the registered population',
        description:
          'Runs a policy version (and optionally the one it is compared with) over the current members of ' +
          'active households in the officer’s jurisdiction. Answers counts only: outcomes, pathways, counties ' +
          'and the changes between the versions. `registerFacts` lists the facts the register supplies; every ' +
          'other fact takes its default, so pathways needing them are a lower bound.',
        headers: OfficerHeaders,
        body: z.object({
          policy: z.string().min(1).max(80).describe('policy version id, e.g. quzhou-2017-final'),
          compareWith: z.string().min(1).max(80).optional(),
          programme: z.string().min(1).max(80).optional(),
          countyPrefix: z
            .string()
            .regex(/^\d{2,6}$/)
            .optional()
            .describe('a division-code prefix within the officer’s jurisdiction and the policy’s'),
        }),
      },
    },
    async (request) => {
      const officer = await requireOfficer(request, 'register.counts');
      const { body } = request;
      const find = (id: string) => {
        const policy = policies.find((p) => p.id === id);
        if (!policy)
          throw new HujiError('HUJI_POLICY_UNKNOWN', { id, known: policies.map((p) => p.id).join(', ') });
        return policy;
      };
      const policy = find(body.policy);
      const compareWith = body.compareWith === undefined ? undefined : find(body.compareWith);
      if (body.programme !== undefined && !policy.programmes.some((p) => p.id === body.programme))
        throw new HujiError('HUJI_PROGRAMME_UNKNOWN', {
          id: policy.id,
          programme: body.programme,
          known: policy.programmes.map((p) => p.id).join(', '),
        });
      const prefix = simulationPrefix(officer.countyCode, policy.jurisdiction, body.countyPrefix);
      if (prefix === undefined)
        throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', {
          ref: body.countyPrefix ?? policy.jurisdiction,
        });
      request.auditObject = { type: 'policy', id: policy.id };
      const started = performance.now();
      const asOf = todayInChina(now());
      const simulation = createSimulation(policy, {
        ...(body.programme ? { programme: body.programme } : {}),
        ...(compareWith ? { compareWith } : {}),
      });
      for await (const facts of registeredPopulationFacts(db, prefix, asOf)) simulation.add(facts);
      return {
        report: simulation.report(),
        countyPrefix: prefix,
        asOf,
        registerFacts: REGISTER_FACTS,
        ms: Math.round(performance.now() - started),
      };
    },
  );
}
