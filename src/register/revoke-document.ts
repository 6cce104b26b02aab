/**
 * Revokes an issued document (作废): an officer of the issuing jurisdiction takes back a proof, extract or
 * certificate, with a reason. The row is locked while it is read and written, so of two revocations
 * running at once one writes and the other hears that the document is already revoked. The public verify
 * page then says "genuine but revoked" and the date; the reason and the officer stay in the register.
 */
import { eq } from 'drizzle-orm';
import type { DbExecutor } from '../db/connection.js';
import { issuedDocument } from '../db/schema.js';
import type { DocumentKind } from '../documents/document-token.js';
import { HujiError } from '../errors/huji-error.js';
import { todayInChina } from '../standards/calendar.js';
import { coversJurisdiction } from './execute-register-command.js';
import { documentCountyOf } from './issue-document.js';
import type { Officer } from './repository.js';

export interface DocumentRevocation {
  readonly id: string;
  readonly kind: DocumentKind;
  /** ISO instant. */
  readonly revokedAt: string;
  readonly reason: string;
}

/**
 * Sets revoked_at, revoked_by and revocation_reason of a document in the caller's transaction.
 * A document unknown or outside the officer's jurisdiction is HUJI_REGISTER_OUT_OF_JURISDICTION (404,
 * the same answer for both); one already revoked is HUJI_DOCUMENT_ALREADY_REVOKED (409).
 *
 * @example await revokeDocument(tx, { documentId, officer, reason: '户主姓名登记有误，已重新开具', now: new Date() })
 */
export async function revokeDocument(
  tx: DbExecutor,
  ref: { documentId: string; officer: Officer; reason: string; now: Date },
): Promise<DocumentRevocation> {
  const [doc] = await tx
    .select({
      id: issuedDocument.id,
      kind: issuedDocument.kind,
      input: issuedDocument.input,
      issuerCode: issuedDocument.issuerCode,
      revokedAt: issuedDocument.revokedAt,
    })
    .from(issuedDocument)
    .where(eq(issuedDocument.id, ref.documentId))
    .for('update');
  if (!doc || !coversJurisdiction(ref.officer.countyCode, documentCountyOf(doc)))
    throw new HujiError('HUJI_REGISTER_OUT_OF_JURISDICTION', { ref: ref.documentId });
  if (doc.revokedAt)
    throw new HujiError('HUJI_DOCUMENT_ALREADY_REVOKED', {
      documentId: doc.id,
      revokedOn: todayInChina(doc.revokedAt),
    });
  await tx
    .update(issuedDocument)
    .set({ revokedAt: ref.now, revokedBy: ref.officer.id, revocationReason: ref.reason })
    .where(eq(issuedDocument.id, doc.id));
  return { id: doc.id, kind: doc.kind, revokedAt: ref.now.toISOString(), reason: ref.reason };
}
