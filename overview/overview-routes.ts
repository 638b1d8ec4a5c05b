/**
 * The chain overview (the dashboard's landing page) and the sales figures behind its charts:
 * - `GET /api/overview`: stock value, stockouts and low stock per location, units sold today
 *   against the same weekday last week, overdue transfers, POS connections' health;
 * - `GET /api/overview/pos-events`: the latest stock movements recorded from POS systems
 *   (the live ticker re-reads it when the stream reports a change);
 * - `GET /api/insights/sales`: units sold per day, SKU and location over a period (top sellers,
 *   slow movers, sales per day).
 * READERS, narrowed to the caller's locations.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import type { ConnectionStore } from '../pos/connections/connection-store';
import { COLLECTIONS, type AlertDoc, type DailySalesDoc, type LedgerDoc, type LocationDoc, type StockDoc } from '../projections/models/collections';
import { DAY_MS } from '../projections/models/keys';
import { inScope, locationCondition, where } from '../projections/models/scope';
import { overdueTransferAlerts } from '../projections/models/transfers';
import { fields } from '../read-api/csv';
import type { ReadRouteDeps } from '../read-api/read-deps';
import { awaitMinPosition, respond } from '../read-api/respond';
import { OverviewAnswer, OverviewQuery, PosEventsAnswer, PosEventsQuery, SalesAnswer, SalesQuery } from '../schemas/overview';
import { assertLocationAccess, canSeeCosts, READERS, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';

export interface OverviewDeps extends ReadRouteDeps {
  posStore: ConnectionStore;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Longest sales period, in days: bounds the work of one request. */
const MAX_SALES_DAYS = 400;

