/** Aging (FIFO lots by age bucket) and turnover (COGS over average inventory value). */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { agingReport } from '../projections/models/aging';
import { DAY_MS } from '../projections/models/keys';
import { turnoverReport } from '../projections/models/turnover';
import { AgingAnswer, AgingQuery, TurnoverAnswer, TurnoverQuery } from '../schemas/read-api';
import { assertLocationAccess, canSeeCosts, READERS, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { fields, moneyColumn } from './csv';
import type { ReadRouteDeps } from './read-deps';
import { awaitMinPosition, respond } from './respond';

/** Longest turnover period, in days: bounds the work of one request. */
export const MAX_TURNOVER_DAYS = 1_100;
const DEFAULT_TURNOVER_DAYS = 30;
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export async function analyticsRoutes(app: FastifyInstance, deps: ReadRouteDeps): Promise<void> {
  const config = { access: { roles: READERS } };
  const preHandler = awaitMinPosition(deps);
  const clock = deps.clock ?? (() => new Date());

  app.get('/api/analytics/aging', {
    config, preHandler,
    schema: {
      summary: 'On-hand quantity and value by age bucket (first in, first out)',
      description: 'Buckets by whole days since the units first entered the chain (a transfer keeps the original receipt date): 0-30, 31-60, 61-90, 90+, relative to `asOf` (default: now). Values are FIFO cost in cents.',
      tags: ['analytics'], querystring: AgingQuery, response: { 200: AgingAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof AgingQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const report = await agingReport(deps.readStore, {
      asOf: q.asOf ? new Date(q.asOf) : clock(), scope: visibleLocations(request), ...(q.locationId ? { locationId: q.locationId } : {}),
    });
    // Without cost visibility the quantities by age stay, their values go.
    const costs = canSeeCosts(request);
    const bucket = ({ value, ...b }: (typeof report.buckets)[number]) => ({ ...b, ...(costs ? { value } : {}) });
    const shown = { ...report, buckets: report.buckets.map(bucket), items: report.items.map((i) => ({ ...i, buckets: i.buckets.map(bucket) })) };
    const rows = shown.items.flatMap((i) => i.buckets.map((b) => ({ locationId: i.locationId, sku: i.sku, ...b })));
    return respond(request, reply, { ...shown, position }, {
      name: 'aging', rows,
      columns: [
        ...fields<(typeof rows)[number]>('locationId', 'sku', 'bucket', 'quantity'),
        ...(costs ? [moneyColumn<(typeof rows)[number] & { value?: number }>('value', deps.currency ?? 'USD', (r) => r.value)] : []),
      ],
    });
  });

  app.get('/api/analytics/turnover', {
    // Every figure of turnover is made of costs: closed to whoever does not see costs.
    config: { access: { roles: READERS, costs: true as const } }, preHandler,
    schema: {
      summary: 'Cost of goods sold, average inventory value, turnover and days of inventory',
      description: 'Over the UTC days [from, to) (default: the 30 days up to and including today). COGS is the FIFO cost of units sold minus returned; the average inventory value is the mean of daily closing values, carrying the last value forward; turnover = COGS / average; days of inventory = days / turnover (null when undefined).',
      tags: ['analytics'], querystring: TurnoverQuery, response: { 200: TurnoverAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof TurnoverQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const to = q.to ?? dateOf(clock().getTime() + DAY_MS);
    const from = q.from ?? dateOf(Date.parse(`${to}T00:00:00Z`) - DEFAULT_TURNOVER_DAYS * DAY_MS);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
    if (!(days > 0 && days <= MAX_TURNOVER_DAYS)) {
      throw new HttpProblem(400, `from must be before to, at most ${MAX_TURNOVER_DAYS} days apart`, { errors: [{ instancePath: '/from', message: 'bad period' }] });
    }
    const position = deps.currentPosition().toString();
    const report = await turnoverReport(deps.readStore, {
      from, to, scope: visibleLocations(request), ...(q.locationId ? { locationId: q.locationId } : {}),
    });
    return respond(request, reply, { ...report, position }, {
      name: 'turnover', rows: report.items,
      columns: [
        ...fields<(typeof report.items)[number]>('locationId', 'sku'),
        moneyColumn<(typeof report.items)[number]>('cogs', deps.currency ?? 'USD', (r) => r.cogs),
        moneyColumn<(typeof report.items)[number]>('averageInventoryValue', deps.currency ?? 'USD', (r) => r.averageInventoryValue),
        ...fields<(typeof report.items)[number]>('turnover', 'daysOfInventory'),
      ],
    });
  });
}
