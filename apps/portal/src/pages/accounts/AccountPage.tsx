import { ArrowLeftOutlined } from '@ant-design/icons';
import { unwrap } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, ConfigProvider, Descriptions, Row, Space, Tag, Typography, type ThemeConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../../app/session-context';
import { formatDate, formatDateTime, formatMoney, formatNumber } from '../../lib/format';
import { readProblem } from '../../lib/problem';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { usePageTitle } from '../../ui/usePageTitle';
import { usePartnerName, useUserLabel, type Account } from './account-lookups';
import { AccountProjects } from './AccountProjects';
import { AccountRevenue } from './AccountRevenue';
import { AccountStakeholders } from './AccountStakeholders';
import { AccountTier } from './AccountTier';

/** antd draws description labels in its tertiary text colour, too light for WCAG AA on white. */
const READABLE_LABELS: ThemeConfig = { components: { Descriptions: { labelColor: 'rgba(0, 0, 0, 0.65)' } } };

/** One account: its profile, tier (and override), stakeholder map, installed base and revenue. */
export default function AccountPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const api = useApi();
  const query = useQuery({
    queryKey: ['account', id],
    queryFn: () => unwrap(api.GET('/v1/accounts/{id}', { params: { path: { id } } })),
    enabled: !!id,
  });
  usePageTitle(query.data?.name ?? t('account.title'));

  if (query.isPending) {
    return (
      <>
        <Typography.Title level={1}>{t('account.title')}</Typography.Title>
        <Loading rows={8} />
      </>
    );
  }
  if (query.error || !query.data) {
    const status = readProblem(query.error).status;
    return (
      <>
        <BackLink />
        <Typography.Title level={1}>{status === 404 || status === 400 ? t('account.notFound.title') : t('account.title')}</Typography.Title>
        {status === 404 || status === 400 ? (
          <div data-testid="account-not-found">
            <EmptyState description={t('account.notFound.text')} />
          </div>
        ) : (
          <ErrorState error={query.error} retry={() => void query.refetch()} />
        )}
      </>
    );
  }
  return (
    <ConfigProvider theme={READABLE_LABELS}>
      <AccountView account={query.data} />
    </ConfigProvider>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/accounts" style={{ textDecoration: 'underline' }}>
      <ArrowLeftOutlined aria-hidden /> {t('account.back')}
    </Link>
  );
}

function AccountView({ account }: { account: Account }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const owner = useUserLabel(account.ownerId);
  const csm = useUserLabel(account.csmId);
  const partner = usePartnerName(account.leadPartnerId);
  const custom = Object.entries(account.customAttributes ?? {});
  const value = (v: string | number | boolean | null) => (v === null ? '—' : typeof v === 'boolean' ? (v ? t('yesNo.yes') : t('yesNo.no')) : typeof v === 'number' ? formatNumber(v, locale) : v);
  const flags = [account.strategic && t('account.profile.strategic'), account.highPotential && t('account.profile.highPotential')].filter((f): f is string => !!f);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <BackLink />
        <Typography.Title level={1} data-testid="account-name" style={{ marginTop: 8, marginBottom: 4 }}>
          {account.name}
        </Typography.Title>
        <Space size={[8, 4]} wrap>
          <Tag>{t(`tier.t${account.tier}`)}</Tag>
          <Tag>{t(`lifecycle.${account.lifecycle}`)}</Tag>
          {flags.map((f) => (
            <Tag key={f}>{f}</Tag>
          ))}
        </Space>
      </div>
      {account.deletedAt && <Alert type="warning" showIcon title={t('account.deleted', { date: formatDate(account.deletedAt, locale) })} />}
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={16}>
          <Card
            title={
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
                {t('account.profile.title')}
              </Typography.Title>
            }
          >
            <Descriptions
              data-testid="account-profile"
              size="small"
              column={{ xs: 1, sm: 1, md: 2 }}
              items={[
                { key: 'industry', label: t('account.profile.industry'), children: account.industry ?? '—' },
                { key: 'region', label: t('account.profile.region'), children: account.region ?? '—' },
                { key: 'sizeBand', label: t('account.profile.sizeBand'), children: account.sizeBand ? t(`account.sizeBand.${account.sizeBand}`) : '—' },
                { key: 'lifecycle', label: t('account.profile.lifecycle'), children: t(`lifecycle.${account.lifecycle}`) },
                { key: 'leadChannel', label: t('account.profile.leadChannel'), children: t(`leadChannel.${account.leadChannel}`) },
                { key: 'leadPartner', label: t('account.profile.leadPartner'), children: partner },
                { key: 'externalId', label: t('account.profile.externalId'), children: account.externalId ?? '—' },
                { key: 'flags', label: t('account.profile.flags'), children: flags.length ? flags.join(' · ') : t('account.profile.noFlags') },
                { key: 'owner', label: t('account.profile.owner'), children: <span data-testid="account-owner">{owner}</span> },
                { key: 'csm', label: t('account.profile.csm'), children: <span data-testid="account-csm">{csm}</span> },
                { key: 'revenue12m', label: t('account.profile.revenue12m'), children: formatMoney(account.revenue12m, account.currency, locale) },
                { key: 'updatedAt', label: t('account.profile.updatedAt'), children: formatDateTime(account.updatedAt, locale) },
              ]}
            />
            <Typography.Title level={3} style={{ fontSize: 14, marginTop: 16 }}>
              {t('account.profile.customAttributes')}
            </Typography.Title>
            {custom.length === 0 ? (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {t('account.profile.noCustomAttributes')}
              </Typography.Paragraph>
            ) : (
              <Descriptions data-testid="account-custom-attributes" size="small" bordered column={1} items={custom.map(([k, v]) => ({ key: k, label: k, children: value(v) }))} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <AccountTier account={account} />
        </Col>
      </Row>
      <AccountStakeholders accountId={account.id} accountName={account.name} />
      <AccountProjects accountId={account.id} />
      <AccountRevenue accountId={account.id} accountName={account.name} currency={account.currency} />
    </Space>
  );
}
