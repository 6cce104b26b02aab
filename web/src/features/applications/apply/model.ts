/**
 * The application form's values and what is sent: pure, unit-tested beside this file. The movers are one
 * list, the applicant first (the server's `form.movers[0]` is the applicant), each declaring what the
 * register will hold. The policy facts sent with the submission take from the form what it already says
 * (the applicant's and the family members' age and sex, relation and marital status), so form and facts
 * cannot disagree.
 */
import type { Programme } from '../../../../../src/policy/policy';
import { formatMessage, type Locale } from '../../../../../src/errors/codes';
import { checkCitizenId } from '../../../../../src/standards/citizen-id';

export interface MoverValues {
  name?: string;
  citizenId?: string;
  sex?: '1' | '2';
  birthDate?: string;
  relationship?: string;
  /** A county code, null for a declared 不详, undefined while not answered. */
  birthplace?: string | null;
  ethnicity?: string | null;
  education?: string;
  maritalStatus?: string;
  occupation?: string;
}

export interface ApplyValues {
  county?: string;
  typeId?: string;
  movers?: MoverValues[];
  fromDivision?: string;
  destMode?: 'existing' | 'new';
  destination?: {
    householdNumber?: string;
    newHousehold?: { address?: { text?: string; countyCode?: string; townCode?: string } };
  };
  residenceAddress?: { text?: string; countyCode?: string; townCode?: string };
  livingSince?: string;
}

/** A mover exactly as the server's contract has it (`form.movers[i]`). */
export interface MoverOut {
  name: string;
  citizenId: string;
  sex: '1' | '2';
  birthDate: string;
  relationship: string;
  birthplace: string | null;
  ethnicity: string | null;
  education?: string;
  maritalStatus?: string;
  occupation?: string;
}

/**
 * Sex and date of birth as a valid citizen id states them (GB 11643: positions 7–14 and 17).
 *
 * @example fromCitizenId('110101199003070019') // { sex: '1', birthDate: '1990-03-07' }
 */
export function fromCitizenId(id: string | undefined): { sex: '1' | '2'; birthDate: string } | undefined {
  const result = checkCitizenId((id ?? '').trim().toUpperCase());
  if (!result.isValid) return undefined;
  return { sex: result.parsed.sex === 'male' ? '1' : '2', birthDate: result.parsed.birthDate };
}

/**
 * What is wrong with a typed citizen id, in the page's language — the rule it breaks (a wrong check
 * character says so, not "18 characters"), or undefined when it is valid.
 */
export function citizenIdProblem(id: string, locale: Locale): string | undefined {
  const result = checkCitizenId(id.trim().toUpperCase());
  if (result.isValid) return undefined;
  const problem = result.problems[0]!;
  return formatMessage(problem.code, locale, problem.params);
}

/** Whole years between a date of birth and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age -= 1;
  return age;
}

export function moverOut(m: MoverValues): MoverOut {
  const citizenId = (m.citizenId ?? '').trim().toUpperCase();
  const derived = fromCitizenId(citizenId);
  const occupation = (m.occupation ?? '').trim();
  return {
    name: (m.name ?? '').trim(),
    citizenId,
    sex: m.sex ?? derived?.sex ?? '1',
    birthDate: m.birthDate ?? derived?.birthDate ?? '',
    relationship: m.relationship ?? '',
    birthplace: m.birthplace ?? null,
    ethnicity: m.ethnicity ?? null,
    ...(m.education ? { education: m.education } : {}),
    ...(m.maritalStatus ? { maritalStatus: m.maritalStatus } : {}),
    ...(occupation ? { occupation } : {}),
  };
}

/**
 * The policy's relation of a family member to the applicant from the GB/T 4761 relationship to the
 * head: the applicant heads the household the family follows into (a new one) or is its member with
 * them, so spouse, child and parent of the head read as the applicant's.
 */
export function relationOf(code: string | undefined): 'spouse' | 'child' | 'parent' | 'other' {
  const n = Number(code ?? '99');
  if (n >= 10 && n <= 12) return 'spouse';
  if (n >= 20 && n <= 39) return 'child';
  if (n >= 50 && n <= 59) return 'parent';
  return 'other';
}

/** GB/T 2261.2 marital status as the policy's fact, when the code says one. */
export function maritalFact(
  code: string | undefined,
): 'unmarried' | 'married' | 'widowed' | 'divorced' | undefined {
  if (!code) return undefined;
  if (code === '10') return 'unmarried';
  if (code.startsWith('2')) return 'married';
  if (code === '30') return 'widowed';
  if (code === '40') return 'divorced';
  return undefined;
}

