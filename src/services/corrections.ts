/**
 * Corrections of the form itself (申请内容更正): an officer returns named items of what the applicant
 * declared — a mover's name, id, relationship, birthplace, ethnicity, education, marital status, the
 * 迁出地, the destination, an answer to an eligibility question — each with a reason; the applicant
 * changes exactly those and nothing else, and cannot resubmit until every returned item is changed.
 * Pure: the same rules answer the officer's return, the resident's page and the server's check.
 *
 * A field is named by a path: `movers.1.name`, `fromDivision`, `destination`, `facts.residence.type`.
 * Changing a mover's citizen id also changes the sex and date of birth it encodes (the form never asks
 * them apart from the id); changing the applicant's (the first mover's) name or id changes the applicant.
 */
import { z } from 'zod';
import { Facts, FACTS, readFact } from '../policy/facts.js';
import { valueText } from '../policy/describe.js';
import type { ConditionResult, Decision } from '../policy/evaluate.js';
import type { Text } from '../policy/policy.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { optionalCodeLabel, type CodeTableId } from '../standards/code-tables.js';
import { findDivision } from '../standards/divisions.js';
import { maskCitizenId } from '../standards/masking.js';
import {
  ApplicationForm,
  checkFormConsistency,
  handlingCountyOf,
  isMovingForm,
  type ApplicationForm as Form,
} from './forms.js';

/** What the applicant may be asked to correct of a mover. */
export const MOVER_FIELDS = {
  name: { zh: '姓名', en: 'name' },
  citizenId: { zh: '公民身份号码', en: 'citizen id' },
  relationship: { zh: '与户主关系', en: 'relationship to the head' },
  birthplace: { zh: '出生地', en: 'place of birth' },
  ethnicity: { zh: '民族', en: 'ethnicity' },
  education: { zh: '学历', en: 'education' },
  maritalStatus: { zh: '婚姻状况', en: 'marital status' },
  occupation: { zh: '职业', en: 'occupation' },
} as const satisfies Record<string, Text>;
export type MoverField = keyof typeof MOVER_FIELDS;

const MOVER_CODE_TABLES: Partial<Record<MoverField, CodeTableId>> = {
  relationship: 'relationship',
  ethnicity: 'ethnicity',
  education: 'education',
  maritalStatus: 'marital-status',
};

/** The form's own fields, per kind of application, that a return may name. */
const FORM_FIELDS: Partial<Record<Form['kind'], Record<string, Text>>> = {
  settlement: {
    fromDivision: { zh: '迁出地', en: 'moving from' },
    destination: { zh: '迁入地址', en: 'destination' },
  },
  'relatives-joining': {
    fromDivision: { zh: '迁出地', en: 'moving from' },
    destination: { zh: '迁入地址', en: 'destination' },
  },
  'move-in': {
    fromDivision: { zh: '迁出地', en: 'moving from' },
    destination: { zh: '迁入地址', en: 'destination' },
    permitNumber: { zh: '准予迁入证明编号', en: 'permit number' },
  },
  'cross-province-move': {
    fromDivision: { zh: '迁出地', en: 'moving from' },
    destination: { zh: '迁入地址', en: 'destination' },
    originOffice: { zh: '迁出地户口登记机关', en: 'office of origin' },
  },
  'residence-permit': {
    'applicant.name': { zh: '姓名', en: 'name' },
    'applicant.ethnicity': { zh: '民族', en: 'ethnicity' },
    residenceAddress: { zh: '居住地址', en: 'address of residence' },
    livingSince: { zh: '居住起始日期', en: 'living there since' },
  },
};

const MOVER_PATH = /^movers\.(\d{1,2})\.([A-Za-z]+)$/u;

/**
 * The words for a field of this form, or undefined when the field cannot be returned for correction
 * (unknown, not of this kind of form, a mover who is not there, a fact no question asks).
 *
 * @example fieldLabel(settlementForm, 'movers.1.name') // { zh: '第 2 位迁入人（李小明）：姓名', en: 'mover 2 (李小明): name' }
 */
export function fieldLabel(form: Form, field: string): Text | undefined {
  const mover = MOVER_PATH.exec(field);
  if (mover) {
    if (!isMovingForm(form)) return undefined;
    const index = Number(mover[1]);
    const key = mover[2] as MoverField;
    const person = form.movers[index];
    if (!person || !Object.hasOwn(MOVER_FIELDS, key)) return undefined;
    const who =
      index === 0
        ? { zh: '申请人', en: 'applicant' }
        : { zh: `第 ${index + 1} 位迁入人`, en: `mover ${index + 1}` };
    return {
      zh: `${who.zh}（${person.name}）：${MOVER_FIELDS[key].zh}`,
      en: `${who.en} (${person.name}): ${MOVER_FIELDS[key].en}`,
    };
  }
  if (field.startsWith('facts.')) {
    const def = FACTS.get(field.slice('facts.'.length));
    // Answers about the person; a family member's are asked through the movers.
    if (!def || def.scope !== 'person' || def.path.startsWith('person.age') || def.path === 'person.sex')
      return undefined;
    return { zh: `问题：${def.zh}`, en: `question: ${def.en}` };
  }
  const fields = FORM_FIELDS[form.kind];
  const own = fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
  return own ? { ...own } : undefined;
}

