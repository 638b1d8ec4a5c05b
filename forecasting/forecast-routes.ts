/**
 * `GET /api/forecast` (CONTRACT.md) and `GET /api/forecast/reorder-point`: READERS, narrowed
 * to the caller's locations (a manager or staff member asking about another location: 403).
 *
 * Bad input: unknown location or SKU 404; `days` outside 1-90 400 (schema); a series with
 * less than two weeks since the SKU first moved at the location, or without any sale, is a
 * 422 `not_enough_history` problem that says what there is and what is needed: no made-up
 * forecast.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { fields } from '../read-api/csv';
import type { ReadRouteDeps } from '../read-api/read-deps';
import { awaitMinPosition, respond } from '../read-api/respond';
import { ForecastAnswer, ForecastQuery, ReorderPointAnswer, ReorderPointQuery, RunningOutAnswer, RunningOutQuery } from '../schemas/forecasting';
import { assertLocationAccess, canAccessLocation, READERS } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { MIN_HISTORY_DAYS } from './backtest';
import { addDays } from './cover';
import { createForecaster, NotEnoughHistory, UnknownSeries, type Forecaster } from './forecaster';
import { createRunningOutWatch, type RunningOutOptions, type RunningOutWatch } from './running-out';

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x, 3));

function translate(error: unknown): never {
  if (error instanceof UnknownSeries) throw new HttpProblem(404, error.message, { code: `unknown_${error.what}` });
  if (error instanceof NotEnoughHistory) {
    throw new HttpProblem(422, error.message, {
      title: 'Not enough history', code: 'not_enough_history',
      historyDays: error.historyDays, salesDays: error.salesDays, neededDays: MIN_HISTORY_DAYS, neededSalesDays: 1,
    }, 'urn:stocktide:problem:not_enough_history');
  }
  throw error;
}

export interface ForecastRouteDeps extends ReadRouteDeps {
  /** One forecaster per process (its cache); created here when absent. */
  forecaster?: Forecaster;
  /** The chain-wide "running out" sweep; created (and stopped when the app closes) here when absent. */
  runningOut?: RunningOutWatch;
  /** The runner's read-model changes: keep the "running out" list current between sweeps. */
  changes$?: RunningOutOptions['changes$'];
}

