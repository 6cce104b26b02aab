/**
 * Routes for register documents: issuing a proof of pre-reform hukou nature or a household extract
 * (officers, Idempotency-Key; signed under the deployment's suite), fetching the PDF of any issued
 * document (certificates of applications too), revoking any issued document (作废, with a reason), and
 * the public verify page behind the QR code.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { requestHash, runIdempotent, throwStoredRefusal } from '../db/idempotency.js';
import { requireOfficer } from '../accounts/require-officer.js';
import { HujiError } from '../errors/huji-error.js';
import { negotiateLocale } from '../errors/locale.js';
import { todayInChina } from '../standards/calendar.js';
import { isoDateField } from '../standards/date-field.js';
import { chineseDate } from '../documents/official-pdf.js';
import { coversJurisdiction } from './execute-register-command.js';
import {
  checkDocumentToken,
  type DocumentCheck,
  issueHouseholdExtract,
  issueLegacyHukouNatureProof,
  renderIssuedDocument,
} from './issue-document.js';
import { findHousehold, findPersonById, type Officer } from './repository.js';
import { COMMAND_FIELDS } from './command-fields.js';
import { revokeDocument, type DocumentRevocation } from './revoke-document.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../documents/document-token.js';

const KIND_TEXT = {
  'legacy-hukou-nature-proof': { zh: '户口性质证明', en: 'proof of pre-reform hukou nature' },
  'household-extract': { zh: '户口簿摘录', en: 'household register extract' },
  'approval-notice': { zh: '准予落户通知书 / 审批通知书', en: 'approval notice' },
  'permit-to-move-in': { zh: '准予迁入证明', en: 'permit to move in' },
  'residence-permit': { zh: '居住证', en: 'residence permit' },
  'acceptance-receipt': { zh: '受理回执', en: 'acceptance receipt' },
  'refusal-notice': { zh: '不予受理 / 不予批准决定书', en: 'notice of refusal' },
} as const satisfies Record<DocumentKind, { zh: string; en: string }>;

const VERDICT_TEXT = {
  genuine: { zh: '真实有效', en: 'Genuine and valid' },
  expired: { zh: '真实，但已过有效期', en: 'Genuine but expired' },
  revoked: { zh: '真实，但已作废', en: 'Genuine but revoked' },
  forged: {
    zh: '无法核实：此二维码不是本机关签发的有效文书',
    en: 'Not verified: this code is not a valid document issued here',
  },
  malformed: {
    zh: '无法核实：此二维码不是本机关签发的有效文书',
    en: 'Not verified: this code is not a valid document issued here',
  },
} as const satisfies Record<DocumentCheck['status'], { zh: string; en: string }>;

const LABELS = {
  kind: { zh: '文书种类', en: 'Document' },
  issuer: { zh: '签发机关', en: 'Issued by' },
  issuedAt: { zh: '签发日期', en: 'Issued on' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  revokedAt: { zh: '作废日期', en: 'Revoked on' },
  documentId: { zh: '文书编号', en: 'Document number' },
} as const;

const COMPARE_NOTE = {
  zh: '请将以上内容与纸质文书逐项核对：任何一项不符，说明纸质文书已被改动。姓名仅显示姓氏。',
  en: 'Compare each line above with the paper: any difference means the paper was altered. Only the family name is shown.',
} as const;

const OfficerHeaders = z.object({
  'idempotency-key': z.string().min(1).max(200).optional(),
  'x-csrf-token': z.string().max(100).optional(),
});

const RevocationAnswer = z.object({
  id: z.uuid(),
  kind: z.enum(DOCUMENT_KINDS),
  revokedAt: z.iso.datetime(),
  reason: z.string(),
});

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerDocumentRoutes(
  app: FastifyInstance,
  db: HujiDatabase,
  publicUrl: string,
  now: () => Date = () => new Date(),
) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const issue = async (
    request: FastifyRequest,
    reply: FastifyReply,
    work: (officer: Officer, tx: DbExecutor) => Promise<unknown>,
  ) => {
    const officer = await requireOfficer(request, 'document.issue');
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) throw new HujiError('HUJI_IDEMPOTENCY_KEY_REQUIRED');
    const stored = await runIdempotent(
      db,
      { scope: `officer:${officer.id}`, key, hash: requestHash('POST', request.url, request.body ?? null) },
      async (tx) => ({ status: 201, body: await work(officer, tx) }),
    );
    throwStoredRefusal(stored);
    return reply.code(stored.status).send(stored.body);
  };

  r.post(
    '/api/v1/register/persons/:id/documents/legacy-hukou-nature-proof',
    {
      config: { officerAction: 'document.issue' },
      schema: {
        tags: ['register'],
        summary: '开具户口性质证明 / issue a proof of pre-reform hukou nature',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request, reply) =>
      issue(request, reply, async (officer, tx) => {
        const person = await findPersonById(tx, request.params.id);
        if (!person || !coversJurisdiction(officer.countyCode, person.countyCode))
          throw new HujiError('HUJI_REGISTER_PERSON_UNKNOWN', { ref: request.params.id });
        const doc = await issueLegacyHukouNatureProof(tx, {
          personId: person.id,
          officer,
          baseUrl: publicUrl,
          today: todayInChina(),
          suite: app.hujiCryptoSuite,
        });
        return { ...doc, pdfUrl: `/api/v1/register/documents/${doc.documentId}.pdf` };
      }),
  );

  r.post(
    '/api/v1/register/households/:id/documents/extract',
    {
      config: { officerAction: 'document.issue' },
      schema: {
        tags: ['register'],
        summary: '开具户口簿摘录 / issue a household register extract',
        params: z.object({ id: z.uuid() }),
        body: z
          .object({ asOf: isoDateField().optional(), maskCitizenIds: z.boolean().default(true) })
          .default({ maskCitizenIds: true }),
      },
    },
    async (request, reply) =>
      issue(request, reply, async (officer, tx) => {
        const household = await findHousehold(tx, { id: request.params.id });
        if (!household || !coversJurisdiction(officer.countyCode, household.address.countyCode))
          throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: request.params.id });
        const doc = await issueHouseholdExtract(tx, {
          householdId: household.id,
          asOf: request.body.asOf ?? todayInChina(),
          officer,
          baseUrl: publicUrl,
          maskCitizenIds: request.body.maskCitizenIds,
          suite: app.hujiCryptoSuite,
        });
        return { ...doc, pdfUrl: `/api/v1/register/documents/${doc.documentId}.pdf` };
      }),
  );

  r.get(
    '/api/v1/register/documents/:file',
    {
      config: { officerAction: 'document.read' },
      schema: {
        tags: ['register'],
        summary: '已开具文书的 PDF / the PDF of an issued document',
        params: z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.pdf$/) }),
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'document.read');
      // Jurisdiction first: another county's officer learns nothing and costs no rendering.
      const rendered = await renderIssuedDocument(db, request.params.file.slice(0, 36), publicUrl, (county) =>
        coversJurisdiction(officer.countyCode, county),
      );
      if (!rendered) throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: request.params.file });
      return reply
        .header('content-type', 'application/pdf')
        .header('cache-control', 'no-store')
        .send(rendered.pdf);
    },
  );

  r.post(
    '/api/v1/documents/:id/revoke',
    {
      config: { officerAction: 'document.revoke' },
      schema: {
        tags: ['register'],
        summary: '作废已开具的文书 / revoke an issued document',
        description:
          'An officer who issues documents, signed in (session cookie and X-CSRF-Token); needs Idempotency-Key. ' +
          'Any issued document of the jurisdiction (register proofs and extracts, certificates of applications). ' +
          'The verify page then says "genuine but revoked" and the date, never the reason or the officer. ' +
          'A document already revoked answers 409 HUJI_DOCUMENT_ALREADY_REVOKED.',
        headers: OfficerHeaders,
        params: z.object({ id: z.uuid() }),
        body: z.object({
          // The rule the console's revoke dialog checks too.
          reason: COMMAND_FIELDS.reason.describe('why it is revoked: kept in the register, not shown'),
        }),
        response: { 200: RevocationAnswer },
      },
    },
    async (request, reply) => {
      const officer = await requireOfficer(request, 'document.revoke');
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || key.length === 0) throw new HujiError('HUJI_IDEMPOTENCY_KEY_REQUIRED');
      const stored = await runIdempotent(
        db,
        { scope: `officer:${officer.id}`, key, hash: requestHash('POST', request.url, request.body) },
        async (tx) => ({
          status: 200,
          body: await revokeDocument(tx, {
            documentId: request.params.id,
            officer,
            reason: request.body.reason,
            now: now(),
          }),
        }),
      );
      throwStoredRefusal(stored);
      if (stored.isReplay) reply.header('idempotent-replayed', 'true');
      // The path names the document, so the audit entry does too (objectOf): no auditObject needed.
      return reply.code(200).send(stored.body as DocumentRevocation);
    },
  );

  r.get(
    '/verify/:token',
    {
      schema: {
        tags: ['register'],
        summary: '公开核验文书二维码（无需登录） / public check of a document QR code',
        description:
          'HTML for people, JSON with Accept: application/json. Says genuine, expired, revoked (and since when), forged or malformed; ' +
          'for a document issued here also its key facts and the masked name (family name + *) to compare with the paper, ' +
          'never a full name, citizen id, birth date, address or household number (ADR 0019).',
        params: z.object({ token: z.string().max(4096) }),
      },
    },
    async (request, reply) => {
      const check = await checkDocumentToken(db, request.params.token);
      if ((request.headers.accept ?? '').includes('application/json')) return check;
      const zh = negotiateLocale(request.headers['accept-language']) === 'zh-CN';
      // The verdict in both languages, the reader's first: a QR code is scanned by whoever holds the paper.
      const [first, second] = zh ? (['zh', 'en'] as const) : (['en', 'zh'] as const);
      const verdict = VERDICT_TEXT[check.status];
      // Instants are dated in China, as the document prints them.
      const date = (iso: string) =>
        zh ? chineseDate(iso) : iso.length > 10 ? todayInChina(new Date(iso)) : iso;
      const row = (label: { zh: string; en: string }, value: string) =>
        `<tr><th scope="row" style="text-align: left; padding-right: 1rem">${escapeHtml(label[first])}</th><td>${escapeHtml(value)}</td></tr>`;
      const details =
        'documentId' in check
          ? `<table>${[
              row(LABELS.kind, KIND_TEXT[check.kind][first]),
              row(
                LABELS.issuer,
                check.issuerName === undefined ? check.issuer : `${check.issuerName}（${check.issuer}）`,
              ),
              row(LABELS.issuedAt, date(check.issuedAt)),
              ...(check.validUntil === undefined ? [] : [row(LABELS.validUntil, date(check.validUntil))]),
              ...(check.revokedAt === undefined ? [] : [row(LABELS.revokedAt, date(check.revokedAt))]),
              row(LABELS.documentId, check.documentId),
              // The masked name and key facts (ADR 0019): compare them with the paper.
              ...check.facts.map((f) => row(f.label, f.value[first])),
            ].join('')}</table><p style="color: #57606a">${escapeHtml(COMPARE_NOTE[first])}</p>`
          : `<p>${escapeHtml(check.status)} (${escapeHtml(check.reason)})</p>`;
      const isGood = check.status === 'genuine';
      const html = `<!doctype html><html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${zh ? '文书核验' : 'Document check'} · Huji</title></head><body style="font-family: system-ui, 'Noto Sans CJK SC', sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem"><h1>${zh ? '文书核验' : 'Document check'}</h1><p data-status="${check.status}" style="font-size: 1.5rem; font-weight: 600; margin-bottom: 0; color: ${isGood ? '#1a7f37' : '#cf222e'}">${verdict[first]}</p><p lang="${second === 'zh' ? 'zh-CN' : 'en'}" style="margin-top: 0.25rem; color: ${isGood ? '#1a7f37' : '#cf222e'}">${verdict[second]}</p>${details}</body></html>`;
      return reply.header('content-type', 'text/html; charset=utf-8').send(html);
    },
  );
}
