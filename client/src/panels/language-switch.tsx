/** The zh-CN / English switch (title bar and sign-in screen). */
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other: Language = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="language-switch"
      data-testid="language-switch"
      lang={other}
      onClick={() => void i18n.changeLanguage(other)}
    >
      {t('app.switchLanguage')}
    </button>
  );
}
