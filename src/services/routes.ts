/**
 * HTTP routes of online applications. Residents (their session cookie) submit, upload, follow,
 * resubmit and withdraw under /api/v1/my/…; officers work the queue and take actions under
 * /api/v1/applications/… with the route action checked before parsing and the workflow table deciding
 * which role takes which step (403 / 409). Every POST needs an Idempotency-Key (security.md). Citizen ids
 * and phone numbers are masked in every answer; the full applicant id is a separate read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOfficer, type ActingOfficer } from '../accounts/require-officer.js';
import { requireResident } from '../accounts/resident-routes.js';
import { ROLE_LABELS } from '../accounts/roles.js';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { requestHash, runIdempotent, throwStoredRefusal } from '../db/idempotency.js';
import { HujiError } from '../errors/huji-error.js';
import { Text } from '../policy/policy.js';
import { renderIssuedDocument } from '../register/issue-document.js';
import { findDivision } from '../standards/divisions.js';
import { maskCitizenId, maskPersonalFields, maskPhone } from '../standards/masking.js';
import { APPLICATION_KIND_LABELS } from './application-types.js';
import { checkCompleteness } from './completeness.js';
import { certificateDisposition } from './certificates.js';
import { ApplicationForm } from './forms.js';
import { correctableFields, factsUsedBy, FieldCorrectionInput } from './corrections.js';
import { DEFAULT_MATERIAL_LIMIT_BYTES } from './material-types.js';
import { previewApproval } from './preview-approval.js';
import { registerQueueRoutes } from './queue-routes.js';
import {
  actOnApplication,
  addMaterial,
  applicantApplications,
  applicantIdOf,
  applicationEvents,
  applicationTypesIn,
  certificatesOf,
  clockOf,
  completenessOf,
  loadApplication,
  materialContent,
  materialsOf,
  markNotificationsRead,
  notificationsOf,
  officerDisplayNames,
  submitApplication,
  typeOfRecord,
  type ActionRequest,
  type ApplicationRecord,
  type ServicesContext,
} from './repository.js';
import {
  APPLICATION_ACTION_LABELS,
  APPLICATION_STATE_LABELS,
  availableActions,
  canSee,
  type Actor,
  type ApplicationEvent,
} from './workflow.js';

const Headers = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
  'x-csrf-token': z.string().max(100).optional(),
});
const IdParams = z.object({ id: z.uuid() });
const division = z.string().regex(/^\d{6}$/, { message: 'a GB/T 2260 division code is 6 digits' });

const OfficerRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('redo'), material: z.string().min(1).max(80), reason: Text }),
  z.object({ kind: z.literal('correction'), label: Text, reason: Text }),
  z.object({
    kind: z.literal('field'),
    field: z.string().min(1).max(120).describe('a field of the form: movers.1.name, fromDivision, facts.…'),
    reason: Text,
  }),
]);
const Citation = z.object({
  article: z.string().min(1).max(40),
  quote: z.string().trim().min(1).max(1000),
  explanation: Text,
});

/** The body of each officer action (the action is in the path). */
const ACTION_BODIES = {
  accept: z.object({}).strict(),
  return: z.object({ requests: z.array(OfficerRequest).max(50).default([]) }).strict(),
  review: z.object({ recommendation: z.enum(['approve', 'refuse']), note: Text.optional() }).strict(),
  // A justification is required when the engine found the pathway not met (HUJI_APPLICATION_NOT_ELIGIBLE).
  'refer-to-county': z.object({ justification: Citation.optional() }).strict(),
  'record-county-approval': z.object({ document: z.string().trim().min(1).max(100) }).strict(),
  approve: z.object({ justification: Citation.optional() }).strict(),
  refuse: z.object({ reason: Citation }).strict(),
  decline: z.object({ reason: Citation }).strict(),
  complete: z.object({}).strict(),
} as const;
type OfficerActionName = keyof typeof ACTION_BODIES;

/**
 * The application's events as the record reads them: each with what was done, the state it led to and
 * who did it (the applicant, or the officer's display name and roles).
 */
