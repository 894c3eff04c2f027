// Both catalogs, one per language, assembled from one file per area: the type of the zh-CN files is
// the English one's, so a key missing in either fails the type check (and i18n.spec.ts checks
// that no value is empty).
import { account as enAccount } from './en/account';
import { accounts as enAccounts } from './en/accounts';
import { admin as enAdmin } from './en/admin';
import { common as enCommon } from './en/common';
import { home as enHome } from './en/home';
import { tiering as enTiering } from './en/tiering';
import { account as zhAccount } from './zh-CN/account';
import { accounts as zhAccounts } from './zh-CN/accounts';
import { admin as zhAdmin } from './zh-CN/admin';
import { common as zhCommon } from './zh-CN/common';
import { home as zhHome } from './zh-CN/home';
import { tiering as zhTiering } from './zh-CN/tiering';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogs = {
  en: { ...enCommon, home: enHome, accounts: enAccounts, account: enAccount, tiering: enTiering, admin: enAdmin },
  'zh-CN': { ...zhCommon, home: zhHome, accounts: zhAccounts, account: zhAccount, tiering: zhTiering, admin: zhAdmin },
} satisfies Record<Locale, unknown>;

export type Catalog = (typeof catalogs)['en'];

/** The language to start in: the one chosen before, else the browser's (Chinese → zh-CN), else English. */
export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const lang of languages) {
    if (/^zh\b/i.test(lang)) return 'zh-CN';
    if (/^en\b/i.test(lang)) return 'en';
  }
  return 'en';
}
