import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from './lang';

/** One button to the other language; the choice is remembered. */
export function LangSwitch() {
  const { t } = useTranslation();
  const [lang, setLang] = useLang();
  const other = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Button
      size="small"
      onClick={() => setLang(other)}
      title={t('app.switchLanguageLabel')}
      lang={other}
      data-testid="lang-switch"
    >
      {t('app.switchLanguage')}
    </Button>
  );
}
