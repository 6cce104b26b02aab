/**
 * The person-name rule, kept once: a name is what a person is called on paper, so every character of it
 * must be one a document can print and a reader can see. Refused anywhere a name enters (API, console and
 * portal forms, CSV import — through the model's `Person` schema):
 *
 * - control characters (Unicode Cc: C0, DEL, C1 — tabs and line breaks included) and the line and
 *   paragraph separators (Zl, Zp);
 * - format characters (Cf): the bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F,
 *   U+061C), the zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen, tags; they
 *   are invisible, let two different names look the same, or reorder what is printed;
 * - lone surrogates (a broken UTF-16 string), which no encoder and no font accepts.
 *
 * Everything else stays allowed, rare CJK characters of any extension, ideographic variation selectors
 * and the middle dot of transcribed names (买买提·艾力) included: refusing a real name is worse than any
 * of the above. Pure; zod only.
 */
import { z } from 'zod';

/** The longest name the register holds (characters, as the model's schema counts them). */
export const PERSON_NAME_MAX_LENGTH = 50;

export type ForbiddenNameCharacterKind = 'control' | 'bidi' | 'invisible' | 'surrogate';

export interface ForbiddenNameCharacter {
  /** 1-based position in code points, as a person counts characters. */
  readonly position: number;
  /** `U+202E` */
  readonly codePoint: string;
  readonly kind: ForbiddenNameCharacterKind;
}

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const FORMAT = /\p{Cf}/u;

/** What kind of forbidden character `char` (one code point) is, or undefined when a name may hold it. */
function kindOf(char: string): ForbiddenNameCharacterKind | undefined {
  const cp = char.codePointAt(0) ?? 0;
  if (cp >= 0xd800 && cp <= 0xdfff) return 'surrogate';
  if (CONTROL.test(char)) return 'control';
  if (BIDI.test(char)) return 'bidi';
  if (FORMAT.test(char)) return 'invisible';
  return undefined;
}

/** The first character a name may not hold, or undefined when the name is clean. */
export function findForbiddenNameCharacter(name: string): ForbiddenNameCharacter | undefined {
  let position = 0;
  for (const char of name) {
    position++;
    const kind = kindOf(char);
    if (kind) {
      const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      return { position, codePoint: `U+${hex}`, kind };
    }
  }
  return undefined;
}

/** The kinds in both languages, for the message of `HUJI_NAME_CHARACTER`. */
export const NAME_CHARACTER_KIND_LABELS: Readonly<
  Record<ForbiddenNameCharacterKind, { zh: string; en: string }>
> = {
  control: { zh: '控制字符', en: 'a control character' },
  bidi: { zh: '文字方向控制字符', en: 'a text-direction control' },
  invisible: { zh: '不可见字符', en: 'an invisible character' },
  surrogate: { zh: '残缺的字符编码', en: 'a broken character encoding' },
};

/** The params of the issue a forbidden character raises (server/validation.ts reads `hujiCode`). */
export function nameCharacterIssueParams(found: ForbiddenNameCharacter) {
  return {
    hujiCode: 'HUJI_NAME_CHARACTER' as const,
    position: found.position,
    codePoint: found.codePoint,
    kind: NAME_CHARACTER_KIND_LABELS[found.kind],
  };
}

/** The name rule as a zod refinement, for schemas that shape the string their own way. */
export function refinePersonName(value: string, ctx: z.RefinementCtx): void {
  const found = findForbiddenNameCharacter(value);
  if (!found) return;
  ctx.addIssue({
    code: 'custom',
    message: `the name holds ${NAME_CHARACTER_KIND_LABELS[found.kind].en} (${found.codePoint})`,
    params: nameCharacterIssueParams(found),
  });
}

/** A person's name (or former name) as entered: trimmed, 1–50 characters, no forbidden character. */
export const personNameField = () =>
  z.string().trim().min(1).max(PERSON_NAME_MAX_LENGTH).superRefine(refinePersonName);
