/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with node:crypto, the second factor of
 * every officer. Secrets travel as base32 (RFC 4648) as authenticator apps expect; a code is accepted
 * one step either side of now for clock drift, and never twice (the last accepted step is stored).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TotpOptions {
  readonly digits: number;
  readonly periodSeconds: number;
  readonly algorithm: 'sha1' | 'sha256' | 'sha512';
}

/** What authenticator apps assume when the otpauth URI says nothing else. */
export const DEFAULT_TOTP: TotpOptions = { digits: 6, periodSeconds: 30, algorithm: 'sha1' };

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding as people type them; throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new RangeError('not a base32 string');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new random secret: 20 bytes (160 bits, RFC 4226's recommendation for SHA-1) as base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** HOTP (RFC 4226) of a counter: dynamic truncation of the HMAC, the low `digits` decimal digits. */
export function hotp(secret: Uint8Array, counter: bigint, options: TotpOptions = DEFAULT_TOTP): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(options.algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** options.digits).padStart(options.digits, '0');
}

/** The time step (RFC 6238 T) of an instant. */
export function totpStep(now: Date, options: TotpOptions = DEFAULT_TOTP): number {
  return Math.floor(now.getTime() / 1000 / options.periodSeconds);
}

/**
 * The TOTP code of a secret at an instant.
 *
 * @example totpAt(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), new Date(59_000), { digits: 8, periodSeconds: 30, algorithm: 'sha1' }) // '94287082'
 */
export function totpAt(secret: Uint8Array, now: Date, options: TotpOptions = DEFAULT_TOTP): string {
  return hotp(secret, BigInt(totpStep(now, options)), options);
}

/**
 * Checks a code typed by the officer: accepted when it matches a step within `window` of now and later
 * than the last accepted one (a code is single-use). Returns the matched step to store.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  now: Date,
  options: {
    readonly lastUsedStep?: number | null;
    readonly window?: number;
    readonly totp?: TotpOptions;
  } = {},
): { isValid: true; step: number } | { isValid: false; reason: 'format' | 'mismatch' | 'replayed' } {
  const totp = options.totp ?? DEFAULT_TOTP;
  const typed = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${totp.digits}}$`).test(typed)) return { isValid: false, reason: 'format' };
  const secret = base32Decode(secretBase32);
  const current = totpStep(now, totp);
  const window = options.window ?? 1;
  let replayed = false;
  for (let delta = -window; delta <= window; delta++) {
    const step = current + delta;
    const expected = hotp(secret, BigInt(step), totp);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(typed))) {
      if (
        options.lastUsedStep !== undefined &&
        options.lastUsedStep !== null &&
        step <= options.lastUsedStep
      ) {
        replayed = true;
        continue;
      }
      return { isValid: true, step };
    }
  }
  return { isValid: false, reason: replayed ? 'replayed' : 'mismatch' };
}

/** The otpauth:// URI an authenticator app reads from a QR code (Key URI Format). */
export function otpauthUri(secretBase32: string, account: string, issuer = 'Huji'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret: secretBase32,
    issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
