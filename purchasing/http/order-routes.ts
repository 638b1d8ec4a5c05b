/** Purchase orders: draft, send, cancel, close, receive; the list and one order (JSON or CSV). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { locationCondition, where } from '../../projections/models/scope';
import { fields } from '../../read-api/csv';
import { respond } from '../../read-api/respond';
import { NoBody } from '../../schemas/common';
import { OneQuery, PurchaseOrderAnswer, PurchaseOrdersAnswer, PurchaseOrdersQuery, purchasingCommandSchemas as bodies } from '../../schemas/purchasing';
import type { CommandBody } from '../../schemas/types';
import { MANAGERS, OPERATORS, assertLocationAccess, visibleLocations } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import { PURCHASING, type PurchaseOrderDoc } from '../projection/collections';
import { answer, columnsFor, costsFor, idParams, routeKit, type PurchasingRouteDeps } from './route-kit';
import { purchaseOrderView, type PurchaseOrderView } from './views';

export async function orderRoutes(app: FastifyInstance, deps: PurchasingRouteDeps): Promise<void> {
  const { clock, store, preHandler, read, contextOf } = routeKit(deps);
  /** The order's draft (404 when unknown), after checking the caller may act at its location. */
  const orderAt = async (request: FastifyRequest, id: string) => {
    const draft = await deps.purchasing.purchaseOrder(id);
    assertLocationAccess(request, draft.locationId);
    return draft;
  };

  // ------------------------------------------------------------ purchase orders

  app.post<{ Body: CommandBody<'DraftPurchaseOrder'> }>('/api/purchase-orders', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Draft a purchase order', body: bodies.DraftPurchaseOrder },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const { id, ...result } = await deps.purchasing.draftPurchaseOrder(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id }));
  });

  app.post<{ Params: { id: string } }>('/api/purchase-orders/:id/send', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Send a draft to its supplier (announces purchase_order.sent)', params: idParams, body: NoBody },
  }, async (request, reply) => {
    await orderAt(request, request.params.id);
    return reply.code(201).send(answer(await deps.purchasing.sendPurchaseOrder(request.params.id, contextOf(request)), { id: request.params.id }));
  });

  app.post<{ Params: { id: string }; Body: CommandBody<'CancelPurchaseOrder'> }>('/api/purchase-orders/:id/cancel', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Cancel an order nothing has arrived against', params: idParams, body: bodies.CancelPurchaseOrder },
  }, async (request, reply) => {
    await orderAt(request, request.params.id);
    return reply.code(201).send(answer(await deps.purchasing.cancelPurchaseOrder(request.params.id, request.body, contextOf(request)), { id: request.params.id }));
  });

  app.post<{ Params: { id: string }; Body: CommandBody<'ClosePurchaseOrder'> }>('/api/purchase-orders/:id/close', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Close every outstanding line short', params: idParams, body: bodies.ClosePurchaseOrder },
  }, async (request, reply) => {
    await orderAt(request, request.params.id);
    return reply.code(201).send(answer(await deps.purchasing.closePurchaseOrder(request.params.id, request.body, contextOf(request)), { id: request.params.id }));
  });

  app.post<{ Params: { id: string }; Body: CommandBody<'ReceivePurchaseOrder'> }>('/api/purchase-orders/:id/receive', {
    config: { access: { roles: OPERATORS } },
    schema: {
      tags: ['purchasing'], summary: 'Receive goods against an order (partial allowed); appends the stock receipt at the order\'s unit costs',
      params: idParams, body: bodies.ReceivePurchaseOrder,
    },
  }, async (request, reply) => {
    await orderAt(request, request.params.id);
    const { receiptId, ...result } = await deps.purchasing.receivePurchaseOrder(request.params.id, request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id: request.params.id, receiptId }));
  });

  const lineColumns = fields<PurchaseOrderView['lines'][number] & { id: string; status: string; supplierId: string; locationId: string }>(
    'id', 'status', 'supplierId', 'locationId', 'sku', 'ordered', 'received', 'closed', 'outstanding', 'unitCost', 'lineCost');

  app.get('/api/purchase-orders', {
    config: read, preHandler,
    schema: { tags: ['purchasing'], summary: 'Purchase orders, filtered by status, supplier, location', querystring: PurchaseOrdersQuery, response: { 200: PurchaseOrdersAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof PurchaseOrdersQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const docs = await store.find<PurchaseOrderDoc>(PURCHASING.orders, {
      where: where({ locationId: locationCondition(visibleLocations(request), q.locationId), status: q.status, supplierId: q.supplierId }),
      orderBy: [['createdAt', 'desc'], ['_id', 'asc']],
    });
    const now = clock();
    const items = costsFor(request, docs.map((d) => purchaseOrderView(d, now)));
    const rows = items.flatMap((o) => o.lines.map((l) => ({ ...l, id: o.id, status: o.status, supplierId: o.supplierId, locationId: o.locationId })));
    return respond(request, reply, { items, position }, { name: 'purchase-orders', rows, columns: columnsFor(request, lineColumns) });
  });

  app.get('/api/purchase-orders/:id', {
    config: read, preHandler,
    schema: { tags: ['purchasing'], summary: 'One purchase order (CSV: its lines)', params: idParams, querystring: OneQuery, response: { 200: PurchaseOrderAnswer } },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const doc = await store.get<PurchaseOrderDoc>(PURCHASING.orders, id);
    if (!doc) throw new HttpProblem(404, `no purchase order ${id}`);
    assertLocationAccess(request, doc.locationId);
    const order = costsFor(request, purchaseOrderView(doc, clock()));
    const rows = order.lines.map((l) => ({ ...l, id: order.id, status: order.status, supplierId: order.supplierId, locationId: order.locationId }));
    return respond(request, reply, { ...order, position: deps.currentPosition().toString() }, { name: `purchase-order-${id}`, rows, columns: columnsFor(request, lineColumns) });
  });
}
