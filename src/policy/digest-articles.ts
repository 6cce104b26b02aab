/**
 * The article ids of the policy digest (`shared/design/policy-digest.md`), the ids that code and
 * explanations cite. A test checks this list against the digest when the digest is at hand, and every
 * policy file's articles against this list.
 */
export const DIGEST_ARTICLE_IDS: readonly string[] = [
  'qz-draft/2.1.1', 'qz-draft/2.1.2', 'qz-draft/2.1.3', 'qz-draft/2.1.4', 'qz-draft/2.1.5', 'qz-draft/2.1.6',
  'qz-draft/2.1.7', 'qz-draft/2.1.8', 'qz-draft/2.2.1', 'qz-draft/2.3', 'qz-draft/2.4.1', 'qz-draft/2.4.2',
  'qz-draft/2.5.1', 'qz-draft/2.5.2', 'qz-draft/3',
  'qz-final/1', 'qz-final/2', 'qz-final/3', 'qz-final/4', 'qz-final/5', 'qz-final/6', 'qz-final/7', 'qz-final/8',
  'qz-final/9',
  'lz/1.2', 'lz/2.1', 'lz/2.2', 'lz/2.3', 'lz/2.4', 'lz/2.5', 'lz/2.6', 'lz/2.7', 'lz/2.8', 'lz/2.9', 'lz/2.10',
  'lz/2.11', 'lz/2.12', 'lz/2.13', 'lz/3',
];
