/**
 * Apache ECharts with only what the dashboards draw (line, bar, pie, gauge; grid, tooltip, legend; canvas):
 * the tree-shaken core instead of the full bundle.
 */
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, PieChart, GaugeChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type Chart = echarts.ECharts;
export type ChartOption = echarts.EChartsCoreOption;

const PALETTE = ['#1a7f5a', '#d9480f', '#1c7ed6', '#f08c00', '#7048e8', '#0c8599', '#c2255c', '#5c940d'];

/** A chart in `el`, resized with the window; dispose() when the page is left. */
export function chart(el: HTMLElement, option: ChartOption, onClick?: (name: string) => void): Chart {
  const c = echarts.init(el, undefined, { renderer: 'canvas' });
  c.setOption({ color: PALETTE, animation: false, ...option });
  if (onClick) c.on('click', (p) => onClick(String((p as { name?: string }).name ?? '')));
  return c;
}

export function resizeAll(charts: Chart[]): void {
  for (const c of charts) c.resize();
}
