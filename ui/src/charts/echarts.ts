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
