import { expect, test } from 'vitest';
import { benchForecast, forecastSummary } from './forecast.bench';

test('a tiny forecast bench run gives accuracy rows per kind and the summary keys', async () => {
  const rows = await benchForecast({ accuracySeries: 3, speedSeries: 6, days: 42 });
  for (const kind of ['seasonal', 'intermittent', 'trend']) {
    expect(rows.some((r) => r.name === `forecast.mase.${kind}.chooser` && r.baseline === `forecast.mase.${kind}.seasonal_naive`)).toBe(true);
    expect(rows.some((r) => r.name === `forecast.holdout.${kind}.chooser`)).toBe(true);
  }
  const summary = forecastSummary(rows);
  expect(Object.keys(summary).sort()).toEqual(['forecast.mase', 'forecast.seriesPerSec']);
  expect(summary['forecast.seriesPerSec']).toBeGreaterThan(0);
  expect(summary['forecast.mase']).toBeGreaterThan(0);
});

test('the summary leaves out what did not run', () => {
  expect(forecastSummary([])).toEqual({});
});