async function historyOf(db: DbExecutor, events: readonly ApplicationEvent[]) {
  const officerIds = [...new Set(events.filter((e) => e.actor.kind === 'officer').map((e) => e.actor.id))];
  const names = await officerDisplayNames(db, officerIds);
  const by = (actor: ApplicationEvent['actor']) => {
    if (actor.kind !== 'officer') return { zh: '申请人', en: 'applicant' };
    const roles = (actor.roles ?? []).map((r) => ROLE_LABELS[r]);
    const name = names.get(actor.id) ?? actor.id;
    return {
      zh: roles.length ? `${name}（${roles.map((r) => r.zh).join('、')}）` : name,
      en: roles.length ? `${name} (${roles.map((r) => r.en).join(', ')})` : name,
    };
  };
  return events.map((e) =>
    e.type === 'application.submitted'
      ? {
          ...e,
          by: by(e.actor),
          label: { zh: '提交申请', en: 'submit' },
          stateLabel: APPLICATION_STATE_LABELS.submitted,
        }
      : {
          ...e,
          by: by(e.actor),
          label: APPLICATION_ACTION_LABELS[e.action.type],
          stateLabel: APPLICATION_STATE_LABELS[e.to],
        },
  );
}

/**
 * The corrections the applicant made on resubmitting, newest first: each resubmission's fields with
 * their values before and after (ids masked), so the officer sees what changed since the return.
 */
function correctionsOf(events: readonly ApplicationEvent[]) {
  return events
    .flatMap((e) =>
      e.type === 'application.transitioned' && e.action.type === 'resubmit' && e.action.corrections?.length
        ? [
            {
              at: e.at,
              changes: e.action.corrections.map((c) => ({
                field: c.field,
                label: c.label,
                before: c.beforeText,
                after: c.afterText,
              })),
            },
          ]
        : [],
    )
    .reverse();
}

/**
 * The full names (province, city, county) of every GB/T 2260 code the form names — where the movers come
 * from, where they go, where each was born — and of the town (乡镇、街道) an address names, so no page
 * shows a bare code.
 */
