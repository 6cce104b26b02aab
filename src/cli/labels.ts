/**
 * Words the CLI prints for stored values (statuses, outcomes), in both languages: Chinese output never
 * shows a raw English value such as `active` or `not_eligible`.
 */
import type { Locale } from '../errors/codes.js';
import type { Person } from '../register/model.js';

type Text = { readonly zh: string; readonly en: string };

export const OUTCOME_TEXT = {
  eligible: { zh: '符合条件', en: 'eligible' },
  not_eligible: { zh: '不符合条件', en: 'not eligible' },
  needs_approval: { zh: '需经审批', en: 'needs approval' },
} as const satisfies Record<string, Text>;

export const PERSON_STATUS_TEXT = {
  active: { zh: '正常', en: 'active' },
  'moved-out': { zh: '已迁出', en: 'moved out' },
  deceased: { zh: '已死亡注销', en: 'deceased' },
  cancelled: { zh: '已注销', en: 'cancelled' },
} as const satisfies Record<Person['status'], Text>;

export const HOUSEHOLD_STATUS_TEXT = {
  active: { zh: '正常', en: 'active' },
  closed: { zh: '已销户', en: 'closed' },
} as const satisfies Record<'active' | 'closed', Text>;

export const POLICY_STATUS_TEXT = {
  draft: { zh: '送审稿', en: 'draft' },
  published: { zh: '已发布', en: 'published' },
} as const satisfies Record<'draft' | 'published', Text>;

/** The word for a value in the user's language; the value itself when the table lacks it. */
export function labelOf(table: Readonly<Record<string, Text>>, value: string, locale: Locale): string {
  const t = table[value];
  return t ? (locale === 'zh-CN' ? t.zh : t.en) : value;
}
