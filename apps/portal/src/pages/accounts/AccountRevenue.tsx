import { unwrap } from '@steward/api-client';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Descriptions, Row, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/session-context';
import { formatMoney, formatMonth, formatPercent } from '../../lib/format';
import { Chart, type ChartOption } from '../../ui/Chart';
import { EmptyState, QueryView } from '../../ui/states';
import { hasRevenue, revenueRange, shapeRevenue, summarize, type RevenueRecordLike } from './account-revenue';

const COLOURS = { product: '#1d39c4', service: '#13c2c2', margin: '#d46b08' };

/** Revenue of the last 24 months: stacked product and service bars, the gross margin line, 12-month totals. */
export function AccountRevenue({ accountId, accountName, currency }: { accountId: string; accountName: string; currency: string | null }) {
  const { t } = useTranslation();
  const api = useApi();
  // The window is fixed when the page opens (a page left open past midnight keeps its months).
  // The window ends with the last full month, as the API's 12-month revenue and the tiers do
  // (the current month is still being booked).
  const [now] = useState(() => {
    const d = new Date();
    return new Date(d.getFullYear(), d.getMonth() - 1, 1);
  });
  const range = revenueRange(now);
  const query = useQuery({
    queryKey: ['account', accountId, 'revenue', range.from, range.to],
    queryFn: () => unwrap(api.GET('/v1/accounts/{id}/revenue', { params: { path: { id: accountId }, query: range } })),
  });

  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {t('account.revenue.title')}
        </Typography.Title>
      }
    >
      <QueryView query={query}>{(list) => <RevenueContent records={list.items} now={now} accountName={accountName} currency={currency} />}</QueryView>
    </Card>
  );
}

function RevenueContent({ records, now, accountName, currency: preferred }: { records: RevenueRecordLike[]; now: Date; accountName: string; currency: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const series = useMemo(() => shapeRevenue(records, now, preferred), [records, now, preferred]);
  const summary = useMemo(() => summarize(series.months), [series]);
  const currency = series.currency;

  const option = useMemo<ChartOption>(() => {
    const money = (v: unknown) => formatMoney(typeof v === 'number' ? v : Number(v), currency, locale);
    return {
      color: [COLOURS.product, COLOURS.service, COLOURS.margin],
      tooltip: { trigger: 'axis', valueFormatter: money },
      legend: { bottom: 0, data: [t('account.revenue.product'), t('account.revenue.service'), t('account.revenue.margin')] },
      grid: { left: 16, right: 16, top: 24, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: series.months.map((m) => formatMonth(m.month, locale)) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatMoney(v, currency, locale, true) } },
      series: [
        { name: t('account.revenue.product'), type: 'bar', stack: 'revenue', data: series.months.map((m) => m.product) },
        { name: t('account.revenue.service'), type: 'bar', stack: 'revenue', data: series.months.map((m) => m.service) },
        { name: t('account.revenue.margin'), type: 'line', data: series.months.map((m) => m.margin), symbolSize: 6 },
      ],
    };
  }, [series, currency, locale, t]);

  if (!hasRevenue(series.months)) {
    return (
      <>
        <div data-testid="revenue-chart">
          <EmptyState description={t('account.revenue.empty')} />
        </div>
        <RevenueSummary summary={summary} currency={currency} />
      </>
    );
  }
  return (
    <Row gutter={[24, 16]}>
      <Col xs={24} xl={16}>
        <Chart testId="revenue-chart" option={option} height={340} label={t('account.revenue.chartLabel', { name: accountName, currency: currency ?? '' })} />
        {series.otherCurrencies.length > 0 && <Alert type="info" showIcon title={t('account.revenue.otherCurrencies', { list: series.otherCurrencies.join(', ') })} />}
      </Col>
      <Col xs={24} xl={8}>
        <RevenueSummary summary={summary} currency={currency} />
      </Col>
    </Row>
  );
}

function RevenueSummary({ summary, currency }: { summary: ReturnType<typeof summarize>; currency: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return (
    <section data-testid="revenue-summary" aria-labelledby="revenue-summary-title">
      <Typography.Title level={3} id="revenue-summary-title" style={{ fontSize: 14 }}>
        {t('account.revenue.summaryTitle')}
      </Typography.Title>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'product', label: t('account.revenue.product'), children: <span data-testid="revenue-product">{formatMoney(summary.product, currency, locale)}</span> },
          { key: 'service', label: t('account.revenue.service'), children: <span data-testid="revenue-service">{formatMoney(summary.service, currency, locale)}</span> },
          { key: 'total', label: t('account.revenue.total'), children: <span data-testid="revenue-total">{formatMoney(summary.revenue, currency, locale)}</span> },
          { key: 'margin', label: t('account.revenue.margin'), children: <span data-testid="revenue-margin">{formatMoney(summary.margin, currency, locale)}</span> },
          { key: 'share', label: t('account.revenue.marginShare'), children: <span data-testid="revenue-margin-share">{formatPercent(summary.marginShare, locale)}</span> },
        ]}
      />
    </section>
  );
}