const MARITAL_CODES = { unmarried: '10', married: '20', widowed: '30', divorced: '40' } as const;

/**
 * A marital status answered on the questions step (not declared on the mover's card) as the GB/T 2261.2
 * code the register keeps, so what the resident answered reaches the register: the applicant's from
 * `person.maritalStatus`, a family member's from their answers (same order as the movers after the first).
 *
 * @example withAnsweredMaritalStatus([a, b], { maritalStatus: 'married' }, [{ maritalStatus: 'unmarried' }])
 * // [{ ...a, maritalStatus: '20' }, { ...b, maritalStatus: '10' }]
 */
export function withAnsweredMaritalStatus(
  movers: readonly MoverOut[],
  person: Record<string, unknown> | undefined,
  family: readonly Record<string, unknown>[],
): MoverOut[] {
  const codeOf = (answer: unknown) =>
    typeof answer === 'string' && answer in MARITAL_CODES
      ? MARITAL_CODES[answer as keyof typeof MARITAL_CODES]
      : undefined;
  return movers.map((m, i) => {
    if (m.maritalStatus) return m;
    const answered = codeOf(i === 0 ? person?.maritalStatus : family[i - 1]?.maritalStatus);
    return answered ? { ...m, maritalStatus: answered } : m;
  });
}

/** What the form already says of a family member, as the facts' member fields. */
export function memberFactsOf(m: MoverValues, today: string): Record<string, unknown> {
  const out = moverOut(m);
  const marital = maritalFact(out.maritalStatus);
  return {
    relation: relationOf(out.relationship),
    ...(out.birthDate ? { age: ageOn(out.birthDate, today) } : {}),
    sex: out.sex === '2' ? 'female' : 'male',
    ...(out.name ? { name: out.name } : {}),
    ...(marital ? { maritalStatus: marital } : {}),
  };
}

/**
 * Where the hukou is now, as the policy's fact, from 迁出地 against the county applied to.
 *
 * @example hukouScopeOf('620123', '330802') // 'other-province'
 */
export function hukouScopeOf(
  fromDivision: string | undefined,
  county: string | undefined,
): 'same-county' | 'same-city' | 'same-province' | 'other-province' | undefined {
  if (!fromDivision || !county || !/^\d{6}$/.test(fromDivision)) return undefined;
  if (fromDivision === county) return 'same-county';
  if (fromDivision.slice(0, 4) === county.slice(0, 4)) return 'same-city';
  if (fromDivision.slice(0, 2) === county.slice(0, 2)) return 'same-province';
  return 'other-province';
}

/**
 * Whole months from a day to another (both YYYY-MM-DD): what "continuous residence here, in months"
 * is on `today` for someone living at the address since `since`; 0 for a day still to come.
 *
 * @example monthsSince('2025-03-01', '2026-12-07') // 21
 */
export function monthsSince(since: string, today: string): number {
  const [y1, m1, d1] = since.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split('-').map(Number) as [number, number, number];
  const months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
  return Math.max(0, months);
}

/**
 * The fact paths the form itself answers, so the questions step does not ask them again: age and sex
 * (from the id), a declared marital status, where the hukou is (from 迁出地, for a move) and the months
 * of residence (from the date since when the resident lives at the address, for a residence permit).
 */
export function derivedPersonPaths(
  applicant: MoverValues | undefined,
  hasFromDivision = false,
  hasLivingSince = false,
): Set<string> {
  const paths = new Set(['person.age', 'person.sex']);
  if (maritalFact(applicant?.maritalStatus)) paths.add('person.maritalStatus');
  if (hasFromDivision) paths.add('hukou.scope');
  if (hasLivingSince) paths.add('months.residence');
  return paths;
}

/** The member facts the form answers (relation, age, sex, and marital status when declared). */
export function derivedMemberKeys(member: MoverValues | undefined): Set<string> {
  const keys = new Set(['relation', 'age', 'sex']);
  if (maritalFact(member?.maritalStatus)) keys.add('maritalStatus');
  return keys;
}

