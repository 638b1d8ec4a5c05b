/**
 * Self-contained chart components: each takes its scope as props, reads its own data, stays
 * live from the stream and offers its data as CSV. Drop one into any view with one line, e.g.
 * `<SalesForecastChart :location-id="l" :sku="s" />`.
 */
export { default as SalesForecastChart } from './SalesForecastChart.vue';
export { default as StockHistoryChart } from './StockHistoryChart.vue';
export { default as AgingChart } from './AgingChart.vue';
export { default as TurnoverChart } from './TurnoverChart.vue';
export { default as SellersChart } from './SellersChart.vue';
export { default as SalesPerDayChart } from './SalesPerDayChart.vue';
export { default as ChartCard } from './ChartCard.vue';
