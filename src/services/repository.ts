/**
 * The I/O side of online applications: each use case runs in one transaction that reads the
 * application row (locked), asks the pure core (`workflow.ts`, `completeness.ts`) and writes the new
 * state, the events, the notifications and the outbox messages together — and, on approval, the register
 * change and the certificates. So a transition is all there or not at all, and a crash never leaves an
 * approved application without its register event.
 */
import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from '../db/connection.js';
import { HujiError } from '../errors/huji-error.js';
import { articleTitle } from '../policy/article-title.js';
import { decisionBasis } from '../policy/decision-basis.js';
import type { ConditionResult, Decision } from '../policy/evaluate.js';
import { explainProgramme } from '../policy/explain.js';
import { Facts } from '../policy/facts.js';
import { policyRef, type Policy, type Text } from '../policy/policy.js';
import { todayInChina } from '../standards/calendar.js';
import { checkCitizenId } from '../standards/citizen-id.js';
import { findDivision } from '../standards/divisions.js';
import { maskCitizenId, maskCitizenIdsInText } from '../standards/masking.js';
import { executeRegisterCommand } from '../register/execute-register-command.js';
import { findHousehold, findPersonByCitizenId, membershipOfPersonAt } from '../register/repository.js';
import { issueLegacyHukouNatureProof } from '../register/issue-document.js';
import { documentVerifyUrl } from '../documents/document-token.js';
import { issueCertificate, type IssuedCertificate } from './certificates.js';
import type { RegisterCommand } from '../register/commands.js';
import type { Role } from '../accounts/roles.js';
import {
  APPLICATION_KIND_LABELS,
  applicationTypesFor,
  findApplicationType,
  type ApplicationType,
  type TimeLimitOverrides,
} from './application-types.js';
import {
  buildReturnNotice,
  checkCompleteness,
  outstandingChanges,
  type MovingHousehold,
  type OfficerRequest,
  type UploadedMaterial,
} from './completeness.js';
import {
  checkFormConsistency,
  handlingCountyOf,
  isMovingForm,
  type ApplicationForm,
  type FormProblem,
} from './forms.js';
import { policyInForce } from './jurisdiction.js';
import {
  applyCorrections,
  fieldLabel,
  type CorrectionProblem,
  type FieldChange,
  type FieldCorrectionInput,
} from './corrections.js';
import { DEFAULT_MATERIAL_LIMIT_BYTES, sniffMaterial } from './material-types.js';
import { checkImageStructure, findPdfActiveContent, sanitizeFileName } from './material-checks.js';
import {
  DEFAULT_RESIDENT_LIMITS,
  fullSubmissionWindow,
  SUBMISSION_WINDOWS,
  type ResidentLimits,
} from './resident-limits.js';
import { notificationsFor, type NotificationDraft } from './notifications.js';
import { queueClockColumns } from './queue.js';
import { readClock, type Clock, type ClockReading } from './working-days.js';
import {
  submitApplication as submitPure,
  transition,
  type Actor,
  type Application,
  type ApplicationAction,
  type ApplicationEvent,
  type ApplicationState,
  type RuleCitation,
  type TransitionRefusal,
} from './workflow.js';
import type { RequiredChange } from './completeness.js';

export interface ServicesContext {
  readonly policies: readonly Policy[];
  readonly timeLimits?: TimeLimitOverrides;
  readonly publicUrl: string;
  readonly cryptoSuite: 'gm' | 'international';
  readonly materialLimitBytes?: number;
  /** Submissions per resident and files per checklist item (resident-limits.ts); defaults when absent. */
  readonly residentLimits?: ResidentLimits;
  readonly now?: () => Date;
}

const nowOf = (ctx: ServicesContext) => (ctx.now ?? (() => new Date()))();

/** An application row as the services read it. */
export interface ApplicationRecord {
  readonly application: Application;
  readonly reference: string;
  readonly kind: ApplicationForm['kind'];
  readonly policyRef: string;
  readonly pathwayId: string | null;
  readonly applicantName: string;
  readonly applicantCitizenId: string | null;
  readonly facts: unknown;
  readonly decision: StoredDecision;
  readonly form: ApplicationForm;
  readonly deadline: string | null;
  readonly registerEventId: string | null;
  readonly updatedAt: string;
}

/** What the engine said at submission, kept with the application (`policyId@version`, pathway, articles). */
export interface StoredDecision {
  readonly policy: string;
  readonly programme: string | null;
  readonly pathway: string | null;
  /** The pathway's own outcome for a settlement type; the programme's for a residence permit. */
  readonly outcome: 'eligible' | 'not_eligible' | 'needs_approval' | 'not-evaluated';
  readonly articles: readonly { readonly id: string; readonly quote: string }[];
  /**
   * The articles the decision rests on (policy/decision-basis.ts): what an approval cites, the pathway's
   * own article first. Absent on decisions stored before it was recorded (basisOf works it out).
   */
  readonly basis?: readonly { readonly id: string; readonly quote: string }[];
  readonly explanation: Decision | null;
}

export interface ApplicationRow {
  county_code: string;
  id: string;
  reference: string;
  type_id: string;
  kind: string;
  policy_ref: string;
  pathway_id: string | null;
  applicant_provider: string;
  applicant_subject: string;
  applicant_name: string;
  applicant_citizen_id: string | null;
  state: string;
  needs_county_approval: boolean;
  facts: unknown;
  decision: StoredDecision;
  form: ApplicationForm;
  submitted_at: string | Date;
  deadline: string | Date | null;
  clock: Clock;
  required_changes: RequiredChange[];
  refusal: RuleCitation | null;
  register_event_id: string | null;
  version: number;
  updated_at: string | Date;
}

const iso = (v: string | Date) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
const isoDay = (v: string | Date | null) =>
  v === null ? null : v instanceof Date ? todayInChina(v) : String(v).slice(0, 10);
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function recordOf(r: ApplicationRow): ApplicationRecord {
  const refusal = parseJson<RuleCitation | null>(r.refusal);
  return {
    application: {
      id: r.id,
      typeId: r.type_id,
      needsCountyApproval: r.needs_county_approval,
      countyCode: r.county_code,
      applicantId: `${r.applicant_provider}:${r.applicant_subject}`,
      state: r.state as ApplicationState,
      submittedAt: iso(r.submitted_at),
      clock: parseJson<Clock>(r.clock),
      requiredChanges: parseJson<RequiredChange[]>(r.required_changes),
      ...(refusal ? { refusal } : {}),
      version: r.version,
    },
    reference: r.reference,
    kind: r.kind as ApplicationForm['kind'],
    policyRef: r.policy_ref,
    pathwayId: r.pathway_id,
    applicantName: r.applicant_name,
    applicantCitizenId: r.applicant_citizen_id,
    facts: parseJson(r.facts),
    decision: parseJson<StoredDecision>(r.decision),
    form: parseJson<ApplicationForm>(r.form),
    deadline: isoDay(r.deadline),
    registerEventId: r.register_event_id,
    updatedAt: iso(r.updated_at),
  };
}

/** The resident as the application names them: `provider:subject`. */
export interface ResidentRef {
  readonly provider: string;
  readonly subject: string;
}
export const applicantIdOf = (r: ResidentRef) => `${r.provider}:${r.subject}`;

function policyFor(ctx: ServicesContext, countyCode: string, today: string): Policy {
  const policy = policyInForce(ctx.policies, countyCode, today);
  if (!policy) throw new HujiError('HUJI_APPLICATION_NO_POLICY', { county: countyCode });
  return policy;
}

function policyByRef(ctx: ServicesContext, ref: string): Policy | undefined {
  return ctx.policies.find((p) => policyRef(p) === ref);
}

function catalogueOf(ctx: ServicesContext, policy: Policy) {
  const result = applicationTypesFor(policy, ctx.timeLimits);
  // A policy whose catalogue breaks a guarantee is a configuration error, found by `huji policy check`.
  if (!result.isValid) throw new Error(`the catalogue of ${policyRef(policy)} breaks a guarantee`);
  return result.catalogue;
}

