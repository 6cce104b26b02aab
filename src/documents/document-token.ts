/**
 * Signed tokens for the QR codes of issued documents: a compact JWS (RFC 7515) whose small payload names
 * the document, its kind, when and by whom it was issued, and the SHA-256 of its content
 * (document-content.ts). Anyone with the office's public key can tell a genuine document from a forged
 * one offline; the verify page needs no database to say "this token is ours".
 *
 * The algorithm suite of the deployment (security.md) is recorded in the protected header: `international`
 * signs with Ed25519 (JWS alg EdDSA); `gm` signs with SM2 over SM3 and the default user id (JWS alg `SM2`,
 * a private name: no IANA registration exists; signature = raw 64-byte r‖s as JWS ES256 uses, not DER).
 *
 * The token sits in a QR code, so the payload uses short names: JWT's jti / iss / iat, plus `knd` (kind),
 * `sh` (subject hash as base64url, 43 characters instead of 64 hex) and, for certificates with a term,
 * `vu` (valid until, an ISO date in China, inclusive). `vu` is not JWT's `exp`: an expired certificate is
 * still genuine, and the verify page says both.
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
import { sm2 } from 'sm-crypto-v2';
import { z } from 'zod';

export const DOCUMENT_KINDS = [
  'legacy-hukou-nature-proof',
  'household-extract',
  'approval-notice',
  'permit-to-move-in',
  'residence-permit',
  'acceptance-receipt',
  'refusal-notice',
] as const;
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
  /** Last day (ISO date, China) the document is valid, for documents with a term; inclusive. */
  readonly validUntil?: string;
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
 * What a suite provides: Ed25519 for `international`, SM2 for `gm` (alg `SM2`, a private JWS name; JWK
 * `{ kty: 'EC', crv: 'SM2', x, y, d }` with 32-byte big-endian coordinates; SM2 sign/verify over SM3 with
 * the default user id, sm-crypto-v2 with `{ hash: true }`; signature raw r‖s, 64 bytes).
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
  'approval-notice': 'an',
  'permit-to-move-in': 'pm',
  'residence-permit': 'rp',
  'acceptance-receipt': 'ar',
  'refusal-notice': 'rn',
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

/** Order of the SM2 curve (GB/T 32918.5): r and s of a signature lie in [1, n − 1]. */
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

/** The uncompressed public key `04‖x‖y` in hex, as sm-crypto-v2 takes it, from a JWK's x and y. */
function sm2PublicKeyHex(jwk: DocumentJwk): string {
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  if (x.length !== 32 || y.length !== 32) {
    throw new TypeError(`the SM2 JWK coordinates are not 32 bytes each (kid ${jwk.kid})`);
  }
  return `04${x.toString('hex')}${y.toString('hex')}`;
}

function sm2Jwk(publicKeyHex: string, privateKeyHex?: string): DocumentJwk {
  const x = Buffer.from(publicKeyHex.slice(2, 66), 'hex').toString('base64url');
  const y = Buffer.from(publicKeyHex.slice(66, 130), 'hex').toString('base64url');
  return {
    kty: 'EC',
    crv: 'SM2',
    x,
    y,
    ...(privateKeyHex === undefined ? {} : { d: Buffer.from(privateKeyHex, 'hex').toString('base64url') }),
    kid: thumbprintKid({ crv: 'SM2', kty: 'EC', x, y }),
    alg: 'SM2',
    use: 'sig',
  };
}

/** r‖s, 32 bytes each, both in [1, n − 1]: the library reduces s modulo n, so s + n would also pass. */
function isSm2SignatureShape(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const hex = Buffer.from(signature).toString('hex');
  const r = BigInt(`0x${hex.slice(0, 64)}`);
  const s = BigInt(`0x${hex.slice(64)}`);
  return r > 0n && r < SM2_N && s > 0n && s < SM2_N;
}

// Precomputing a public key's multiples takes ≈ 100 ms and halves each verification; the verify page
// builds a verifier per request, so keep the prepared keys (an office holds a handful).
const sm2VerificationKeys = new Map<string, VerificationKey>();
const SM2_KEY_CACHE_LIMIT = 64;

