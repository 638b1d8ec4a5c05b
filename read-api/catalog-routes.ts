/** Alerts, transfers, locations and products. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { COLLECTIONS, type AlertDoc, type LocationDoc, type ProductDoc, type TransferDoc } from '../projections/models/collections';
import { locationCondition, inScope, where } from '../projections/models/scope';
import { overdueTransferAlerts, transferOverdueHoursFromEnv } from '../projections/models/transfers';
import {
  AlertsAnswer, AlertsQuery, LocationsAnswer, LocationsQuery, ProductsAnswer, ProductsQuery,
  TransferAnswer, TransferParams, TransfersAnswer, TransfersQuery,
} from '../schemas/read-api';
import { assertLocationAccess, canSeeCosts, Forbidden, READERS, visibleLocations } from '../server/http/access';
import { HttpProblem } from '../server/http/problem';
import { fields, moneyColumn } from './csv';
import { loadNames } from './names';
import type { ReadRouteDeps } from './read-deps';
import { awaitMinPosition, respond } from './respond';
import { skuOfBarcode } from '../catalog/barcode-lookup';

type Alert = FromSchema<typeof AlertsAnswer>['items'][number];
type Transfer = FromSchema<typeof TransfersAnswer>['items'][number];

const alertOf = ({ _id, position, positionKey: _p, status: _s, clearedAt: _c, ...rest }: AlertDoc): Alert =>
  ({ id: _id, ...rest, lastPosition: position }) as Alert;

const transferOf = ({ _id, transferId, position, positionKey: _p, ...rest }: TransferDoc): Transfer =>
  ({ id: transferId, ...rest, lastPosition: position }) as Transfer;

/** A transfer is visible to whoever may see either end. */
const transferVisible = (request: FastifyRequest, t: { fromLocationId: string; toLocationId: string }): boolean => {
  const scope = visibleLocations(request);
  return inScope(scope, t.fromLocationId) || inScope(scope, t.toLocationId);
};

