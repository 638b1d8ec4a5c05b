/**
 * ECharts with only the parts the dashboard draws (tree-shaken), rendered on canvas.
 * `vue-echarts/csp` plus its stylesheet: the API's Content-Security-Policy forbids inline
 * <style> elements, which the default build would inject.
 */
import { use } from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import VChart from 'vue-echarts/csp';
import 'vue-echarts/csp/style.css';

use([BarChart, LineChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

export { VChart };
export type { EChartsOption } from 'echarts';

/** Palette with enough contrast on white (WCAG AA for lines and bars). */
export const COLORS = {
  actual: '#0b5cad',
  forecast: '#b45309',
  band: 'rgba(180, 83, 9, 0.18)',
  count: '#7c3aed',
  transfer: '#0f766e',
  buckets: ['#1d6b35', '#65a30d', '#d97706', '#b91c1c'],
  secondary: '#4a5560',
  slow: '#9a3412',
} as const;

/** Axis labels that stay readable on a phone: short dates, at most ~6 labels. */
export const shortDate = (date: string): string => {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
};