export async function forecastRoutes(app: FastifyInstance, deps: ForecastRouteDeps): Promise<Forecaster> {
  const config = { access: { roles: READERS } };
  const preHandler = awaitMinPosition(deps);
  const forecaster = deps.forecaster ?? createForecaster(deps.readStore, deps.clock);
  const runningOut = deps.runningOut ?? createRunningOutWatch({
    readStore: deps.readStore, forecaster, ...(deps.clock && { clock: deps.clock }), ...(deps.changes$ && { changes$: deps.changes$ }),
  });
  if (!deps.runningOut) app.addHook('onClose', async () => runningOut.stop());

  app.get('/api/forecast', {
    config, preHandler,
    schema: {
      summary: 'Daily demand forecast of one SKU at one location, with its 80 % interval, backtest and days of cover',
      description: 'The method is chosen per series by a rolling-origin backtest over the last (up to) four weeks, one-week horizon, '
        + 'among seasonal naive, damped Holt-Winters with weekly seasonality, Croston-SBA and TSB (docs/forecasting.md). '
        + '`backtest.mase` is scaled by the in-sample seasonal-naive error, `bias` is forecast − actual in units a day, `coverage` '
        + 'is the share of backtest actuals inside the 80 % interval. `daysOfCover` and `stockoutDate` come from the current on-hand; '
        + '`runningOut` is present when the stock is forecast to last fewer than `alertDays` days. 422 `not_enough_history` when the '
        + `series has fewer than ${MIN_HISTORY_DAYS} days since the SKU first moved at the location, or no sale at all.`,
      tags: ['forecast'], querystring: ForecastQuery, response: { 200: ForecastAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof ForecastQuery>;
    assertLocationAccess(request, q.locationId);
    const days = q.days ?? 14;
    const alertDays = q.alertDays ?? 7;
    const position = deps.currentPosition().toString();
    const f = await forecaster.forecast(q.locationId, q.sku).catch(translate);
    const daily = f.quantity.slice(0, days).map((quantity, i) => ({
      date: addDays(f.firstDate, i), quantity: round(quantity), low: round(f.low[i]!), high: round(f.high[i]!),
    }));
    const inDays = f.daysOfCover === null ? undefined : Math.floor(f.daysOfCover);
    const body = {
      locationId: f.locationId, sku: f.sku, daily, method: f.method,
      backtest: { mase: roundOrNull(f.backtest.mase), bias: round(f.backtest.bias, 3), coverage: roundOrNull(f.backtest.coverage), origins: f.backtest.origins },
      candidates: f.candidates.map((c) => ({ method: c.method, mase: roundOrNull(c.mase) })),
      onHand: f.onHand,
      daysOfCover: f.daysOfCover === null ? null : round(f.daysOfCover, 1),
      ...(f.stockoutDate && { stockoutDate: f.stockoutDate }),
      ...(inDays !== undefined && inDays < alertDays && {
        runningOut: {
          inDays, date: f.stockoutDate ?? addDays(f.firstDate, inDays),
          message: inDays === 0 ? `${f.sku} at ${f.locationId} runs out today` : `${f.sku} at ${f.locationId} runs out in ${inDays} day${inDays === 1 ? '' : 's'}`,
        },
      }),
      history: f.history,
      position,
    };
    return respond(request, reply, body, {
      name: `forecast-${f.locationId}-${f.sku}`, rows: daily, columns: fields<(typeof daily)[number]>('date', 'quantity', 'low', 'high'),
    });
  });

  app.get('/api/forecast/reorder-point', {
    config, preHandler,
    schema: {
      summary: 'Forecast-driven reorder point and order-up-to level of one SKU at one location',
      description: 'reorder point = forecast demand over the lead time + z(service level) × σ × √(lead time), σ the root mean squared '
        + 'backtest error per day; order-up-to adds the forecast demand of the review period. Whole units, rounded up. '
        + 'Same 404/422 answers as GET /api/forecast.',
      tags: ['forecast'], querystring: ReorderPointQuery, response: { 200: ReorderPointAnswer },
    },
  }, async (request) => {
    const q = request.query as FromSchema<typeof ReorderPointQuery>;
    assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const reviewDays = q.reviewDays ?? 7;
    const serviceLevel = q.serviceLevel ?? 0.95;
    const r = await forecaster.reorderPoint(q.locationId, q.sku, { leadTimeDays: q.leadTimeDays, serviceLevel, reviewDays }).catch(translate);
    return {
      locationId: q.locationId, sku: q.sku, leadTimeDays: q.leadTimeDays, serviceLevel, reviewDays, method: r.method,
      reorderPoint: r.reorderPoint, orderUpTo: r.orderUpTo, safetyStock: round(r.safetyStock), leadTimeDemand: round(r.leadTimeDemand),
      onHand: r.onHand, reason: r.reason, position,
    };
  });

  app.get('/api/forecast/running-out', {
    config, preHandler,
    schema: {
      summary: 'Stocked SKUs forecast to run out within a week, soonest first (chain-wide sweep)',
      description: 'A background sweep forecasts every stocked (location, SKU) one series at a time (every 15 minutes, the first a minute after start) and re-forecasts a series when its stock changes; '
        + 'this answers its last list (`asOf`; absent before the first sweep), narrowed to the caller\'s locations.',
      tags: ['forecast'], querystring: RunningOutQuery, response: { 200: RunningOutAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof RunningOutQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const list = runningOut.current();
    const items = list.items.filter((i) => canAccessLocation(request, i.locationId) && (!q.locationId || i.locationId === q.locationId));
    const body = { ...list, items, position: deps.currentPosition().toString() };
    return respond(request, reply, body, {
      name: 'running-out', rows: items, columns: fields<(typeof items)[number]>('locationId', 'sku', 'onHand', 'daysOfCover', 'stockoutDate', 'method'),
    });
  });

  return forecaster;
}
