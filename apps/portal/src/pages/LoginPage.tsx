import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useSession, useStore } from '../app/session-context';
import { readProblem } from '../lib/problem';
import { rulesOf } from '../lib/rules';
import { ProblemAlert } from '../ui/ProblemAlert';
import { LocaleSwitch } from '../ui/LocaleSwitch';
import { usePageTitle } from '../ui/usePageTitle';

export default function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('auth.title'));
  const store = useStore();
  const session = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (session) return <Navigate to={from} replace />;

  const submit = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await store.signIn(values.email.trim(), values.password);
      void navigate(from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const invalid = readProblem(error).code === 'INVALID_CREDENTIALS' || readProblem(error).status === 401;
  const ended = store.endReason && store.endReason !== 'signed-out' ? t(`auth.${store.endReason}`) : undefined;

  return (
    <main className="login-page">
      <Card style={{ width: 400, maxWidth: '92vw' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('auth.title')}
          </Typography.Title>
          <LocaleSwitch />
        </div>
        <Typography.Paragraph type="secondary">{t('app.tagline')}</Typography.Paragraph>
        {ended && !error && <Alert type="info" showIcon title={ended} style={{ marginBottom: 16 }} />}
        {error !== undefined && (invalid ? <Alert type="error" showIcon role="alert" title={t('auth.failed')} style={{ marginBottom: 16 }} /> : <div style={{ marginBottom: 16 }}><ProblemAlert error={error} /></div>)}
        <Form layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item name="email" label={t('auth.email')} rules={rulesOf('LoginBody', 'email', t)}>
            <Input prefix={<MailOutlined />} autoComplete="username" type="email" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={rulesOf('LoginBody', 'password', t)}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
