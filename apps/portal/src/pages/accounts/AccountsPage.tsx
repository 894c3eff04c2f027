import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/usePageTitle';

// Placeholder: the page is being built.
export default function AccountsPage() {
  const { t } = useTranslation();
  usePageTitle(t('accounts.title'));
  return <Typography.Title level={2}>{t('accounts.title')}</Typography.Title>;
}
