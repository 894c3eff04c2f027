import { ReloadOutlined } from '@ant-design/icons';
import { unwrap } from '@steward/api-client';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Space, Spin, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useApi, useCan } from '../../app/session-context';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatPercent } from '../../lib/format';
import { Chart } from '../../ui/Chart';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { EmptyState, QueryView } from '../../ui/states';
import { usePageTitle } from '../../ui/usePageTitle';
import { distributionOption, paretoOption } from './chart-options';
import { mergeAccounts, type Account } from './fetch';
import { RANKING_MAX, useRanking, useTieringSummary, useUpperTiers, type Ranking, type TieringSummary } from './queries';
import { SR_ONLY, SectionTitle } from './parts';
import { accountsToReach, cutoffIndex, overridesOf, parseActor, rankAccounts, type OverrideRow, type TierNumber } from './ranking';

export default function TieringPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('tiering.title'));
  const summary = useTieringSummary();
  const ranking = useRanking();
  const can = useCan();
  const locale = i18n.language;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16, flexWrap: 'wrap' }}>
        <div>
          <Typography.Title level={1} style={{ marginTop: 0 }}>
            {t('tiering.title')}
          </Typography.Title>
          {summary.data && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('tiering.window', { from: formatDate(summary.data.window.from, locale), to: formatDate(summary.data.window.to, locale) })}{' '}
              {summary.data.computedAt ? t('tiering.computedAt', { at: formatDateTime(summary.data.computedAt, locale) }) : t('tiering.notComputed')}
            </Typography.Paragraph>
          )}
        </div>
        {can('retierAccounts') && <Retier />}
      </div>

      <Card title={<SectionTitle>{t('tiering.pareto.title')}</SectionTitle>}>
        <QueryView query={summary} rows={6}>
          {(s) => (
            <QueryView query={ranking} rows={6}>
              {(r) => <Pareto summary={s} ranking={r} />}
            </QueryView>
          )}
        </QueryView>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={<SectionTitle>{t('tiering.table.caption')}</SectionTitle>} style={{ height: '100%' }}>
            <QueryView query={summary}>{(s) => <TierTable summary={s} />}</QueryView>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={<SectionTitle>{t('tiering.distribution.title')}</SectionTitle>} style={{ height: '100%' }}>
            <QueryView query={summary}>{(s) => <Distribution summary={s} />}</QueryView>
          </Card>
        </Col>
      </Row>

      <Card title={<SectionTitle>{t('tiering.overrides.title')}</SectionTitle>}>
        <QueryView query={ranking}>{(r) => <Overrides ranking={r} />}</QueryView>
      </Card>
    </Space>
  );
}

function useTierName() {
  const { t } = useTranslation();
  return (tier: TierNumber) => t(`tier.t${tier}`);
}

function Retier() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const retier = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/accounts:retier')),
    // Tiers changed everywhere: every cached list, account and summary is stale.
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return (
    <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-end', gap: 8, maxWidth: 480 }}>
      <Button type="primary" icon={<ReloadOutlined />} data-testid="retier" data-action="write" loading={retier.isPending} onClick={() => retier.mutate()}>
        {t('tiering.retier.button')}
      </Button>
      {retier.isPending && (
        <div role="status" data-testid="retier-progress" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <Spin size="small" />
          <span>{t('tiering.retier.running')}</span>
        </div>
      )}
      {retier.isSuccess && (
        <Alert
          type="success"
          showIcon
          data-testid="retier-result"
          title={t(retier.data.changed > 0 ? 'tiering.retier.result' : 'tiering.retier.resultNone', { changed: retier.data.changed, accounts: retier.data.accounts, ms: retier.data.tookMs })}
        />
      )}
      {retier.isError && <ProblemAlert error={retier.error} />}
    </div>
  );
}

