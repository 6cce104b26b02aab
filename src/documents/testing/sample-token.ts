/** Signs a document's content the way the issuing use case will, for the renderer tests. */
import { contentHash, type ContentValue } from '../document-content.js';
import {
  createDocumentSigner,
  createDocumentVerifier,
  documentVerifyUrl,
  generateSigningKeys,
  signDocumentToken,
  type DocumentKind,
  type DocumentVerifier,
} from '../document-token.js';

export const BASE_URL = 'https://huji.quzhou.gov.cn';

export async function sampleVerifyUrl(options: {
  documentId: string;
  kind: DocumentKind;
  issuedAt: string;
  issuer: string;
  content: ContentValue;
}): Promise<{ verifyUrl: string; token: string; verifier: DocumentVerifier }> {
  const keys = generateSigningKeys();
  const token = await signDocumentToken(createDocumentSigner(keys), {
    documentId: options.documentId,
    kind: options.kind,
    issuedAt: options.issuedAt,
    issuer: options.issuer,
    subjectHash: contentHash(options.content),
  });
  return {
    verifyUrl: documentVerifyUrl(BASE_URL, token),
    token,
    verifier: createDocumentVerifier([keys.publicJwk]),
  };
}
