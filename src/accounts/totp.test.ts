import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  totpAt,
  verifyTotp,
  type TotpOptions,
} from './totp.js';

// RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to the hash's key length.
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('matches the RFC test vectors at T=%i', (seconds, sha1, sha256, sha512) => {
    const at = new Date(seconds * 1000);
    const options = (algorithm: TotpOptions['algorithm']) => ({ digits: 8, periodSeconds: 30, algorithm });
    expect(totpAt(SEEDS.sha1, at, options('sha1'))).toBe(sha1);
    expect(totpAt(SEEDS.sha256, at, options('sha256'))).toBe(sha256);
    expect(totpAt(SEEDS.sha512, at, options('sha512'))).toBe(sha512);
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583'];
    expected.forEach((code, counter) => expect(hotp(SEEDS.sha1, BigInt(counter))).toBe(code));
  });

  it('round-trips base32 as authenticator apps write it', () => {
    expect(base32Encode(Buffer.from('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString()).toBe('12345678901234567890');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
    expect(base32Decode('MY======').toString()).toBe('f');
    expect(() => base32Decode('01')).toThrow(RangeError);
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
  });

  it('accepts one step of drift, never the same code twice, nor other formats', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-11-22T08:00:10Z');
    const code = totpAt(base32Decode(secret), now);
    const ok = verifyTotp(secret, code, now);
    expect(ok.isValid).toBe(true);
    if (!ok.isValid) return;
    expect(verifyTotp(secret, code, new Date(now.getTime() + 30_000)).isValid).toBe(true);
    expect(verifyTotp(secret, code, new Date(now.getTime() + 65_000))).toEqual({
      isValid: false,
      reason: 'mismatch',
    });
    expect(verifyTotp(secret, code, now, { lastUsedStep: ok.step })).toEqual({
      isValid: false,
      reason: 'replayed',
    });
    expect(verifyTotp(secret, '12345', now)).toEqual({ isValid: false, reason: 'format' });
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now).isValid).toBe(true);
  });

  it('writes an otpauth URI', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'kc-registrar')).toBe(
      'otpauth://totp/Huji:kc-registrar?secret=JBSWY3DPEHPK3PXP&issuer=Huji&algorithm=SHA1&digits=6&period=30',
    );
  });
});
