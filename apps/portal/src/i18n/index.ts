// i18next with both catalogs bundled (they are small), the choice remembered in localStorage.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, initialLocale, type Locale } from './catalogs';

export const LOCALE_KEY = 'steward.locale';

export function startI18n(): typeof i18n {
  const lng = initialLocale(localStorage.getItem(LOCALE_KEY), navigator.languages ?? [navigator.language]);
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: catalogs.en }, 'zh-CN': { translation: catalogs['zh-CN'] } },
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // A key missing from a catalog is a bug: say so loudly (the end-to-end tests fail on it).
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => console.error(`i18n: missing key "${key}" (${lngs.join(', ')})`),
  });
  document.documentElement.lang = lng;
  return i18n;
}

export function setLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
  void i18n.changeLanguage(locale);
}

export { LOCALES, type Locale } from './catalogs';
