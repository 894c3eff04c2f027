import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session-context';
import { formatDate, formatNumber, formatPercent } from '../../lib/format';
import { EmptyState, ErrorState, Loading, QueryView } from '../../ui/states';
import { usePageTitle } from '../../ui/usePageTitle';
import { ReasonText, SectionTitle, SR_ONLY } from '../tiering/parts';
import { useRanking, useTieringSummary, type Ranking, type TieringSummary } from '../tiering/queries';
import { accountsToReach, rankAccounts, topShare, type TierNumber } from '../tiering/ranking';
import { dateWindow, firstDayOfLastMonth, goingLive, keyGaps, shapeMovement, type GapRow, type GoLiveRow } from './overview';
import { useKeyAccounts, useKeyProjects, useMovement, useStakeholderMaps, type KeyAccount } from './queries';

export default function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.title'));
  const can = useCan();
  const keyAccountsAllowed = can('listAccounts');
  const showGaps = keyAccountsAllowed && can('getStakeholderMap');
  const showGoingLive = keyAccountsAllowed && can('listProjects');
  const keyAccounts = useKeyAccounts(showGaps || showGoingLive);

  return (
    <div>
      <Typography.Title level={1} style={{ marginTop: 0 }}>
        {t('home.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Concentration />
        </Col>
        {can('getTierMovement') && (
          <Col xs={24} xl={12}>
            <Movement />
          </Col>
        )}
        {showGaps && (
          <Col xs={24} xl={12}>
            <Card title={<SectionTitle>{t('home.gaps.title')}</SectionTitle>} style={{ height: '100%' }} data-testid="stakeholder-gaps-home">
              <QueryView query={keyAccounts}>{(accounts) => <Gaps accounts={accounts} />}</QueryView>
            </Card>
          </Col>
        )}
        {showGoingLive && (
          <Col xs={24} xl={12}>
            <Card title={<SectionTitle>{t('home.goingLive.title')}</SectionTitle>} style={{ height: '100%' }} data-testid="going-live">
              <QueryView query={keyAccounts}>{(accounts) => <GoingLive accounts={accounts} />}</QueryView>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}

function Concentration() {
  const { t } = useTranslation();
  const can = useCan();
  const summary = useTieringSummary();
  const rankingAllowed = can('listAccounts');
  const ranking = useRanking(rankingAllowed);
  return (
    <Card title={<SectionTitle>{t('home.concentration.title')}</SectionTitle>} extra={<Link to="/tiering">{t('home.concentration.more')}</Link>} style={{ height: '100%' }} data-testid="concentration">
      <QueryView query={summary}>{(s) => <ConcentrationFigures summary={s} ranking={rankingAllowed ? ranking : undefined} />}</QueryView>
    </Card>
  );
}

function ConcentrationFigures({ summary, ranking }: { summary: TieringSummary; ranking?: { data: Ranking | undefined; error: unknown; isPending: boolean; refetch: () => unknown } }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const totalAccounts = summary.tiers.reduce((n, x) => n + x.accounts, 0);
  const tier1 = summary.tiers.find((x) => x.tier === 1);
  const data = ranking?.data;
  const ranked = useMemo(() => (data ? rankAccounts(data.accounts, summary.totalPositiveRevenue) : undefined), [data, summary.totalPositiveRevenue]);
  if (summary.totalPositiveRevenue <= 0 || totalAccounts === 0) return <EmptyState description={t('home.concentration.empty')} />;
  const top = ranked && data ? topShare(ranked, totalAccounts, 0.2, data.complete) : undefined;
  const reach = ranked ? accountsToReach(ranked, 0.8) : undefined;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} sm={8}>
        <Statistic title={t('home.concentration.tier1Share')} value={formatPercent(tier1?.share ?? 0, locale)} />
        <Typography.Text type="secondary">{t('home.concentration.tier1Accounts', { n: formatNumber(tier1?.accounts ?? 0, locale), total: formatNumber(totalAccounts, locale) })}</Typography.Text>
      </Col>
      {ranking?.error ? (
        <Col xs={24} sm={16}>
          <ErrorState error={ranking.error} retry={() => void ranking.refetch()} />
        </Col>
      ) : ranking && (
        <>
          <Col xs={24} sm={8}>
            {ranking.isPending ? (
              <Loading rows={1} />
            ) : (
              <>
                <Statistic title={t('home.concentration.topShare')} value={top ? formatPercent(top.share, locale) : '—'} />
                <Typography.Text type="secondary">{top ? t('home.concentration.topAccounts', { n: formatNumber(top.accounts, locale) }) : t('home.concentration.unknown')}</Typography.Text>
              </>
            )}
          </Col>
          <Col xs={24} sm={8}>
            {ranking.isPending ? (
              <Loading rows={1} />
            ) : (
              <>
                <Statistic title={t('home.concentration.toEighty')} value={reach !== undefined ? formatNumber(reach, locale) : '—'} />
                <Typography.Text type="secondary">{reach !== undefined ? t('home.concentration.toEightyShare', { share: formatPercent(reach / totalAccounts, locale) }) : t('home.concentration.unknown')}</Typography.Text>
              </>
            )}
          </Col>
        </>
      )}
    </Row>
  );
}

function Movement() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  // The start of last month, fixed when the page opens (a new key every render would refetch forever).
  const [since] = useState(() => firstDayOfLastMonth(new Date()));
  const movement = useMovement(since, true);
  const tier = (n: TierNumber) => t(`tier.t${n}`);
  return (
    <Card title={<SectionTitle>{t('home.movement.title')}</SectionTitle>} extra={<Typography.Text type="secondary">{t('home.movement.since', { date: formatDate(since, locale) })}</Typography.Text>} style={{ height: '100%' }} data-testid="tier-movement">
      <QueryView query={movement}>
        {(m) => {
          const view = shapeMovement(m);
          if (view.empty) {
            return (
              <EmptyState
                description={
                  m.recordedSince ? (
                    <>
                      {t('home.movement.none', { since: formatDate(m.since, locale) })} {t('home.movement.recordedSince', { date: formatDate(m.recordedSince, locale) })}
                    </>
                  ) : (
                    t('home.movement.noHistory')
                  )
                }
              />
            );
          }
          return (
            <>
              <Row gutter={16}>
                <Col span={12}>
                  <Statistic title={t('home.movement.upgraded')} value={formatNumber(view.upgraded, locale)} prefix={<ArrowUpOutlined aria-hidden />} />
                </Col>
                <Col span={12}>
                  <Statistic title={t('home.movement.downgraded')} value={formatNumber(view.downgraded, locale)} prefix={<ArrowDownOutlined aria-hidden />} />
                </Col>
              </Row>
              <Typography.Title level={3} style={{ fontSize: 14, marginTop: 16 }}>
                {t('home.movement.moves')}
              </Typography.Title>
              <ul style={{ paddingInlineStart: 20, marginBottom: 8 }}>
                {view.moves.map((x) => (
                  <li key={`${x.fromTier}-${x.toTier}`}>
                    <span style={SR_ONLY}>{t(`home.movement.${x.direction}`)} </span>
                    {t('home.movement.move', { count: x.accounts, from: tier(x.fromTier), to: tier(x.toTier), n: formatNumber(x.accounts, locale) })}
                  </li>
                ))}
              </ul>
              {view.latest.length > 0 && (
                <>
                  <Typography.Title level={3} style={{ fontSize: 14 }}>
                    {t('home.movement.latest')}
                  </Typography.Title>
                  <ul style={{ paddingInlineStart: 20, marginBottom: 0 }}>
                    {view.latest.map((a) => (
                      <li key={`${a.accountId}-${a.changedAt}`}>
                        <Link to={`/accounts/${a.accountId}`} style={{ textDecoration: 'underline' }}>
                          {a.name}
                        </Link>
                        {t('home.movement.colon')}
                        {t('home.movement.latestItem', { from: tier(a.fromTier), to: tier(a.toTier), date: formatDate(a.changedAt, locale) })}
                        <Typography.Text type="secondary">
                          {' · '}
                          <ReasonText reason={a.reason} />
                        </Typography.Text>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </Card>
  );
}

function Gaps({ accounts }: { accounts: KeyAccount[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const maps = useStakeholderMaps(accounts);
  if (accounts.length === 0) return <EmptyState description={t('home.gaps.noAccounts')} />;
  return (
    <QueryView query={maps}>
      {({ results, failed }) => {
        const rows = keyGaps(results.map((r) => ({ account: { id: r.account.id, name: r.account.name, tier: r.account.tier as TierNumber }, gaps: r.value.gaps })));
        const columns: ColumnsType<GapRow> = [
          { key: 'account', title: t('home.gaps.account'), render: (_, r) => <Link to={`/accounts/${r.accountId}`}>{r.name}</Link> },
          { key: 'tier', title: t('home.gaps.tier'), render: (_, r) => t(`tier.t${r.tier}`) },
          { key: 'missing', title: t('home.gaps.missing'), render: (_, r) => r.missing.map((code) => t(`home.gaps.code.${code}`)).join(t('home.listSeparator')) },
        ];
        return (
          <>
            {rows.length === 0 ? (
              <EmptyState description={t('home.gaps.empty')} />
            ) : (
              <>
                <Typography.Paragraph type="secondary">{t('home.gaps.scope', { n: formatNumber(rows.length, locale), total: formatNumber(results.length, locale) })}</Typography.Paragraph>
                <Table<GapRow> size="small" rowKey="accountId" columns={columns} dataSource={rows} pagination={rows.length > 10 ? { pageSize: 10 } : false} caption={<span style={SR_ONLY}>{t('home.gaps.caption')}</span>} />
              </>
            )}
            {failed > 0 && <Typography.Paragraph type="secondary">{t('home.gaps.failed', { n: formatNumber(failed, locale) })}</Typography.Paragraph>}
          </>
        );
      }}
    </QueryView>
  );
}

function GoingLive({ accounts }: { accounts: KeyAccount[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [span] = useState(() => dateWindow(new Date(), 90));
  const projects = useKeyProjects(accounts);
  if (accounts.length === 0) return <EmptyState description={t('home.gaps.noAccounts')} />;
  return (
    <QueryView query={projects}>
      {({ results, failed }) => {
        const rows = goingLive(
          results.map((r) => ({ account: r.account, projects: r.value.items })),
          span,
        );
        const columns: ColumnsType<GoLiveRow> = [
          { key: 'date', title: t('home.goingLive.date'), render: (_, r) => formatDate(r.goLiveDate, locale) },
          { key: 'project', title: t('home.goingLive.project'), render: (_, r) => `${r.project} (${t(`home.projectKind.${r.kind}`)})` },
          { key: 'account', title: t('home.goingLive.account'), render: (_, r) => <Link to={`/accounts/${r.accountId}`}>{r.account}</Link> },
          { key: 'status', title: t('home.goingLive.status'), render: (_, r) => t(`home.projectStatus.${r.status}`) },
        ];
        return (
          <>
            <Typography.Paragraph type="secondary">{t('home.goingLive.scope', { total: formatNumber(results.length, locale), from: formatDate(span.from, locale), to: formatDate(span.to, locale) })}</Typography.Paragraph>
            {rows.length === 0 ? (
              <EmptyState description={t('home.goingLive.empty')} />
            ) : (
              <Table<GoLiveRow> size="small" rowKey="projectId" columns={columns} dataSource={rows} pagination={rows.length > 10 ? { pageSize: 10 } : false} caption={<span style={SR_ONLY}>{t('home.goingLive.caption')}</span>} />
            )}
            {failed > 0 && <Typography.Paragraph type="secondary">{t('home.goingLive.failed', { n: formatNumber(failed, locale) })}</Typography.Paragraph>}
          </>
        );
      }}
    </QueryView>
  );
}