/** The application types offered in a county today (for forms and the CLI). */
export function applicationTypesIn(ctx: ServicesContext, countyCode: string): readonly ApplicationType[] {
  const policy = policyFor(ctx, countyCode, todayInChina(nowOf(ctx)));
  return catalogueOf(ctx, policy).types;
}

export function typeOfRecord(
  ctx: ServicesContext,
  record: Pick<ApplicationRecord, 'policyRef'> & { application: Pick<Application, 'typeId'> },
): ApplicationType | undefined {
  const policy = policyByRef(ctx, record.policyRef);
  return policy ? findApplicationType(catalogueOf(ctx, policy), record.application.typeId) : undefined;
}

function decide(policy: Policy, type: ApplicationType, facts: Facts): StoredDecision {
  // A cross-province one-stop move is settled at the destination by its settlement rules.
  const programme =
    type.kind === 'settlement' || type.kind === 'relatives-joining' || type.kind === 'cross-province-move'
      ? 'settlement'
      : type.kind === 'residence-permit' && policy.programmes.some((p) => p.id === 'residence-permit')
        ? 'residence-permit'
        : null;
  if (!programme)
    return {
      policy: policyRef(policy),
      programme: null,
      pathway: null,
      outcome: 'not-evaluated',
      articles: type.article
        ? policy.articles.filter((a) => a.id === type.article).map((a) => ({ id: a.id, quote: a.quote }))
        : [],
      explanation: null,
    };
  const decision = explainProgramme(policy, facts, programme);
  const pathwayId = type.pathway ?? (type.kind === 'cross-province-move' ? decision.pathway : undefined);
  const pathway = decision.pathways.find((p) => p.id === pathwayId);
  const cited = new Set<string>();
  const collect = (c: ConditionResult) => {
    cited.add(c.article);
    c.children?.forEach(collect);
  };
  if (type.article) cited.add(type.article);
  if (pathway) collect(pathway.condition);
  else decision.articles.forEach((a) => cited.add(a.id));
  const quoted = (ids: Iterable<string>) => {
    const wanted = new Set(ids);
    return policy.articles.filter((a) => wanted.has(a.id)).map((a) => ({ id: a.id, quote: a.quote }));
  };
  const basis = pathway ? decisionBasis(pathway) : type.article ? [type.article] : [];
  return {
    policy: policyRef(policy),
    programme,
    pathway: pathwayId ?? null,
    outcome: pathway?.status ?? decision.outcome,
    articles: quoted(cited),
    // The pathway's own article first, then the others the decision rests on in the policy's order.
    basis: [...quoted(basis.slice(0, 1)), ...quoted(basis.slice(1)).filter((a) => a.id !== basis[0])],
    explanation: decision,
  };
}

/**
 * The articles an application's decision rests on: as stored, or, for a decision stored before the
 * basis was, worked out again from its explanation; else every article it cites.
 */
export function basisOf(
  decision: StoredDecision,
): readonly { readonly id: string; readonly quote: string }[] {
  if (decision.basis && decision.basis.length > 0) return decision.basis;
  const pathway = decision.explanation?.pathways.find((p) => p.id === decision.pathway);
  if (!pathway) return decision.articles;
  const ids = decisionBasis(pathway);
  const found = ids
    .map((id) => decision.articles.find((a) => a.id === id))
    .filter((a): a is { id: string; quote: string } => a !== undefined);
  return found.length > 0 ? found : decision.articles;
}

export interface SubmitInput {
  readonly typeId: string;
  readonly form: ApplicationForm;
  /** The facts the policy engine needs (policy/facts.ts); defaults fill what is not given. */
  readonly facts?: unknown;
}

/** Submits an application: the engine's decision is stored with it; the clock starts. */
export async function submitApplication(
  tx: DbExecutor,
  ctx: ServicesContext,
  resident: ResidentRef,
  input: SubmitInput,
): Promise<ApplicationRecord> {
  const problems = checkFormConsistency(input.form);
  if (problems.length > 0) throw invalid(problems.map((p) => ({ ...p, path: `body.${p.path}` })));
  await refuseOverSubmissionLimit(tx, ctx, resident);
  const countyCode = handlingCountyOf(input.form);
  const now = nowOf(ctx);
  const today = todayInChina(now);
  const policy = policyFor(ctx, countyCode, today);
  const catalogue = catalogueOf(ctx, policy);
  const type = findApplicationType(catalogue, input.typeId);
  if (!type || type.kind !== input.form.kind)
    throw new HujiError('HUJI_APPLICATION_TYPE_UNKNOWN', {
      typeId: input.typeId,
      county: countyCode,
      known: catalogue.types
        .filter((t) => t.kind === input.form.kind)
        .map((t) => t.id)
        .join(', '),
    });
  // A person registered in the city, or already in an open application of this kind, is refused now,
  // not at approval after three officers have handled the application.
  await refuseDuplicateMovers(tx, input.form, countyCode, type.label);
  const facts = factsOf(input, countyCode, today);
  const decision = decide(policy, type, facts);
  const id = randomUUID();
  const [seq] = rowsOf<{ n: string }>(
    await tx.execute(sql`select nextval('application_reference_seq') as n`),
  );
  const reference = `SQ${today.replaceAll('-', '')}${String(seq?.n ?? 0).padStart(6, '0')}`;
  // The type's limit already holds the county-government step where it has one.
  const workingDays = type.timeLimit.workingDays;
  const { application, events } = submitPure(
    { id, typeId: type.id, needsCountyApproval: type.needsCountyApproval, countyCode, workingDays },
    { kind: 'applicant', id: applicantIdOf(resident) },
    now,
  );
  const reading = readClock(application.clock, today);
  const queueColumns = queueClockColumns(application);
  await tx.execute(sql`
    insert into application (county_code, id, reference, type_id, kind, policy_ref, pathway_id,
      applicant_provider, applicant_subject, applicant_name, applicant_citizen_id, state, needs_county_approval,
      facts, decision, form, submitted_at, deadline, queue_due_on, paused_on, clock, required_changes, refusal,
      version, updated_at)
    values (${countyCode}, ${id}, ${reference}, ${type.id}, ${type.kind}, ${policyRef(policy)}, ${type.pathway ?? null},
      ${resident.provider}, ${resident.subject}, ${input.form.applicant.name}, ${input.form.applicant.citizenId},
      ${application.state}, ${application.needsCountyApproval}, ${JSON.stringify(facts)}::jsonb,
      ${JSON.stringify(decision)}::jsonb, ${JSON.stringify(input.form)}::jsonb, ${application.submittedAt},
      ${reading.deadline}, ${queueColumns.queueDueOn}, ${queueColumns.pausedOn},
      ${JSON.stringify(application.clock)}::jsonb, '[]'::jsonb, null, ${application.version},
      ${now.toISOString()})`);
  await recordEvents(tx, application, events, {
    reference,
    typeLabel: type.label,
    deadline: reading.deadline,
    phone: phoneOf(resident),
  });
  const record = await loadApplication(tx, id);
  if (!record) throw new Error('the application just written is not there');
  return record;
}

/**
 * Refuses a moving application (settlement, relatives joining, move in, cross-province move) naming a
 * mover who is already registered (active) in the destination's city (the prefecture: the first 4
 * digits of the handling county's code), or who is in another open application of the same kind. The
 * answer names the mover by masked id and the city, never a household number (it may be another
 * county's). `except`: the application being accepted, which does not count against itself.
 */