/** Every field of this form a return may name, with its words (for the officer's picker). */
export function correctableFields(
  form: Form,
  askedFacts: readonly string[] = [],
): { field: string; label: Text }[] {
  const fields: string[] = [];
  if (isMovingForm(form))
    form.movers.forEach((_, i) => {
      for (const key of Object.keys(MOVER_FIELDS)) fields.push(`movers.${i}.${key}`);
    });
  fields.push(...Object.keys(FORM_FIELDS[form.kind] ?? {}));
  fields.push(...askedFacts.map((p) => `facts.${p}`));
  return fields.flatMap((field) => {
    const label = fieldLabel(form, field);
    return label ? [{ field, label }] : [];
  });
}

const segments = (field: string): (string | number)[] =>
  field.split('.').map((s) => (/^\d+$/u.test(s) ? Number(s) : s));

/** The value a field holds now: in the form, or in the facts for `facts.…`. */
export function readField(form: Form, facts: unknown, field: string): unknown {
  if (field.startsWith('facts.')) return readFact(facts, field.slice('facts.'.length));
  return readFact(form, field);
}

function writeAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  let node: Record<string | number, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  // An optional field corrected to nothing is removed, not stored as null (null means 不详).
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** What the applicant sends: a new value for a returned field. */
export const FieldCorrectionInput = z.object({
  field: z.string().min(1).max(120),
  value: z.unknown(),
});
export type FieldCorrectionInput = z.infer<typeof FieldCorrectionInput>;

/** One change made, as the history and the officer's page show it. */
export interface FieldChange {
  readonly field: string;
  readonly label: Text;
  readonly before: unknown;
  readonly after: unknown;
  /** The values in words (`fieldValueText`), ids masked: what pages show. */
  readonly beforeText: Text;
  readonly afterText: Text;
}

export type CorrectionProblem =
  /** The applicant changed a field nobody returned (refused: only returned fields may change). */
  | { readonly kind: 'not-returned'; readonly field: string }
  /** A returned field still holds what it held (outstanding). */
  | { readonly kind: 'unchanged'; readonly field: string; readonly label: Text }
  /** The new value breaks the form's rules. */
  | { readonly kind: 'invalid'; readonly field: string; readonly path: string; readonly message: Text }
  /** A new destination in another county belongs to another office: withdraw and apply there. */
  | { readonly kind: 'other-county'; readonly field: string; readonly from: string; readonly to: string };

export type CorrectionResult =
  | {
      readonly ok: true;
      readonly form: Form;
      readonly facts: Facts;
      readonly changes: readonly FieldChange[];
    }
  | { readonly ok: false; readonly problems: readonly CorrectionProblem[] };

/** The schema's words are English; a Chinese page says what is wrong in Chinese, the field names which. */
const INVALID_VALUE_ZH = '所填的值不符合要求，请按提示重新填写';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Applies the applicant's corrections to the returned fields, and checks them: nothing but returned
 * fields changes, every returned field changes, and the corrected form and facts pass the rules a
 * submission passes. The changes come back as before → after, for the history and the officer.
 *
 * @example applyCorrections(form, facts, ['movers.0.name'], [{ field: 'movers.0.name', value: '张三' }]).ok // true
 */
