/**
 * Certificates of online applications (issue 5): the approval notice (准予落户通知书 / 审批通知书), the
 * permit to move in (准予迁入证明, with the cross-province 电子准迁证) and the residence permit (居住证,
 * first issue). issueCertificate signs one under the deployment's suite and records it with its
 * application, in the caller's transaction; renderCertificate renders it again as a PDF.
 *
 * Rendering goes through register/issue-document.ts's renderIssuedDocument, which knows all five kinds, so
 * the officer's PDF route serves certificates too; renderCertificate only narrows it to certificates.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DbExecutor } from '../db/connection.js';
import {
  ApprovalNoticeContentInput,
  approvalNoticeContent,
  type ApprovalNoticeInput,
} from '../documents/approval-notice.js';
import {
  AcceptanceReceiptContentInput,
  acceptanceReceiptContent,
  type AcceptanceReceiptInput,
} from '../documents/acceptance-receipt.js';
import { addDays, addYears } from '../documents/certificate-layout.js';
import {
  RefusalNoticeContentInput,
  refusalNoticeContent,
  type RefusalNoticeInput,
} from '../documents/refusal-notice.js';
import type { ContentValue } from '../documents/document-content.js';
import type { CryptoSuite } from '../documents/document-token.js';
import {
  DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS,
  PermitToMoveInContentInput,
  permitToMoveInContent,
  type PermitToMoveInInput,
} from '../documents/permit-to-move-in.js';
import {
  DEFAULT_RESIDENCE_PERMIT_TERM_YEARS,
  ResidencePermitContentInput,
  residencePermitContent,
  type ResidencePermitInput,
} from '../documents/residence-permit.js';
import {
  issuerOf,
  nowInWholeSeconds,
  recordIssuedDocument,
  renderIssuedDocument,
} from '../register/issue-document.js';
import { todayInChina } from '../standards/calendar.js';

export type { ApprovalNoticeContentInput } from '../documents/approval-notice.js';
export type { PermitToMoveInContentInput } from '../documents/permit-to-move-in.js';
export type { ResidencePermitContentInput } from '../documents/residence-permit.js';
export type { AcceptanceReceiptContentInput } from '../documents/acceptance-receipt.js';
export type { RefusalNoticeContentInput } from '../documents/refusal-notice.js';

export const CERTIFICATE_KINDS = [
  'approval-notice',
  'permit-to-move-in',
  'residence-permit',
  'acceptance-receipt',
  'refusal-notice',
] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

interface CertificateRequestBase {
  /** The application the certificate is issued for (issued_document.application_id). */
  readonly applicationId: string;
  /** The issuing county (GB/T 2260): signed as the issuer, and whose officers may fetch the PDF. */
  readonly countyCode: string;
  readonly officerId: string;
  /** The deployment's suite (`app.hujiCryptoSuite`): gm signs with SM2, international with Ed25519. */
  readonly suite: CryptoSuite;
}

export type CertificateRequest =
  | (CertificateRequestBase & {
      readonly kind: 'approval-notice';
      readonly content: ApprovalNoticeContentInput;
    })
  | (CertificateRequestBase & {
      readonly kind: 'permit-to-move-in';
      readonly content: PermitToMoveInContentInput;
    })
  | (CertificateRequestBase & {
      readonly kind: 'residence-permit';
      readonly content: ResidencePermitContentInput;
    })
  | (CertificateRequestBase & {
      readonly kind: 'acceptance-receipt';
      readonly content: AcceptanceReceiptContentInput;
    })
  | (CertificateRequestBase & {
      readonly kind: 'refusal-notice';
      readonly content: RefusalNoticeContentInput;
    });

export interface IssuedCertificate {
  readonly id: string;
  readonly token: string;
  /** `${baseUrl}/verify/${token}`: the QR code's URL. */
  readonly verifyUrl: string;
  readonly kind: CertificateKind;
  /** ISO instant, whole seconds. */
  readonly issuedAt: string;
  /** Last valid day (ISO date, China), for certificates with a term. */
  readonly validUntil?: string;
}

const Request = z.object({
  applicationId: z.uuid(),
  countyCode: z.string().regex(/^\d{6}$/),
  officerId: z.string().min(1),
  suite: z.enum(['gm', 'international']),
});

function parsed<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new TypeError(`invalid ${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** The renderer's input (without verifyUrl), the signed content and the term of one certificate. */
function prepare(
  request: CertificateRequest,
  documentId: string,
  issuedAt: string,
): { input: object; content: ContentValue; validUntil: string | undefined } {
  const issueDate = todayInChina(new Date(issuedAt));
  const common = (issuerName: string | undefined) => ({
    documentId,
    issuedAt,
    issuer: { code: request.countyCode, name: issuerName ?? issuerOf(request.countyCode).name },
  });
  switch (request.kind) {
    case 'approval-notice': {
      const { issuerName, ...facts } = parsed(ApprovalNoticeContentInput, request.content, 'approval notice');
      const input: Omit<ApprovalNoticeInput, 'verifyUrl'> = { ...facts, ...common(issuerName) };
      return { input, content: approvalNoticeContent(input), validUntil: facts.validUntil };
    }
    case 'permit-to-move-in': {
      const { issuerName, validUntil, ...facts } = parsed(
        PermitToMoveInContentInput,
        request.content,
        'permit to move in',
      );
      const input: Omit<PermitToMoveInInput, 'verifyUrl'> = {
        ...facts,
        ...common(issuerName),
        validUntil: validUntil ?? addDays(issueDate, DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS),
      };
      return { input, content: permitToMoveInContent(input), validUntil: input.validUntil };
    }
    case 'residence-permit': {
      const { issuerName, validFrom, validUntil, ...facts } = parsed(
        ResidencePermitContentInput,
        request.content,
        'residence permit',
      );
      const from = validFrom ?? issueDate;
      const input: Omit<ResidencePermitInput, 'verifyUrl'> = {
        ...facts,
        ...common(issuerName),
        validFrom: from,
        validUntil: validUntil ?? addDays(addYears(from, DEFAULT_RESIDENCE_PERMIT_TERM_YEARS), -1),
      };
      if (input.validFrom > input.validUntil) {
        throw new TypeError(
          `a residence permit's term ends before it begins (${input.validFrom} > ${input.validUntil})`,
        );
      }
      return { input, content: residencePermitContent(input), validUntil: input.validUntil };
    }
    case 'acceptance-receipt': {
      const { issuerName, ...facts } = parsed(
        AcceptanceReceiptContentInput,
        request.content,
        'acceptance receipt',
      );
      const input: Omit<AcceptanceReceiptInput, 'verifyUrl'> = { ...facts, ...common(issuerName) };
      return { input, content: acceptanceReceiptContent(input), validUntil: undefined };
    }
    case 'refusal-notice': {
      const { issuerName, ...facts } = parsed(RefusalNoticeContentInput, request.content, 'refusal notice');
      const input: Omit<RefusalNoticeInput, 'verifyUrl'> = { ...facts, ...common(issuerName) };
      return { input, content: refusalNoticeContent(input), validUntil: undefined };
    }
  }
}

