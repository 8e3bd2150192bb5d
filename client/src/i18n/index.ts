/**
 * i18next with our own resources (from our own server, nothing from elsewhere): zh-CN in the page's
 * shell, English in a chunk of its own loaded when a screen asks for it (`?lang=en` or the switch).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN, type Translation } from './locales/zh-CN.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** `?lang=en` opens the wall in English (for a screen that should start that way). */
export function initialLanguage(search: string): Language {
  const requested = new URLSearchParams(search).get('lang');
  return isLanguage(requested) ? requested : 'zh-CN';
}

export const i18n = i18next.createInstance();

/** The resources of every language but zh-CN, loaded on first use. */
const LOADERS: Record<Exclude<Language, 'zh-CN'>, () => Promise<Translation>> = {
  en: () => import('./locales/en.ts').then((module) => module.en),
};

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

// The page title follows the language and the district in TitleBar.
i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'zh-CN');

/** Switches the page's language, loading its resources first when they are not here yet. */
export async function setLanguage(language: Language): Promise<void> {
  if (language === i18n.language) return;
  if (language !== 'zh-CN' && !i18n.hasResourceBundle(language, 'translation'))
    i18n.addResourceBundle(language, 'translation', await LOADERS[language]());
  await i18n.changeLanguage(language);
}

/** The language the page's URL asks for, set up; resolves once its resources are in. */
export const languageReady: Promise<void> = setLanguage(initialLanguage(globalThis.location?.search ?? ''));