async function refuseDuplicateMovers(
  tx: DbExecutor,
  form: ApplicationForm,
  countyCode: string,
  kindLabel: Text,
  except?: string,
): Promise<void> {
  if (!isMovingForm(form)) return;
  const cityPrefix = countyCode.slice(0, 4);
  const city = findDivision(`${cityPrefix}00`);
  const cityName = city ? { zh: city.name, en: city.name } : { zh: cityPrefix, en: cityPrefix };
  for (const [i, mover] of form.movers.entries()) {
    const path = `body.form.movers.${i}.citizenId`;
    const field = { zh: `第 ${i + 1} 位迁入人`, en: `mover ${i + 1}` };
    const citizenId = maskCitizenId(mover.citizenId);
    const [registered] = rowsOf<{ county_code: string }>(
      await tx.execute(sql`
        select county_code from person
        where citizen_id = ${mover.citizenId} and status = 'active' and county_code like ${`${cityPrefix}%`}
        limit 1`),
    );
    if (registered)
      throw duplicateRefusal('HUJI_APPLICATION_PERSON_REGISTERED', path, {
        citizenId,
        field,
        city: cityName,
        kind: kindLabel,
      });
    const [open] = rowsOf<{ reference: string }>(
      await tx.execute(sql`
        select reference from application
        where kind = ${form.kind}
          and state not in ('done', 'refused', 'not-accepted', 'withdrawn')
          and (${except ?? null}::uuid is null or id <> ${except ?? null}::uuid)
          and form->'movers' @> ${JSON.stringify([{ citizenId: mover.citizenId }])}::jsonb
        order by submitted_at limit 1`),
    );
    if (open)
      throw duplicateRefusal('HUJI_APPLICATION_PERSON_PENDING', path, {
        citizenId,
        field,
        reference: open.reference,
        kind: kindLabel,
      });
  }
}

function duplicateRefusal(
  code: 'HUJI_APPLICATION_PERSON_REGISTERED' | 'HUJI_APPLICATION_PERSON_PENDING',
  path: string,
  params: Record<string, unknown>,
): HujiError {
  const problem = new HujiError(code, params);
  return new HujiError(code, params, {
    problems: [{ path, code, message: { 'zh-CN': problem.messageIn('zh-CN'), en: problem.messageIn('en') } }],
  });
}

/** A validation refusal naming each field, in both languages (like the routes' own validation). */
function invalid(problems: readonly FormProblem[]): HujiError {
  return new HujiError(
    'HUJI_VALIDATION',
    { detail: problems.map((p) => `${p.path}: ${p.message.en}`).join('; ') },
    {
      problems: problems.map((p) => ({
        path: p.path,
        code: 'HUJI_VALIDATION',
        message: { 'zh-CN': p.message.zh, en: p.message.en },
      })),
    },
  );
}

/**
 * The facts the engine evaluates: what the applicant declared, with the place and the person's age and
 * sex filled from the handling county and the citizen id when not given.
 */
function factsOf(input: SubmitInput, countyCode: string, today: string): Facts {
  const declared = (input.facts ?? {}) as Record<string, unknown>;
  const id = checkCitizenId(input.form.applicant.citizenId);
  const person = (declared.person ?? {}) as Record<string, unknown>;
  const derived: Record<string, unknown> = {};
  if (id.isValid) {
    const birth = id.parsed.birthDate;
    let age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
    if (today.slice(5) < birth.slice(5)) age -= 1;
    derived.age = age;
    derived.sex = id.parsed.sex;
  }
  const merged = {
    ...declared,
    place: { countyCode, ...(declared.place ?? {}) },
    person: { ...derived, ...person },
  };
  const parsed = Facts.safeParse(merged);
  if (parsed.success) return parsed.data;
  throw invalid(
    parsed.error.issues.map((issue) => ({
      path: ['body', 'facts', ...issue.path.map(String)].join('.'),
      message: { zh: `不符合要求：${issue.message}`, en: issue.message },
    })),
  );
}

/** The demo identity provider's subject is the phone number; other providers may not give one. */
function phoneOf(resident: ResidentRef | string): string | undefined {
  const subject = typeof resident === 'string' ? resident.slice(resident.indexOf(':') + 1) : resident.subject;
  return /^1[3-9]\d{9}$/.test(subject) ? subject : undefined;
}

async function recordEvents(
  tx: DbExecutor,
  application: Application,
  events: readonly ApplicationEvent[],
  note: { reference: string; typeLabel: Text; deadline: string | null; phone: string | undefined },
) {
  let seq = application.version - events.length;
  for (const event of events) {
    seq += 1;
    await tx.execute(sql`
      insert into application_event (county_code, application_id, seq, type, at, actor_kind, actor_id, event)
      values (${application.countyCode}, ${application.id}, ${seq}, ${event.type}, ${event.at},
        ${event.actor.kind}, ${event.actor.id}, ${JSON.stringify(event)}::jsonb)`);
    const drafts = notificationsFor(event, {
      reference: note.reference,
      typeLabel: note.typeLabel,
      countyCode: application.countyCode,
      applicantId: application.applicantId,
      deadline: note.deadline,
    });
    await writeNotifications(tx, application, drafts, event.at, note.phone);
  }
}

async function writeNotifications(
  tx: DbExecutor,
  application: Application,
  drafts: readonly NotificationDraft[],
  at: string,
  phone: string | undefined,
) {
  for (const d of drafts) {
    const id = randomUUID();
    await tx.execute(sql`
      insert into notification (id, county_code, application_id, recipient_kind, recipient, title, body, created_at)
      values (${id}, ${application.countyCode}, ${application.id}, ${d.recipientKind}, ${d.recipient},
        ${JSON.stringify(d.title)}::jsonb, ${JSON.stringify(d.body)}::jsonb, ${at})`);
    if (d.sms && phone)
      await tx.execute(sql`
        insert into outbox_message (id, channel, recipient, subject, body, notification_id, status, next_attempt_at, created_at)
        values (${randomUUID()}, 'sms', ${phone}, ${d.title.zh}, ${d.sms}, ${id}, 'pending', ${at}, ${at})`);
  }
}

