import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/usePageTitle';

// Placeholder: the page is being built.
export default function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.title'));
  return <Typography.Title level={2}>{t('home.title')}</Typography.Title>;
}
