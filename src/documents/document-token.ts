/**
 * Signed tokens for the QR codes of issued documents: a compact JWS (RFC 7515) whose small payload names
 * the document, its kind, when and by whom it was issued, and the SHA-256 of its content
 * (document-content.ts). Anyone with the office's public key can tell a genuine document from a forged
 * one offline; the verify page needs no database to say "this token is ours".
 *
 * The algorithm suite of the deployment (security.md) is recorded in the protected header: `international`
 * signs with Ed25519 (JWS alg EdDSA); `gm` (SM2 with SM3) plugs in as another SignatureSuite.
 *
 * The token sits in a QR code, so the payload uses short names: JWT's jti / iss / iat, plus `knd` (kind)
 * and `sh` (subject hash as base64url, 43 characters instead of 64 hex).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';

export const DOCUMENT_KINDS = ['legacy-hukou-nature-proof', 'household-extract'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentTokenClaims {
  readonly documentId: string;
  readonly kind: DocumentKind;
  /** ISO 8601 instant. Tokens carry whole seconds; verification gives it back in UTC (`…T08:00:00.000Z`). */
  readonly issuedAt: string;
  /** SHA-256 (lower-case hex) of the document's content fields: contentHash() in document-content.ts. */
  readonly subjectHash: string;
  /** Code of the issuing office. */
  readonly issuer: string;
}

/** The deployment's algorithm suite (security.md): national algorithms or international ones. */
export type CryptoSuite = 'gm' | 'international';

/** A signing or verification key as stored: a JWK with its kid, algorithm and use. */
export interface DocumentJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  /** EC keys (SM2) only. */
  readonly y?: string;
  /** Private keys only. */
  readonly d?: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: 'sig';
}

export interface DocumentSigningKeys {
  readonly privateJwk: DocumentJwk;
  readonly publicJwk: DocumentJwk;
}

export interface DocumentSigner {
  readonly suite: CryptoSuite;
  readonly alg: string;
  readonly kid: string;
  /** Async so that a signer in an HSM or a remote signing service fits the same interface. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}

export interface VerificationKey {
  readonly suite: CryptoSuite;
  readonly alg: string;
  readonly kid: string;
  verify(signingInput: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export interface DocumentVerifier {
  keyFor(kid: string): VerificationKey | undefined;
}

/**
 * What a suite provides. The `gm` suite is one more implementation: alg `SM2` (private JWS name), JWK
 * `{ kty: 'EC', crv: 'SM2', x, y, d }`, and SM2 sign/verify over SM3 with the user id (sm-crypto-v2 with
 * `{ hash: true }`).
 */
export interface SignatureSuite {
  readonly suite: CryptoSuite;
  /** The JWS alg this suite writes in the header. */
  readonly alg: string;
  generateKeys(): DocumentSigningKeys;
  /** Throws on a key that is not a private key of this suite: a configuration error, found at start-up. */
  signer(privateJwk: DocumentJwk): DocumentSigner;
  verificationKey(publicJwk: DocumentJwk): VerificationKey;
}

export type ForgedReason = 'unknown-key' | 'suite-mismatch' | 'bad-signature';
export type MalformedReason = 'too-long' | 'not-compact-jws' | 'bad-header' | 'bad-claims';

export type DocumentTokenVerification =
  | {
      readonly status: 'genuine';
      readonly claims: DocumentTokenClaims;
      readonly suite: CryptoSuite;
      readonly kid: string;
    }
  | { readonly status: 'forged'; readonly reason: ForgedReason }
  | { readonly status: 'malformed'; readonly reason: MalformedReason };

/** Far above a real token (≈ 340 characters); bounds the work a hostile URL can cause. */
const MAX_TOKEN_LENGTH = 2048;

/** Length of the kid: a prefix of the RFC 7638 thumbprint, 48 bits, plenty to pick among an office's keys. */
const KID_LENGTH = 8;

const KIND_CODES: Readonly<Record<DocumentKind, string>> = {
  'legacy-hukou-nature-proof': 'hn',
  'household-extract': 'hx',
};

const ed25519Suite: SignatureSuite = {
  suite: 'international',
  alg: 'EdDSA',
  generateKeys() {
    const { privateKey } = generateKeyPairSync('ed25519');
    const privateJwk = toDocumentJwk(privateKey, 'EdDSA');
    const { d: _d, ...publicJwk } = privateJwk;
    return { privateJwk, publicJwk };
  },
  signer(privateJwk) {
    if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || !privateJwk.d) {
      throw new TypeError(`not an Ed25519 private JWK (kid ${privateJwk.kid})`);
    }
    const key = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, d: privateJwk.d },
      format: 'jwk',
    });
    // A private JWK whose x does not belong to d would sign tokens its own public key rejects.
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x },
      format: 'jwk',
    });
    const probe = Buffer.from('huji document key check');
    if (!cryptoVerify(null, probe, publicKey, cryptoSign(null, probe, key))) {
      throw new TypeError(`the x of the private JWK does not match its d (kid ${privateJwk.kid})`);
    }
    return {
      suite: 'international',
      alg: 'EdDSA',
      kid: privateJwk.kid,
      sign: async (signingInput) => cryptoSign(null, signingInput, key),
    };
  },
  verificationKey(publicJwk) {
    if (publicJwk.kty !== 'OKP' || publicJwk.crv !== 'Ed25519') {
      throw new TypeError(`not an Ed25519 public JWK (kid ${publicJwk.kid})`);
    }
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x }, format: 'jwk' });
    return {
      suite: 'international',
      alg: 'EdDSA',
      kid: publicJwk.kid,
      verify: async (signingInput, signature) =>
        signature.length === 64 && cryptoVerify(null, signingInput, key, signature),
    };
  },
};

