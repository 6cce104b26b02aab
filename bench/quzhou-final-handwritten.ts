/**
 * The baseline of the policy benchmark: the settlement pathways of `policies/quzhou-2017-final.yaml`
 * written by hand as plain boolean code, the way an engineer would hard-code them without a rule engine.
 * Same contract as Huji's compiled `evaluateInto` (0 not met, 1 needs approval, 2 met, written into a
 * buffer) so that the two are timed doing the same work. The YAML is the reference: keep this in step.
 */
import type { Facts } from '../src/policy/facts.js';

/** Pathway ids in the order of the policy's settlement programme. */
export const QUZHOU_FINAL_PATHWAYS = [
  'intra-county',
  'legal-residence',
  'provincial-free-movement',
  'relatives-joining',
  'talent',
  'special-talent',
  'investor',
  'honoured',
  'workers-from-outside',
  'graduate',
] as const;

const isTown = (t: Facts['residence']['townType']): boolean => t === 'county-seat' || t === 'organized-town';

/** Writes the status of each pathway (in `QUZHOU_FINAL_PATHWAYS` order) for one person from `offset`. */
export function writeQuzhouFinalStatuses(f: Facts, out: Uint8Array, offset: number): void {
  const scope = f.hukou.scope;
  const r = f.residence;
  const inTown = isTown(r.townType);
  // qz-final/1 and /6: a legal stable residence is an owned home or any lease, rental included.
  const hasLegalResidence = r.type === 'owned' || r.type === 'public-rental' || r.type === 'private-rental';

  // qz-draft/2.1.6: a private lease counts for the own county only with 12 months and proof of residence.
  const intraCounty =
    scope === 'same-county' &&
    inTown &&
    (r.type === 'owned' ||
      r.type === 'public-rental' ||
      (r.type === 'private-rental' && r.leaseMonths >= 12 && r.hasResidenceProof));
  const legalResidence = scope !== 'same-county' && inTown && hasLegalResidence;
  const freeMovement = (scope === 'same-city' || scope === 'same-province') && inTown && hasLegalResidence;

  const s = f.sponsor;
  const p = f.person;
  const relativesJoining =
    s.hasLegalStableResidence &&
    isTown(s.townType) &&
    s.isCoResident &&
    (s.relation === 'spouse' ||
      s.relation === 'parent' ||
      (s.relation === 'child' && (p.age < 18 || (p.maritalStatus === 'unmarried' && !p.hasIncome)))) &&
    (scope !== 'same-county' || r.hasResidenceProof);

  const edu = f.education.level;
  const q = f.qualifications;
  const isDegree = edu === 'bachelor' || edu === 'master' || edu === 'doctorate';
  const talent =
    isDegree ||
    (edu === 'college' && q.professionalTitle !== 'none') ||
    q.vocationalLevel === 'technician' ||
    q.vocationalLevel === 'senior-technician' ||
    q.expertLevel === 'provincial' ||
    q.expertLevel === 'national';

  // "Specially needed" is for the city or county government to decide: approval, never plainly met.
  const specialTalent = q.specialTalent !== 'none';

  const inv = f.investment;
  const investor =
    inv.amountYuan >= 100_000 &&
    (inv.role === 'legal-representative' || inv.role === 'middle-manager' || inv.role === 'technical-staff');

  // Every honour level and kind but 'none' counts (county level or above).
  const honoured = f.honour.level !== 'none' && f.honour.kind !== 'none';

  const m = f.months;
  const workersFromOutside =
    (scope === 'same-province' || scope === 'other-province') &&
    m.residence >= 12 &&
    m.employment >= 12 &&
    m.socialInsurance >= 12 &&
    !f.records.hasCriminalRecord;

  const graduate = f.study.status === 'graduated' && (f.employment.status !== 'none' || r.type !== 'none');

  out[offset] = intraCounty ? 2 : 0;
  out[offset + 1] = legalResidence ? 2 : 0;
  out[offset + 2] = freeMovement ? 2 : 0;
  out[offset + 3] = relativesJoining ? 2 : 0;
  out[offset + 4] = talent ? 2 : 0;
  out[offset + 5] = specialTalent ? 1 : 0;
  out[offset + 6] = investor ? 2 : 0;
  out[offset + 7] = honoured ? 2 : 0;
  out[offset + 8] = workersFromOutside ? 2 : 0;
  out[offset + 9] = graduate ? 2 : 0;
}

/** The statuses of one person as a fresh array (for tests and one-offs; the benchmark writes in place). */
export function quzhouFinalStatuses(f: Facts): number[] {
  const out = new Uint8Array(QUZHOU_FINAL_PATHWAYS.length);
  writeQuzhouFinalStatuses(f, out, 0);
  return [...out];
}