const sm2Suite: SignatureSuite = {
  suite: 'gm',
  alg: 'SM2',
  generateKeys() {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    const privateJwk = sm2Jwk(publicKey, privateKey);
    const { d: _d, ...publicJwk } = privateJwk;
    return { privateJwk, publicJwk };
  },
  signer(privateJwk) {
    if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'SM2' || !privateJwk.d) {
      throw new TypeError(`not an SM2 private JWK (kid ${privateJwk.kid})`);
    }
    const dBytes = Buffer.from(privateJwk.d, 'base64url');
    const d = dBytes.length === 32 ? BigInt(`0x${dBytes.toString('hex')}`) : 0n;
    // SM2 signing inverts 1 + d, so d = n − 1 is excluded as well as 0 and anything ≥ n.
    if (d < 1n || d > SM2_N - 2n)
      throw new TypeError(`the SM2 private key is out of range (kid ${privateJwk.kid})`);
    const privateKeyHex = dBytes.toString('hex');
    const publicKeyHex = sm2PublicKeyHex(privateJwk);
    // A private JWK whose x, y do not belong to d would sign tokens its own public key rejects.
    if (sm2.getPublicKeyFromPrivateKey(privateKeyHex) !== publicKeyHex) {
      throw new TypeError(`the x, y of the private JWK do not match its d (kid ${privateJwk.kid})`);
    }
    return {
      suite: 'gm',
      alg: 'SM2',
      kid: privateJwk.kid,
      sign: async (signingInput) =>
        Buffer.from(
          sm2.doSignature(signingInput, privateKeyHex, { hash: true, publicKey: publicKeyHex, der: false }),
          'hex',
        ),
    };
  },
  verificationKey(publicJwk) {
    if (publicJwk.kty !== 'EC' || publicJwk.crv !== 'SM2') {
      throw new TypeError(`not an SM2 public JWK (kid ${publicJwk.kid})`);
    }
    const publicKeyHex = sm2PublicKeyHex(publicJwk);
    const cacheKey = `${publicJwk.kid}:${publicKeyHex}`;
    const cached = sm2VerificationKeys.get(cacheKey);
    if (cached) return cached;
    let point: ReturnType<typeof sm2.precomputePublicKey>;
    try {
      if (!sm2.verifyPublicKey(publicKeyHex)) throw new Error('not a valid public key');
      point = sm2.precomputePublicKey(publicKeyHex);
    } catch (cause) {
      throw new TypeError(`the SM2 public key is not a point of the curve (kid ${publicJwk.kid})`, { cause });
    }
    const key: VerificationKey = {
      suite: 'gm',
      alg: 'SM2',
      kid: publicJwk.kid,
      verify: async (signingInput, signature) =>
        isSm2SignatureShape(signature) &&
        sm2.doVerifySignature(signingInput, Buffer.from(signature).toString('hex'), point, {
          hash: true,
          der: false,
        }),
    };
    if (sm2VerificationKeys.size >= SM2_KEY_CACHE_LIMIT) sm2VerificationKeys.clear();
    sm2VerificationKeys.set(cacheKey, key);
    return key;
  },
};

/** The suites this build implements, by JWS alg. */
export const SIGNATURE_SUITES: Readonly<Record<string, SignatureSuite>> = {
  [ed25519Suite.alg]: ed25519Suite,
  [sm2Suite.alg]: sm2Suite,
};

/** The signature suite of a deployment setting (`HUJI_CRYPTO_SUITE`). */
export function signatureSuiteFor(suite: CryptoSuite): SignatureSuite {
  switch (suite) {
    case 'gm':
      return sm2Suite;
    case 'international':
      return ed25519Suite;
  }
}

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
  return {
    kty: jwk.kty,
    crv: jwk.crv,
    x: jwk.x,
    ...(typeof jwk.d === 'string' ? { d: jwk.d } : {}),
    kid: thumbprintKid({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }),
    alg,
    use: 'sig',
  };
}

/**
 * RFC 7638: SHA-256 over the required members in lexicographic order (the caller passes them so). The
 * kid only names a key among an office's few; it protects nothing, so SHA-256 serves the gm suite too.
 */
function thumbprintKid(requiredMembers: Readonly<Record<string, string>>): string {
  return createHash('sha256')
    .update(JSON.stringify(requiredMembers))
    .digest('base64url')
    .slice(0, KID_LENGTH);
}

/**
 * A new key pair of a suite (international: Ed25519, gm: SM2), as JWKs with a kid, ready to store.
 *
 * @example generateSigningKeys('gm').publicJwk // { kty: 'EC', crv: 'SM2', x, y, kid, alg: 'SM2', use: 'sig' }
 */
export function generateSigningKeys(suite: CryptoSuite = 'international'): DocumentSigningKeys {
  return signatureSuiteFor(suite).generateKeys();
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
  validUntil: z.iso.date().optional(),
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
  vu: Claims.shape.validUntil,
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
    ...(c.validUntil === undefined ? {} : { vu: c.validUntil }),
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
    ...(p.vu === undefined ? {} : { validUntil: p.vu }),
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
