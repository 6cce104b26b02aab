/**
 * The shape of a policy version file (`policies/<id>.yaml`): its articles with the quoted sentences,
 * and programmes (settlement, residence permit, …) whose pathways are condition trees over the facts,
 * with follower rules, materials and the deciding authority. Parsed with `parsePolicy`.
 */
import { z } from 'zod';

export const Text = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type Text = z.infer<typeof Text>;

export const COMPARISONS = ['eq', 'ne', 'in', 'notIn', 'gte', 'gt', 'lte', 'lt'] as const;
export type Comparison = (typeof COMPARISONS)[number];

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const FactCondition = z.strictObject({
  fact: z.string().min(1),
  op: z.enum(COMPARISONS),
  value: z.union([Scalar, z.array(z.union([z.string(), z.number()])).min(1)]),
  /** Overrides the pathway's article for this condition. */
  article: z.string().optional(),
  /** A plainer wording than the generated "fact op value". */
  label: Text.optional(),
});
export type FactCondition = z.infer<typeof FactCondition>;

/** A condition only an authority can decide ("specially needed", "approved by the county government"). */
export const DiscretionCondition = z.strictObject({
  discretion: z.strictObject({ authority: Text, question: Text }),
  article: z.string().optional(),
});
export type DiscretionCondition = z.infer<typeof DiscretionCondition>;

export type Condition =
  | FactCondition
  | DiscretionCondition
  | { all: Condition[]; article?: string; label?: Text }
  | { any: Condition[]; article?: string; label?: Text }
  | { not: Condition; article?: string; label?: Text };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    FactCondition,
    DiscretionCondition,
    z.strictObject({
      all: z.array(Condition).min(1),
      article: z.string().optional(),
      label: Text.optional(),
    }),
    z.strictObject({
      any: z.array(Condition).min(1),
      article: z.string().optional(),
      label: Text.optional(),
    }),
    z.strictObject({ not: Condition, article: z.string().optional(), label: Text.optional() }),
  ]),
);

export const FollowerRule = z.strictObject({
  relation: z.enum(['spouse', 'child', 'parent', 'other']),
  article: z.string().optional(),
  when: Condition.optional(),
});

export const Followers = z.strictObject({
  article: z.string(),
  rules: z.array(FollowerRule),
  /** At most `maxFollowers` may settle when `when` holds (qz-draft/2.1.2: under 60 m², 3 persons). */
  cap: z
    .strictObject({
      article: z.string(),
      when: Condition,
      maxFollowers: z.number().int().min(0),
      label: Text,
    })
    .optional(),
});
export type Followers = z.infer<typeof Followers>;

export const Pathway = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'kebab-case id'),
  article: z.string(),
  title: Text,
  when: Condition,
  /** Where the person registers, when the article says (e.g. "at the place of employment"). */
  registersAt: Text.optional(),
  decidedBy: Text,
  materials: z.array(Text).default([]),
  followers: Followers.optional(),
});
export type Pathway = z.infer<typeof Pathway>;

export const Programme = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'kebab-case id'),
  title: Text,
  /** `any-pathway`: eligible when one pathway holds (settlement); `assignment`: every pathway that holds applies (insurance schemes). */
  kind: z.enum(['any-pathway', 'assignment']).default('any-pathway'),
  pathways: z.array(Pathway).min(1),
});
export type Programme = z.infer<typeof Programme>;

export const Article = z.strictObject({
  id: z
    .string()
    .regex(/^(qz-draft|qz-final|lz)\/[0-9.]+$/, 'an article id of the policy digest, e.g. qz-final/2'),
  /** The original sentence, in simplified characters, web noise removed. */
  quote: z.string().min(1),
  translation: z.string().min(1),
  /** How Huji reads the sentence where it is open to more than one reading. */
  interpretation: Text.optional(),
  /**
   * Someone else's words about the article (a news report's comparison with the draft), kept apart from
   * the quote, which holds the policy's own sentences only, and attributed to their source.
   */
  note: z.strictObject({ source: Text, text: Text }).optional(),
});
export type Article = z.infer<typeof Article>;

export const Guarantee = z.strictObject({
  article: z.string(),
  statement: Text,
  /** Facts no condition may use: e.g. giving up land rights may never be a condition of settling. */
  forbiddenFacts: z.array(z.string()).default([]),
});

export const Schedule = z.strictObject({
  id: z.string(),
  article: z.string(),
  title: Text,
  /** Due on `day` of the first month of each quarter, for the previous quarter. */
  rule: z.strictObject({ kind: z.literal('quarterly'), dayOfFirstMonth: z.number().int().min(1).max(28) }),
});

export const Policy = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().min(1),
  status: z.enum(['draft', 'published']),
  jurisdiction: z.string().regex(/^\d{6}$/),
  title: Text,
  source: z.strictObject({
    document: z.string(),
    issuer: z.string(),
    date: z.iso.date(),
    file: z.string(),
  }),
  effective: z.strictObject({ from: z.iso.date(), to: z.iso.date().nullable().default(null) }),
  supersedes: z.string().optional(),
  articles: z.array(Article).min(1),
  programmes: z.array(Programme).min(1),
  guarantees: z.array(Guarantee).default([]),
  schedules: z.array(Schedule).default([]),
});
export type Policy = z.infer<typeof Policy>;

/** `policyId@version`, the reference every decision records. */
export function policyRef(policy: Pick<Policy, 'id' | 'version'>): string {
  return `${policy.id}@${policy.version}`;
}

export function isFactCondition(c: Condition): c is FactCondition {
  return 'fact' in c;
}
export function isDiscretion(c: Condition): c is DiscretionCondition {
  return 'discretion' in c;
}
