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
      onClick={() =>
        // the English strings come from the server on first use: if that fails, the page stays as it is
        void setLanguage(other).catch((error: unknown) =>
          console.warn(`gridwatch: the language did not load: ${String(error)}`),
        )
      }
    >
      {t('app.switchLanguage')}
    </button>
  );
}
