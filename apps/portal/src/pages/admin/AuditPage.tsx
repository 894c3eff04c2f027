import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/usePageTitle';

// Placeholder: the page is being built.
export default function AuditPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.title'));
  return <Typography.Title level={2}>{t('admin.title')}</Typography.Title>;
}
