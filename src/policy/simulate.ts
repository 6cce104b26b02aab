/**
 * Simulates a policy version over a whole population: how many people qualify, by pathway and by
 * county, and — compared with another version — who changes outcome and why (which pathways opened or
 * closed for them). Streams: add people one by one, read the report at the end. Uses the compiled
 * form of the rules, so a million people take seconds.
 */
import { compileProgramme, MET, NEEDS_APPROVAL, type CompiledProgramme } from './compile.js';
import type { Facts } from './facts.js';
import { policyRef, type Policy, type Text } from './policy.js';

const OUTCOMES = ['not_eligible', 'needs_approval', 'eligible'] as const;
type OutcomeName = (typeof OUTCOMES)[number];

export interface OutcomeCounts {
  eligible: number;
  needs_approval: number;
  not_eligible: number;
}

export interface PathwayCount {
  readonly id: string;
  readonly title: Text;
  readonly article: string;
  /** People for whom this pathway holds (a person may hold several). */
  met: number;
  needsApproval: number;
}

export interface OutcomeChange {
  readonly from: OutcomeName;
  readonly to: OutcomeName;
  count: number;
}

export interface ChangeReason {
  /** `pathway: before → after` of the compared version and this one. */
  readonly pathway: string;
  readonly title: Text;
  readonly from: OutcomeName;
  readonly to: OutcomeName;
  readonly fromArticle?: string;
  readonly toArticle?: string;
  count: number;
}

export interface SimulationReport {
  readonly policy: string;
  readonly compareWith?: string;
  readonly programme: string;
  persons: number;
  outcomes: OutcomeCounts;
  readonly pathways: PathwayCount[];
  readonly counties: Record<string, OutcomeCounts & { persons: number }>;
  readonly comparison?: {
    outcomes: OutcomeCounts;
    changed: number;
    readonly changes: OutcomeChange[];
    readonly reasons: ChangeReason[];
    /** Up to 20 people who changed outcome, by their position in the population. */
    readonly examples: { index: number; from: OutcomeName; to: OutcomeName; countyCode: string }[];
  };
}

const best = (row: Uint8Array, width: number): number => {
  let b = 0;
  for (let i = 0; i < width; i++) if ((row[i] ?? 0) > b) b = row[i] ?? 0;
  return b;
};

export interface Simulation {
  add(facts: Facts): void;
  report(): SimulationReport;
}

export function createSimulation(
  policy: Policy,
  options: { programme?: string; compareWith?: Policy } = {},
): Simulation {
  const compiled = compileProgramme(policy, options.programme);
  const programme = policy.programmes.find((p) => p.id === compiled.programmeId);
  if (!programme) throw new RangeError(`no programme ${compiled.programmeId}`);
  const other: CompiledProgramme | undefined = options.compareWith
    ? compileProgramme(options.compareWith, compiled.programmeId)
    : undefined;
  const otherProgramme = options.compareWith?.programmes.find((p) => p.id === compiled.programmeId);
  const width = compiled.pathwayIds.length;
  const otherWidth = other?.pathwayIds.length ?? 0;
  const row = new Uint8Array(width);
  const otherRow = new Uint8Array(otherWidth);
  const report: SimulationReport = {
    policy: policyRef(policy),
    ...(options.compareWith ? { compareWith: policyRef(options.compareWith) } : {}),
    programme: compiled.programmeId,
    persons: 0,
    outcomes: { eligible: 0, needs_approval: 0, not_eligible: 0 },
    pathways: programme.pathways.map((p) => ({
      id: p.id,
      title: p.title,
      article: p.article,
      met: 0,
      needsApproval: 0,
    })),
    counties: {},
    ...(other
      ? {
          comparison: {
            outcomes: { eligible: 0, needs_approval: 0, not_eligible: 0 },
            changed: 0,
            changes: [],
            reasons: [],
            examples: [],
          },
        }
      : {}),
  };
  const changeIndex = new Map<string, OutcomeChange>();
  const reasonIndex = new Map<string, ChangeReason>();
  // Pathway ids shared by both versions, with their positions in each.
  const ids = [...new Set([...(other?.pathwayIds ?? []), ...compiled.pathwayIds])];

  return {
    add(facts) {
      compiled.evaluateInto(facts, row, 0);
      const outcome = OUTCOMES[best(row, width)] as OutcomeName;
      const index = report.persons++;
      report.outcomes[outcome]++;
      for (let i = 0; i < width; i++) {
        const p = report.pathways[i] as PathwayCount;
        if (row[i] === MET) p.met++;
        else if (row[i] === NEEDS_APPROVAL) p.needsApproval++;
      }
      const county = (report.counties[facts.place.countyCode] ??= {
        persons: 0,
        eligible: 0,
        needs_approval: 0,
        not_eligible: 0,
      });
      county.persons++;
      county[outcome]++;
      if (!other || !report.comparison) return;
      other.evaluateInto(facts, otherRow, 0);
      const before = OUTCOMES[best(otherRow, otherWidth)] as OutcomeName;
      report.comparison.outcomes[before]++;
      if (before === outcome) return;
      report.comparison.changed++;
      const key = `${before}>${outcome}`;
      let change = changeIndex.get(key);
      if (!change) {
        change = { from: before, to: outcome, count: 0 };
        changeIndex.set(key, change);
        report.comparison.changes.push(change);
      }
      change.count++;
      if (report.comparison.examples.length < 20) {
        report.comparison.examples.push({
          index,
          from: before,
          to: outcome,
          countyCode: facts.place.countyCode,
        });
      }
      for (const id of ids) {
        const i = compiled.pathwayIds.indexOf(id);
        const j = other.pathwayIds.indexOf(id);
        const now = OUTCOMES[i < 0 ? 0 : (row[i] ?? 0)] as OutcomeName;
        const then = OUTCOMES[j < 0 ? 0 : (otherRow[j] ?? 0)] as OutcomeName;
        if (now === then) continue;
        const rkey = `${id}|${then}>${now}`;
        let reason = reasonIndex.get(rkey);
        if (!reason) {
          const mine = programme.pathways.find((p) => p.id === id);
          const theirs = otherProgramme?.pathways.find((p) => p.id === id);
          reason = {
            pathway: id,
            title: (mine ?? theirs)?.title ?? { zh: id, en: id },
            from: then,
            to: now,
            ...(theirs ? { fromArticle: theirs.article } : {}),
            ...(mine ? { toArticle: mine.article } : {}),
            count: 0,
          };
          reasonIndex.set(rkey, reason);
          report.comparison.reasons.push(reason);
        }
        reason.count++;
      }
    },
    report() {
      report.comparison?.changes.sort((a, b) => b.count - a.count);
      report.comparison?.reasons.sort((a, b) => b.count - a.count);
      return report;
    },
  };
}
