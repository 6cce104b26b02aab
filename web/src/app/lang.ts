/** The chosen language and the bilingual texts of policies and code tables in it. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n, rememberLang, type Lang } from '../i18n';

export interface LocalText {
  readonly zh: string;
  readonly en: string;
}

export function useLang(): [Lang, (lang: Lang) => void] {
  const { i18n: instance } = useTranslation();
  const lang: Lang = instance.language === 'en' ? 'en' : 'zh-CN';
  const setLang = useCallback((next: Lang) => {
    rememberLang(next);
    void i18n.changeLanguage(next);
  }, []);
  return [lang, setLang];
}

/** Picks the text of the current language from a `{ zh, en }` pair. */
export function useLocalText(): (text: LocalText | undefined) => string {
  const [lang] = useLang();
  return useCallback((text) => (text ? (lang === 'en' ? text.en : text.zh) : ''), [lang]);
}
