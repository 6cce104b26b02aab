/**
 * One visit at most (一次办理, lz/2.1 "网上受理、网上审核、一次办理"): the completeness check lists every
 * missing or unusable material of an application at once, and a return for materials lists everything
 * that must change, so the applicant never comes back twice for the same application. Pure.
 *
 * Three rules beyond listing:
 * - A return asks only for materials on the type's published checklist (materials of the policy or of
 *   the catalogue): an officer cannot invent a new requirement at the window. Anything else is a
 *   correction of the application itself (a wrong address, a misspelt name).
 * - No item of a return may demand giving up land contract, homestead or collective income rights
 *   (qz-draft/2.5.1, lz/2.5), nor a family-planning document where the policy decouples it (qz-final/8).
 * - A return with nothing to change is not a return.
 */
import type { Text } from '../policy/policy.js';
import type { ApplicationType, RequiredMaterial } from './application-types.js';
import {
  findForbiddenDemand,
  type ForbiddenDemand,
  type GuaranteeSource,
} from '../policy/forbidden-demands.js';

export const MATERIAL_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type MaterialStatus = (typeof MATERIAL_STATUSES)[number];

export const MATERIAL_STATUS_LABELS = {
  pending: { zh: '待核验', en: 'awaiting check' },
  accepted: { zh: '已核验', en: 'accepted' },
  rejected: { zh: '不符合要求', en: 'not usable' },
} as const satisfies Record<MaterialStatus, Text>;

/** One uploaded file, against a material of the checklist. A new upload of a key starts `pending`. */
export interface UploadedMaterial {
  readonly key: string;
  readonly status: MaterialStatus;
  /** Why an officer found it unusable (for `rejected`). */
  readonly rejection?: Text;
}