export async function catalogRoutes(app: FastifyInstance, deps: ReadRouteDeps): Promise<void> {
  const config = { access: { roles: READERS } };
  const preHandler = awaitMinPosition(deps);
  const store = deps.readStore;
  const clock = deps.clock ?? (() => new Date());
  const overdueHours = deps.transferOverdueHours ?? transferOverdueHoursFromEnv();

  app.get('/api/alerts', {
    config, preHandler,
    schema: {
      summary: 'Open alerts: low stock, negative stock, POS discrepancies, transfers in transit too long',
      description: `Transfers count as overdue ${overdueHours} hours after dispatch (IMS_TRANSFER_OVERDUE_HOURS); that alert is computed when asked, because it depends on the clock.`,
      tags: ['alerts'], querystring: AlertsQuery, response: { 200: AlertsAnswer },
    },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof AlertsQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const scope = visibleLocations(request);
    const stored = await store.find<AlertDoc>(COLLECTIONS.alerts, {
      where: where({ status: 'open', locationId: locationCondition(scope, q.locationId), alertType: q.type }),
    });
    const overdue = q.type === undefined || q.type === 'transfer_overdue'
      ? (await overdueTransferAlerts(store, clock(), overdueHours)).filter((a) => {
          const ends = a.details as { fromLocationId: string; toLocationId: string };
          return transferVisible(request, ends) && (!q.locationId || ends.fromLocationId === q.locationId || ends.toLocationId === q.locationId);
        })
      : [];
    const computed = (await Promise.all((deps.computedAlerts ?? []).map((f) => f(clock()))))
      .flat()
      .filter((a) => (q.type === undefined || a.alertType === q.type) && inScope(scope, a.locationId) && (!q.locationId || a.locationId === q.locationId));
    const items = [...stored, ...overdue, ...(computed as unknown as AlertDoc[])]
      .sort((a, b) => (a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a._id < b._id ? -1 : 1))
      .map(alertOf);
    const names = await loadNames(store);
    const rows = items.map((a) => ({ ...a, locationName: names.location(a.locationId) ?? a.locationId, productName: a.sku ? names.product(a.sku)?.name ?? '' : '' }));
    return respond(request, reply, { items, position }, {
      name: 'alerts', rows, columns: fields<(typeof rows)[number]>('id', 'alertType', 'locationId', 'locationName', 'sku', 'productName', 'transferId', 'message', 'raisedAt'),
    });
  });

  app.get('/api/transfers', {
    config, preHandler,
    schema: { summary: 'Transfers and their status', tags: ['transfers'], querystring: TransfersQuery, response: { 200: TransfersAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof TransfersQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const docs = await store.find<TransferDoc>(COLLECTIONS.transfers, {
      where: where({ status: q.status }), orderBy: [['createdAt', 'asc'], ['_id', 'asc']],
    });
    const items = docs
      .filter((t) => transferVisible(request, t) && (!q.locationId || t.fromLocationId === q.locationId || t.toLocationId === q.locationId))
      .map(transferOf);
    const names = await loadNames(store);
    const rows = items.flatMap((t) => t.lines.map((l) => ({
      ...t, ...l,
      fromLocationName: names.location(t.fromLocationId) ?? t.fromLocationId,
      toLocationName: names.location(t.toLocationId) ?? t.toLocationId,
      productName: names.product(l.sku)?.name ?? '',
    })));
    return respond(request, reply, { items, position }, {
      name: 'transfers', rows,
      columns: fields<(typeof rows)[number]>(
        'number', 'id', 'fromLocationId', 'fromLocationName', 'toLocationId', 'toLocationName', 'status', 'createdAt', 'dispatchedAt', 'receivedAt',
        'sku', 'productName', 'quantity', 'dispatched', 'received', 'shortfall',
      ),
    });
  });

  app.get('/api/transfers/:id', {
    config, preHandler,
    schema: { summary: 'One transfer', tags: ['transfers'], params: TransferParams, querystring: LocationsQuery, response: { 200: TransferAnswer } },
  }, async (request, reply) => {
    const { id } = request.params as FromSchema<typeof TransferParams>;
    const position = deps.currentPosition().toString();
    const doc = await store.get<TransferDoc>(COLLECTIONS.transfers, id);
    if (!doc) throw new HttpProblem(404, `no transfer ${id}`);
    if (!transferVisible(request, doc)) throw new Forbidden(`no access to transfer ${id}`);
    const transfer = transferOf(doc);
    return respond(request, reply, { ...transfer, position }, {
      name: `transfer-${id}`, rows: transfer.lines, columns: fields<Transfer['lines'][number]>('sku', 'quantity', 'dispatched', 'received', 'shortfall'),
    });
  });

  app.get('/api/locations', {
    config, preHandler,
    schema: { summary: 'Locations (stores and warehouses) visible to the caller', tags: ['catalog'], querystring: LocationsQuery, response: { 200: LocationsAnswer } },
  }, async (request, reply) => {
    const position = deps.currentPosition().toString();
    const q = request.query as FromSchema<typeof LocationsQuery>;
    const scope = q.all ? 'all' : visibleLocations(request);
    const docs = await store.find<LocationDoc>(COLLECTIONS.locations, { where: where({ _id: locationCondition(scope) }), orderBy: [['_id', 'asc']] });
    const items = docs.map((d) => ({ id: d.id, name: d.name, type: d.type }));
    return respond(request, reply, { items, position }, { name: 'locations', rows: items, columns: fields<(typeof items)[number]>('id', 'name', 'type') });
  });

  app.get('/api/products', {
    config, preHandler,
    schema: { summary: 'Products of the catalog', tags: ['catalog'], querystring: ProductsQuery, response: { 200: ProductsAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof ProductsQuery>;
    const position = deps.currentPosition().toString();
    // ?barcode= finds a product by any form of any of its codes (UPC-A and its EAN-13 alike).
    const bySku = q.barcode === undefined ? q.sku : await skuOfBarcode(store, q.barcode);
    const docs = bySku === null ? [] : await store.find<ProductDoc>(COLLECTIONS.products, { where: where({ _id: bySku, category: q.category }), orderBy: [['_id', 'asc']] });
    const costs = canSeeCosts(request);
    const items = docs.map(({ _id, position: _p, unitCost, ...p }) => ({ ...p, ...(costs && unitCost !== undefined ? { unitCost } : {}) }));
    return respond(request, reply, { items, position }, {
      name: 'products', rows: items,
      columns: [
        ...fields<(typeof items)[number]>('sku', 'name'),
        ...(costs ? [moneyColumn<(typeof items)[number] & { unitCost?: number }>('unitCost', deps.currency ?? 'USD', (p) => p.unitCost)] : []),
        ...fields<(typeof items)[number]>('reorderPoint'),
        moneyColumn<(typeof items)[number] & { price?: number }>('price', deps.currency ?? 'USD', (p) => p.price),
        ...fields<(typeof items)[number] & { category?: string }>('category'),
      ],
    });
  });
}
