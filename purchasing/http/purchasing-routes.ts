/**
 * Purchasing over HTTP (CONTRACT.md, Purchasing): suppliers, prices, reorder rules, purchase
 * orders (JSON and CSV), on order, suggestions and the two suggestion actions. Every route
 * declares its roles; location-scoped roles act only at their locations. Domain errors name
 * the field at fault (field-problems.ts).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { locationCondition, inScope, where } from '../../projections/models/scope';
import type { ReadStore } from '../../projections/readstore/port';
import { fields } from '../../read-api/csv';
import { awaitMinPosition, respond, type ConsistencyDeps } from '../../read-api/respond';
import { NoBody } from '../../schemas/common';
import {
  OnOrderAnswer, OnOrderQuery, OneQuery, PurchaseOrderAnswer, PurchaseOrdersAnswer, PurchaseOrdersQuery, ReorderRulesAnswer, ReorderRulesQuery,
  SupplierAnswer, SuppliersAnswer, SuppliersQuery, SuggestionsAnswer, SuggestionsQuery, purchasingCommandSchemas as bodies,
} from '../../schemas/purchasing';
import type { CommandBody } from '../../schemas/types';
import { MANAGERS, OPERATORS, READERS, actorOf, assertLocationAccess, visibleLocations } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import type { CommandContext, CommandResult, StockCommands } from '../../write-side/commands/types';
import { positionToString } from '../../write-side/eventstore/port';
import type { PurchasingCommands } from '../commands/purchasing-service';
import { FieldConflict, InvalidField } from '../domain/errors';
import { PURCHASING, type PurchaseOrderDoc, type ReorderRuleDoc, type SupplierDoc } from '../projection/collections';
import { stockPositions, suggestInput } from '../suggestions/figures';
import { availableOf, suggest, type PurchaseSuggestion, type ReorderPointProvider, type Suggestion, type TransferSuggestion } from '../suggestions/suggest';
import { installFieldProblems } from './field-problems';
import { purchaseOrderView, supplierViews, type PurchaseOrderView } from './views';

export interface PurchasingRouteDeps extends ConsistencyDeps {
  readonly purchasing: PurchasingCommands;
  /** The transfer flow, for "Create transfers" from suggestions. */
  readonly stock: StockCommands;
  readonly readStore: ReadStore;
  readonly clock?: () => Date;
  /** The forecasting seam (issue 12): reorder point and order-up-to per (location, SKU). */
  readonly reorderPointProvider?: ReorderPointProvider;
}

const idParams = {
  type: 'object', additionalProperties: false, required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } },
} as const;
const correlationHeader = /^[A-Za-z0-9._:/-]{1,200}$/;

const answer = (r: CommandResult, ids: Record<string, string> = {}) => ({
  ...ids, position: positionToString(r.position), ...(r.duplicate && { duplicate: true }),
});
/** A stable id for what an action creates from a set of suggestions: repeating the action creates nothing new. */
const groupId = (prefix: string, ids: readonly string[]) =>
  `${prefix}-${createHash('sha256').update([...ids].sort().join(',')).digest('hex').slice(0, 20)}`;