/** Overwrites the person's and members' facts with what the form says (the form is the declaration). */
export function withFormFacts(
  facts: Record<string, unknown>,
  movers: readonly MoverValues[],
  today: string,
  asksFamily: boolean,
  memberAnswers: readonly Record<string, unknown>[],
  hukouScope?: string,
  livingSince?: string,
): Record<string, unknown> {
  const [applicant, ...family] = movers;
  const a = applicant ? moverOut(applicant) : undefined;
  const marital = maritalFact(a?.maritalStatus);
  const person = {
    ...((facts.person ?? {}) as Record<string, unknown>),
    ...(a?.birthDate ? { age: ageOn(a.birthDate, today) } : {}),
    ...(a ? { sex: a.sex === '2' ? 'female' : 'male' } : {}),
    ...(marital ? { maritalStatus: marital } : {}),
  };
  return {
    ...facts,
    person,
    ...(hukouScope
      ? { hukou: { ...((facts.hukou ?? {}) as Record<string, unknown>), scope: hukouScope } }
      : {}),
    ...(livingSince && /^\d{4}-\d{2}-\d{2}$/.test(livingSince)
      ? {
          months: {
            ...((facts.months ?? {}) as Record<string, unknown>),
            residence: monthsSince(livingSince, today),
          },
        }
      : {}),
    family: asksFamily
      ? family.map((m, i) => ({ ...(memberAnswers[i] ?? {}), ...memberFactsOf(m, today) }))
      : [],
  };
}

/** The programme of the policy that decides a type, narrowed to the type's own pathway. */
export function programmeForType(
  programmes: readonly Programme[],
  typeId: string,
  kind: string,
): Programme | undefined {
  const programmeId = kind === 'residence-permit' ? 'residence-permit' : 'settlement';
  const programme = programmes.find((p) => p.id === programmeId);
  if (!programme) return undefined;
  const pathwayId = typeId.includes('/') ? typeId.slice(typeId.indexOf('/') + 1) : typeId;
  const pathways = programme.pathways.filter((p) => p.id === pathwayId);
  return pathways.length > 0 ? { ...programme, pathways } : programme;
}

export interface PolicyDates {
  readonly id: string;
  readonly status: string;
  readonly jurisdiction: string;
  readonly version: number;
  readonly effective: { readonly from: string; readonly to: string | null };
}

/** A jurisdiction code covers the counties under it (330800 → 3308xx; 620000 → 62xxxx). */
export function covers(jurisdiction: string, county: string): boolean {
  return county.startsWith(jurisdiction.replace(/(00)+$/, ''));
}

/** Whether a version is in force on a day: published, and the day within its dates. */
export function isInForce(p: PolicyDates, today: string): boolean {
  return (
    p.status === 'published' &&
    p.effective.from <= today &&
    (p.effective.to === null || today <= p.effective.to)
  );
}

/**
 * The version in force for a county on a day, as the server chooses it (services/jurisdiction.ts): the
 * latest to take effect, then the highest version.
 */
export function policyInForceFor<P extends PolicyDates>(
  policies: readonly P[],
  county: string,
  today: string,
): P | undefined {
  return policies
    .filter((p) => isInForce(p, today) && covers(p.jurisdiction, county))
    .sort((a, b) =>
      a.effective.from === b.effective.from
        ? b.version - a.version
        : a.effective.from < b.effective.from
          ? 1
          : -1,
    )[0];
}

/** The API's field path (body.form.movers.0.citizenId) as this form's field name. */
export function fieldOf(path: string): (string | number)[] | undefined {
  const parts = path.replace(/^body\./, '').split('.');
  if (parts[0] === 'typeId') return ['typeId'];
  if (parts[0] !== 'form') return undefined;
  const rest = parts.slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (rest[0] === 'applicant' && typeof rest[1] === 'string') return ['movers', 0, rest[1]];
  if (rest[0] === 'movers' && typeof rest[1] === 'number' && typeof rest[2] === 'string')
    return ['movers', rest[1], rest[2]];
  // A new household is in the county applied to: the form asks that county once.
  if (rest[0] === 'destination' && rest[1] === 'newHousehold')
    return rest[3] === 'countyCode'
      ? ['county']
      : ['destination', 'newHousehold', 'address', rest[3] === 'townCode' ? 'townCode' : 'text'];
  return rest.length > 0 ? rest : undefined;
}

/** China's date today (the register's calendar). */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/**
 * What the self-check hands to the application form in the route state (features/policy/SelfCheckPage):
 * the answers the resident gave (only the questions that applied), the county, the pathway it found and
 * that pathway's application type, and the family members as the resident described them.
 */