export async function loadApplication(
  tx: DbExecutor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApplicationRecord | undefined> {
  const rows = rowsOf<ApplicationRow>(
    options.forUpdate
      ? await tx.execute(sql`select * from application where id = ${id} for update`)
      : await tx.execute(sql`select * from application where id = ${id}`),
  );
  return rows[0] ? recordOf(rows[0]) : undefined;
}

export interface MaterialInfo {
  readonly id: string;
  readonly materialKey: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly byteSize: number;
  readonly sha256: string;
  readonly uploadedAt: string;
}

export async function materialsOf(tx: DbExecutor, applicationId: string): Promise<MaterialInfo[]> {
  const rows = rowsOf<{
    id: string;
    material_key: string;
    file_name: string;
    media_type: string;
    byte_size: number;
    sha256: string;
    uploaded_at: string | Date;
  }>(
    await tx.execute(sql`
      select id, material_key, file_name, media_type, byte_size, sha256, uploaded_at
      from application_material where application_id = ${applicationId} order by uploaded_at, id`),
  );
  return rows.map((r) => ({
    id: r.id,
    materialKey: r.material_key,
    fileName: r.file_name,
    mediaType: r.media_type,
    byteSize: Number(r.byte_size),
    sha256: r.sha256,
    uploadedAt: iso(r.uploaded_at),
  }));
}

export async function materialContent(
  tx: DbExecutor,
  applicationId: string,
  materialId: string,
): Promise<{ info: MaterialInfo; content: Buffer } | undefined> {
  const [row] = rowsOf<{ content: Buffer | Uint8Array }>(
    await tx.execute(
      sql`select content from application_material where application_id = ${applicationId} and id = ${materialId}`,
    ),
  );
  if (!row) return undefined;
  const info = (await materialsOf(tx, applicationId)).find((m) => m.id === materialId);
  return info ? { info, content: Buffer.from(row.content) } : undefined;
}

/**
 * Uploads become usable materials as they are: the window clerk's acceptance is the check, and a
 * return names the ones to redo. Every upload since the latest return is counted; an upload made
 * before a return that asked to redo its key is not.
 */
async function uploadedMaterialsOf(tx: DbExecutor, record: ApplicationRecord): Promise<UploadedMaterial[]> {
  const materials = await materialsOf(tx, record.application.id);
  const redo = new Map(
    record.application.requiredChanges
      .filter((c): c is Extract<RequiredChange, { kind: 'redo' }> => c.kind === 'redo')
      .map((c) => [c.material, c.reason]),
  );
  let returnedAt: string | undefined;
  if (redo.size > 0) {
    const [last] = rowsOf<{ at: string | Date | null }>(
      await tx.execute(sql`
        select max(at) as at from application_event
        where application_id = ${record.application.id} and event->'action'->>'type' = 'return'`),
    );
    returnedAt = last?.at ? iso(last.at) : undefined;
  }
  return materials.map((m) => {
    const reason = redo.get(m.materialKey);
    return reason && returnedAt && m.uploadedAt <= returnedAt
      ? { key: m.materialKey, status: 'rejected', rejection: reason }
      : { key: m.materialKey, status: 'accepted' };
  });
}

/** Who follows the applicant, for the checklist's papers of followers; undefined when nobody moves. */
function movingHouseholdOf(form: ApplicationForm): MovingHousehold | undefined {
  return isMovingForm(form)
    ? { followerRelationships: form.movers.slice(1).map((m) => m.relationship) }
    : undefined;
}

/** The completeness check: every missing material at once (一次办理), papers only of who moves. */
export async function completenessOf(tx: DbExecutor, ctx: ServicesContext, record: ApplicationRecord) {
  const type = typeOfRecord(ctx, record);
  if (!type) throw new Error(`application type ${record.application.typeId} is no longer known`);
  return checkCompleteness(type, await uploadedMaterialsOf(tx, record), movingHouseholdOf(record.form));
}

export async function addMaterial(
  tx: DbExecutor,
  ctx: ServicesContext,
  resident: ResidentRef,
  applicationId: string,
  upload: { materialKey: string; fileName: string; bytes: Buffer },
): Promise<MaterialInfo> {
  const record = await loadApplication(tx, applicationId, { forUpdate: true });
  if (!record || record.application.applicantId !== applicantIdOf(resident))
    throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id: applicationId });
  const state = record.application.state;
  if (state !== 'submitted' && state !== 'returned')
    throw new HujiError('HUJI_MATERIALS_LOCKED', { state: labelOfState(state) });
  const type = typeOfRecord(ctx, record);
  const known = type?.materials.map((m) => m.key) ?? [];
  if (!known.includes(upload.materialKey))
    throw new HujiError('HUJI_MATERIAL_KEY', { key: upload.materialKey, known: known.join(', ') });
  const limit = ctx.materialLimitBytes ?? DEFAULT_MATERIAL_LIMIT_BYTES;
  if (upload.bytes.length > limit)
    throw new HujiError('HUJI_MATERIAL_TOO_LARGE', {
      fileName: sanitizeFileName(upload.fileName),
      size: upload.bytes.length,
      limit,
    });
  // Kept and shown without controls, bidi or zero-width characters (CR/LF in a name reached logs and headers).
  const fileName = sanitizeFileName(upload.fileName);
  const sniffed = sniffMaterial(upload.bytes);
  if (!sniffed.isAccepted)
    throw new HujiError('HUJI_MATERIAL_TYPE', { fileName, detected: sniffed.detected });
  const required = type?.materials.find((m) => m.key === upload.materialKey);
  if (required && !required.accepts.includes(sniffed.mediaType))
    throw new HujiError('HUJI_MATERIAL_IMAGE_ONLY', {
      fileName,
      material: required.label,
      detected: sniffed.mediaType === 'application/pdf' ? 'PDF' : sniffed.mediaType,
    });
  // Whole images only, and PDFs without active or embedded content (material-checks.ts, ADR 0016).
  const broken = checkImageStructure(upload.bytes, sniffed.mediaType, cappedImageInflate);
  if (broken)
    throw new HujiError('HUJI_MATERIAL_CORRUPT', {
      fileName,
      type: sniffed.mediaType === 'image/png' ? 'PNG' : 'JPEG',
      detail: broken,
    });
  if (sniffed.mediaType === 'application/pdf') {
    let feature: string | undefined;
    try {
      feature = findPdfActiveContent(upload.bytes, cappedInflater());
    } catch (error) {
      if (!(error instanceof InflateBudgetExceeded)) throw error;
      feature = 'compressed streams beyond 64 MiB';
    }
    if (feature) throw new HujiError('HUJI_MATERIAL_ACTIVE_CONTENT', { fileName, feature });
  }
  // The slot's caps; the application row is locked above, so two uploads cannot both fit the last place.
  const caps = ctx.residentLimits ?? DEFAULT_RESIDENT_LIMITS;
  const [slot] = rowsOf<{ files: number | string; bytes: number | string | null }>(
    await tx.execute(sql`
      select count(*) as files, sum(byte_size) as bytes from application_material
      where county_code = ${record.application.countyCode} and application_id = ${applicationId}
        and material_key = ${upload.materialKey}`),
  );
  const files = Number(slot?.files ?? 0);
  const used = Number(slot?.bytes ?? 0);
  if (files >= caps.filesPerMaterial)
    throw new HujiError('HUJI_MATERIAL_FILES_LIMIT', {
      key: upload.materialKey,
      limit: caps.filesPerMaterial,
      count: files,
    });
  if (used + upload.bytes.length > caps.bytesPerMaterial)
    throw new HujiError('HUJI_MATERIAL_BYTES_LIMIT', {
      key: upload.materialKey,
      limit: caps.bytesPerMaterial,
      used,
      size: upload.bytes.length,
    });
  const id = randomUUID();
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  const at = nowOf(ctx).toISOString();
  await tx.execute(sql`
    insert into application_material (county_code, id, application_id, material_key, file_name, media_type,
      byte_size, sha256, content, uploaded_at, uploaded_by)
    values (${record.application.countyCode}, ${id}, ${applicationId}, ${upload.materialKey}, ${fileName},
      ${sniffed.mediaType}, ${upload.bytes.length}, ${sha256}, ${upload.bytes}, ${at}, ${applicantIdOf(resident)})`);
  return {
    id,
    materialKey: upload.materialKey,
    fileName,
    mediaType: sniffed.mediaType,
    byteSize: upload.bytes.length,
    sha256,
    uploadedAt: at,
  };
}

const labelOfState = (state: ApplicationState) => state;

/** node:zlib for the PNG decode check: at most `maxBytes` out (the size IHDR implies, plus one). */
function cappedImageInflate(data: Uint8Array, maxBytes: number): Uint8Array | 'too-large' | undefined {
  try {
    return inflateSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      return 'too-large';
    return undefined;
  }
}

/** Thrown by the capped inflater when a PDF's streams inflate beyond the budget. */
class InflateBudgetExceeded extends Error {}

/**
 * Inflates the streams of one PDF for the active-content check, 64 MiB out in all: past it (a zip bomb)
 * the check stops and the file is refused.
 */
function cappedInflater(): (data: Uint8Array) => Uint8Array | undefined {
  let budget = 64 * 1024 * 1024;
  return (data) => {
    if (budget <= 0) throw new InflateBudgetExceeded();
    try {
      const out = inflateSync(data, { maxOutputLength: budget, finishFlush: zlibConstants.Z_SYNC_FLUSH });
      budget -= out.length;
      return out;
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new InflateBudgetExceeded();
      return undefined;
    }
  };
}

/**
 * Refuses a submission beyond the resident's hourly or daily limit (HUJI_SUBMISSION_LIMIT, 429 with
 * Retry-After). A transaction-scoped advisory lock on the resident makes count-then-insert atomic:
 * concurrent submissions of one resident queue here, so a burst cannot all see the same count.
 */
