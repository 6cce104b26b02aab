import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import {
  createDocumentSigner,
  createDocumentVerifier,
  documentVerifyUrl,
  generateSigningKeys,
  signDocumentToken,
  verifyDocumentToken,
  type DocumentJwk,
  type DocumentSigningKeys,
  type DocumentTokenClaims,
} from './document-token.js';
import { contentHash } from './document-content.js';

const claims: DocumentTokenClaims = {
  documentId: 'HJ-330802-20250301-000123',
  kind: 'legacy-hukou-nature-proof',
  issuedAt: '2025-03-01T01:30:00.000Z',
  subjectHash: contentHash({ name: '吉𠮷', citizenId: '330802196805120174' }),
  issuer: '330802000000',
};

const keys = generateSigningKeys();
const signer = createDocumentSigner(keys);
const verifier = createDocumentVerifier([keys.publicJwk]);

const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const split = (token: string) => {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return { header, payload, signature };
};

describe('document tokens', () => {
  it('round-trips genuine claims and records the suite and key', async () => {
    const token = await signDocumentToken(signer, claims);
    const result = await verifyDocumentToken(verifier, token);
    expect(result).toEqual({ status: 'genuine', claims, suite: 'international', kid: keys.publicJwk.kid });
    expect(decode(split(token).header)).toEqual({
      alg: 'EdDSA',
      kid: keys.publicJwk.kid,
      suite: 'international',
    });
  });

  it('is short enough for a QR code and carries no personal data', async () => {
    const token = await signDocumentToken(signer, claims);
    expect(token.length).toBeLessThan(360);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(JSON.stringify(decode(split(token).payload))).not.toContain('330802196805120174');
  });

  it('gives issuedAt back in UTC whole seconds, whatever offset it was signed with', async () => {
    const token = await signDocumentToken(signer, { ...claims, issuedAt: '2025-03-01T09:30:00.750+08:00' });
    const result = await verifyDocumentToken(verifier, token);
    expect(result.status === 'genuine' && result.claims.issuedAt).toBe('2025-03-01T01:30:00.000Z');
  });

  it('builds the verify URL', () => {
    expect(documentVerifyUrl('https://huji.example.cn/', 'a.b.c')).toBe(
      'https://huji.example.cn/verify/a.b.c',
    );
  });

  it('calls a token with one character of its signature changed forged', async () => {
    const token = await signDocumentToken(signer, claims);
    const { header, payload, signature } = split(token);
    const i = 20;
    const changed = signature.slice(0, i) + (signature[i] === 'A' ? 'B' : 'A') + signature.slice(i + 1);
    expect(await verifyDocumentToken(verifier, `${header}.${payload}.${changed}`)).toEqual({
      status: 'forged',
      reason: 'bad-signature',
    });
  });

  it('calls a change in the spare bits of the last signature character forged too', async () => {
    // 64 bytes take 86 base64url characters with 4 bits to spare: a lenient decoder would accept this.
    const token = await signDocumentToken(signer, claims);
    const last = token.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? '';
    const changed = token.slice(0, -1) + sibling;
    expect(Buffer.from(split(changed).signature, 'base64url')).toEqual(
      Buffer.from(split(token).signature, 'base64url'),
    );
    expect((await verifyDocumentToken(verifier, changed)).status).toBe('forged');
  });

  it('calls altered claims forged', async () => {
    const token = await signDocumentToken(signer, claims);
    const { header, payload, signature } = split(token);
    const original = decode(payload) as Record<string, unknown>;
    for (const altered of [
      { ...original, jti: 'HJ-330802-20250301-000124' },
      { ...original, sh: Buffer.from(contentHash({ name: '吉吉' }), 'hex').toString('base64url') },
      { ...original, knd: 'hx' },
      { ...original, iat: Number(original.iat) + 86_400 },
    ]) {
      expect(await verifyDocumentToken(verifier, `${header}.${encode(altered)}.${signature}`)).toEqual({
        status: 'forged',
        reason: 'bad-signature',
      });
    }
  });

  it('calls garbage malformed and never throws', async () => {
    const garbage = [
      '',
      'hello',
      'a.b',
      'a.b.c.d',
      '!!!.???.###',
      'a..c',
      `${encode('not an object')}.${encode({})}.AAAA`,
      `${encode({ alg: 'EdDSA', kid: keys.publicJwk.kid, suite: 'quantum' })}.${encode({})}.AAAA`,
      `${encode({ alg: 'EdDSA', kid: keys.publicJwk.kid, suite: 'international', crit: ['exp'] })}.e30.AAAA`,
      'x'.repeat(5000),
    ];
    for (const token of garbage) {
      const result = await verifyDocumentToken(verifier, token);
      expect(result.status, token.slice(0, 40)).toBe('malformed');
    }
    expect(await verifyDocumentToken(verifier, null as unknown as string)).toEqual({
      status: 'malformed',
      reason: 'not-compact-jws',
    });
  });

  it('calls a token signed by another key forged', async () => {
    const other = createDocumentSigner(generateSigningKeys());
    expect(await verifyDocumentToken(verifier, await signDocumentToken(other, claims))).toEqual({
      status: 'forged',
      reason: 'unknown-key',
    });
    // The forger copies our kid into the header: the signature still fails.
    const impostor = { ...other, kid: keys.publicJwk.kid };
    expect(await verifyDocumentToken(verifier, await signDocumentToken(impostor, claims))).toEqual({
      status: 'forged',
      reason: 'bad-signature',
    });
  });

  it('lets the key, not the token, choose the algorithm', async () => {
    const token = await signDocumentToken(signer, claims);
    const { payload, signature } = split(token);
    for (const header of [
      { alg: 'none', kid: keys.publicJwk.kid, suite: 'international' },
      { alg: 'EdDSA', kid: keys.publicJwk.kid, suite: 'gm' },
    ]) {
      expect(await verifyDocumentToken(verifier, `${encode(header)}.${payload}.${signature}`)).toEqual({
        status: 'forged',
        reason: 'suite-mismatch',
      });
    }
  });

  it('accepts tokens of every key it holds, so keys can rotate', async () => {
    const next = generateSigningKeys();
    const both = createDocumentVerifier([keys.publicJwk, next.publicJwk]);
    for (const k of [keys, next]) {
      const token = await signDocumentToken(createDocumentSigner(k), claims);
      expect((await verifyDocumentToken(both, token)).status).toBe('genuine');
    }
  });

  it('stores keys as JWKs with a kid, the public one without the private part', async () => {
    const stored = JSON.parse(JSON.stringify(keys)) as DocumentSigningKeys;
    expect(stored.privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(stored.privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored.publicJwk.d).toBeUndefined();
    expect(stored.publicJwk.kid).toBe(stored.privateJwk.kid);
    const token = await signDocumentToken(createDocumentSigner(stored), claims);
    expect((await verifyDocumentToken(createDocumentVerifier([stored.publicJwk]), token)).status).toBe(
      'genuine',
    );
  });

  it('refuses keys that cannot sign at start-up', () => {
    expect(() => createDocumentSigner({ privateJwk: keys.publicJwk })).toThrow(TypeError);
    const other = generateSigningKeys();
    expect(() => createDocumentSigner({ privateJwk: { ...keys.privateJwk, x: other.publicJwk.x } })).toThrow(
      /does not match/,
    );
    expect(() => createDocumentVerifier([{ ...keys.publicJwk, alg: 'ES256' }])).toThrow(/no signature suite/);
  });

  it('refuses to sign claims that break the schema', async () => {
    await expect(signDocumentToken(signer, { ...claims, subjectHash: 'abc' })).rejects.toThrow(TypeError);
    await expect(signDocumentToken(signer, { ...claims, issuedAt: 'yesterday' })).rejects.toThrow(TypeError);
  });
});

describe('document tokens with a term (certificates)', () => {
  it('carry validUntil signed, and give it back', async () => {
    const certificate = { ...claims, kind: 'permit-to-move-in' as const, validUntil: '2025-03-31' };
    const token = await signDocumentToken(signer, certificate);
    expect(await verifyDocumentToken(verifier, token)).toEqual({
      status: 'genuine',
      claims: certificate,
      suite: 'international',
      kid: keys.publicJwk.kid,
    });
    const { header, payload, signature } = split(token);
    const extended = { ...(decode(payload) as Record<string, unknown>), vu: '2026-03-31' };
    expect((await verifyDocumentToken(verifier, `${header}.${encode(extended)}.${signature}`)).status).toBe(
      'forged',
    );
  });

  it('have a kind code for each certificate kind', async () => {
    for (const kind of ['approval-notice', 'permit-to-move-in', 'residence-permit'] as const) {
      const result = await verifyDocumentToken(
        verifier,
        await signDocumentToken(signer, { ...claims, kind }),
      );
      expect(result.status === 'genuine' && result.claims.kind).toBe(kind);
    }
  });

  it('refuse a validUntil that is not a date', async () => {
    await expect(signDocumentToken(signer, { ...claims, validUntil: '2025-02-30' })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('document tokens under the gm suite (SM2 with SM3)', () => {
  const gmKeys = generateSigningKeys('gm');
  const gmSigner = createDocumentSigner(gmKeys);
  const gmVerifier = createDocumentVerifier([gmKeys.publicJwk]);
  const hex = (b64url: string) => Buffer.from(b64url, 'base64url').toString('hex');

  it('round-trips genuine claims under alg SM2 with a raw 64-byte r‖s signature', async () => {
    const token = await signDocumentToken(gmSigner, claims);
    expect(await verifyDocumentToken(gmVerifier, token)).toEqual({
      status: 'genuine',
      claims,
      suite: 'gm',
      kid: gmKeys.publicJwk.kid,
    });
    expect(decode(split(token).header)).toEqual({ alg: 'SM2', kid: gmKeys.publicJwk.kid, suite: 'gm' });
    expect(Buffer.from(split(token).signature, 'base64url')).toHaveLength(64);
    expect(token.length).toBeLessThan(360);
  });

  it('stores keys as EC JWKs on the SM2 curve with x and y, the public one without d', () => {
    const stored = JSON.parse(JSON.stringify(gmKeys)) as DocumentSigningKeys;
    expect(stored.privateJwk).toMatchObject({ kty: 'EC', crv: 'SM2', alg: 'SM2', use: 'sig' });
    for (const member of [stored.privateJwk.x, stored.privateJwk.y, stored.privateJwk.d]) {
      expect(member).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(stored.publicJwk.d).toBeUndefined();
    expect(stored.publicJwk.kid).toBe(stored.privateJwk.kid);
    expect(`04${hex(stored.publicJwk.x)}${hex(stored.publicJwk.y ?? '')}`).toBe(
      sm2.getPublicKeyFromPrivateKey(hex(stored.privateJwk.d ?? '')),
    );
  });

  it('calls a flipped bit in the payload or the signature forged', async () => {
    const token = await signDocumentToken(gmSigner, claims);
    const { header, payload, signature } = split(token);
    const flip = (part: string, byte: number) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
      return bytes.toString('base64url');
    };
    // A byte inside `sh`: still JSON, only the hash changes.
    const payloadJson = Buffer.from(payload, 'base64url').toString('utf8');
    const payloadFlipped = flip(payload, payloadJson.indexOf('"sh":"') + 10);
    expect(JSON.parse(Buffer.from(payloadFlipped, 'base64url').toString('utf8'))).toBeTypeOf('object');
    for (const altered of [
      `${header}.${payloadFlipped}.${signature}`,
      `${header}.${payload}.${flip(signature, 5)}`,
      `${header}.${payload}.${flip(signature, 40)}`,
    ]) {
      expect(await verifyDocumentToken(gmVerifier, altered)).toEqual({
        status: 'forged',
        reason: 'bad-signature',
      });
    }
  });

  it('calls r or s outside [1, n − 1] forged, and never throws on them', async () => {
    // sm-crypto-v2 reduces r + s modulo n and does not range-check s, so s + n would verify there when it
    // fits in 32 bytes (s < 2²²⁴, too rare to find by signing); the suite checks the range first.
    const n = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123';
    const token = await signDocumentToken(gmSigner, claims);
    const { header, payload, signature } = split(token);
    const raw = hex(signature);
    for (const rs of [
      '00'.repeat(32) + raw.slice(64),
      raw.slice(0, 64) + '00'.repeat(32),
      n + raw.slice(64),
      raw.slice(0, 64) + n,
      'FF'.repeat(64),
    ]) {
      const changed = Buffer.from(rs, 'hex').toString('base64url');
      expect(await verifyDocumentToken(gmVerifier, `${header}.${payload}.${changed}`)).toEqual({
        status: 'forged',
        reason: 'bad-signature',
      });
    }
  });

  it('calls an Ed25519 token unknown to an SM2-only verifier, and an Ed25519 header on an SM2 kid a mismatch', async () => {
    const edToken = await signDocumentToken(signer, claims);
    expect(await verifyDocumentToken(gmVerifier, edToken)).toEqual({
      status: 'forged',
      reason: 'unknown-key',
    });
    const impostor = { ...signer, kid: gmKeys.publicJwk.kid };
    expect(await verifyDocumentToken(gmVerifier, await signDocumentToken(impostor, claims))).toEqual({
      status: 'forged',
      reason: 'suite-mismatch',
    });
    // The other way round: an SM2 token against the Ed25519 verifier.
    expect(await verifyDocumentToken(verifier, await signDocumentToken(gmSigner, claims))).toEqual({
      status: 'forged',
      reason: 'unknown-key',
    });
  });

  it('verifies, beside Ed25519 keys, tokens of both suites: documents outlive a change of suite', async () => {
    const both = createDocumentVerifier([keys.publicJwk, gmKeys.publicJwk]);
    for (const s of [signer, gmSigner]) {
      const result = await verifyDocumentToken(both, await signDocumentToken(s, claims));
      expect(result).toMatchObject({ status: 'genuine', suite: s.suite, kid: s.kid });
    }
  });

  it('accepts a token whose signature sm-crypto-v2 made directly (default user id, SM3)', async () => {
    const { privateKey, publicKey } = sm2.generateKeyPairHex();
    const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    const publicJwk: DocumentJwk = {
      kty: 'EC',
      crv: 'SM2',
      x: b64(publicKey.slice(2, 66)),
      y: b64(publicKey.slice(66)),
      kid: 'sm2-kat',
      alg: 'SM2',
      use: 'sig',
    };
    const header = encode({ alg: 'SM2', kid: 'sm2-kat', suite: 'gm' });
    const payload = encode({
      jti: claims.documentId,
      knd: 'an',
      iat: Date.parse(claims.issuedAt) / 1000,
      iss: claims.issuer,
      sh: b64(claims.subjectHash),
    });
    const signatureHex = sm2.doSignature(`${header}.${payload}`, privateKey, { hash: true });
    const token = `${header}.${payload}.${b64(signatureHex)}`;
    expect(await verifyDocumentToken(createDocumentVerifier([publicJwk]), token)).toEqual({
      status: 'genuine',
      claims: { ...claims, kind: 'approval-notice' },
      suite: 'gm',
      kid: 'sm2-kat',
    });
    // Signed over the raw message instead (no { hash: true }): not an SM2-with-SM3 signature.
    const rawSignature = sm2.doSignature(`${header}.${payload}`, privateKey);
    expect(
      await verifyDocumentToken(
        createDocumentVerifier([publicJwk]),
        `${header}.${payload}.${b64(rawSignature)}`,
      ),
    ).toEqual({ status: 'forged', reason: 'bad-signature' });
  });

  it('verifies the signature example of GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A', async () => {
    // Published vector (also in OpenSSL test/sm2_internal_test.c): key dA, message "message digest",
    // user id 1234567812345678 (the default), random k → (r, s).
    const b64 = (h: string) => Buffer.from(h, 'hex').toString('base64url');
    const publicJwk: DocumentJwk = {
      kty: 'EC',
      crv: 'SM2',
      x: b64('09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020'),
      y: b64('CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13'),
      kid: 'gbt-32918',
      alg: 'SM2',
      use: 'sig',
    };
    const rs = Buffer.from(
      'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3' +
        'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
      'hex',
    );
    const key = createDocumentVerifier([publicJwk]).keyFor('gbt-32918');
    const message = new TextEncoder().encode('message digest');
    expect(await key?.verify(message, rs)).toBe(true);
    expect(await key?.verify(new TextEncoder().encode('message digesT'), rs)).toBe(false);
    // The private key of the example gives the example's public key through the signer's check.
    const privateJwk = {
      ...publicJwk,
      d: b64('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8'),
    };
    expect(createDocumentSigner({ privateJwk }).kid).toBe('gbt-32918');
  });

  it('refuses SM2 keys that cannot sign or verify', () => {
    const other = generateSigningKeys('gm');
    expect(() => createDocumentSigner({ privateJwk: gmKeys.publicJwk })).toThrow(TypeError);
    expect(() =>
      createDocumentSigner({
        privateJwk: { ...gmKeys.privateJwk, x: other.publicJwk.x, y: other.publicJwk.y },
      }),
    ).toThrow(/do not match/);
    const n = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123';
    for (const d of ['00'.repeat(32), n, 'FF'.repeat(32), '01']) {
      const privateJwk = { ...gmKeys.privateJwk, d: Buffer.from(d, 'hex').toString('base64url') };
      expect(() => createDocumentSigner({ privateJwk }), d).toThrow(TypeError);
    }
    // An Ed25519 key labelled SM2, and a point off the curve.
    expect(() => createDocumentVerifier([{ ...keys.publicJwk, alg: 'SM2' }])).toThrow(TypeError);
    const y = Buffer.from(gmKeys.publicJwk.y ?? '', 'base64url');
    y[31] = (y[31] ?? 0) ^ 1;
    expect(() =>
      createDocumentVerifier([{ ...gmKeys.publicJwk, kid: 'off', y: y.toString('base64url') }]),
    ).toThrow(TypeError);
  });
});
