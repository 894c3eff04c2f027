import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/usePageTitle';

// Placeholder: the page is being built.
export default function TieringPage() {
  const { t } = useTranslation();
  usePageTitle(t('tiering.title'));
  return <Typography.Title level={2}>{t('tiering.title')}</Typography.Title>;
}