async function refuseOverSubmissionLimit(tx: DbExecutor, ctx: ServicesContext, resident: ResidentRef) {
  const limits = ctx.residentLimits ?? DEFAULT_RESIDENT_LIMITS;
  const now = nowOf(ctx);
  const longest = Math.max(...SUBMISSION_WINDOWS.map((w) => w.seconds));
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`huji-submissions:${applicantIdOf(resident)}`}, 0))`,
  );
  const rows = rowsOf<{ submitted_at: string | Date }>(
    await tx.execute(sql`
      select submitted_at from application
      where applicant_provider = ${resident.provider} and applicant_subject = ${resident.subject}
        and submitted_at > ${new Date(now.getTime() - longest * 1000).toISOString()}`),
  );
  const full = fullSubmissionWindow(
    limits,
    rows.map((r) => new Date(r.submitted_at).getTime()),
    now.getTime(),
  );
  if (full)
    throw new HujiError('HUJI_SUBMISSION_LIMIT', {
      limit: full.limit,
      window: full.label,
      retryAfter: full.retryAfter,
    });
}

/** What an actor asks for; a return names only the officer's own items (the check adds the rest). */
export type ActionRequest =
  | { readonly type: 'accept' | 'complete' }
  /** `corrections`: new values of the returned fields (only those; every one of them). */
  | { readonly type: 'resubmit'; readonly corrections?: readonly FieldCorrectionInput[] }
  | { readonly type: 'refer-to-county' | 'approve'; readonly justification?: RuleCitation }
  | { readonly type: 'return'; readonly requests?: readonly OfficerRequest[] }
  | { readonly type: 'review'; readonly recommendation: 'approve' | 'refuse'; readonly note?: Text }
  | { readonly type: 'record-county-approval'; readonly document: string }
  | { readonly type: 'refuse' | 'decline'; readonly reason: RuleCitation }
  | { readonly type: 'withdraw'; readonly note?: string };

function throwRefusal(refusal: TransitionRefusal, id: string): never {
  const params: Record<string, unknown> = { id };
  if (refusal.code === 'HUJI_APPLICATION_ROLE') {
    params.action = refusal.action;
    params.needs = refusal.needs.join(', ');
  }
  if (refusal.code === 'HUJI_APPLICATION_TRANSITION') {
    params.state = refusal.state;
    params.action = refusal.action;
    params.allowed = refusal.allowed.join(', ') || '—';
  }
  if (refusal.code === 'HUJI_APPLICATION_CITATION') params.problem = refusal.problem;
  if (refusal.code === 'HUJI_APPLICATION_FORBIDDEN_DEMAND') {
    params.item = refusal.item + 1;
    params.demand = `${refusal.demand.kind}: ${refusal.demand.matched}`;
  }
  throw new HujiError(refusal.code, params);
}

export interface ActionResult {
  readonly record: ApplicationRecord;
  /** Set when the action wrote the register (approval). */
  readonly registerEventIds: readonly string[];
  readonly certificates: readonly { id: string; kind: string; verifyUrl: string }[];
}

/**
 * Takes an action on an application in the caller's transaction. Approval also carries the change into
 * the register and issues the certificates, in the same transaction: a refusal of the register (a
 * deceased person, an id already registered) refuses the approval, and nothing is written.
 */
export async function actOnApplication(
  tx: DbExecutor,
  ctx: ServicesContext,
  applicationId: string,
  request: ActionRequest,
  actor: Actor,
): Promise<ActionResult> {
  const record = await loadApplication(tx, applicationId, { forUpdate: true });
  if (!record) throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id: applicationId });
  const policy = policyByRef(ctx, record.policyRef);
  const type = typeOfRecord(ctx, record);
  if (!policy || !type) throw new Error(`the policy ${record.policyRef} of ${applicationId} is not loaded`);
  const now = nowOf(ctx);

  let action: ApplicationAction;
  if (request.type === 'return') {
    const notice = buildReturnNotice(
      type,
      await uploadedMaterialsOf(tx, record),
      request.requests ?? [],
      policy,
      movingHouseholdOf(record.form),
      (field) => fieldLabel(record.form, field),
    );
    if (!notice.isValid) {
      // The core's answer order: 404 / 403 / 409 first, then what is wrong with the list.
      const probe = transition(record.application, { type: 'return', changes: [] }, actor, now, policy);
      if (!probe.ok && probe.refusal.status !== 422) throwRefusal(probe.refusal, applicationId);
      const empty = notice.problems.every((p) => p.kind === 'nothing-to-change');
      if (empty) throw new HujiError('HUJI_APPLICATION_RETURN_EMPTY', { id: applicationId });
      throw new HujiError('HUJI_APPLICATION_RETURN_INVALID', {
        problems: notice.problems
          .map((p) =>
            p.kind === 'not-on-checklist'
              ? `${p.material}: not on the checklist`
              : p.kind === 'not-a-field'
                ? `${p.field}: not a field of this application that can be corrected`
                : p.kind === 'forbidden-demand'
                  ? `item ${p.item + 1}: ${p.demand.kind} (${p.demand.matched})`
                  : p.kind,
          )
          .join('; '),
      });
    }
    action = { type: 'return', changes: notice.changes };
  } else if (request.type === 'resubmit') {
    action = { type: 'resubmit' };
  } else {
    action = request;
  }

  const allowed = transition(record.application, action, actor, now, policy);
  if (!allowed.ok) throwRefusal(allowed.refusal, applicationId);
  // "A no does not stop a submission" (ADR 0012), but an approval against it must say under which
  // article and sentence, and why: the decision about the person then still cites the law.
  if (
    (request.type === 'approve' || request.type === 'refer-to-county') &&
    record.decision.outcome === 'not_eligible' &&
    !request.justification
  )
    throw new HujiError('HUJI_APPLICATION_NOT_ELIGIBLE', {
      id: applicationId,
      pathway: record.decision.pathway ?? record.decision.programme ?? '—',
    });

  if (request.type === 'accept') {
    // Checked again: the register or another application may have changed since the submission.
    await refuseDuplicateMovers(tx, record.form, record.application.countyCode, type.label, applicationId);
    const report = await completenessOf(tx, ctx, record);
    if (!report.isComplete)
      throw new HujiError('HUJI_APPLICATION_INCOMPLETE', {
        id: applicationId,
        missing: [...report.missing, ...report.toRedo].map((c) => c.label.zh).join('、'),
      });
  }

  let corrected: Corrected | undefined;
  if (request.type === 'resubmit') {
    // A return asks for things to be redone; resubmitting before every returned material has a new
    // upload and every returned field a new value would only send the same application back to the
    // window (and restart the clock for nothing). Fields nobody returned stay as they were.
    corrected = correctedApplication(record, policy, type, request.corrections ?? [], now);
    const outstanding = outstandingChanges(
      record.application.requiredChanges,
      await uploadedMaterialsOf(tx, record),
      new Set(corrected.changes.map((c) => c.field)),
    );
    if (outstanding.length > 0)
      throw new HujiError(
        'HUJI_APPLICATION_RETURN_OUTSTANDING',
        {
          id: applicationId,
          count: outstanding.length,
          items: {
            zh: outstanding.map((c) => c.label.zh).join('、'),
            en: outstanding.map((c) => c.label.en).join('; '),
          },
        },
        {
          problems: outstanding.map((c) => {
            const item = c.kind === 'field' ? c.field : c.kind === 'correction' ? c.label.en : c.material;
            return {
              path: c.kind === 'field' ? `body.corrections.${c.field}` : `materials.${item}`,
              code: 'HUJI_APPLICATION_RETURN_OUTSTANDING',
              message: {
                'zh-CN': `${c.label.zh}：${c.kind === 'field' ? '尚未更正' : '尚未重新上传'}`,
                en: `${c.label.en}: ${c.kind === 'field' ? 'not corrected yet' : 'not uploaded again yet'}`,
              },
            };
          }),
        },
      );
    if (corrected.changes.length > 0) {
      await refuseDuplicateMovers(
        tx,
        corrected.form,
        record.application.countyCode,
        type.label,
        applicationId,
      );
      action = { type: 'resubmit', corrections: corrected.changes };
    }
  }
  const result = transition(record.application, action, actor, now, policy);
  if (!result.ok) throwRefusal(result.refusal, applicationId);

  let registerEventIds: string[] = [];
  const certificates: { id: string; kind: string; verifyUrl: string }[] = [];
  if (request.type === 'approve' || request.type === 'record-county-approval') {
    if (actor.kind !== 'officer') throw new Error('only officers approve');
    const justification = request.type === 'approve' ? request.justification : undefined;
    registerEventIds = await carryOut(
      tx,
      ctx,
      record,
      { id: actor.id, countyCode: actor.countyCode },
      now,
      approvalBasis(record, justification),
    );
    certificates.push(...(await issueCertificatesFor(tx, ctx, record, actor, now, justification)));
  }

  const application = result.application;
  const reading = readClock(application.clock, todayInChina(now));
  // The papers the applicant holds of a step: the receipt of acceptance, the written refusal.
  if (request.type === 'accept' || request.type === 'refuse' || request.type === 'decline') {
    if (actor.kind !== 'officer') throw new Error('only officers accept, decline or refuse');
    certificates.push(
      request.type === 'refuse' || request.type === 'decline'
        ? await issueRefusalNotice(tx, ctx, record, type, actor, request.reason)
        : await issueAcceptanceReceipt(tx, ctx, record, type, actor, now, reading.deadline),
    );
  }
  const queueColumns = queueClockColumns(application);
  await tx.execute(sql`
    update application set state = ${application.state}, clock = ${JSON.stringify(application.clock)}::jsonb,
      deadline = ${reading.deadline}, queue_due_on = ${queueColumns.queueDueOn},
      paused_on = ${queueColumns.pausedOn}, required_changes = ${JSON.stringify(application.requiredChanges)}::jsonb,
      refusal = ${application.refusal ? JSON.stringify(application.refusal) : null}::jsonb,
      register_event_id = coalesce(register_event_id, ${registerEventIds[0] ?? null}::uuid),
      version = ${application.version}, updated_at = ${now.toISOString()}
    where county_code = ${application.countyCode} and id = ${application.id}`);
  if (corrected && corrected.changes.length > 0)
    // The corrected facts replace the declared ones, and the decision is made again on them: approval
    // writes what the applicant corrected, and an officer reads the engine's answer on it.
    await tx.execute(sql`
      update application set form = ${JSON.stringify(corrected.form)}::jsonb,
        facts = ${JSON.stringify(corrected.facts)}::jsonb, decision = ${JSON.stringify(corrected.decision)}::jsonb,
        applicant_name = ${corrected.form.applicant.name}, applicant_citizen_id = ${corrected.form.applicant.citizenId}
      where county_code = ${application.countyCode} and id = ${application.id}`);
  await recordEvents(tx, application, result.events, {
    reference: record.reference,
    typeLabel: type.label,
    deadline: reading.deadline,
    phone: phoneOf(application.applicantId),
  });
  const updated = await loadApplication(tx, applicationId);
  if (!updated) throw new Error('the application just updated is not there');
  return { record: updated, registerEventIds, certificates };
}

interface Corrected {
  readonly form: ApplicationForm;
  readonly facts: Facts;
  readonly decision: StoredDecision;
  readonly changes: readonly FieldChange[];
}

/**
 * The application with the applicant's corrections of the returned fields, checked (`corrections.ts`),
 * and the engine's decision made again on the corrected facts (under the application's policy). A
 * change to a field nobody returned, or a value that breaks the form's rules, is refused naming the
 * field; a returned field left as it was is simply not among the changes (the caller lists it as
 * outstanding, with the materials).
 */
function correctedApplication(
  record: ApplicationRecord,
  policy: Policy,
  type: ApplicationType,
  corrections: readonly FieldCorrectionInput[],
  now: Date,
): Corrected {
  const returned = record.application.requiredChanges.flatMap((c) => (c.kind === 'field' ? [c.field] : []));
  const unchanged = {
    form: record.form,
    facts: record.facts as Facts,
    decision: record.decision,
    changes: [],
  };
  if (returned.length === 0 && corrections.length === 0) return unchanged;
  const result = applyCorrections(record.form, record.facts, returned, corrections);
  if (!result.ok) {
    const notReturned = result.problems.filter((p) => p.kind === 'not-returned');
    if (notReturned.length > 0) {
      const fields = notReturned.map((p) => fieldLabel(record.form, p.field) ?? { zh: p.field, en: p.field });
      throw new HujiError(
        'HUJI_APPLICATION_FIELD_NOT_RETURNED',
        { fields: { zh: fields.map((f) => f.zh).join('、'), en: fields.map((f) => f.en).join('; ') } },
        { problems: notReturned.map((p, i) => correctionProblem(p, fields[i])) },
      );
    }
    const county = result.problems.find((p) => p.kind === 'other-county');
    if (county) {
      const name = (code: string) => {
        const d = findDivision(code);
        return d ? [...d.path.map((x) => x.name), d.name].join('') : code;
      };
      throw new HujiError('HUJI_APPLICATION_CORRECTION_COUNTY', {
        from: name(county.from),
        to: name(county.to),
      });
    }
    const invalidOnes = result.problems.filter((p) => p.kind === 'invalid');
    if (invalidOnes.length > 0)
      throw invalid(
        invalidOnes.map((p) => ({
          path: `body.corrections.${p.field}`,
          message: {
            zh: `${fieldLabel(record.form, p.field)?.zh ?? p.path}：${p.message.zh}`,
            en: `${fieldLabel(record.form, p.field)?.en ?? p.path}: ${p.message.en}`,
          },
        })),
      );
    // Only unchanged fields remain: the changes made are kept so the caller names what is missing.
    const done = applyCorrections(
      record.form,
      record.facts,
      returned.filter((f) => !result.problems.some((p) => p.kind === 'unchanged' && p.field === f)),
      corrections.filter((c) => !result.problems.some((p) => p.kind === 'unchanged' && p.field === c.field)),
    );
    return done.ok ? { ...unchanged, changes: done.changes } : unchanged;
  }
  const declared = structuredClone(result.facts) as Record<string, unknown>;
  // The applicant's age and sex come from the id: a corrected id makes them again.
  if (result.changes.some((c) => c.field === 'movers.0.citizenId')) {
    const person = { ...(declared.person as Record<string, unknown>) };
    delete person.age;
    delete person.sex;
    declared.person = person;
  }
  const facts = factsOf(
    { typeId: type.id, form: result.form, facts: declared },
    record.application.countyCode,
    todayInChina(now),
  );
  return { form: result.form, facts, decision: decide(policy, type, facts), changes: result.changes };
}

function correctionProblem(p: CorrectionProblem, label: Text | undefined) {
  const words = label ?? { zh: p.field, en: p.field };
  return {
    path: `body.corrections.${p.field}`,
    code: 'HUJI_APPLICATION_FIELD_NOT_RETURNED',
    message: {
      'zh-CN': `${words.zh}：未被退回补正，不能修改`,
      en: `${words.en}: not returned, cannot change`,
    },
  };
}

const printable = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim();

/** 受理回执: the day, the time limit and its last day, and every material received. */
async function issueAcceptanceReceipt(
  tx: DbExecutor,
  ctx: ServicesContext,
  record: ApplicationRecord,
  type: ApplicationType,
  actor: Extract<Actor, { kind: 'officer' }>,
  now: Date,
  deadline: string | null,
): Promise<{ id: string; kind: string; verifyUrl: string }> {
  const files = new Map<string, number>();
  for (const m of await materialsOf(tx, record.application.id))
    files.set(m.materialKey, (files.get(m.materialKey) ?? 0) + 1);
  const acceptedOn = todayInChina(now);
  const issued = await issueCertificate(
    tx,
    {
      kind: 'acceptance-receipt',
      applicationId: record.application.id,
      countyCode: record.application.countyCode,
      officerId: actor.id,
      suite: ctx.cryptoSuite,
      content: {
        referenceNumber: record.reference,
        applicationType: { id: record.application.typeId, label: type.label.zh },
        applicant: { name: record.form.applicant.name, citizenId: record.form.applicant.citizenId },
        acceptedOn,
        timeLimit: { workingDays: record.application.clock.workingDays, deadline: deadline ?? acceptedOn },
        materials: type.materials
          .filter((m) => files.has(m.key))
          .map((m) => ({ label: m.label.zh, files: files.get(m.key) ?? 1 })),
      },
    },
    ctx.publicUrl,
  );
  return { id: issued.id, kind: issued.kind, verifyUrl: issued.verifyUrl };
}

/**
 * 不予受理 / 不予批准决定书: refused before acceptance (at the window) or after it, with the article the
 * officer cited, their reason and the rights of appeal.
 */
async function issueRefusalNotice(
  tx: DbExecutor,
  ctx: ServicesContext,
  record: ApplicationRecord,
  type: ApplicationType,
  actor: Extract<Actor, { kind: 'officer' }>,
  reason: RuleCitation,
): Promise<{ id: string; kind: string; verifyUrl: string }> {
  const issued = await issueCertificate(
    tx,
    {
      kind: 'refusal-notice',
      applicationId: record.application.id,
      countyCode: record.application.countyCode,
      officerId: actor.id,
      suite: ctx.cryptoSuite,
      content: {
        referenceNumber: record.reference,
        applicationType: { id: record.application.typeId, label: type.label.zh },
        applicant: { name: record.form.applicant.name, citizenId: record.form.applicant.citizenId },
        stage: record.application.state === 'submitted' ? 'acceptance' : 'approval',
        // Printed lines carry no control characters: a line break typed in the dialog becomes a space.
        article: { id: reason.article, quote: printable(reason.quote), title: articleTitle(reason.article) },
        reason: printable(reason.explanation.zh),
      },
    },
    ctx.publicUrl,
  );
  return { id: issued.id, kind: issued.kind, verifyUrl: issued.verifyUrl };
}

/**
 * The article an approval rests on, kept in the register's move-in events: the one the officer's
 * justification cites when approving against the engine, else the first the engine's decision cites.
 */
function approvalBasis(
  record: ApplicationRecord,
  justification: RuleCitation | undefined,
): { article: string; quote: string } | undefined {
  if (justification) return { article: justification.article, quote: justification.quote };
  const first = basisOf(record.decision)[0];
  return first ? { article: first.id, quote: first.quote } : undefined;
}

/**
 * A refusal of the register at approval, in both languages (the answer's language picks one), with
 * every citizen id and household number in it masked: the officer is answered, not shown the register.
 */
function registerRefused(reason: { zh: string; en: string }, cause?: string): HujiError {
  return new HujiError('HUJI_APPLICATION_REGISTER_REFUSED', {
    reason: { zh: maskCitizenIdsInText(reason.zh), en: maskCitizenIdsInText(reason.en) },
    ...(cause ? { cause } : {}),
  });
}

/** What approval writes into the register: one command per mover, a birth, a split, a booklet. */
async function carryOut(
  tx: DbExecutor,
  _ctx: ServicesContext,
  record: ApplicationRecord,
  officer: { id: string; countyCode: string },
  now: Date,
  basis?: { article: string; quote: string },
): Promise<string[]> {
  const form = record.form;
  const sourceApplication = record.reference;
  const run = async (command: RegisterCommand) => {
    try {
      // The register's effective date follows the same clock as the application (tests move it).
      return await executeRegisterCommand(tx, command, officer, { now, today: todayInChina(now) });
    } catch (error) {
      if (error instanceof HujiError && error.status < 500)
        throw registerRefused({ zh: error.messageIn('zh-CN'), en: error.messageIn('en') }, error.code);
      throw error;
    }
  };
  const householdByNumber = async (householdNumber: string, path: string) => {
    const household = await findHousehold(tx, { householdNumber });
    if (!household || household.status !== 'active')
      throw registerRefused({
        zh: `${path}：户号 ${householdNumber} 不是登记中的正常户`,
        en: `${path}: household ${householdNumber} is not an active household of the register`,
      });
    return household;
  };
  const personByCitizenId = async (citizenId: string, path: string) => {
    const person = await findPersonByCitizenId(tx, citizenId);
    if (!person)
      throw registerRefused({ zh: `${path}：户籍登记中没有此人`, en: `${path}: not in the register` });
    return person;
  };

  if (isMovingForm(form)) {
    const ids: string[] = [];
    let householdId =
      'householdNumber' in form.destination
        ? (await householdByNumber(form.destination.householdNumber, 'form.destination.householdNumber')).id
        : undefined;
    for (const mover of form.movers) {
      const { relationship, ...person } = mover;
      const result = await run({
        type: 'move-in',
        person,
        permitNumber: form.kind === 'move-in' ? form.permitNumber : record.reference,
        fromDivision: form.fromDivision,
        // The first mover heads a new household (the register sets 02 户主 itself).
        relationship,
        ...(basis ? { basis } : {}),
        ...(householdId
          ? { householdId }
          : 'newHousehold' in form.destination
            ? { newHousehold: form.destination.newHousehold }
            : {}),
        sourceApplication,
      });
      ids.push(result.eventId);
      householdId ??= result.householdIds[0];
    }
    return ids;
  }
  if (form.kind === 'birth-registration') {
    const household = await householdByNumber(form.householdNumber, 'form.householdNumber');
    const result = await run({
      type: 'birth-registration',
      householdId: household.id,
      relationship: form.relationship,
      person: form.child,
      birthCertificateNumber: form.birthCertificateNumber,
      sourceApplication,
    });
    return [result.eventId];
  }
  if (form.kind === 'household-split') {
    const household = await householdByNumber(form.householdNumber, 'form.householdNumber');
    const head = await personByCitizenId(form.headCitizenId, 'form.headCitizenId');
    const members = [];
    for (const [i, m] of form.members.entries())
      members.push({
        personId: (await personByCitizenId(m.citizenId, `form.members.${i}.citizenId`)).id,
        relationship: m.relationship,
      });
    const result = await run({
      type: 'household-split',
      fromHouseholdId: household.id,
      headPersonId: head.id,
      members,
      household: form.household,
      sourceApplication,
    });
    return [result.eventId];
  }
  if (form.kind === 'booklet-replacement') {
    const household = await householdByNumber(form.householdNumber, 'form.householdNumber');
    const result = await run({
      type: 'booklet-issue',
      householdId: household.id,
      reason: form.reason,
      sourceApplication,
    });
    return [result.eventId];
  }
  // Residence permits and proofs change nothing in the register.
  return [];
}

/**
 * The certificates an approval issues, signed under the deployment's suite in the approval's
 * transaction: for a settlement (or a cross-province move) the approval notice and the permit to move
 * in (the electronic one, 电子准迁证, for the one-stop variant); for a residence permit the permit; for a
 * proof of pre-reform hukou nature the proof. Each states the articles the decision rests on.
 */
async function issueCertificatesFor(
  tx: DbExecutor,
  ctx: ServicesContext,
  record: ApplicationRecord,
  actor: Extract<Actor, { kind: 'officer' }>,
  now: Date,
  justification?: RuleCitation,
): Promise<{ id: string; kind: string; verifyUrl: string }[]> {
  const form = record.form;
  const base = {
    applicationId: record.application.id,
    countyCode: record.application.countyCode,
    officerId: actor.id,
    suite: ctx.cryptoSuite,
  };
  // An approval cites what the decision rests on (not every article the engine looked at), each by its
  // title as people cite it; one against the engine's finding rests first on its justification's article.
  const articles = [
    ...(justification ? [{ id: justification.article, quote: justification.quote }] : []),
    ...basisOf(record.decision)
      .filter((a) => a.id !== justification?.article)
      .map((a) => ({ id: a.id, quote: a.quote })),
  ].map((a) => ({ ...a, title: articleTitle(a.id) }));
  const type = typeOfRecord(ctx, record);
  const issued: { id: string; kind: string; verifyUrl: string }[] = [];
  const push = (c: IssuedCertificate) => issued.push({ id: c.id, kind: c.kind, verifyUrl: c.verifyUrl });

  if (form.kind === 'legacy-nature-proof') {
    // Submission did not look the id up (issue 14): the officer finds out here, and in the preview.
    const person = await findPersonByCitizenId(tx, form.applicant.citizenId);
    if (!person || person.countyCode !== record.application.countyCode)
      throw registerRefused({
        zh: 'form.applicant.citizenId：本县（市、区）户籍登记中没有此人，不能出具证明',
        en: "form.applicant.citizenId: not in this county's register, so no proof can be issued",
      });
    const doc = await issueLegacyHukouNatureProof(tx, {
      personId: person.id,
      officer: { id: actor.id, countyCode: actor.countyCode },
      baseUrl: ctx.publicUrl,
      today: todayInChina(now),
      suite: ctx.cryptoSuite,
    });
    await tx.execute(
      sql`update issued_document set application_id = ${record.application.id} where id = ${doc.documentId}`,
    );
    return [{ id: doc.documentId, kind: doc.kind, verifyUrl: doc.verifyUrl }];
  }

  if (form.kind === 'residence-permit') {
    const basis = articles[0];
    if (!basis) return [];
    push(
      await issueCertificate(
        tx,
        {
          ...base,
          kind: 'residence-permit',
          content: {
            holder: {
              name: form.applicant.name,
              sex: form.applicant.sex,
              ethnicity: form.applicant.ethnicity,
              birthDate: form.applicant.birthDate,
              citizenId: form.applicant.citizenId,
            },
            residenceAddress: form.residenceAddress,
            basis,
          },
        },
        ctx.publicUrl,
      ),
    );
    return issued;
  }

  if (isMovingForm(form) && form.kind !== 'move-in' && articles.length > 0) {
    const destination =
      'householdNumber' in form.destination
        ? await findHousehold(tx, { householdNumber: form.destination.householdNumber })
        : undefined;
    const address =
      'newHousehold' in form.destination
        ? {
            text: form.destination.newHousehold.address.text,
            countyCode: form.destination.newHousehold.address.countyCode,
          }
        : { text: destination?.address.text ?? '', countyCode: record.application.countyCode };
    // A new household has its number once approval has carried the movers out: print that, not 新立户.
    const newHouseholdNumber = async () => {
      const applicant = form.movers[0] && (await findPersonByCitizenId(tx, form.movers[0].citizenId));
      const membership = applicant && (await membershipOfPersonAt(tx, applicant.id, todayInChina(now)));
      return membership
        ? ((await findHousehold(tx, { id: membership.householdId }))?.householdNumber ?? null)
        : null;
    };
    const householdNumber = destination?.householdNumber ?? (await newHouseholdNumber());
    const pathway = record.decision.pathway
      ? {
          id: record.decision.pathway,
          label:
            record.decision.explanation?.pathways.find((p) => p.id === record.decision.pathway)?.title.zh ??
            record.decision.pathway,
        }
      : undefined;
    const countyName = findDivision(record.application.countyCode)?.name ?? record.application.countyCode;
    const [applicant, ...others] = form.movers;
    push(
      await issueCertificate(
        tx,
        {
          ...base,
          kind: 'approval-notice',
          content: {
            referenceNumber: record.reference,
            applicationType: { id: record.application.typeId, label: type?.label.zh ?? form.kind },
            applicant: { name: form.applicant.name, citizenId: form.applicant.citizenId },
            coApplicants: others.map((m) => ({
              name: m.name,
              citizenId: m.citizenId,
              relationship: m.relationship,
            })),
            decision: `准予${applicant?.name ?? form.applicant.name}${others.length > 0 ? `等${form.movers.length}人` : ''}在${countyName}登记常住户口。`,
            ...(pathway ? { pathway } : {}),
            policy: policyByRef(ctx, record.policyRef)?.title.zh ?? record.decision.policy,
            articles,
            destination: { address, householdNumber },
            nextSteps: [
              `请凭本通知书和准予迁入证明，到迁出地公安机关办理迁出手续，再到${countyName}公安机关户籍窗口办理落户。`,
            ],
          },
        },
        ctx.publicUrl,
      ),
    );
    if (pathway)
      push(
        await issueCertificate(
          tx,
          {
            ...base,
            kind: 'permit-to-move-in',
            content: {
              referenceNumber: record.reference,
              movers: form.movers.map((m) => ({
                name: m.name,
                sex: m.sex,
                birthDate: m.birthDate,
                citizenId: m.citizenId,
                relationship: m.relationship,
              })),
              origin: {
                text: findDivision(form.fromDivision)?.name ?? form.fromDivision,
                countyCode: form.fromDivision,
              },
              destination: { address, householdNumber },
              reason: { pathway, articles },
              ...(form.kind === 'cross-province-move'
                ? { oneStop: { originOffice: { code: form.fromDivision, name: form.originOffice } } }
                : {}),
            },
          },
          ctx.publicUrl,
        ),
      );
  }
  return issued;
}

export interface CertificateInfo {
  readonly id: string;
  readonly kind: string;
  readonly issuedAt: string;
  readonly verifyUrl: string;
  readonly revokedAt: string | null;
}

/** The documents issued for an application (certificates, and a proof of hukou nature). */
export async function certificatesOf(
  db: DbExecutor,
  ctx: ServicesContext,
  record: ApplicationRecord,
): Promise<CertificateInfo[]> {
  const rows = rowsOf<{
    id: string;
    kind: string;
    issued_at: string | Date;
    token: string;
    revoked_at: string | Date | null;
  }>(
    await db.execute(sql`
      select id, kind, issued_at, token, revoked_at from issued_document
      where application_id = ${record.application.id} order by issued_at, id`),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    issuedAt: iso(r.issued_at),
    verifyUrl: documentVerifyUrl(ctx.publicUrl, r.token),
    revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
  }));
}

/** The resident's own applications, newest first. */
export async function applicantApplications(
  db: DbExecutor,
  resident: ResidentRef,
): Promise<ApplicationRecord[]> {
  const rows = rowsOf<ApplicationRow>(
    await db.execute(sql`
      select * from application where applicant_provider = ${resident.provider} and applicant_subject = ${resident.subject}
      order by submitted_at desc limit 200`),
  );
  return rows.map(recordOf);
}

/** The display names of officer accounts by id; an id with no account is left out. */
export async function officerDisplayNames(
  db: DbExecutor,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; display_name: string }>(
    await db.execute(sql`
      select id::text as id, display_name from officer_account
      where id::text in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )})`),
  );
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function applicationEvents(db: DbExecutor, id: string): Promise<ApplicationEvent[]> {
  const rows = rowsOf<{ event: unknown }>(
    await db.execute(sql`select event from application_event where application_id = ${id} order by seq`),
  );
  return rows.map((r) => parseJson<ApplicationEvent>(r.event));
}

/**
 * Marks an applicant's notifications read (only theirs; unknown or already read ids are skipped). Setting
 * a read time once is idempotent by nature, so a retry changes nothing.
 */
export async function markNotificationsRead(
  db: DbExecutor,
  applicantId: string,
  ids: readonly string[],
  at: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      update notification set read_at = ${at.toISOString()}
      where recipient_kind = 'applicant' and recipient = ${applicantId} and read_at is null
        and id in ${sql`(${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`}
      returning id`),
  );
  return rows.length;
}

