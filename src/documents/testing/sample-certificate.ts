/**
 * Signs a certificate's content the way issueCertificate does (suite, validUntil), renders it and reads
 * it back with poppler, for the certificate renderer tests.
 */
import { contentHash, type ContentValue } from '../document-content.js';
import {
  createDocumentSigner,
  createDocumentVerifier,
  documentVerifyUrl,
  generateSigningKeys,
  signDocumentToken,
  verifyDocumentToken,
  type CryptoSuite,
  type DocumentKind,
  type DocumentTokenVerification,
} from '../document-token.js';
import { inspectPdf, type PdfInspection } from './inspect-pdf.js';
import { BASE_URL } from './sample-token.js';

export const ISSUER = { code: '330802', name: '衢州市公安局柯城分局' };
export const ISSUED_AT = '2025-03-01T01:30:00.000Z';

export async function signAndRender(options: {
  kind: DocumentKind;
  documentId: string;
  issuedAt: string;
  issuer: string;
  validUntil?: string;
  content: ContentValue;
  suite?: CryptoSuite;
  render: (verifyUrl: string) => Promise<Buffer>;
}): Promise<{
  pdf: Buffer;
  token: string;
  verifyUrl: string;
  inspection: PdfInspection;
  /** The token checked against the key that signed it. */
  verification: DocumentTokenVerification;
  /** the text with all white space removed: long lines (URLs, quotes) wrap. */
  flatText: string;
}> {
  const keys = generateSigningKeys(options.suite ?? 'international');
  const token = await signDocumentToken(createDocumentSigner(keys), {
    documentId: options.documentId,
    kind: options.kind,
    issuedAt: options.issuedAt,
    issuer: options.issuer,
    subjectHash: contentHash(options.content),
    ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
  });
  const verifyUrl = documentVerifyUrl(BASE_URL, token);
  const pdf = await options.render(verifyUrl);
  const inspection = await inspectPdf(pdf);
  return {
    pdf,
    token,
    verifyUrl,
    inspection,
    verification: await verifyDocumentToken(createDocumentVerifier([keys.publicJwk]), token),
    flatText: inspection.text.replace(/\s+/g, ''),
  };
}
