/** i18next set up with bundled resources (no fetch): zh-CN first, English as the switch. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** `?lang=en` opens the wall in English (for a screen that should start that way). */
export function initialLanguage(search: string): Language {
  const requested = new URLSearchParams(search).get('lang');
  return isLanguage(requested) ? requested : 'zh-CN';
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(globalThis.location?.search ?? ''),
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

// The page title follows the language and the district in TitleBar.
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'zh-CN');
