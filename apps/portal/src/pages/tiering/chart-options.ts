// ECharts options of the tiering charts, built from plain data (unit-tested; no ECharts import).
import type { RankedAccount, TierNumber } from './ranking';

/** Tier colours: dark to light, readable on white (the charts also have a text alternative). */
export const TIER_COLORS: Record<TierNumber, string> = { 1: '#1f4e9c', 2: '#4f8fdb', 3: '#a9c4e8' };
const LINE_COLOR = '#b45309';

export interface ParetoText {
  revenue: string;
  cumulative: string;
  eighty: string;
  tier1Cut: string;
  tier2Cut: string;
  tierName: (tier: TierNumber) => string;
  money: (minor: number, compact?: boolean) => string;
  percent: (share: number) => string;
  rank: (rank: number) => string;
}

/** Bars of revenue per ranked account, the cumulative share on a second axis (0–100 %), lines at 80 % and at the cut-offs. */
export function paretoOption(ranked: readonly RankedAccount[], cut: { tier1?: number; tier2?: number }, text: ParetoText): Record<string, unknown> {
  const cutLines = [
    ...(cut.tier1 !== undefined ? [{ xAxis: cut.tier1, name: text.tier1Cut, label: { formatter: text.tier1Cut, position: 'insideEndTop' } }] : []),
    ...(cut.tier2 !== undefined && cut.tier2 !== cut.tier1 ? [{ xAxis: cut.tier2, name: text.tier2Cut, label: { formatter: text.tier2Cut, position: 'insideEndTop' } }] : []),
  ];
  return {
    animation: ranked.length <= 300,
    grid: { left: 72, right: 56, top: 40, bottom: 24 },
    legend: { data: [text.revenue, text.cumulative], top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: Array<{ dataIndex: number }>) => {
        const r = ranked[params[0]?.dataIndex ?? -1];
        if (!r) return '';
        return [escapeHtml(r.name), `${text.rank(r.rank)} · ${text.tierName(r.tier)}`, `${text.revenue}: ${text.money(r.revenue)}`, `${text.cumulative}: ${text.percent(r.cumulativeShare)}`].join('<br/>');
      },
    },
    xAxis: { type: 'category', data: ranked.map((r) => r.name), axisLabel: { show: false }, axisTick: { show: false } },
    yAxis: [
      { type: 'value', name: text.revenue, axisLabel: { formatter: (v: number) => text.money(v, true) } },
      { type: 'value', name: text.cumulative, min: 0, max: 100, interval: 20, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      {
        name: text.revenue,
        type: 'bar',
        barCategoryGap: ranked.length > 200 ? 0 : '20%',
        data: ranked.map((r) => ({ value: r.revenue, itemStyle: { color: TIER_COLORS[r.tier] } })),
        itemStyle: { color: TIER_COLORS[1] },
        markLine: cutLines.length ? { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#333' }, data: cutLines } : undefined,
      },
      {
        name: text.cumulative,
        type: 'line',
        yAxisIndex: 1,
        showSymbol: ranked.length <= 60,
        symbolSize: 4,
        lineStyle: { color: LINE_COLOR, width: 2 },
        itemStyle: { color: LINE_COLOR },
        data: ranked.map((r) => round(r.cumulativeShare * 100, 2)),
        markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dotted', color: LINE_COLOR }, label: { formatter: text.eighty, position: 'insideEndTop' }, data: [{ yAxis: 80, name: text.eighty }] },
      },
    ],
  };
}

/** A doughnut of accounts per tier. */
export function distributionOption(tiers: ReadonlyArray<{ tier: TierNumber; accounts: number }>, tierName: (tier: TierNumber) => string): Record<string, unknown> {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}\n{d}%' },
        data: tiers.map((t) => ({ name: tierName(t.tier), value: t.accounts, itemStyle: { color: TIER_COLORS[t.tier] } })),
      },
    ],
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
