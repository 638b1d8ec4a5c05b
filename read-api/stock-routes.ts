/** Stock balances (now or as of an instant), totals, and the movement ledger. */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { stockAsOf } from '../projections/models/as-of';
import { COLLECTIONS, type LedgerDoc, type ProductDoc, type StockDoc } from '../projections/models/collections';
import type { Range, ReadStore, Scalar } from '../projections/readstore/port';
import { locationCondition, where } from '../projections/models/scope';
import {
  MovementsAnswer, MovementsQuery, StockAnswer, StockQuery, TotalsAnswer, TotalsQuery,
} from '../schemas/read-api';
import { assertLocationAccess, canSeeCosts, READERS, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { fields, moneyColumn } from './csv';
import { matchesSearch, pageOf, sortRows, stockStatus, type SortValue } from './list-query';
import { barcodesOf, loadNames } from './names';
import type { ReadRouteDeps } from './read-deps';
import { awaitMinPosition, respond, wantsCsv } from './respond';

/** The most rows one CSV export of movements holds. */
export const MAX_CSV_MOVEMENTS = 50_000;

type StockItem = FromSchema<typeof StockAnswer>['items'][number];
type Movement = FromSchema<typeof MovementsAnswer>['items'][number];

const stockItem = (d: StockDoc, costs: boolean): StockItem => ({
  locationId: d.locationId, sku: d.sku, onHand: d.onHand, inTransitIn: d.inTransitIn, inTransitOut: d.inTransitOut,
  ...(d.reorderPoint !== undefined ? { reorderPoint: d.reorderPoint } : {}), ...(costs ? { value: d.value } : {}),
  ...(d.lastCountAt !== undefined ? { lastCountAt: d.lastCountAt } : {}),
});

function stockSortKey(i: StockItem, column: string): SortValue {
  switch (column) {
    case 'location': return i.locationName;
    case 'name': return i.productName;
    case 'status': return ['negative', 'out', 'low', 'ok'].indexOf(i.status ?? 'ok');
    case 'sku': case 'onHand': case 'inTransitIn': case 'inTransitOut': case 'reorderPoint': case 'value':
      return i[column];
    default: return undefined;
  }
}

const movementColumns = [
  ...fields<Movement>('position', 'occurredAt', 'recordedAt', 'type', 'locationId', 'locationName', 'sku', 'productName', 'quantity', 'balance', 'actor', 'source', 'reference', 'reason', 'note', 'effective'),
];

async function searchSkus(store: ReadStore, q: string): Promise<string[]> {
  const products = await store.find<ProductDoc>(COLLECTIONS.products, {});
  return products.filter((p) => matchesSearch(q, [p.sku, p.name, ...barcodesOf(p)])).map((p) => p.sku);
}

const encodeTimeCursor = (row: LedgerDoc): string => Buffer.from(`t:${row.occurredAt}|${row._id}`, 'utf8').toString('base64url');
function decodeTimeCursor(cursor: string): { at: string; key: string } {
  const match = /^t:([0-9TZ:.+-]{10,40})\|([0-9]{20}-[0-9]{5})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new HttpProblem(400, 'invalid cursor', { errors: [{ instancePath: '/cursor', message: 'not a cursor from this API' }] });
  return { at: match[1]!, key: match[2]! };
}

/** Cursors are opaque to clients: the last ledger key, base64url-encoded. */
const LEDGER_KEY = /^[0-9]{20}-[0-9]{5}$/;
const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!LEDGER_KEY.test(key)) throw new HttpProblem(400, 'invalid cursor', { errors: [{ instancePath: '/cursor', message: 'not a cursor from this API' }] });
  return key;
}

