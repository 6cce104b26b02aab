/**
 * Display masking of personal information (PIPL; GB/T 35273-2020): ID numbers keep the first 6 and last
 * 4 characters, phone numbers the first 3 and last 4, names the family name. The full value is a
 * separate, audited read.
 */
import { familyNameLength } from './surnames.js';

/** @example maskCitizenId('11010519491231002X') // '110105********002X' */
export function maskCitizenId(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** @example maskPhone('13812345678') // '138****5678' */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Keeps the family name: 张三 → 张*, 欧阳修 → 欧阳* for the common two-character surnames. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const familyLength = familyNameLength(name);
  return chars.slice(0, familyLength).join('') + '*'.repeat(chars.length - familyLength);
}

/** Masks every 15- or 18-character ID number inside free text (URLs, log lines). */
export function maskCitizenIdsInText(text: string): string {
  return text.replace(
    /(?<![0-9])(\d{6})(\d{5,8})(\d{3}[\dXx]|\d{4})(?![0-9Xx])/g,
    (_m, head: string, mid: string, tail: string) =>
      mid.length === 8 || mid.length === 5 ? `${head}${'*'.repeat(mid.length)}${tail}` : _m,
  );
}
