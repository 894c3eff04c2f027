// One ECharts chart in React. ECharts is imported piece by piece (only the chart types and
// components the portal draws are registered here) so that a page's chunk carries what it uses;
// the charts load with the pages that need them, never in the initial bundle.
import { BarChart, GraphChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, GraphChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, DatasetComponent, MarkLineComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself says nothing): keep a table or a summary next to it too. */
  label: string;
  height?: number;
  /** Called with the clicked item's data (e.g. to open an account from a Pareto bar). */
  onItemClick?: (params: { name?: string; dataIndex?: number; data?: unknown; seriesIndex?: number }) => void;
  testId?: string;
}

export function Chart({ option, label, height = 320, onItemClick, testId }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onItemClick);
  useEffect(() => {
    click.current = onItemClick;
  }, [onItemClick]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params as Parameters<NonNullable<ChartProps['onItemClick']>>[0]));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={host} role="img" aria-label={label} data-testid={testId} style={{ width: '100%', height }} />;
}