export function applyCorrections(
  form: Form,
  facts: unknown,
  returned: readonly string[],
  corrections: readonly FieldCorrectionInput[],
): CorrectionResult {
  const problems: CorrectionProblem[] = [];
  const nextForm = structuredClone(form) as unknown as Record<string, unknown>;
  const nextFacts = structuredClone(facts ?? {}) as Record<string, unknown>;
  for (const c of corrections) {
    if (!returned.includes(c.field)) {
      problems.push({ kind: 'not-returned', field: c.field });
      continue;
    }
    const value = typeof c.value === 'string' ? c.value.trim() : c.value;
    if (c.field.startsWith('facts.')) {
      writeAt(nextFacts, segments(c.field.slice('facts.'.length)), value);
      continue;
    }
    writeAt(nextForm, segments(c.field), value === '' ? undefined : value);
    const mover = MOVER_PATH.exec(c.field);
    if (mover && mover[2] === 'citizenId' && typeof value === 'string') {
      const id = checkCitizenId(value.toUpperCase());
      if (id.isValid) {
        writeAt(nextForm, ['movers', Number(mover[1]), 'birthDate'], id.parsed.birthDate);
        writeAt(nextForm, ['movers', Number(mover[1]), 'sex'], id.parsed.sex === 'male' ? '1' : '2');
      }
    }
    if (mover && mover[1] === '0' && (mover[2] === 'name' || mover[2] === 'citizenId'))
      writeAt(nextForm, ['applicant', mover[2]], value);
  }
  if (problems.length > 0) return { ok: false, problems };

  const parsedForm = ApplicationForm.safeParse(nextForm);
  const fieldOf = (path: string) =>
    returned.find((f) => path === f || path.startsWith(`${f}.`)) ??
    (path.startsWith('applicant.') ? returned.find((f) => f.startsWith('movers.0.')) : undefined) ??
    path;
  if (!parsedForm.success) {
    for (const issue of parsedForm.error.issues) {
      const path = issue.path.map(String).join('.');
      problems.push({
        kind: 'invalid',
        field: fieldOf(path),
        path: `form.${path}`,
        message: { zh: INVALID_VALUE_ZH, en: issue.message },
      });
    }
    return { ok: false, problems };
  }
  for (const p of checkFormConsistency(parsedForm.data)) {
    const path = p.path.replace(/^form\./u, '');
    problems.push({ kind: 'invalid', field: fieldOf(path), path: p.path, message: p.message });
  }
  const parsedFacts = Facts.safeParse(nextFacts);
  if (!parsedFacts.success) {
    for (const issue of parsedFacts.error.issues) {
      const path = `facts.${issue.path.map(String).join('.')}`;
      problems.push({
        kind: 'invalid',
        field: fieldOf(path),
        path,
        message: { zh: INVALID_VALUE_ZH, en: issue.message },
      });
    }
    return { ok: false, problems };
  }
  if (problems.length > 0) return { ok: false, problems };
  const fromCounty = handlingCountyOf(form);
  const toCounty = handlingCountyOf(parsedForm.data);
  if (fromCounty !== toCounty)
    return {
      ok: false,
      problems: [{ kind: 'other-county', field: 'destination', from: fromCounty, to: toCounty }],
    };

  const changes: FieldChange[] = [];
  for (const field of returned) {
    const before = readField(form, facts, field);
    const after = readField(parsedForm.data, parsedFacts.data, field);
    const label = fieldLabel(form, field) ?? { zh: field, en: field };
    if (same(before, after)) problems.push({ kind: 'unchanged', field, label });
    else
      changes.push({
        field,
        label,
        before,
        after,
        beforeText: fieldValueText(field, before),
        afterText: fieldValueText(field, after),
      });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, form: parsedForm.data, facts: parsedFacts.data, changes };
}

/**
 * A value of a field in words, for pages and the history: code labels, division names, fact answers,
 * citizen ids masked (the full id is a separate, audited read).
 */
export function fieldValueText(field: string, value: unknown): Text {
  if (value === undefined) return { zh: '（未填写）', en: '(not given)' };
  const mover = MOVER_PATH.exec(field);
  const key = mover?.[2] as MoverField | undefined;
  if (field.startsWith('facts.')) {
    const def = FACTS.get(field.slice('facts.'.length));
    return def ? valueText(def, value) : plain(value);
  }
  if (key === 'citizenId' && typeof value === 'string') {
    const masked = maskCitizenId(value);
    return { zh: masked, en: masked };
  }
  const table = key ? MOVER_CODE_TABLES[key] : field === 'applicant.ethnicity' ? 'ethnicity' : undefined;
  if (table && (typeof value === 'string' || value === null))
    return { zh: optionalCodeLabel(table, value, 'zh-CN'), en: optionalCodeLabel(table, value, 'en') };
  if (key === 'birthplace' || field === 'fromDivision') {
    if (value === null) return { zh: '不详', en: 'unknown' };
    return typeof value === 'string' ? placeText(value) : plain(value);
  }
  if (value && typeof value === 'object') {
    const v = value as {
      householdNumber?: string;
      newHousehold?: { address: { text: string; countyCode: string } };
      text?: string;
      countyCode?: string;
    };
    if (v.householdNumber)
      return { zh: `加入户 ${v.householdNumber}`, en: `joining household ${v.householdNumber}` };
    const address = v.newHousehold?.address ?? (v.text && v.countyCode ? v : undefined);
    if (address?.text && address.countyCode) {
      const place = placeText(address.countyCode);
      return { zh: `${place.zh}${address.text}`, en: `${address.text}, ${place.en}` };
    }
  }
  return plain(value);
}

function plain(value: unknown): Text {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { zh: text, en: text };
}

function placeText(code: string): Text {
  const d = findDivision(code);
  if (!d) return { zh: code, en: code };
  const name = [...d.path.map((p) => p.name), d.name].join('');
  return { zh: name, en: name };
}

/**
 * The facts the engine read for the application's pathway: the questions a return may name (the
 * answers that decided, not every default the facts carry).
 */
export function factsUsedBy(decision: Decision | null, pathwayId: string | null): string[] {
  const pathway = decision?.pathways.find((p) => p.id === (pathwayId ?? decision.pathway));
  const found = new Set<string>();
  const walk = (c: ConditionResult) => {
    if (c.kind === 'fact' && c.fact) found.add(c.fact);
    c.children?.forEach(walk);
  };
  if (pathway) walk(pathway.condition);
  return [...found];
}