export async function stockRoutes(app: FastifyInstance, deps: ReadRouteDeps): Promise<void> {
  const config = { access: { roles: READERS } };
  const preHandler = awaitMinPosition(deps);
  const store = deps.readStore;

  app.get('/api/stock', {
    config, preHandler,
    schema: {
      summary: 'Stock balances per location and SKU',
      description: 'Without `asOf`: live balances with FIFO value. With `asOf`: on-hand at that instant, from the last count before it plus the movements that occurred after the count (late events land where they happened); in-transit figures are reported as 0 in `asOf` answers.',
      tags: ['stock'], querystring: StockQuery, response: { 200: StockAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof StockQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const scope = visibleLocations(request);
    const costs = canSeeCosts(request);
    let items: StockItem[];
    if (q.asOf) {
      const balances = await stockAsOf(store, { at: q.asOf, scope, ...(q.locationId ? { locationId: q.locationId } : {}), ...(q.sku ? { sku: q.sku } : {}) });
      items = balances.map((b) => ({ locationId: b.locationId, sku: b.sku, onHand: b.onHand, inTransitIn: 0, inTransitOut: 0, ...(b.countedAt ? { countedAt: b.countedAt } : {}) }));
    } else {
      const docs = await store.find<StockDoc>(COLLECTIONS.stock, {
        where: where({ locationId: locationCondition(scope, q.locationId), sku: q.sku }),
        orderBy: [['locationId', 'asc'], ['sku', 'asc']],
      });
      items = docs.map((d) => stockItem(d, costs));
    }
    // Names beside codes, then the list conventions: search, status filter, sort, page.
    const names = await loadNames(store);
    const statuses = q.status ? new Set(q.status.split(',')) : undefined;
    const named = items
      .map((i): StockItem => ({
        ...i,
        productName: names.product(i.sku)?.name ?? '',
        locationName: names.location(i.locationId) ?? i.locationId,
        status: stockStatus(i.onHand, i.reorderPoint ?? names.product(i.sku)?.reorderPoint),
      }))
      .filter((i) => (!statuses || statuses.has(i.status!)) && matchesSearch(q.q, [i.sku, i.productName, i.locationName, i.locationId, ...barcodesOf(names.product(i.sku))]));
    const sorted = sortRows(named, q.sort, stockSortKey, (i) => `${i.locationId}\u0000${i.sku}`);
    const page = pageOf(sorted, q.limit, q.cursor);
    const body = { ...page, position, ...(q.asOf ? { asOf: new Date(q.asOf).toISOString() } : {}) };
    if (body.nextCursor) reply.header('x-next-cursor', body.nextCursor);
    const currency = deps.currency ?? 'USD';
    return respond(request, reply, body, {
      name: 'stock', rows: page.items,
      columns: [
        ...fields<StockItem>('locationId', 'locationName', 'sku', 'productName', 'onHand', 'inTransitIn', 'inTransitOut', 'reorderPoint', 'status'),
        ...(costs ? [moneyColumn<StockItem>('value', currency, (i) => i.value)] : []),
      ],
    });
  });

  app.get('/api/stock/totals', {
    config, preHandler,
    schema: { summary: 'Stock totals per location or per SKU', tags: ['stock'], querystring: TotalsQuery, response: { 200: TotalsAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof TotalsQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const by = q.by ?? 'location';
    const position = deps.currentPosition().toString();
    const docs = await store.find<StockDoc>(COLLECTIONS.stock, {
      where: where({ locationId: locationCondition(visibleLocations(request), q.locationId), sku: q.sku }),
    });
    const totals = new Map<string, { key: string; onHand: number; inTransitIn: number; inTransitOut: number; value: number }>();
    for (const d of docs) {
      const key = by === 'location' ? d.locationId : d.sku;
      const t = totals.get(key) ?? { key, onHand: 0, inTransitIn: 0, inTransitOut: 0, value: 0 };
      totals.set(key, { key, onHand: t.onHand + d.onHand, inTransitIn: t.inTransitIn + d.inTransitIn, inTransitOut: t.inTransitOut + d.inTransitOut, value: t.value + d.value });
    }
    const costs = canSeeCosts(request);
    const items = [...totals.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ value, ...t }) => ({ ...t, ...(costs ? { value } : {}) }));
    return respond(request, reply, { by, items, position }, {
      name: `stock-totals-by-${by}`, rows: items,
      columns: [
        [by === 'location' ? 'locationId' : 'sku', (r) => r.key],
        ...fields<(typeof items)[number]>('onHand', 'inTransitIn', 'inTransitOut'),
        ...(costs ? [moneyColumn<(typeof items)[number] & { value?: number }>('value', deps.currency ?? 'USD', (r) => r.value)] : []),
      ],
    });
  });

  /**
   * Newest first by occurredAt, page after page: the rows at the cursor's instant with a smaller
   * key, then the rows before that instant (keyset paging over the (occurredAt, key) order).
   */
  async function newestFirst(base: Record<string, Scalar | Range | undefined>, cursor: string | undefined, limit: number): Promise<LedgerDoc[]> {
    const order = [['occurredAt', 'desc'], ['_id', 'desc']] as const;
    if (!cursor) return store.find<LedgerDoc>(COLLECTIONS.ledger, { where: where(base), orderBy: order, limit });
    const { at, key } = decodeTimeCursor(cursor);
    const same = await store.find<LedgerDoc>(COLLECTIONS.ledger, { where: where({ ...base, occurredAt: at, _id: { lt: key } }), orderBy: [['_id', 'desc']], limit });
    if (same.length >= limit) return same;
    const before = await store.find<LedgerDoc>(COLLECTIONS.ledger, { where: where({ ...base, occurredAt: { lt: at } }), orderBy: order, limit: limit - same.length });
    return [...same, ...before];
  }

  app.get('/api/movements', {
    config, preHandler,
    schema: {
      summary: 'The movement ledger, in log order, page by page',
      description: 'One row per event line. `balance` is on-hand after the row; `effective: false` marks a movement an earlier count already reflected. Pass `nextCursor` back as `cursor` for the next page.',
      tags: ['stock'], querystring: MovementsQuery, response: { 200: MovementsAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof MovementsQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    // An export is what is filtered, not one page: CSV without `limit` takes every row (bounded).
    const limit = q.limit ?? (wantsCsv(request) ? MAX_CSV_MOVEMENTS : 100);
    const position = deps.currentPosition().toString();
    const names = await loadNames(store);
    // A search finds the SKUs it means in the catalog first (any case, part of a SKU, name or barcode).
    const skus = q.q ? await searchSkus(store, q.q) : undefined;
    if (skus && skus.length === 0) return respond(request, reply, { items: [], position }, { name: 'movements', rows: [], columns: movementColumns });
    const base = {
      locationId: locationCondition(visibleLocations(request), q.locationId),
      sku: q.sku ?? (skus ? { in: skus } : undefined),
    };
    const newest = q.sort === '-occurredAt';
    const rows = newest ? await newestFirst(base, q.cursor, limit + 1) : await store.find<LedgerDoc>(COLLECTIONS.ledger, {
      where: where({ ...base, _id: q.cursor ? { gt: decodeCursor(q.cursor) } : undefined }),
      orderBy: [['_id', 'asc']],
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const items: Movement[] = page.map(({ _id, actorKind: _k, ...row }) => ({
      ...(row as Movement), productName: names.product(row.sku)?.name ?? '', locationName: names.location(row.locationId) ?? row.locationId,
    }));
    const last = page.at(-1);
    const next = rows.length > limit && last ? (newest ? encodeTimeCursor(last) : encodeCursor(last._id)) : undefined;
    const body = { items, position, ...(next ? { nextCursor: next } : {}) };
    if (body.nextCursor) reply.header('x-next-cursor', body.nextCursor);
    return respond(request, reply, body, { name: 'movements', rows: items, columns: movementColumns });
  });
}