export async function notificationsOf(
  db: DbExecutor,
  recipient: { kind: 'applicant' | 'role'; ids: readonly string[] },
  limit = 50,
) {
  if (recipient.ids.length === 0) return [];
  const rows = rowsOf<{
    id: string;
    application_id: string;
    title: Text;
    body: Text;
    created_at: string | Date;
    read_at: string | Date | null;
  }>(
    await db.execute(sql`
      select id, application_id, title, body, created_at, read_at from notification
      where recipient_kind = ${recipient.kind} and recipient in ${sql`(${sql.join(
        recipient.ids.map((id) => sql`${id}`),
        sql`, `,
      )})`}
      order by created_at desc limit ${limit}`),
  );
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    title: parseJson<Text>(r.title),
    body: parseJson<Text>(r.body),
    createdAt: iso(r.created_at),
    readAt: r.read_at ? iso(r.read_at) : null,
  }));
}

/** Recipients an officer reads notifications for: each of their roles at their county. */
export const officerRecipients = (officer: { roles: readonly Role[]; countyCode: string }) =>
  officer.roles.map((role) => `${role}@${officer.countyCode}`);

export const kindLabel = (kind: ApplicationForm['kind']) => APPLICATION_KIND_LABELS[kind];

/** The clock of an application as of now. */
export function clockOf(ctx: ServicesContext, record: ApplicationRecord): ClockReading {
  return readClock(record.application.clock, todayInChina(nowOf(ctx)));
}

export { findDivision };
export type { HujiDatabase };