function Pareto({ summary, ranking }: { summary: TieringSummary; ranking: Ranking }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const navigate = useNavigate();
  const ranked = useMemo(() => rankAccounts(ranking.accounts, summary.totalPositiveRevenue, RANKING_MAX), [ranking, summary.totalPositiveRevenue]);
  const currency = summary.currency ?? ranking.accounts[0]?.currency ?? null;
  const option = useMemo(
    () =>
      paretoOption(
        ranked,
        { tier1: cutoffIndex(ranked, summary.cutoffs.tier1MinRevenue), tier2: cutoffIndex(ranked, summary.cutoffs.tier2MinRevenue) },
        {
          revenue: t('tiering.pareto.revenue'),
          cumulative: t('tiering.pareto.cumulative'),
          eighty: t('tiering.pareto.eighty'),
          tier1Cut: t('tiering.pareto.tier1Cut'),
          tier2Cut: t('tiering.pareto.tier2Cut'),
          tierName: (tier) => t(`tier.t${tier}`),
          money: (minor, compact) => formatMoney(minor, currency, locale, compact),
          percent: (share) => formatPercent(share, locale),
          rank: (rank) => t('tiering.pareto.rank', { rank: formatNumber(rank, locale) }),
        },
      ),
    [ranked, summary.cutoffs, currency, locale, t],
  );
  if (ranked.length === 0) return <EmptyState description={t('tiering.pareto.empty')} />;
  const reach = accountsToReach(ranked, 0.8);
  const label = t('tiering.pareto.label', {
    n: formatNumber(ranked.length, locale),
    reach: reach !== undefined ? t('tiering.pareto.reach', { n: formatNumber(reach, locale) }) : t('tiering.pareto.notReached', { share: formatPercent(ranked[ranked.length - 1].cumulativeShare, locale) }),
  });
  return (
    <>
      <Chart
        option={option}
        label={label}
        height={380}
        testId="pareto-chart"
        onItemClick={({ dataIndex }) => {
          const account = dataIndex !== undefined ? ranked[dataIndex] : undefined;
          if (account) void navigate(`/accounts/${account.id}`);
        }}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {label} {ranking.complete ? t('tiering.pareto.allShown', { n: formatNumber(ranked.length, locale) }) : t('tiering.pareto.shown', { n: formatNumber(ranked.length, locale) })} {t('tiering.pareto.hint')}
      </Typography.Paragraph>
    </>
  );
}

interface TierRow {
  key: string;
  tier: TierNumber | 'total';
  accounts: number;
  revenue: number;
  share: number;
  minRevenue?: number | null;
  cumulative?: number | null;
}

function TierTable({ summary }: { summary: TieringSummary }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const currency = summary.currency;
  const rows: TierRow[] = [
    ...[...summary.tiers]
      .sort((a, b) => a.tier - b.tier)
      .map((x) => ({
        key: String(x.tier),
        tier: x.tier as TierNumber,
        accounts: x.accounts,
        revenue: x.revenue,
        share: x.share,
        minRevenue: x.tier === 1 ? summary.cutoffs.tier1MinRevenue : x.tier === 2 ? summary.cutoffs.tier2MinRevenue : undefined,
        cumulative: x.tier === 1 ? summary.cutoffs.tier1CumulativeShare : x.tier === 2 ? summary.cutoffs.tier2CumulativeShare : undefined,
      })),
  ];
  const total: TierRow = { key: 'total', tier: 'total', accounts: rows.reduce((n, r) => n + r.accounts, 0), revenue: rows.reduce((n, r) => n + r.revenue, 0), share: rows.reduce((n, r) => n + r.share, 0) };
  const columns: ColumnsType<TierRow> = [
    { key: 'tier', title: t('tiering.table.tier'), onCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_, r) => (r.tier === 'total' ? <strong>{t('tiering.table.total')}</strong> : t(`tier.t${r.tier}`)) },
    { key: 'accounts', title: t('tiering.table.accounts'), align: 'right', render: (_, r) => formatNumber(r.accounts, locale) },
    { key: 'revenue', title: t('tiering.table.revenue'), align: 'right', render: (_, r) => formatMoney(r.revenue, currency, locale) },
    { key: 'share', title: t('tiering.table.share'), align: 'right', render: (_, r) => formatPercent(r.share, locale) },
    { key: 'min', title: t('tiering.table.minRevenue'), align: 'right', render: (_, r) => (r.minRevenue === undefined ? '' : formatMoney(r.minRevenue, currency, locale)) },
    { key: 'cum', title: t('tiering.table.cumulative'), align: 'right', render: (_, r) => (r.cumulative === undefined ? '' : formatPercent(r.cumulative, locale)) },
  ];
  return (
    <div data-testid="tier-table" style={{ overflowX: 'auto' }}>
      <Table<TierRow> size="small" pagination={false} rowKey="key" columns={columns} dataSource={[...rows, total]} caption={<span style={SR_ONLY}>{t('tiering.table.caption')}</span>} />
    </div>
  );
}

