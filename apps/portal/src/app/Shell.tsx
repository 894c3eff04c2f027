import { AuditOutlined, DashboardOutlined, LogoutOutlined, ApartmentOutlined, BarChartOutlined, TeamOutlined, UserOutlined, ShopOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, Layout, Menu, Space, Tag, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LocaleSwitch } from '../ui/LocaleSwitch';
import { NAV, type NavPage } from './nav';
import { useCan, useSession, useStore } from './session-context';

const ICONS: Record<string, ReactNode> = {
  '/': <DashboardOutlined />,
  '/accounts': <ShopOutlined />,
  '/tiering': <BarChartOutlined />,
  '/admin/users': <TeamOutlined />,
  '/admin/partners': <ApartmentOutlined />,
  '/admin/audit': <AuditOutlined />,
};

export function Shell() {
  const { t } = useTranslation();
  const session = useSession()!;
  const store = useStore();
  const can = useCan();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { token } = theme.useToken();
  const visible = NAV.filter((n) => can(n.needs));
  const main = visible.filter((n) => !n.key.startsWith('/admin'));
  const admin = visible.filter((n) => n.key.startsWith('/admin'));
  const selected = [...visible].sort((a, b) => b.key.length - a.key.length).find((n) => (n.key === '/' ? pathname === '/' : pathname.startsWith(n.key)))?.key;
  const item = (n: NavPage) => ({ key: n.key, icon: ICONS[n.key], label: <Link to={n.key}>{t(n.label)}</Link> });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('nav.main')}
      </a>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={220} theme="light" style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 18, color: token.colorPrimary }}>{t('app.name')}</div>
        <nav aria-label={t('nav.main')}>
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={[
              ...main.map(item),
              ...(admin.length ? [{ type: 'group' as const, key: 'admin', label: t('nav.admin'), children: admin.map(item) }] : []),
            ]}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: token.colorBgContainer, borderBottom: `1px solid ${token.colorBorderSecondary}`, paddingInline: 24, display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 16 }}>
          <Typography.Text strong data-testid="tenant-name" style={{ fontSize: 16 }}>
            {session.tenant.name}
          </Typography.Text>
          <Space size="middle">
            <LocaleSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'role', disabled: true, label: `${t('header.role')}: ${t(`roles.${session.user.role}`)}` },
                  { type: 'divider' },
                  { key: 'signout', icon: <LogoutOutlined />, label: t('header.signOut'), onClick: () => void store.signOut().then(() => navigate('/login')) },
                ],
              }}
            >
              <button type="button" className="user-button" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                <span>{session.user.name}</span>
                <Tag style={{ marginInlineEnd: 0 }}>{t(`roles.${session.user.role}`)}</Tag>
              </button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content id="main" tabIndex={-1} style={{ padding: 24, outline: 'none' }}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
