/**
 * How an official paper names an article: the document in 《》 and the article's number as the policy
 * digest numbers it, in Chinese numerals — 《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第六条 for
 * `qz-final/6`, …（送审稿）》第二部分第（一）项第6点 for `qz-draft/2.1.6`, …》第二部分第（十一）项 for
 * `lz/2.11`. The digest ids (`qz-final/6`) stay the machine's names; people read these. Pure.
 */
import { DIGEST_ARTICLE_IDS } from './digest-articles.js';

/** The document of each digest prefix, as the policy files' `source.document` names it. */
export const DIGEST_DOCUMENTS: Readonly<Record<string, string>> = {
  'qz-final': '衢州市人民政府关于进一步推进户籍制度改革的实施意见',
  'qz-draft': '衢州市人民政府关于进一步推进户籍制度改革的实施意见（送审稿）',
  lz: '兰州市人民政府办公厅关于进一步健全完善户籍制度改革配套政策推进城镇基本公共服务常住人口全覆盖的实施意见',
};

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/**
 * 1–99 in Chinese numerals as documents number their parts.
 *
 * @example chineseNumber(11) // '十一'
 */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  if (tens === 0) return DIGITS[ones] ?? String(n);
  return `${tens === 1 ? '' : (DIGITS[tens] ?? '')}十${ones === 0 ? '' : (DIGITS[ones] ?? '')}`;
}

/** True when the digest numbers this document's articles flat (第一条 … 第九条), not by part and item. */
function isFlat(prefix: string): boolean {
  return DIGEST_ARTICLE_IDS.filter((id) => id.startsWith(`${prefix}/`)).every((id) => !id.includes('.'));
}

/**
 * The article's number as a person cites it: 第六条 in a flat text; 第二部分, 第二部分第（十一）项 or
 * 第二部分第（一）项第6点 in a text of parts, items and points.
 *
 * @example articleNumber('qz-draft/2.1.6') // '第二部分第（一）项第6点'
 */
export function articleNumber(articleId: string): string {
  const [prefix = '', number = ''] = articleId.split('/');
  const parts = number.split('.').map(Number);
  if (parts.some((p) => !Number.isInteger(p) || p < 1)) return articleId;
  const [part = 0, item, point] = parts;
  if (isFlat(prefix)) return `第${chineseNumber(part)}条`;
  return [
    `第${chineseNumber(part)}部分`,
    item === undefined ? '' : `第（${chineseNumber(item)}）项`,
    point === undefined ? '' : `第${point}点`,
  ].join('');
}

/**
 * The article's title as an official paper prints it: 《document》 and its number; the digest id when
 * the document is not one the digest knows.
 *
 * @example articleTitle('qz-final/6') // '《衢州市人民政府关于进一步推进户籍制度改革的实施意见》第六条'
 */
export function articleTitle(articleId: string): string {
  const document = DIGEST_DOCUMENTS[articleId.split('/')[0] ?? ''];
  return document ? `《${document}》${articleNumber(articleId)}` : articleId;
}