export async function purchasingRoutes(parent: FastifyInstance, deps: PurchasingRouteDeps): Promise<void> {
  await parent.register(async (app) => {
    installFieldProblems(app);
    const clock = deps.clock ?? (() => new Date());
    const store = deps.readStore;
    const preHandler = awaitMinPosition(deps);
    const read = { access: { roles: READERS } };
    const contextOf = (request: FastifyRequest): CommandContext => {
      const header = request.headers['x-correlation-id'];
      const correlationId = typeof header === 'string' && correlationHeader.test(header) ? header : request.id;
      return { actor: actorOf(request), source: 'api', correlationId, now: clock() };
    };
    /** The order's draft (404 when unknown), after checking the caller may act at its location. */
    const orderAt = async (request: FastifyRequest, id: string) => {
      const draft = await deps.purchasing.purchaseOrder(id);
      assertLocationAccess(request, draft.locationId);
      return draft;
    };

    // ------------------------------------------------------------ suppliers

    app.post<{ Body: CommandBody<'RegisterSupplier'> }>('/api/suppliers', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Register a supplier', body: bodies.RegisterSupplier },
    }, async (request, reply) => reply.code(201).send(answer(await deps.purchasing.registerSupplier(request.body, contextOf(request)), { id: request.body.id })));

    app.post<{ Params: { id: string }; Body: CommandBody<'SetSupplierPrice'> }>('/api/suppliers/:id/prices', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Set a supplier\'s price of a SKU (MOQ, pack size, preferred)', params: idParams, body: bodies.SetSupplierPrice },
    }, async (request, reply) =>
      reply.code(201).send(answer(await deps.purchasing.setSupplierPrice(request.params.id, request.body, contextOf(request)), { id: request.params.id })));

    app.post<{ Params: { id: string }; Body: CommandBody<'DeactivateSupplier'> }>('/api/suppliers/:id/deactivate', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Deactivate a supplier (its history stays)', params: idParams, body: bodies.DeactivateSupplier },
    }, async (request, reply) =>
      reply.code(201).send(answer(await deps.purchasing.deactivateSupplier(request.params.id, request.body, contextOf(request)), { id: request.params.id })));

    app.get('/api/suppliers', {
      config: read, preHandler,
      schema: { tags: ['purchasing'], summary: 'Suppliers with their prices', querystring: SuppliersQuery, response: { 200: SuppliersAnswer } },
    }, async (request, reply) => {
      const q = request.query as FromSchema<typeof SuppliersQuery>;
      const position = deps.currentPosition().toString();
      const docs = await store.find<SupplierDoc>(PURCHASING.suppliers, { where: where({ active: q.active }), orderBy: [['_id', 'asc']] });
      const items = await supplierViews(store, docs);
      const rows = items.flatMap((s) => (s.prices.length ? s.prices : [undefined]).map((p) => ({ ...s, ...p, prices: undefined })));
      return respond(request, reply, { items, position }, {
        name: 'suppliers', rows,
        columns: fields<(typeof rows)[number]>('id', 'name', 'email', 'leadTimeDays', 'currency', 'active', 'sku', 'unitCost', 'minOrderQuantity', 'packSize', 'preferred'),
      });
    });

    app.get('/api/suppliers/:id', {
      config: read, preHandler,
      schema: { tags: ['purchasing'], summary: 'One supplier', params: idParams, querystring: OneQuery, response: { 200: SupplierAnswer } },
    }, async (request) => {
      const { id } = request.params as { id: string };
      const doc = await store.get<SupplierDoc>(PURCHASING.suppliers, id);
      if (!doc) throw new HttpProblem(404, `no supplier ${id}`);
      const [view] = await supplierViews(store, [doc]);
      return { ...view!, position: deps.currentPosition().toString() };
    });

    // ------------------------------------------------------------ reorder rules

    app.put<{ Body: CommandBody<'SetReorderRule'> }>('/api/reorder-rules', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Set the min / max (and target days of cover) of a SKU at a location', body: bodies.SetReorderRule },
    }, async (request, reply) => {
      assertLocationAccess(request, request.body.locationId);
      return reply.code(200).send(answer(await deps.purchasing.setReorderRule(request.body, contextOf(request))));
    });

    app.get('/api/reorder-rules', {
      config: read, preHandler,
      schema: { tags: ['purchasing'], summary: 'Reorder rules', querystring: ReorderRulesQuery, response: { 200: ReorderRulesAnswer } },
    }, async (request, reply) => {
      const q = request.query as FromSchema<typeof ReorderRulesQuery>;
      if (q.locationId) assertLocationAccess(request, q.locationId);
      const position = deps.currentPosition().toString();
      const docs = await store.find<ReorderRuleDoc>(PURCHASING.rules, {
        where: where({ locationId: locationCondition(visibleLocations(request), q.locationId), sku: q.sku }), orderBy: [['_id', 'asc']],
      });
      const items = docs.map(({ _id, position: _p, ...r }) => r);
      return respond(request, reply, { items, position }, {
        name: 'reorder-rules', rows: items, columns: fields<(typeof items)[number]>('locationId', 'sku', 'min', 'max', 'targetDaysOfCover'),
      });
    });

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
      const items = docs.map((d) => purchaseOrderView(d, now));
      const rows = items.flatMap((o) => o.lines.map((l) => ({ ...l, id: o.id, status: o.status, supplierId: o.supplierId, locationId: o.locationId })));
      return respond(request, reply, { items, position }, { name: 'purchase-orders', rows, columns: lineColumns });
    });

    app.get('/api/purchase-orders/:id', {
      config: read, preHandler,
      schema: { tags: ['purchasing'], summary: 'One purchase order (CSV: its lines)', params: idParams, querystring: OneQuery, response: { 200: PurchaseOrderAnswer } },
    }, async (request, reply) => {
      const { id } = request.params as { id: string };
      const doc = await store.get<PurchaseOrderDoc>(PURCHASING.orders, id);
      if (!doc) throw new HttpProblem(404, `no purchase order ${id}`);
      assertLocationAccess(request, doc.locationId);
      const order = purchaseOrderView(doc, clock());
      const rows = order.lines.map((l) => ({ ...l, id: order.id, status: order.status, supplierId: order.supplierId, locationId: order.locationId }));
      return respond(request, reply, { ...order, position: deps.currentPosition().toString() }, { name: `purchase-order-${id}`, rows, columns: lineColumns });
    });

    // ------------------------------------------------------------ on order and suggestions

    app.get('/api/on-order', {
      config: read, preHandler,
      schema: {
        tags: ['purchasing'], summary: 'On hand, in transit, on order and available per location and SKU',
        description: 'available = onHand + inTransitIn + plannedIn + onOrder − reservedOut (plannedIn / reservedOut: transfers created, not yet dispatched).',
        querystring: OnOrderQuery, response: { 200: OnOrderAnswer },
      },
    }, async (request, reply) => {
      const q = request.query as FromSchema<typeof OnOrderQuery>;
      if (q.locationId) assertLocationAccess(request, q.locationId);
      const position = deps.currentPosition().toString();
      const scope = visibleLocations(request);
      const items = (await stockPositions(store))
        .filter((p) => inScope(scope, p.locationId) && (!q.locationId || p.locationId === q.locationId) && (!q.sku || p.sku === q.sku))
        .map((p) => ({ ...p, available: availableOf(p) }));
      return respond(request, reply, { items, position }, {
        name: 'on-order', rows: items,
        columns: fields<(typeof items)[number]>('locationId', 'sku', 'onHand', 'inTransitIn', 'plannedIn', 'onOrder', 'reservedOut', 'available'),
      });
    });

    /** Current suggestions the caller may see (targets in scope). */
    const currentSuggestions = async (request: FastifyRequest) => {
      const out = suggest(await suggestInput(store, deps.reorderPointProvider));
      const scope = visibleLocations(request);
      return {
        items: out.items.filter((s) => inScope(scope, s.locationId)),
        unresolved: out.unresolved.filter((u) => inScope(scope, u.locationId)),
      };
    };

    app.get('/api/reorder-suggestions', {
      config: read, preHandler,
      schema: {
        tags: ['purchasing'], summary: 'What to transfer or buy, how much, from whom, at what cost, and why',
        querystring: SuggestionsQuery, response: { 200: SuggestionsAnswer },
      },
    }, async (request, reply) => {
      const q = request.query as FromSchema<typeof SuggestionsQuery>;
      if (q.locationId) assertLocationAccess(request, q.locationId);
      const position = deps.currentPosition().toString();
      const all = await currentSuggestions(request);
      const keep = (s: { locationId: string; sku: string }) => (!q.locationId || s.locationId === q.locationId) && (!q.sku || s.sku === q.sku);
      const items = all.items.filter(keep);
      return respond(request, reply, { items, unresolved: all.unresolved.filter(keep), position }, {
        name: 'reorder-suggestions', rows: items as Array<Suggestion & Partial<PurchaseSuggestion> & Partial<TransferSuggestion>>,
        columns: fields<Suggestion & Partial<PurchaseSuggestion> & Partial<TransferSuggestion>>(
          'id', 'kind', 'locationId', 'sku', 'quantity', 'fromLocationId', 'supplierId', 'unitCost', 'lineCost', 'currency', 'available', 'min', 'max', 'reason'),
      });
    });

    /**
     * The selected suggestions, all still current (else 409 stale, naming the entry) and of an
     * accepted kind (else 400). Acting on one kind changes the figures the other was computed
     * from, so a selection of both kinds is applied in one go by `/apply`.
     */
    async function selected(request: FastifyRequest, ids: readonly string[], kinds: ReadonlyArray<Suggestion['kind']>): Promise<Suggestion[]> {
      const byId = new Map((await currentSuggestions(request)).items.map((s) => [s.id, s]));
      return ids.map((id, i) => {
        const s = byId.get(id);
        if (!s) throw new FieldConflict(`suggestion ${id} is no longer current: reload the suggestions`, 'stale-suggestion', `suggestionIds/${i}`);
        if (!kinds.includes(s.kind)) throw new InvalidField(`suggestion ${id} is a ${s.kind} suggestion`, 'wrong-kind', `suggestionIds/${i}`);
        if (s.kind === 'transfer') assertLocationAccess(request, s.fromLocationId);
        else assertLocationAccess(request, s.locationId);
        return s;
      });
    }
    const groupBy = <T>(items: readonly T[], keyOf: (t: T) => string) => {
      const groups = new Map<string, T[]>();
      for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
      return [...groups.values()];
    };
    const shown = <T extends CommandResult>({ position: _p, duplicate, ...rest }: T) => ({ ...rest, ...(duplicate && { duplicate }) });

    /** One transfer per (origin, destination), through the existing transfer flow; ids derive from the suggestions. */
    async function createTransfers(chosen: readonly TransferSuggestion[], ctx: CommandContext) {
      const created = [];
      for (const group of groupBy(chosen, (s) => `${s.fromLocationId}|${s.locationId}`)) {
        const { fromLocationId, locationId: toLocationId } = group[0]!;
        const result = await deps.stock.createTransfer({
          id: groupId('tr', group.map((s) => s.id)), fromLocationId, toLocationId, lines: group.map((s) => ({ sku: s.sku, quantity: s.quantity })),
        }, ctx);
        created.push({ ...result, fromLocationId, toLocationId });
      }
      return created;
    }

    /** One draft per (supplier, location); ids derive from the suggestions, so a repeat drafts nothing new. */
    async function draftOrders(chosen: readonly PurchaseSuggestion[], ctx: CommandContext) {
      const created = [];
      for (const group of groupBy(chosen, (s) => `${s.supplierId}|${s.locationId}`)) {
        const ids = group.map((s) => s.id);
        const { supplierId, locationId } = group[0]!;
        const result = await deps.purchasing.draftPurchaseOrder({
          id: groupId('po', ids), supplierId, locationId, lines: group.map((s) => ({ sku: s.sku, quantity: s.quantity, unitCost: s.unitCost })), suggestionIds: ids,
        }, ctx);
        created.push({ ...result, supplierId, locationId });
      }
      return created;
    }
    const latest = (results: readonly CommandResult[]) => positionToString(results.reduce((max, r) => (r.position > max ? r.position : max), 0n));
    const isTransfer = (s: Suggestion): s is TransferSuggestion => s.kind === 'transfer';
    const isPurchase = (s: Suggestion): s is PurchaseSuggestion => s.kind === 'purchase';

    app.post<{ Body: CommandBody<'SuggestionAction'> }>('/api/reorder-suggestions/purchase-orders', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Draft purchase orders from selected suggestions, one per supplier and location', body: bodies.SuggestionAction },
    }, async (request, reply) => {
      const chosen = (await selected(request, request.body.suggestionIds, ['purchase'])).filter(isPurchase);
      const orders = await draftOrders(chosen, contextOf(request));
      return reply.code(201).send({ purchaseOrders: orders.map(shown), position: latest(orders) });
    });

    app.post<{ Body: CommandBody<'SuggestionAction'> }>('/api/reorder-suggestions/transfers', {
      config: { access: { roles: MANAGERS } },
      schema: { tags: ['purchasing'], summary: 'Create transfers from selected suggestions, one per origin and destination', body: bodies.SuggestionAction },
    }, async (request, reply) => {
      const chosen = (await selected(request, request.body.suggestionIds, ['transfer'])).filter(isTransfer);
      const transfers = await createTransfers(chosen, contextOf(request));
      return reply.code(201).send({ transfers: transfers.map(shown), position: latest(transfers) });
    });

    app.post<{ Body: CommandBody<'SuggestionAction'> }>('/api/reorder-suggestions/apply', {
      config: { access: { roles: MANAGERS } },
      schema: {
        tags: ['purchasing'], summary: 'Transfers, then purchase orders, from one selection of suggestions (rebalance before buying)',
        body: bodies.SuggestionAction,
      },
    }, async (request, reply) => {
      const chosen = await selected(request, request.body.suggestionIds, ['transfer', 'purchase']);
      const ctx = contextOf(request);
      const transfers = await createTransfers(chosen.filter(isTransfer), ctx);
      const orders = await draftOrders(chosen.filter(isPurchase), ctx);
      return reply.code(201).send({ transfers: transfers.map(shown), purchaseOrders: orders.map(shown), position: latest([...transfers, ...orders]) });
    });
  });
}
