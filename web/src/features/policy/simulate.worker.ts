/**
 * Runs a policy simulation off the page's thread: a seeded synthetic population of the policy's city
 * (src/policy/synthetic-population.ts) through the compiled rules (src/policy/simulate.ts), reporting
 * progress every 5,000 persons. The register's own population is simulated on the server instead
 * (POST /api/v1/register/simulations).
 */
import type { Facts } from '../../../../src/policy/facts';
import type { Policy } from '../../../../src/policy/policy';
import { createSimulation, type SimulationReport } from '../../../../src/policy/simulate';
import { syntheticPopulation, type City } from '../../../../src/policy/synthetic-population';

export interface SimulateRequest {
  readonly policy: Policy;
  readonly compareWith?: Policy;
  readonly programme: string;
  readonly city: City;
  readonly persons: number;
  readonly seed: number;
}

export type SimulateMessage =
  | { readonly kind: 'progress'; readonly done: number }
  | { readonly kind: 'done'; readonly report: SimulationReport; readonly ms: number }
  | { readonly kind: 'failed'; readonly message: string };

const post = (m: SimulateMessage) =>
  (self as unknown as { postMessage: (m: SimulateMessage) => void }).postMessage(m);

self.onmessage = (event: MessageEvent<SimulateRequest>) => {
  const r = event.data;
  const started = performance.now();
  try {
    const simulation = createSimulation(r.policy, {
      programme: r.programme,
      ...(r.compareWith ? { compareWith: r.compareWith } : {}),
    });
    let done = 0;
    for (const person of syntheticPopulation(r.city, r.persons, r.seed) as Iterable<Facts>) {
      simulation.add(person);
      if (++done % 5000 === 0) post({ kind: 'progress', done });
    }
    post({ kind: 'done', report: simulation.report(), ms: Math.round(performance.now() - started) });
  } catch (error) {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