function Distribution({ summary }: { summary: TieringSummary }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const tierName = useTierName();
  const tiers = useMemo(() => [...summary.tiers].sort((a, b) => a.tier - b.tier).map((x) => ({ tier: x.tier as TierNumber, accounts: x.accounts })), [summary.tiers]);
  const option = useMemo(() => distributionOption(tiers, (tier) => t(`tier.t${tier}`)), [tiers, t]);
  const text = tiers.map((x) => t('tiering.distribution.item', { tier: tierName(x.tier), n: formatNumber(x.accounts, locale) })).join('; ');
  if (tiers.every((x) => x.accounts === 0)) return <EmptyState />;
  return (
    <>
      <Chart option={option} label={t('tiering.distribution.label', { summary: text })} height={280} testId="tier-distribution" />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {text}
      </Typography.Paragraph>
    </>
  );
}

function Overrides({ ranking }: { ranking: Ranking }) {
  // The ranking read every account of a small tenant; else the Tier 1 and 2 accounts are read too.
  const upper = useUpperTiers(!ranking.everyAccount);
  if (ranking.everyAccount) return <OverridesTable ranking={ranking} accounts={ranking.accounts} />;
  return <QueryView query={upper}>{(more) => <OverridesTable ranking={ranking} accounts={mergeAccounts(ranking.accounts, more)} />}</QueryView>;
}

function OverridesTable({ ranking, accounts }: { ranking: Ranking; accounts: Account[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const api = useApi();
  const can = useCan();
  const rows = useMemo(() => overridesOf(accounts), [accounts]);
  // Who set each override: a user's name when the role may read users, else the kind of actor.
  const userIds = useMemo(() => [...new Set(rows.map((r) => parseActor(r.by)).flatMap((a) => (a.kind === 'user' && a.id ? [a.id] : [])))], [rows]);
  const users = useQueries({
    queries: (can('getUser') ? userIds : []).map((id) => ({ queryKey: ['users', id], queryFn: () => unwrap(api.GET('/v1/users/{id}', { params: { path: { id } } })), staleTime: 300_000, retry: false })),
  });
  const names = new Map<string, string>();
  users.forEach((q) => q.data && names.set(q.data.id, q.data.name));
  const who = (by: string) => {
    const a = parseActor(by);
    if (a.kind === 'user' && a.id && names.has(a.id)) return names.get(a.id)!;
    return a.kind === 'user' || a.kind === 'operator' || a.kind === 'apiKey' ? t(`tiering.actor.${a.kind}`) : t('tiering.actor.unknown');
  };
  const columns: ColumnsType<OverrideRow> = [
    { key: 'name', title: t('tiering.overrides.account'), render: (_, r) => <Link to={`/accounts/${r.id}`}>{r.name}</Link> },
    { key: 'tier', title: t('tiering.overrides.effective'), render: (_, r) => t(`tier.t${r.tier}`) },
    { key: 'computed', title: t('tiering.overrides.computed'), render: (_, r) => t(`tier.t${r.computedTier}`) },
    { key: 'reason', title: t('tiering.overrides.reason'), render: (_, r) => r.reason },
    { key: 'by', title: t('tiering.overrides.by'), render: (_, r) => who(r.by) },
    { key: 'at', title: t('tiering.overrides.at'), render: (_, r) => formatDate(r.at, locale) },
    { key: 'expires', title: t('tiering.overrides.expires'), render: (_, r) => (r.expiresAt ? formatDateTime(r.expiresAt, locale) : t('tiering.overrides.never')) },
  ];
  return (
    <div data-testid="overrides-table" style={{ overflowX: 'auto' }}>
      {rows.length === 0 ? (
        <EmptyState description={t('tiering.overrides.empty')} />
      ) : (
        <Table<OverrideRow> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={rows.length > 20 ? { pageSize: 20 } : false} caption={<span style={SR_ONLY}>{t('tiering.overrides.caption')}</span>} />
      )}
      {!ranking.everyAccount && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('tiering.overrides.partial', { n: formatNumber(ranking.accounts.length, locale) })}
        </Typography.Paragraph>
      )}
    </div>
  );
}
