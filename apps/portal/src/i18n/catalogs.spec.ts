import { catalogs, initialLocale, LOCALES } from './catalogs';

/** Every key of a catalog as a dotted path, with its value. */
function leaves(node: unknown, prefix = ''): Array<[string, unknown]> {
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, node]];
}

describe('the zh-CN and en catalogs', () => {
  const en = new Map(leaves(catalogs.en));
  const zh = new Map(leaves(catalogs['zh-CN']));

  it('have the same keys', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    expect(en.size).toBeGreaterThan(50);
  });

  it.each(LOCALES)('%s has no empty value and only strings', (locale) => {
    for (const [key, value] of locale === 'en' ? en : zh) {
      expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
      expect({ key, empty: (value as string).trim() === '' }).toEqual({ key, empty: false });
    }
  });

  it('use the same {{placeholders}} in both languages', () => {
    const placeholders = (s: unknown) => [...String(s).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of en) expect({ key, p: placeholders(zh.get(key)) }).toEqual({ key, p: placeholders(value) });
  });

  it('the zh-CN catalog is Chinese where the English one is words (no copy left untranslated)', () => {
    const untranslated = [...en].filter(([key, value]) => /[a-z]{3,}/i.test(String(value)) && zh.get(key) === value && !/^(app\.name)$/.test(key));
    expect(untranslated.map(([k]) => k)).toEqual([]);
  });
});

describe('the language the portal starts in', () => {
  it('is the one chosen before', () => {
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
    expect(initialLocale('zh-CN', ['en-US'])).toBe('zh-CN');
  });
  it("else the browser's: any Chinese → zh-CN, English → en, anything else → en", () => {
    expect(initialLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(initialLocale(null, ['zh'])).toBe('zh-CN');
    expect(initialLocale(null, ['en-GB'])).toBe('en');
    expect(initialLocale(null, ['de-DE', 'fr'])).toBe('en');
    expect(initialLocale('klingon', [])).toBe('en');
  });
});