/** The suites this build implements, by JWS alg. Add the SM2 suite here. */
export const SIGNATURE_SUITES: Readonly<Record<string, SignatureSuite>> = {
  [ed25519Suite.alg]: ed25519Suite,
};

function suiteOf(jwk: DocumentJwk): SignatureSuite {
  const suite = SIGNATURE_SUITES[jwk.alg];
  if (!suite) throw new TypeError(`no signature suite for alg ${jwk.alg} (kid ${jwk.kid})`);
  return suite;
}

function toDocumentJwk(key: KeyObject, alg: string): DocumentJwk {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.kty !== 'string' || typeof jwk.crv !== 'string' || typeof jwk.x !== 'string') {
    throw new TypeError('the key did not export as an OKP / EC JWK');
  }
  // RFC 7638: the thumbprint hashes the required members in lexicographic order.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url');
  return {
    kty: jwk.kty,
    crv: jwk.crv,
    x: jwk.x,
    ...(typeof jwk.d === 'string' ? { d: jwk.d } : {}),
    kid: thumbprint.slice(0, KID_LENGTH),
    alg,
    use: 'sig',
  };
}

/** A new key pair of the international suite (Ed25519), as JWKs with a kid, ready to store. */
export function generateSigningKeys(): DocumentSigningKeys {
  return ed25519Suite.generateKeys();
}

/** Throws on a key no suite accepts: keys are loaded at start-up, where a bad one must stop the process. */
export function createDocumentSigner(keys: Pick<DocumentSigningKeys, 'privateJwk'>): DocumentSigner {
  return suiteOf(keys.privateJwk).signer(keys.privateJwk);
}

/** A verifier over the public keys of every office (and every rotation) whose documents it accepts. */
export function createDocumentVerifier(publicJwks: readonly DocumentJwk[]): DocumentVerifier {
  const keys = new Map(publicJwks.map((jwk) => [jwk.kid, suiteOf(jwk).verificationKey(jwk)]));
  return { keyFor: (kid) => keys.get(kid) };
}

