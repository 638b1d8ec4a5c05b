/** The forecasting capability: pure methods and chooser, the on-demand forecaster, its routes. */
export { forecastSeries, MIN_HISTORY_DAYS, type Forecast, type Backtest } from './backtest';
export { coverOf } from './cover';
export { createForecaster, NotEnoughHistory, UnknownSeries, type Forecaster, type SeriesForecast } from './forecaster';
export { forecastRoutes } from './forecast-routes';
export { reorderFigures, DEFAULT_SERVICE_LEVEL, type ReorderPointProvider, type ReorderFigures } from './reorder-point';
