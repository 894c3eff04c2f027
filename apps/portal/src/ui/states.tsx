import { StopOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Empty, Skeleton, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ProblemAlert } from './ProblemAlert';

export function Loading({ rows = 4 }: { rows?: number }) {
  const { t } = useTranslation();
  return (
    <div role="status" aria-live="polite" aria-label={t('states.loading')}>
      <Skeleton active paragraph={{ rows }} />
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <ProblemAlert
      error={error}
      action={
        retry && (
          <Button size="small" onClick={retry}>
            {t('states.retry')}
          </Button>
        )
      }
    />
  );
}

export function EmptyState({ description, children }: { description?: ReactNode; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Empty description={description ?? t('states.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
      {children}
    </Empty>
  );
}

/** One query's three states: loading, error (with retry), then the content. */
export function QueryView<T>({ query, children, rows }: { query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown }; children: (data: T) => ReactNode; rows?: number }) {
  if (query.isPending) return <Loading rows={rows} />;
  if (query.error || query.data === undefined) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

/** A full-page notice: an icon, a sentence and the way back (antd's Result would pull its large illustrations into every page). */
function Notice({ icon, code, text }: { icon: ReactNode; code: string; text: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ textAlign: 'center', padding: '64px 16px' }}>
      <div style={{ fontSize: 48, color: '#8c8c8c' }} aria-hidden>
        {icon}
      </div>
      <Typography.Title level={2}>{code}</Typography.Title>
      <Typography.Paragraph>{text}</Typography.Paragraph>
      <Link to="/">
        <Button type="primary">{t('states.backHome')}</Button>
      </Link>
    </div>
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return <Notice icon={<StopOutlined />} code="403" text={t('states.forbidden')} />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <Notice icon={<QuestionCircleOutlined />} code="404" text={t('states.notFound')} />;
}