export function placeNamesOf(form: unknown): Record<string, string> {
  const names: Record<string, string> = {};
  const visit = (key: string, v: unknown) => {
    const isCounty = /^\d{6}$/.test(String(v)) && /(division|countycode|birthplace)$/i.test(key);
    const isTown = /^\d{9}$/.test(String(v)) && /towncode$/i.test(key);
    if (typeof v === 'string' && (isCounty || isTown)) {
      const d = findDivision(v);
      if (d) names[v] = [...d.path.map((p) => p.name), d.name].join('');
    } else if (Array.isArray(v)) v.forEach((x) => visit(key, x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(k, x);
  };
  visit('', form);
  return names;
}

async function historyAndCorrections(db: DbExecutor, applicationId: string) {
  const events = maskIds(await applicationEvents(db, applicationId));
  return { history: await historyOf(db, events), corrections: correctionsOf(events) };
}

/** Every citizen id and birth date in a form or event masked by the one rule (src/standards/masking.ts). */
const maskIds = maskPersonalFields;

function view(ctx: ServicesContext, record: ApplicationRecord, actor: Actor) {
  const a = record.application;
  const type = typeOfRecord(ctx, record);
  const clock = clockOf(ctx, record);
  const subject = a.applicantId.slice(a.applicantId.indexOf(':') + 1);
  return {
    id: a.id,
    reference: record.reference,
    type: {
      id: a.typeId,
      kind: record.kind,
      label: type?.label ?? APPLICATION_KIND_LABELS[record.kind],
      article: type?.article ?? null,
    },
    countyCode: a.countyCode,
    state: a.state,
    stateLabel: APPLICATION_STATE_LABELS[a.state],
    applicant: {
      name: record.applicantName,
      citizenId: record.applicantCitizenId ? maskCitizenId(record.applicantCitizenId) : null,
      contact: /^1[3-9]\d{9}$/.test(subject) ? maskPhone(subject) : null,
    },
    submittedAt: a.submittedAt,
    updatedAt: record.updatedAt,
    clock: {
      state: clock.state,
      workingDays: a.clock.workingDays,
      deadline: clock.deadline,
      remainingWorkingDays: clock.remainingWorkingDays,
      isOverdue: clock.isOverdue,
      beyondCalendar: clock.beyondCalendar,
    },
    timeLimit: type?.timeLimit ?? null,
    requiredChanges: a.requiredChanges,
    refusal: a.refusal ?? null,
    decision: record.decision,
    form: maskIds(record.form),
    placeNames: placeNamesOf(record.form),
    facts: record.facts,
    registerEventId: record.registerEventId,
    actions: availableActions(a, actor).map((action) => ({
      action,
      label: APPLICATION_ACTION_LABELS[action],
    })),
    version: a.version,
  };
}

const officerActor = (o: ActingOfficer): Extract<Actor, { kind: 'officer' }> => ({
  kind: 'officer',
  id: o.id,
  roles: o.roles,
  countyCode: o.countyCode,
});

/** Runs a POST once per Idempotency-Key; refusals are replayed as refusals. */
async function idempotent(
  db: HujiDatabase,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  body: unknown,
  work: Parameters<typeof runIdempotent>[2],
  createdType?: 'application' | 'material',
) {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) throw new HujiError('HUJI_IDEMPOTENCY_KEY_REQUIRED');
  const stored = await runIdempotent(
    db,
    { scope, key, hash: requestHash('POST', request.url, body) },
    async (tx) => {
      try {
        return await work(tx);
      } catch (error) {
        // A refusal is stored as its code and params: keep its field list there too, so that the
        // replay of a validation refusal names the fields like the first answer did.
        if (error instanceof HujiError && error.problems.length > 0)
          throw new HujiError(
            error.code,
            { ...error.params, problems: error.problems },
            { cause: error, problems: error.problems },
          );
        throw error;
      }
    },
  );
  throwStoredRefusal(stored);
  if (stored.isReplay) reply.header('idempotent-replayed', 'true');
  // A new record is named in the audit entry (the path cannot name it yet).
  const created = (stored.body as { id?: unknown } | null)?.id;
  if (createdType && typeof created === 'string') request.auditObject = { type: createdType, id: created };
  return reply.code(stored.status).send(stored.body);
}

export function registerServiceRoutes(app: FastifyInstance, db: HujiDatabase, ctx: ServicesContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limit = ctx.materialLimitBytes ?? DEFAULT_MATERIAL_LIMIT_BYTES;

  // Uploads arrive as the raw bytes of one file; the declared type is ignored (the bytes are sniffed).
  app.addContentTypeParser(
    ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png'],
    { parseAs: 'buffer', bodyLimit: limit },
    (_request, body, done) => done(null, body),
  );

  // ——— public: what can be applied for, and the completeness check before submitting ———

  r.get(
    '/api/v1/application-types',
    {
      schema: {
        tags: ['services'],
        summary:
          '某县可办理的网上申请类型及材料清单 / application types offered in a county, with their checklists',
        querystring: z.object({ county: division }),
      },
    },
    async (request) => ({
      county: request.query.county,
      items: applicationTypesIn(ctx, request.query.county),
    }),
  );

  r.post(
    '/api/v1/application-types/completeness',
    {
      schema: {
        tags: ['services'],
        summary: '提交前检查材料是否齐全（一次告知） / completeness check before submitting, all at once',
        body: z.object({
          county: division,
          typeId: z.string().min(1).max(120),
          materials: z.array(z.string().min(1).max(80)).max(100),
        }),
      },
    },
    async (request) => {
      const { county, typeId, materials } = request.body;
      const types = applicationTypesIn(ctx, county);
      const type = types.find((t) => t.id === typeId);
      if (!type)
        throw new HujiError('HUJI_APPLICATION_TYPE_UNKNOWN', {
          typeId,
          county,
          known: types.map((t) => t.id).join(', '),
        });
      return checkCompleteness(
        type,
        materials.map((key) => ({ key, status: 'accepted' as const })),
      );
    },
  );

  // ——— residents ———

  r.post(
    '/api/v1/my/applications',
    {
      schema: {
        tags: ['services'],
        summary: '提交网上申请 / submit an application',
        description:
          'A resident signed in (cookie and X-CSRF-Token); needs Idempotency-Key. The policy engine evaluates the facts; the decision is stored with policyId@version, the pathway and the articles.',
        headers: Headers,
        body: z.object({
          typeId: z.string().min(1).max(120),
          form: ApplicationForm,
          facts: z.record(z.string(), z.unknown()).optional(),
        }),
      },
    },
    async (request, reply) => {
      const resident = await requireResident(request);
      return idempotent(
        db,
        request,
        reply,
        `resident:${applicantIdOf(resident)}`,
        request.body,
        async (tx) => {
          const record = await submitApplication(tx, ctx, resident, request.body);
          return { status: 201, body: view(ctx, record, { kind: 'applicant', id: applicantIdOf(resident) }) };
        },
        'application',
      );
    },
  );

  r.get(
    '/api/v1/my/applications',
    { schema: { tags: ['services'], summary: '我的申请 / my applications' } },
    async (request) => {
      const resident = await requireResident(request);
      const actor: Actor = { kind: 'applicant', id: applicantIdOf(resident) };
      return { items: (await applicantApplications(db, resident)).map((rec) => view(ctx, rec, actor)) };
    },
  );

  const ownRecord = async (request: FastifyRequest, id: string) => {
    const resident = await requireResident(request);
    const record = await loadApplication(db, id);
    const actor: Actor = { kind: 'applicant', id: applicantIdOf(resident) };
    if (!record || !canSee(record.application, actor))
      throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id });
    return { resident, record, actor };
  };

  r.get(
    '/api/v1/my/applications/:id',
    {
      schema: {
        tags: ['services'],
        summary: '我的一件申请：状态、时限、材料、办理记录 / one of my applications',
        params: IdParams,
      },
    },
    async (request) => {
      const { record, actor } = await ownRecord(request, request.params.id);
      return {
        ...view(ctx, record, actor),
        materials: await materialsOf(db, record.application.id),
        completeness: await completenessOf(db, ctx, record),
        certificates: await certificatesOf(db, ctx, record),
        ...(await historyAndCorrections(db, record.application.id)),
      };
    },
  );

  r.post(
    '/api/v1/my/applications/:id/materials',
    {
      bodyLimit: limit,
      schema: {
        tags: ['services'],
        summary:
          '上传申请材料（JPEG、PNG 或 PDF，按内容识别类型） / upload a material (JPEG, PNG or PDF, sniffed)',
        description:
          'The body is the file itself (Content-Type application/octet-stream, image/jpeg, image/png or application/pdf — the type is read from the bytes). Needs Idempotency-Key.',
        headers: Headers,
        params: IdParams,
        querystring: z.object({
          key: z.string().min(1).max(80).describe('the checklist material it answers'),
          fileName: z.string().trim().min(1).max(200),
        }),
      },
    },
    async (request, reply) => {
      const resident = await requireResident(request);
      const bytes = request.body;
      if (!Buffer.isBuffer(bytes))
        throw new HujiError('HUJI_UNSUPPORTED_MEDIA_TYPE', {
          contentType: request.headers['content-type'] ?? 'none',
        });
      const hashOf = { ...request.query, sha256: requestHash('PUT', '', bytes.toString('base64')) };
      return idempotent(
        db,
        request,
        reply,
        `resident:${applicantIdOf(resident)}`,
        hashOf,
        async (tx) => ({
          status: 201,
          body: await addMaterial(tx, ctx, resident, request.params.id, {
            materialKey: request.query.key,
            fileName: request.query.fileName,
            bytes,
          }),
        }),
        'material',
      );
    },
  );

  for (const action of ['resubmit', 'withdraw'] as const) {
    r.post(
      `/api/v1/my/applications/:id/${action}`,
      {
        schema: {
          tags: ['services'],
          summary: `${APPLICATION_ACTION_LABELS[action].zh} / ${APPLICATION_ACTION_LABELS[action].en}`,
          headers: Headers,
          params: IdParams,
          body: (action === 'resubmit'
            ? z.object({
                note: z.string().trim().max(500).optional(),
                corrections: z
                  .array(FieldCorrectionInput)
                  .max(100)
                  .optional()
                  .describe('new values of the returned fields (requiredChanges of kind "field"), by path'),
              })
            : z.object({ note: z.string().trim().max(500).optional() })
          )
            .strict()
            .optional(),
        },
      },
      async (request, reply) => {
        const resident = await requireResident(request);
        const actor: Actor = { kind: 'applicant', id: applicantIdOf(resident) };
        const body: { note?: string; corrections?: FieldCorrectionInput[] } = request.body ?? {};
        return idempotent(db, request, reply, `resident:${actor.id}`, body, async (tx) => {
          const requested: ActionRequest =
            action === 'withdraw'
              ? { type: 'withdraw', ...(body.note ? { note: body.note } : {}) }
              : { type: action, corrections: body.corrections ?? [] };
          const result = await actOnApplication(tx, ctx, request.params.id, requested, actor);
          return { status: 200, body: view(ctx, result.record, actor) };
        });
      },
    );
  }

  r.get(
    '/api/v1/my/applications/:id/certificates/:documentId.pdf',
    {
      schema: {
        tags: ['services'],
        summary:
          '下载申请的证明文书（PDF，带核验二维码） / download a certificate of my application (PDF with its QR code)',
        params: z.object({ id: z.uuid(), documentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const { record } = await ownRecord(request, request.params.id);
      const issued = await certificatesOf(db, ctx, record);
      if (!issued.some((c) => c.id === request.params.documentId))
        throw new HujiError('HUJI_CERTIFICATE_NOT_FOUND', { id: request.params.documentId });
      const rendered = await renderIssuedDocument(db, request.params.documentId, ctx.publicUrl);
      if (!rendered) throw new HujiError('HUJI_CERTIFICATE_NOT_FOUND', { id: request.params.documentId });
      return reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          certificateDisposition('inline', rendered.title, rendered.kind, record.reference),
        )
        .send(rendered.pdf);
    },
  );

  r.get(
    '/api/v1/my/notifications',
    { schema: { tags: ['services'], summary: '我的消息 / my notifications' } },
    async (request) => {
      const resident = await requireResident(request);
      return { items: await notificationsOf(db, { kind: 'applicant', ids: [applicantIdOf(resident)] }) };
    },
  );

  r.post(
    '/api/v1/my/notifications/read',
    {
      schema: {
        tags: ['services'],
        summary: '标记消息已读 / mark my notifications read',
        description:
          'Sets the read time of the given notifications of the signed-in applicant, once. Idempotent by ' +
          'nature (a retry finds them read), so no Idempotency-Key is needed. Answers how many were marked.',
        body: z.object({ ids: z.array(z.uuid()).min(1).max(200) }).strict(),
      },
    },
    async (request) => {
      const resident = await requireResident(request);
      const marked = await markNotificationsRead(
        db,
        applicantIdOf(resident),
        request.body.ids,
        ctx.now?.() ?? new Date(),
      );
      return { marked };
    },
  );

  // ——— officers ———

  // The queue, its export and the officers' to-dos: queue-routes.ts.
  registerQueueRoutes(app, db, ctx);

  const officerRecord = async (request: FastifyRequest, id: string, action: 'application.read') => {
    const officer = officerActor(await requireOfficer(request, action));
    const record = await loadApplication(db, id);
    if (!record || !canSee(record.application, officer))
      throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id });
    return { officer, record };
  };

  r.get(
    '/api/v1/applications/:id',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary:
          '申请详情：事实、政策引擎的说明、材料、可执行的操作 / an application with the engine’s explanation',
        headers: Headers,
        params: IdParams,
      },
    },
    async (request) => {
      const { officer, record } = await officerRecord(request, request.params.id, 'application.read');
      return {
        ...view(ctx, record, officer),
        // What a return may name of the form and the answers (the return dialog's picker).
        correctableFields: correctableFields(
          record.form,
          factsUsedBy(record.decision.explanation, record.decision.pathway),
        ),
        materials: await materialsOf(db, record.application.id),
        completeness: await completenessOf(db, ctx, record),
        certificates: await certificatesOf(db, ctx, record),
        ...(await historyAndCorrections(db, record.application.id)),
      };
    },
  );

  r.get(
    '/api/v1/applications/:id/approval-preview',
    {
      config: { officerAction: 'application.act' },
      schema: {
        tags: ['services'],
        summary:
          '批准预览：将写入户籍登记的人员、户和事件（执行后回滚） / what approving would write (run, then rolled back)',
        description:
          'Runs the real approval (or the recording of the county approval) in a transaction and rolls it back: ' +
          'the persons with their declared facts (ids masked), the household founded or joined with its address, ' +
          'the ledger events and the certificates it would issue. The same role, jurisdiction and state rules ' +
          'as the approval (403 / 404 / 409), and its refusals (422).',
        headers: Headers,
        params: IdParams,
      },
    },
    async (request, reply) => {
      const officer = officerActor(await requireOfficer(request, 'application.act'));
      reply.header('cache-control', 'no-store');
      return previewApproval(db, ctx, request.params.id, officer);
    },
  );

  r.get(
    '/api/v1/applications/:id/certificates/:documentId.pdf',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary:
          '下载或打印申请的文书（受理回执、决定书、证件，PDF 带核验二维码） / a document of an application (PDF)',
        headers: Headers,
        params: z.object({ id: z.uuid(), documentId: z.uuid() }),
        querystring: z.object({
          download: z.enum(['0', '1']).default('0').describe('1: as an attachment (下载), 0: inline (打印)'),
        }),
      },
    },
    async (request, reply) => {
      const { record } = await officerRecord(request, request.params.id, 'application.read');
      const issued = await certificatesOf(db, ctx, record);
      if (!issued.some((c) => c.id === request.params.documentId))
        throw new HujiError('HUJI_CERTIFICATE_NOT_FOUND', { id: request.params.documentId });
      const rendered = await renderIssuedDocument(db, request.params.documentId, ctx.publicUrl);
      if (!rendered) throw new HujiError('HUJI_CERTIFICATE_NOT_FOUND', { id: request.params.documentId });
      const disposition = request.query.download === '1' ? 'attachment' : 'inline';
      return reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          certificateDisposition(disposition, rendered.title, rendered.kind, record.reference),
        )
        .send(rendered.pdf);
    },
  );

  r.get(
    '/api/v1/applications/:id/applicant-id',
    {
      config: { officerAction: 'application.read-full-id' },
      schema: {
        tags: ['services'],
        summary:
          '申请人完整身份号码（单独记录的读取） / the applicant’s full citizen id (a separate, audited read)',
        headers: Headers,
        params: IdParams,
      },
    },
    async (request, reply) => {
      const officer = officerActor(await requireOfficer(request, 'application.read-full-id'));
      const record = await loadApplication(db, request.params.id);
      if (!record || !canSee(record.application, officer))
        throw new HujiError('HUJI_APPLICATION_NOT_FOUND', { id: request.params.id });
      reply.header('cache-control', 'no-store');
      return { citizenId: record.applicantCitizenId };
    },
  );

  r.get(
    '/api/v1/applications/:id/materials/:materialId',
    {
      config: { officerAction: 'application.read' },
      schema: {
        tags: ['services'],
        summary: '查看申请材料原件 / an uploaded material',
        headers: Headers,
        params: z.object({ id: z.uuid(), materialId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const { record } = await officerRecord(request, request.params.id, 'application.read');
      const found = await materialContent(db, record.application.id, request.params.materialId);
      if (!found) throw new HujiError('HUJI_MATERIAL_NOT_FOUND', { id: request.params.materialId });
      return reply
        .header('content-type', found.info.mediaType)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(found.info.fileName)}`)
        .send(found.content);
    },
  );

  for (const action of Object.keys(ACTION_BODIES) as OfficerActionName[]) {
    r.post(
      `/api/v1/applications/:id/${action}`,
      {
        config: { officerAction: 'application.act' },
        schema: {
          tags: ['services'],
          summary: `${APPLICATION_ACTION_LABELS[action].zh} / ${APPLICATION_ACTION_LABELS[action].en}`,
          description:
            'Needs Idempotency-Key. Which role may take this step, and in which state, is the workflow table: another role answers 403, another state 409.',
          headers: Headers,
          params: IdParams,
          body: ACTION_BODIES[action],
        },
      },
      async (request, reply) => {
        const officer = officerActor(await requireOfficer(request, 'application.act'));
        const body = (request.body ?? {}) as Record<string, unknown>;
        return idempotent(db, request, reply, `officer:${officer.id}`, body, async (tx) => {
          const result = await actOnApplication(
            tx,
            ctx,
            request.params.id,
            { type: action, ...body } as ActionRequest,
            officer,
          );
          return {
            status: 200,
            body: {
              ...view(ctx, result.record, officer),
              registerEventIds: result.registerEventIds,
              certificates: result.certificates,
            },
          };
        });
      },
    );
  }
}
