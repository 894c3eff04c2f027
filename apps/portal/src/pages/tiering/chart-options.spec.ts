import { distributionOption, escapeHtml, paretoOption, type ParetoText } from './chart-options';
import { rankAccounts } from './ranking';

const text: ParetoText = {
  revenue: 'Revenue',
  cumulative: 'Cumulative',
  eighty: '80%',
  tier1Cut: 'T1',
  tier2Cut: 'T2',
  tierName: (t) => `Tier ${t}`,
  money: (m) => `$${m}`,
  percent: (s) => `${Math.round(s * 100)}%`,
  rank: (r) => `#${r}`,
};

describe('the Pareto chart option', () => {
  const ranked = rankAccounts(
    [
      { id: 'a', name: 'A <b>', tier: 1, computedTier: 1, revenue12m: 50, tierReason: 'tier1-revenue' },
      { id: 'b', name: 'B', tier: 2, computedTier: 2, revenue12m: 30, tierReason: 'tier2-revenue' },
      { id: 'c', name: 'C', tier: 3, computedTier: 3, revenue12m: 20, tierReason: 'rest' },
    ],
    100,
  );
  type Series = { type: string; data: unknown[]; yAxisIndex?: number; markLine?: { data: Array<Record<string, unknown>> } };
  const option = paretoOption(ranked, { tier1: 0, tier2: 1 }, text) as { series: Series[]; yAxis: Array<{ min?: number; max?: number }>; tooltip: { formatter: (p: Array<{ dataIndex: number }>) => string } };

  it('has revenue bars and a cumulative line in percent on a 0–100 second axis', () => {
    expect(option.series[0].type).toBe('bar');
    expect(option.series[0].data.map((d) => (d as { value: number }).value)).toEqual([50, 30, 20]);
    expect(option.series[1]).toMatchObject({ type: 'line', yAxisIndex: 1, data: [50, 80, 100] });
    expect(option.yAxis[1]).toMatchObject({ min: 0, max: 100 });
  });

  it('marks 80% and the tier cut-offs', () => {
    expect(option.series[1].markLine?.data).toEqual([{ yAxis: 80, name: '80%' }]);
    expect(option.series[0].markLine?.data.map((d) => [d.xAxis, d.name])).toEqual([
      [0, 'T1'],
      [1, 'T2'],
    ]);
  });

  it('has no cut-off line without cut-offs, and escapes names in the tooltip', () => {
    const plain = paretoOption(ranked, {}, text) as { series: Series[] };
    expect(plain.series[0].markLine).toBeUndefined();
    expect(option.tooltip.formatter([{ dataIndex: 0 }])).toContain('A &lt;b&gt;');
    expect(option.tooltip.formatter([{ dataIndex: 9 }])).toBe('');
  });
});

describe('the distribution option', () => {
  it('is a doughnut of accounts per tier', () => {
    const o = distributionOption(
      [
        { tier: 1, accounts: 2 },
        { tier: 3, accounts: 8 },
      ],
      (t) => `T${t}`,
    ) as { series: Array<{ type: string; radius: string[]; data: Array<{ name: string; value: number }> }> };
    expect(o.series[0].type).toBe('pie');
    expect(o.series[0].radius).toHaveLength(2);
    expect(o.series[0].data.map((d) => [d.name, d.value])).toEqual([
      ['T1', 2],
      ['T3', 8],
    ]);
  });

  it('escapes html', () => expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;'));
});
