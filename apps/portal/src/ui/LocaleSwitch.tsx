import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLocale, type Locale } from '../i18n';

/** 中文 / EN: switches the portal's language and remembers the choice. */
export function LocaleSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Segmented<Locale>
      aria-label={t('header.language')}
      size="small"
      value={i18n.language as Locale}
      onChange={(v) => setLocale(v)}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en' },
      ]}
    />
  );
}
