/**
 * The features' bilingual texts: each feature keeps a table of `[zh, en]` pairs (nested by topic where
 * that helps) and reads it through the hook `makeTexts` builds, so the lookup is written once.
 */
import { useCallback } from 'react';
import { useLang } from './lang';

export type Leaf = readonly [zh: string, en: string];
export type Tree = { readonly [k: string]: Leaf | Tree };

/** The dotted keys of a table's leaves: `'name'`, `'states.open'`. */
export type TextPath<N> = {
  [K in keyof N & string]: N[K] extends Leaf ? K : `${K}.${TextPath<N[K]>}`;
}[keyof N & string];

/** `t(key, params)`: the text in the chosen language, `{name}` replaced by params. */
export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

/** Words every form uses, kept once; a feature spreads them into its table. */
export const FORM_TEXTS = {
  required: ['必填', 'Required'],
  choose: ['请选择', 'Choose'],
  cancel: ['取消', 'Cancel'],
  name: ['姓名', 'Name'],
  sex: ['性别', 'Sex'],
  birthDate: ['出生日期', 'Date of birth'],
} as const satisfies Tree;

/**
 * The `useT` hook of a table. `K` widens the keys when some come from data (a key not in the table reads
 * as an empty string, so a caller can fall back).
 *
 * @example
 * const T = { title: ['统计看板', 'Dashboard'] } as const;
 * export const useT = makeTexts(T);
 * // in a component: const t = useT(); t('title') === '统计看板' (zh-CN)
 */
export function makeTexts<T extends Tree, K extends string = TextPath<T>>(table: T): () => Translate<K> {
  return function useTexts() {
    const [lang] = useLang();
    return useCallback(
      (key: K, params: Record<string, string | number> = {}) => {
        let node: Leaf | Tree | undefined = table;
        for (const part of key.split('.'))
          node = node && !Array.isArray(node) ? (node as Tree)[part] : undefined;
        const pair = Array.isArray(node) ? (node as Leaf) : undefined;
        const raw = pair ? (lang === 'en' ? pair[1] : pair[0]) : '';
        return raw.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
      },
      [lang],
    );
  };
}
