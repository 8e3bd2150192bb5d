/** The zh-CN / English switch (title bar and sign-in screen). */
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const other: Language = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="language-switch"
      data-testid="language-switch"
      lang={other}
      onClick={() => void setLanguage(other)}
    >
      {t('app.switchLanguage')}
    </button>
  );
}
