/**
 * Every quote of every policy file is the policy's own words: found in the source text in
 * /work/shared/seeds (when the workplace has it), after the conversion the quotes went through — the
 * Quzhou page is in traditional characters, so it is converted to simplified (OpenCC), its pinyin
 * annotations ("区(qū)") dropped and punctuation widths unified. Where the page is garbled (mis-decoded
 * bytes, a line cut with "�"), a sentence is found when its legible part runs up to the garbled spot.
 * A reporter's comment appended to a quote is found in the page too, but as a separate sentence of the
 * news article: the parser refuses those words in a quote (rule `quote-own-words`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { Converter } from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { loadPolicyCatalog } from '../server/policy-catalog.js';

const SEEDS = new URL('../../../shared/seeds/', import.meta.url);
const toSimplified: (text: string) => string = Converter({ from: 't', to: 'cn' });

const WIDTH: Readonly<Record<string, string>> = {
  '，': ',',
  '（': '(',
  '）': ')',
  '：': ':',
  '；': ';',
  '？': '?',
  '！': '!',
};

/** Simplified, no pinyin, no spaces, one width of punctuation; paragraphs stay apart. */
export function normalize(text: string): string {
  return toSimplified(text)
    .replace(/\((?:[a-zü]|[\u00e0-\u01dc])+\)/g, '')
    .replace(/<\/?[a-z]+>/g, '')
    .replace(/[，（）：；？！]/g, (c) => WIDTH[c] ?? c)
    .replace(/[ \t\u3000\u00a0]+/g, '');
}

/** Where the page is unreadable: a mis-decoded stretch starts with "?", a cut line ends with "�". */
const GARBLED = /[?\ufffd]/;

/** The sentences of a quote (each ends with 。), normalized. */
const sentencesOf = (quote: string) =>
  normalize(quote)
    .split(/(?<=。)/)
    .filter((s) => s.length > 0);

/**
 * Whether a sentence is in the source: verbatim; as a heading or paragraph end (the quote adds the 。);
 * or legible up to a garbled spot and, optionally, again after it — the legible parts in order and close
 * together, and at least half the sentence, so that a stray phrase cannot pass for a sentence.
 */
export function isInSource(sentence: string, source: string): boolean {
  if (source.includes(sentence)) return true;
  const bare = sentence.replace(/。$/, '');
  if (source.includes(`${bare}\n`) || source.endsWith(bare)) return true;
  for (let n = sentence.length - 1; n >= 2; n--) {
    const prefix = sentence.slice(0, n);
    for (let at = source.indexOf(prefix); at >= 0; at = source.indexOf(prefix, at + 1)) {
      if (!GARBLED.test(source.charAt(at + n))) continue;
      const rest = sentence.slice(n);
      // The garbled stretch stands for about as many characters as it hides (a few more when mis-decoded).
      const after = source.slice(at + n, at + n + 2 * rest.length + 20);
      let m = 0;
      while (m < rest.length && after.includes(rest.slice(rest.length - m - 1))) m++;
      if (n + m >= sentence.length / 2) return true;
    }
  }
  return false;
}

const catalog = loadPolicyCatalog();

describe('quotes are the policy’s own sentences', () => {
  it('normalizes the Quzhou page as the quotes were written', () => {
    expect(normalize('凡在我市縣(市、區(qū))人民政府駐地鎮(zhèn)(街道)')).toBe(
      normalize('凡在我市县（市、区）人民政府驻地镇（街道）'),
    );
  });

  it('finds a sentence cut by a garbled stretch, but not a sentence the page does not hold', () => {
    const page = normalize('本人及其共同居住生活的配偶均可在當(dāng)?shù)厣暾埖怯洺W艨凇?/p>');
    expect(isInSource(normalize('本人及其共同居住生活的配偶均可在当地申请登记常住户口。'), page)).toBe(true);
    expect(isInSource(normalize('本人均可在外地申请登记常住户口。'), page)).toBe(false);
    expect(isInSource(normalize('与送审稿相比，该实施意见取消了年龄限制。'), page)).toBe(false);
  });

  for (const { policy } of catalog.policies) {
    const file = new URL(policy.source.file.split('/').pop() ?? '', SEEDS);
    it.runIf(existsSync(file))(`${policy.id}: every quote is found in ${policy.source.file}`, () => {
      const source = normalize(readFileSync(file, 'utf8'));
      const missing = policy.articles.flatMap((a) =>
        sentencesOf(a.quote)
          .filter((s) => !isInSource(s, source))
          .map((s) => `${a.id}: ${s}`),
      );
      expect(missing).toEqual([]);
    });
  }
});