export interface SelfCheckHandover {
  readonly answers?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly county?: string;
  /** The application type of the pathway found (`settlement/legal-residence`, `residence-permit`). */
  readonly typeId?: string;
  /** The type the resident chose among the county's (the found one, or another). */
  readonly chosenTypeId?: string;
  /** The pathway the self-check's answer rests on. */
  readonly pathway?: { readonly id: string; readonly title: { readonly zh: string; readonly en: string } };
  readonly family?: readonly Readonly<Record<string, unknown>>[];
}

const MARITAL_CODE = { unmarried: '10', married: '20', widowed: '30', divorced: '40' } as const;

/**
 * The GB/T 4761 relationship to the head of a family member the self-check described (relation and
 * sex): the applicant heads the household the family follows into, so 夫 / 妻, 子 / 女, 父亲 / 母亲.
 */
export function relationshipOf(relation: unknown, sex: unknown): string | undefined {
  const male = sex === 'male';
  if (sex !== 'male' && sex !== 'female') return undefined;
  if (relation === 'spouse') return male ? '11' : '12';
  if (relation === 'child') return male ? '20' : '30';
  if (relation === 'parent') return male ? '51' : '52';
  if (relation === 'other') return '97';
  return undefined;
}

/**
 * The form's movers as the self-check described them: the applicant's marital status where it was asked,
 * then each family member with their name and relationship. Everything stays editable; nothing the
 * resident did not answer is filled in.
 */
export function moversFromSelfCheck(handover: SelfCheckHandover): MoverValues[] {
  const marital = handover.answers?.person?.maritalStatus;
  const applicant: MoverValues =
    typeof marital === 'string' && marital in MARITAL_CODE
      ? { maritalStatus: MARITAL_CODE[marital as keyof typeof MARITAL_CODE] }
      : {};
  const family = (handover.family ?? []).map((m): MoverValues => {
    const relationship = relationshipOf(m.relation, m.sex);
    const memberMarital = m.maritalStatus;
    return {
      ...(typeof m.name === 'string' && m.name.trim() ? { name: m.name.trim() } : {}),
      ...(relationship ? { relationship } : {}),
      ...(m.relation === 'spouse' ? { maritalStatus: '20' } : {}),
      ...(m.relation !== 'spouse' && typeof memberMarital === 'string' && memberMarital in MARITAL_CODE
        ? { maritalStatus: MARITAL_CODE[memberMarital as keyof typeof MARITAL_CODE] }
        : {}),
    };
  });
  return [applicant, ...family];
}

/**
 * The questions step's first answers: the defaults of the questions (`defaults`), then, section by
 * section, what the resident answered in the self-check, and the family members' answers in the order
 * of the movers.
 */
export function answersFromSelfCheck(
  defaults: Readonly<Record<string, unknown>>,
  handover: SelfCheckHandover,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults };
  for (const [section, values] of Object.entries(handover.answers ?? {})) {
    const before = out[section];
    out[section] = { ...(before && typeof before === 'object' ? before : {}), ...values };
  }
  if (handover.family && handover.family.length > 0)
    out.family = handover.family.map((m) => {
      const { name: _name, ...facts } = m;
      return facts;
    });
  return out;
}

/**
 * What the banner over the form says of the self-check: the pathway it found, and whether the type being
 * applied for is that pathway's (a resident may choose another type of the county).
 */
export function selfCheckNote(
  handover: SelfCheckHandover,
  typeId: string | undefined,
):
  | { readonly pathway: { readonly zh: string; readonly en: string }; readonly isSameType: boolean }
  | undefined {
  if (!handover.pathway) return undefined;
  return { pathway: handover.pathway.title, isSameType: typeId === undefined || typeId === handover.typeId };
}

const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'application/pdf': ['.pdf'],
};
const ALL_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

/**
 * The file chooser's `accept` for a material slot: its media types and their extensions.
 *
 * @example acceptOf(['image/jpeg', 'image/png']) // '.jpg,.jpeg,.png,image/jpeg,image/png'
 */
export function acceptOf(accepts: readonly string[] | undefined): string {
  const types = accepts ?? ALL_TYPES;
  return [...types.flatMap((t) => EXTENSIONS[t] ?? []), ...types].join(',');
}

/** Whether a chosen file suits the slot, by its type or else its extension (the server reads the bytes). */
export function isAcceptedFile(
  file: { readonly name: string; readonly type: string },
  accepts: readonly string[] | undefined,
): boolean {
  const types = accepts ?? ALL_TYPES;
  if (file.type) return types.includes(file.type);
  const name = file.name.toLowerCase();
  return types.some((t) => (EXTENSIONS[t] ?? []).some((ext) => name.endsWith(ext)));
}