/**
 * Issues a certificate for an application: signs its content under `input.suite` (the deployment's
 * setting; a key of that suite is generated on first use) and inserts the issued_document row with
 * application_id, in the caller's transaction. The document id and issue time are chosen here; terms
 * not given take the documented defaults (permit to move in: DEFAULT_PERMIT_TO_MOVE_IN_VALID_DAYS after
 * issue; residence permit: one year). Throws TypeError on content that breaks its schema or a term that
 * ends before the day of issue: the approving code builds the content, so that is a bug.
 *
 * @example
 * const issued = await issueCertificate(tx, {
 *   kind: 'approval-notice', applicationId, countyCode: '330802', officerId: officer.id,
 *   suite: app.hujiCryptoSuite,
 *   content: { referenceNumber: 'SQ-330802-2025-000123', applicationType: { id: 'settlement/residence', label: '有合法稳定住所落户' },
 *     applicant: { name: '吉明远', citizenId: '330802199502280035' }, decision: '准予在柯城区登记常住户口',
 *     articles: [{ id: 'qz-final/1', quote: '凡在我市……均可在当地申请登记常住户口。' }],
 *     nextSteps: ['凭本通知书到迁入地派出所办理落户'] },
 * }, publicUrl);
 */
export async function issueCertificate(
  tx: DbExecutor,
  input: CertificateRequest,
  baseUrl: string,
): Promise<IssuedCertificate> {
  parsed(Request, input, 'certificate request');
  const id = randomUUID();
  const issuedAt = nowInWholeSeconds();
  const prepared = prepare(input, id, issuedAt);
  if (prepared.validUntil !== undefined && prepared.validUntil < todayInChina(new Date(issuedAt))) {
    throw new TypeError(
      `a ${input.kind} cannot be issued already expired (valid until ${prepared.validUntil})`,
    );
  }
  const issued = await recordIssuedDocument(tx, {
    id,
    kind: input.kind,
    applicationId: input.applicationId,
    input: prepared.input,
    content: prepared.content,
    issuedAt,
    issuer: input.countyCode,
    officerId: input.officerId,
    suite: input.suite,
    ...(prepared.validUntil === undefined ? {} : { validUntil: prepared.validUntil }),
    baseUrl,
  });
  return {
    id,
    token: issued.token,
    verifyUrl: issued.verifyUrl,
    kind: input.kind,
    issuedAt,
    ...(prepared.validUntil === undefined ? {} : { validUntil: prepared.validUntil }),
  };
}

function isCertificateKind(kind: string): kind is CertificateKind {
  return (CERTIFICATE_KINDS as readonly string[]).includes(kind);
}

/**
 * The PDF of an issued certificate, rendered again from what it stated; undefined when there is no
 * certificate with that id (register documents included: use renderIssuedDocument for those).
 * `countyCode` is the issuing county, for the caller's jurisdiction check.
 */
export async function renderCertificate(
  db: DbExecutor,
  id: string,
  baseUrl: string,
): Promise<{ pdf: Buffer; kind: CertificateKind; countyCode: string } | undefined> {
  const rendered = await renderIssuedDocument(db, id, baseUrl);
  if (!rendered || !isCertificateKind(rendered.kind)) return undefined;
  return { pdf: rendered.pdf, kind: rendered.kind, countyCode: rendered.householdCounty };
}

/** RFC 5987 `ext-value` characters: everything but attr-char percent-encoded from UTF-8. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The Content-Disposition of a certificate's PDF: named as it is printed, with the application's
 * reference (准予落户通知书-SQ3308022026000001.pdf), in RFC 5987 `filename*`, and an ASCII `filename`
 * (`approval-notice-SQ….pdf`) for clients that do not read it.
 *
 * @example certificateDisposition('attachment', '受理回执', 'acceptance-receipt', 'SQ1') // `attachment; filename="acceptance-receipt-SQ1.pdf"; filename*=UTF-8''%E5%8F%97%E7%90%86%E5%9B%9E%E6%89%A7-SQ1.pdf`
 */
export function certificateDisposition(
  disposition: 'inline' | 'attachment',
  title: string,
  kind: string,
  reference: string,
): string {
  const ascii = `${kind}-${reference}.pdf`.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${rfc5987(`${title}-${reference}.pdf`)}`;
}
