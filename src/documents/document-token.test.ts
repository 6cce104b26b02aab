import { describe, expect, it } from 'vitest';
import {
  createDocumentSigner,
  createDocumentVerifier,
  documentVerifyUrl,
  generateSigningKeys,
  signDocumentToken,
  verifyDocumentToken,
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
    expect(() => createDocumentVerifier([{ ...keys.publicJwk, alg: 'SM2' }])).toThrow(/no signature suite/);
  });

  it('refuses to sign claims that break the schema', async () => {
    await expect(signDocumentToken(signer, { ...claims, subjectHash: 'abc' })).rejects.toThrow(TypeError);
    await expect(signDocumentToken(signer, { ...claims, issuedAt: 'yesterday' })).rejects.toThrow(TypeError);
  });
});