/** The URL the QR code encodes. */
export function documentVerifyUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/verify/${token}`;
}

const Claims = z.object({
  documentId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u),
  kind: z.enum(DOCUMENT_KINDS),
  issuedAt: z.iso.datetime({ offset: true }),
  subjectHash: z.string().regex(/^[0-9a-f]{64}$/),
  issuer: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[^\p{Cc}]+$/u),
});

const Header = z.object({
  alg: z.string().min(1).max(16),
  kid: z.string().min(1).max(64),
  suite: z.enum(['gm', 'international']),
  // RFC 7515 §4.1.11: extensions we do not understand must be refused.
  crit: z.never().optional(),
});

const Payload = z.object({
  jti: Claims.shape.documentId,
  knd: z.string(),
  iat: z.number().int().nonnegative(),
  iss: Claims.shape.issuer,
  sh: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/**
 * Signs the claims. Rejects (TypeError) claims that break the schema: they are built by our own code, so
 * that is a bug to surface, not an outcome to handle.
 */
export async function signDocumentToken(
  signer: DocumentSigner,
  claims: DocumentTokenClaims,
): Promise<string> {
  const parsed = Claims.safeParse(claims);
  if (!parsed.success) throw new TypeError(`invalid document token claims: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const header = { alg: signer.alg, kid: signer.kid, suite: signer.suite };
  const payload = {
    jti: c.documentId,
    knd: KIND_CODES[c.kind],
    iat: Math.floor(Date.parse(c.issuedAt) / 1000),
    iss: c.issuer,
    sh: Buffer.from(c.subjectHash, 'hex').toString('base64url'),
  };
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * Checks a token from a QR code or URL. Never throws: anything that is not a well-formed token is
 * `malformed`; a well-formed token whose signature does not hold under a known key is `forged`.
 */
export async function verifyDocumentToken(
  verifier: DocumentVerifier,
  token: string,
): Promise<DocumentTokenVerification> {
  if (typeof token !== 'string') return { status: 'malformed', reason: 'not-compact-jws' };
  if (token.length > MAX_TOKEN_LENGTH) return { status: 'malformed', reason: 'too-long' };
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (
    parts.length !== 3 ||
    headerPart === undefined ||
    payloadPart === undefined ||
    signaturePart === undefined ||
    !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))
  ) {
    return { status: 'malformed', reason: 'not-compact-jws' };
  }

  const header = Header.safeParse(parseBase64urlJson(headerPart));
  if (!header.success) return { status: 'malformed', reason: 'bad-header' };

  const key = verifier.keyFor(header.data.kid);
  if (!key) return { status: 'forged', reason: 'unknown-key' };
  // The key decides the algorithm, never the token: no alg confusion.
  if (key.alg !== header.data.alg || key.suite !== header.data.suite) {
    return { status: 'forged', reason: 'suite-mismatch' };
  }

  const signature = Buffer.from(signaturePart, 'base64url');
  // Node's decoder ignores the spare bits of the last character; a changed one must not pass.
  if (signature.toString('base64url') !== signaturePart) return { status: 'forged', reason: 'bad-signature' };
  let isValid: boolean;
  try {
    isValid = await key.verify(Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), signature);
  } catch {
    isValid = false;
  }
  if (!isValid) return { status: 'forged', reason: 'bad-signature' };

  const claims = claimsOf(parseBase64urlJson(payloadPart));
  if (!claims) return { status: 'malformed', reason: 'bad-claims' };
  return { status: 'genuine', claims, suite: key.suite, kid: key.kid };
}

function claimsOf(value: unknown): DocumentTokenClaims | undefined {
  const payload = Payload.safeParse(value);
  if (!payload.success) return undefined;
  const p = payload.data;
  const kind = DOCUMENT_KINDS.find((k) => KIND_CODES[k] === p.knd);
  const issuedAt = new Date(p.iat * 1000);
  if (!kind || Number.isNaN(issuedAt.getTime())) return undefined;
  return {
    documentId: p.jti,
    kind,
    issuedAt: issuedAt.toISOString(),
    subjectHash: Buffer.from(p.sh, 'base64url').toString('hex'),
    issuer: p.iss,
  };
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function parseBase64urlJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