export async function overviewRoutes(app: FastifyInstance, deps: OverviewDeps): Promise<void> {
  const config = { access: { roles: READERS } };
  const preHandler = awaitMinPosition(deps);
  const clock = deps.clock ?? (() => new Date());
  const store = deps.readStore;

  app.get('/api/overview', {
    config, preHandler,
    schema: {
      summary: 'The chain at a glance: stock value, stockouts, low stock and sales per location, overdue transfers, POS health',
      description: 'Sales are units sold today (UTC) against the same weekday a week ago. Low stock: on-hand above 0 and at or below the reorder point; a stockout: on-hand at or below 0. POS health: the last movement each connection recorded and its open quarantine items.',
      tags: ['overview'], querystring: OverviewQuery, response: { 200: OverviewAnswer },
    },
  }, async (request, reply) => {
    const scope = visibleLocations(request);
    const position = deps.currentPosition().toString();
    const now = clock();
    const today = dayOf(now.getTime());
    const lastWeek = dayOf(now.getTime() - 7 * DAY_MS);
    const condition = locationCondition(scope);
    const [locations, stock, sales, alerts, overdue, connections, quarantine] = await Promise.all([
      store.find<LocationDoc>(COLLECTIONS.locations, { where: where({ _id: condition }), orderBy: [['_id', 'asc']] }),
      store.find<StockDoc>(COLLECTIONS.stock, { where: where({ locationId: condition }) }),
      store.find<DailySalesDoc>(COLLECTIONS.dailySales, { where: where({ date: { in: [today, lastWeek] }, locationId: condition }) }),
      store.count(COLLECTIONS.alerts, { where: where({ status: 'open', locationId: condition }) }),
      overdueTransferAlerts(store, now, deps.transferOverdueHours ?? 48),
      deps.posStore.listConnections(),
      deps.posStore.listQuarantine({ status: 'open', limit: 10_000 }),
    ]);
    const rows = locations.map((l) => {
      const own = stock.filter((s) => s.locationId === l.id);
      const sold = (date: string) => sales.filter((s) => s.locationId === l.id && s.date === date).reduce((a, s) => a + s.sold - s.returned, 0);
      return {
        locationId: l.id, name: l.name, type: l.type,
        stockValue: own.reduce((a, s) => a + (s.value ?? 0), 0),
        skus: own.filter((s) => s.onHand > 0).length,
        stockouts: own.filter((s) => s.onHand <= 0).length,
        lowStock: own.filter((s) => s.onHand > 0 && s.reorderPoint !== undefined && s.onHand <= s.reorderPoint).length,
        salesToday: sold(today),
        salesSameDayLastWeek: sold(lastWeek),
      };
    });
    const visibleOverdue = overdue
      .filter((a) => inScope(scope, a.locationId) || inScope(scope, String((a.details as Record<string, unknown>).fromLocationId)))
      .map((a: AlertDoc) => ({
        transferId: a.transferId!, fromLocationId: String(a.details?.fromLocationId), toLocationId: a.locationId, dispatchedAt: String(a.details?.dispatchedAt),
      }));
    const pos = [];
    for (const c of connections) {
      const mapped = [...new Set(Object.values(c.locationMap))];
      if (scope !== 'all' && !mapped.some((l) => scope.includes(l))) continue;
      // The ledger has no index on the actor: one small scan per connection, newest first.
      const [last] = await store.find<LedgerDoc>(COLLECTIONS.ledger, { where: { actor: c.id, actorKind: 'pos' }, orderBy: [['_id', 'desc']], limit: 1 });
      pos.push({
        connectionId: c.id, kind: c.kind, disabled: c.disabled, locations: mapped,
        quarantined: quarantine.filter((q) => q.connectionId === c.id).length,
        ...(last && { lastDeliveryAt: last.recordedAt }),
      });
    }
    const sum = (key: 'stockValue' | 'stockouts' | 'lowStock' | 'salesToday' | 'salesSameDayLastWeek') => rows.reduce((a, r) => a + r[key], 0);
    const body = {
      today, sameDayLastWeek: lastWeek,
      totals: {
        stockValue: sum('stockValue'), stockouts: sum('stockouts'), lowStock: sum('lowStock'),
        salesToday: sum('salesToday'), salesSameDayLastWeek: sum('salesSameDayLastWeek'),
        overdueTransfers: visibleOverdue.length, openAlerts: alerts,
      },
      locations: rows, overdueTransfers: visibleOverdue, pos, position,
    };
    if (!canSeeCosts(request)) {
      // Staff without view_costs: no money in the answer (JSON and CSV alike).
      const { stockValue: _total, ...totals } = body.totals;
      const plain = rows.map(({ stockValue: _value, ...row }) => row);
      return respond(request, reply, { ...body, totals, locations: plain }, {
        name: 'overview', rows: plain, columns: fields<(typeof plain)[number]>('locationId', 'name', 'skus', 'stockouts', 'lowStock', 'salesToday', 'salesSameDayLastWeek'),
      });
    }
    return respond(request, reply, body, {
      name: 'overview', rows, columns: fields<(typeof rows)[number]>('locationId', 'name', 'stockValue', 'skus', 'stockouts', 'lowStock', 'salesToday', 'salesSameDayLastWeek'),
    });
  });

  app.get('/api/overview/pos-events', {
    config, preHandler,
    schema: { summary: 'The latest stock movements recorded from POS systems, newest first', tags: ['overview'], querystring: PosEventsQuery, response: { 200: PosEventsAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof PosEventsQuery>;
    const position = deps.currentPosition().toString();
    const rows = await store.find<LedgerDoc>(COLLECTIONS.ledger, {
      where: where({ actorKind: 'pos', locationId: locationCondition(visibleLocations(request)) }), orderBy: [['_id', 'desc']], limit: q.limit ?? 20,
    });
    const items = rows.map((r) => ({
      position: r.position, occurredAt: r.occurredAt, recordedAt: r.recordedAt, type: r.type, locationId: r.locationId, sku: r.sku,
      quantity: r.quantity, balance: r.balance, connectionId: r.actor, source: r.source,
    }));
    return respond(request, reply, { items, position }, {
      name: 'pos-events', rows: items, columns: fields<(typeof items)[number]>('recordedAt', 'occurredAt', 'connectionId', 'type', 'locationId', 'sku', 'quantity', 'balance'),
    });
  });

  app.get('/api/insights/sales', {
    config, preHandler,
    schema: {
      summary: 'Units sold and returned per day, SKU and location over a period (UTC days, both ends inclusive)',
      tags: ['overview'], querystring: SalesQuery, response: { 200: SalesAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof SalesQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const to = q.to ?? dayOf(clock().getTime());
    const from = q.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
    const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
    if (!(days >= 0 && days < MAX_SALES_DAYS)) {
      throw new HttpProblem(400, `from must not be after to, at most ${MAX_SALES_DAYS} days apart`, { errors: [{ instancePath: '/from', message: 'bad period' }] });
    }
    const position = deps.currentPosition().toString();
    const docs = await store.find<DailySalesDoc>(COLLECTIONS.dailySales, {
      where: where({ date: { gte: from, lte: to }, locationId: locationCondition(visibleLocations(request), q.locationId), sku: q.sku }),
    });
    const group = <K extends string>(key: (d: DailySalesDoc) => string, name: K) => {
      const totals = new Map<string, { sold: number; returned: number }>();
      for (const d of docs) {
        const t = totals.get(key(d)) ?? { sold: 0, returned: 0 };
        t.sold += d.sold;
        t.returned += d.returned;
        totals.set(key(d), t);
      }
      return [...totals].map(([k, t]) => ({ [name]: k, ...t }) as Record<K, string> & { sold: number; returned: number });
    };
    const byDay: Array<{ date: string; sold: number; returned: number }> = [];
    const perDay = new Map(group((d) => d.date, 'date').map((r) => [r.date, r]));
    for (let i = 0; i <= days; i += 1) {
      const date = dayOf(Date.parse(`${from}T00:00:00Z`) + i * DAY_MS);
      byDay.push({ date, sold: perDay.get(date)?.sold ?? 0, returned: perDay.get(date)?.returned ?? 0 });
    }
    const bySku = group((d) => d.sku, 'sku').sort((a, b) => b.sold - a.sold || a.sku.localeCompare(b.sku));
    const byLocation = group((d) => d.locationId, 'locationId').sort((a, b) => a.locationId.localeCompare(b.locationId));
    return respond(request, reply, { from, to, byDay, bySku, byLocation, position }, {
      name: 'sales', rows: byDay, columns: fields<(typeof byDay)[number]>('date', 'sold', 'returned'),
    });
  });
}