export const CHANGE_KINDS = ['missing', 'redo', 'correction', 'field'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_KIND_LABELS = {
  missing: { zh: '缺少材料', en: 'missing material' },
  redo: { zh: '材料需重新提交', en: 'material to provide again' },
  correction: { zh: '申请内容需更正', en: 'correction to the application' },
  field: { zh: '所填内容需更正', en: 'entry to correct' },
} as const satisfies Record<ChangeKind, Text>;

/** One thing the applicant must change before resubmitting. */
export type RequiredChange =
  | {
      readonly kind: 'missing';
      readonly material: string;
      readonly label: Text;
      readonly article?: string;
    }
  | {
      readonly kind: 'redo';
      readonly material: string;
      readonly label: Text;
      readonly reason: Text;
      readonly article?: string;
    }
  | { readonly kind: 'correction'; readonly label: Text; readonly reason: Text }
  /**
   * A field of the form (or an answer to a question) to correct, by its path (`corrections.ts`): the
   * applicant may change these and only these, and must change each before resubmitting.
   */
  | { readonly kind: 'field'; readonly field: string; readonly label: Text; readonly reason: Text };

export interface CompletenessReport {
  readonly isComplete: boolean;
  /** Every checklist material with no usable upload, in checklist order. */
  readonly missing: readonly RequiredChange[];
  /** Every checklist material whose every upload was found unusable, with the reasons. */
  readonly toRedo: readonly RequiredChange[];
  /** Uploads under keys the checklist does not have (ignored, reported so they can be reassigned). */
  readonly unexpected: readonly string[];
}

/**
 * Who moves, as far as the checklist cares: the GB/T 4761 relationship codes of the followers (every
 * mover after the applicant). Absent for applications that move nobody, and for the check before
 * submitting, where the form is not known yet.
 */
export interface MovingHousehold {
  readonly followerRelationships: readonly string[];
}

/** The kinds of follower a material asks papers of, read from its published wording. */
const FOLLOWER_PAPERS: readonly { readonly pattern: RegExp; readonly codes: RegExp }[] = [
  { pattern: /随迁(?:的)?子女/u, codes: /^[234]/u },
  { pattern: /随迁(?:的)?配偶/u, codes: /^1/u },
  { pattern: /随迁(?:的)?(?:父母|父亲|母亲)/u, codes: /^5/u },
  { pattern: /随迁/u, codes: /^/u },
];

/**
 * Whether a checklist material applies to this household: a paper of followers (随迁人员的……, 随迁子女……)
 * is asked only when such a follower moves. The policies name these papers in their text, so the
 * wording is what says whom they concern (the most specific pattern decides).
 */
export function appliesTo(material: Pick<RequiredMaterial, 'label'>, household?: MovingHousehold): boolean {
  if (!household) return true;
  const rule = FOLLOWER_PAPERS.find((r) => r.pattern.test(material.label.zh));
  return !rule || household.followerRelationships.some((code) => rule.codes.test(code));
}

function articleOf(m: RequiredMaterial): { article?: string } {
  return m.article ? { article: m.article } : {};
}

/**
 * Every missing and every unusable material of an application at once.
 *
 * @example checkCompleteness(type, [{ key: 'talent#0', status: 'accepted' }]).missing.map((c) => c.material) // ['talent#1']
 */
export function checkCompleteness(
  type: Pick<ApplicationType, 'materials'>,
  uploaded: readonly UploadedMaterial[],
  household?: MovingHousehold,
): CompletenessReport {
  const missing: RequiredChange[] = [];
  const toRedo: RequiredChange[] = [];
  for (const material of type.materials) {
    if (!appliesTo(material, household)) continue;
    const uploads = uploaded.filter((u) => u.key === material.key);
    if (uploads.length === 0) {
      missing.push({
        kind: 'missing',
        material: material.key,
        label: material.label,
        ...articleOf(material),
      });
    } else if (uploads.every((u) => u.status === 'rejected')) {
      const reasons = uploads.map((u) => u.rejection).filter((r): r is Text => r !== undefined);
      toRedo.push({
        kind: 'redo',
        material: material.key,
        label: material.label,
        reason: reasons.length
          ? { zh: reasons.map((r) => r.zh).join('；'), en: reasons.map((r) => r.en).join('; ') }
          : { zh: '材料不符合要求', en: 'the material is not usable' },
        ...articleOf(material),
      });
    }
  }
  const known = new Set(type.materials.map((m) => m.key));
  const unexpected = [...new Set(uploaded.map((u) => u.key).filter((k) => !known.has(k)))];
  return { isComplete: missing.length === 0 && toRedo.length === 0, missing, toRedo, unexpected };
}

/** What an officer adds to a return beyond what the completeness check finds. */
export type OfficerRequest =
  | { readonly kind: 'redo'; readonly material: string; readonly reason: Text }
  | { readonly kind: 'correction'; readonly label: Text; readonly reason: Text }
  | { readonly kind: 'field'; readonly field: string; readonly reason: Text };

export type ReturnProblem =
  | { readonly kind: 'nothing-to-change' }
  | { readonly kind: 'not-a-field'; readonly field: string }
  | { readonly kind: 'not-on-checklist'; readonly material: string }
  | { readonly kind: 'forbidden-demand'; readonly item: number; readonly demand: ForbiddenDemand };

export type ReturnNotice =
  | { readonly isValid: true; readonly changes: readonly RequiredChange[] }
  | { readonly isValid: false; readonly problems: readonly ReturnProblem[] };

/**
 * The whole list of what must change for a return for materials: every missing material, every
 * unusable one, and the officer's own items, with nothing forbidden and nothing off the checklist.
 */
export function buildReturnNotice(
  type: Pick<ApplicationType, 'materials'>,
  uploaded: readonly UploadedMaterial[],
  requests: readonly OfficerRequest[] = [],
  policy?: GuaranteeSource,
  household?: MovingHousehold,
  /** The words of a field of this application's form; undefined: not a field a return may name. */
  labelField: (field: string) => Text | undefined = () => undefined,
): ReturnNotice {
  const report = checkCompleteness(type, uploaded, household);
  const changes: RequiredChange[] = [...report.missing, ...report.toRedo];
  const problems: ReturnProblem[] = [];
  for (const request of requests) {
    if (request.kind === 'correction') {
      changes.push({ kind: 'correction', label: request.label, reason: request.reason });
      continue;
    }
    if (request.kind === 'field') {
      const label = labelField(request.field);
      if (!label) problems.push({ kind: 'not-a-field', field: request.field });
      else if (!changes.some((c) => c.kind === 'field' && c.field === request.field))
        changes.push({ kind: 'field', field: request.field, label, reason: request.reason });
      continue;
    }
    const material = type.materials.find((m) => m.key === request.material);
    if (!material) {
      problems.push({ kind: 'not-on-checklist', material: request.material });
      continue;
    }
    const existing = changes.findIndex(
      (c) => (c.kind === 'missing' || c.kind === 'redo') && c.material === material.key,
    );
    const change: RequiredChange = {
      kind: 'redo',
      material: material.key,
      label: material.label,
      reason: request.reason,
      ...articleOf(material),
    };
    if (existing >= 0) changes[existing] = change;
    else changes.push(change);
  }
  changes.forEach((change, item) => {
    for (const text of [change.label, 'reason' in change ? change.reason : undefined]) {
      const demand = text && findForbiddenDemand(text, policy);
      if (demand) {
        problems.push({ kind: 'forbidden-demand', item, demand });
        break;
      }
    }
  });
  if (changes.length === 0 && problems.length === 0) problems.push({ kind: 'nothing-to-change' });
  return problems.length > 0 ? { isValid: false, problems } : { isValid: true, changes };
}

/**
 * The items of a return still not redone: a material without a new upload, a returned field the
 * applicant has not changed (`corrected`: the fields whose new value differs from the old). A free-text
 * correction is checked by the officer. The use case marks the uploads a return asks to redo as
 * `rejected`, so only a new upload answers them. Empty: the applicant may resubmit.
 *
 * @example outstandingChanges([{ kind: 'field', field: 'fromDivision', label, reason }], [], new Set()) // [that item]
 */
export function outstandingChanges(
  changes: readonly RequiredChange[],
  uploaded: readonly UploadedMaterial[],
  corrected: ReadonlySet<string> = new Set(),
): RequiredChange[] {
  return changes.filter((change) => {
    if (change.kind === 'correction') return false;
    if (change.kind === 'field') return !corrected.has(change.field);
    return !uploaded.some((u) => u.key === change.material && u.status !== 'rejected');
  });
}
