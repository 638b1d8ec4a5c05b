/** On order, reorder suggestions, and the actions that create transfers and purchase orders from them. */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { inScope } from '../../projections/models/scope';
import { fields } from '../../read-api/csv';
import { respond } from '../../read-api/respond';
import { OnOrderAnswer, OnOrderQuery, SuggestionsAnswer, SuggestionsQuery, purchasingCommandSchemas as bodies } from '../../schemas/purchasing';
import type { CommandBody } from '../../schemas/types';
import { MANAGERS, assertLocationAccess, visibleLocations } from '../../server/http/access';
import type { CommandContext, CommandResult } from '../../write-side/commands/types';
import { positionToString } from '../../write-side/eventstore/port';
import { liveProjections } from '../../server/live-projections';
import { CreateTransfer } from '../../schemas/commands';
import { DraftPurchaseOrder } from '../../schemas/purchasing';
import { FieldConflict, InvalidField } from '../domain/errors';
import { stockPositions, suggestInput } from '../suggestions/figures';
import { availableOf, suggest, type PurchaseSuggestion, type Suggestion, type SuggestOutput, type TransferSuggestion } from '../suggestions/suggest';
import { columnsFor, costsFor, routeKit, type PurchasingRouteDeps } from './route-kit';

/**
 * A stable id for what an action creates from a set of suggestions at one read position:
 * repeating the action creates nothing new. The position is part of it because a suggestion's
 * id only says what it suggests: the same figures weeks later (after the first order was
 * received) are a new need, not a repeat, and must not be swallowed as a duplicate.
 */
const groupId = (prefix: string, ids: readonly string[], position: string) =>
  `${prefix}-${createHash('sha256').update(`${position}|${[...ids].sort().join(',')}`).digest('hex').slice(0, 20)}`;

/** The most lines one transfer or purchase order takes: a larger group is cut in parts. */
const MAX_LINES = Math.min(CreateTransfer.properties.lines.maxItems, DraftPurchaseOrder.properties.lines.maxItems);

export async function suggestionRoutes(app: FastifyInstance, deps: PurchasingRouteDeps): Promise<void> {
  const { clock, store, preHandler, read, contextOf } = routeKit(deps);
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

  /**
   * The suggestion pass, kept for the read state it was computed at: every projection's
   * checkpoint (each commits its documents and checkpoint together, so equal checkpoints mean
   * equal read models) and the day (the forecast's "today", the demand window). A GET and the
   * `apply` that follows it at the same read state share one pass; any event committed since
   * moves a checkpoint and the pass is made again, so a suggestion a later event made stale is
   * still refused. Kept only when no checkpoint moved while it ran.
   */
  let kept: { key: string; out: Promise<SuggestOutput> } | undefined;
  const readState = async () => (await Promise.all(liveProjections.map((p) => store.checkpoint(p.name)))).join(',');
  const suggestionPass = async () => {
    const now = clock();
    const day = now.toISOString().slice(0, 10);
    const key = `${day}|${await readState()}`;
    if (kept?.key === key) return kept.out;
    const out = suggestInput(store, deps.reorderPointProvider, now).then(suggest);
    const entry = { key, out };
    kept = entry;
    try {
      await out;
    } catch (error) {
      if (kept === entry) kept = undefined;
      throw error;
    }
    if (kept === entry && `${day}|${await readState()}` !== key) kept = undefined;
    return out;
  };

  /** Current suggestions the caller may see (targets in scope). */
  const currentSuggestions = async (request: FastifyRequest) => {
    const out = await suggestionPass();
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
    const items = costsFor(request, all.items.filter(keep));
    return respond(request, reply, { items, unresolved: all.unresolved.filter(keep), position }, {
      name: 'reorder-suggestions', rows: items as Array<Suggestion & Partial<PurchaseSuggestion> & Partial<TransferSuggestion>>,
      columns: columnsFor(request, fields<Suggestion & Partial<PurchaseSuggestion> & Partial<TransferSuggestion>>(
        'id', 'kind', 'locationId', 'sku', 'quantity', 'fromLocationId', 'supplierId', 'unitCost', 'lineCost', 'currency', 'available', 'min', 'max', 'reason')),
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
  /** Groups by key, each cut to at most MAX_LINES (the most lines a transfer or an order takes). */
  const groupBy = <T>(items: readonly T[], keyOf: (t: T) => string) => {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const group = groups.get(keyOf(item));
      if (group) group.push(item);
      else groups.set(keyOf(item), [item]);
    }
    return [...groups.values()].flatMap((group) =>
      Array.from({ length: Math.ceil(group.length / MAX_LINES) }, (_, i) => group.slice(i * MAX_LINES, (i + 1) * MAX_LINES)));
  };
  const shown = <T extends CommandResult>({ position: _p, duplicate, ...rest }: T) => ({ ...rest, ...(duplicate && { duplicate }) });

  /** One transfer per (origin, destination), through the existing transfer flow; ids derive from the suggestions, and each says which it holds. */
  async function createTransfers(chosen: readonly TransferSuggestion[], ctx: CommandContext, position: string) {
    const created = [];
    for (const group of groupBy(chosen, (s) => `${s.fromLocationId}|${s.locationId}`)) {
      const { fromLocationId, locationId: toLocationId } = group[0]!;
      const result = await deps.stock.createTransfer({
        id: groupId('tr', group.map((s) => s.id), position), fromLocationId, toLocationId, lines: group.map((s) => ({ sku: s.sku, quantity: s.quantity })),
      }, ctx);
      created.push({ ...result, fromLocationId, toLocationId, suggestionIds: group.map((s) => s.id) });
    }
    return created;
  }

  /** One draft per (supplier, location); ids derive from the suggestions, so a repeat drafts nothing new. */
  async function draftOrders(chosen: readonly PurchaseSuggestion[], ctx: CommandContext, position: string) {
    const created = [];
    for (const group of groupBy(chosen, (s) => `${s.supplierId}|${s.locationId}`)) {
      const ids = group.map((s) => s.id);
      const { supplierId, locationId } = group[0]!;
      const result = await deps.purchasing.draftPurchaseOrder({
        id: groupId('po', ids, position), supplierId, locationId, lines: group.map((s) => ({ sku: s.sku, quantity: s.quantity, unitCost: s.unitCost })), suggestionIds: ids,
      }, ctx);
      created.push({ ...result, supplierId, locationId, suggestionIds: ids });
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
    const position = deps.currentPosition().toString();
    const chosen = (await selected(request, request.body.suggestionIds, ['purchase'])).filter(isPurchase);
    const orders = await draftOrders(chosen, contextOf(request), position);
    return reply.code(201).send({ purchaseOrders: orders.map(shown), position: latest(orders) });
  });

  app.post<{ Body: CommandBody<'SuggestionAction'> }>('/api/reorder-suggestions/transfers', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Create transfers from selected suggestions, one per origin and destination', body: bodies.SuggestionAction },
  }, async (request, reply) => {
    const position = deps.currentPosition().toString();
    const chosen = (await selected(request, request.body.suggestionIds, ['transfer'])).filter(isTransfer);
    const transfers = await createTransfers(chosen, contextOf(request), position);
    return reply.code(201).send({ transfers: transfers.map(shown), position: latest(transfers) });
  });

  app.post<{ Body: CommandBody<'SuggestionAction'> }>('/api/reorder-suggestions/apply', {
    config: { access: { roles: MANAGERS } },
    schema: {
      tags: ['purchasing'], summary: 'Transfers, then purchase orders, from one selection of suggestions (rebalance before buying)',
      body: bodies.SuggestionAction,
    },
  }, async (request, reply) => {
    const position = deps.currentPosition().toString();
    const chosen = await selected(request, request.body.suggestionIds, ['transfer', 'purchase']);
    const ctx = contextOf(request);
    const transfers = await createTransfers(chosen.filter(isTransfer), ctx, position);
    const orders = await draftOrders(chosen.filter(isPurchase), ctx, position);
    return reply.code(201).send({ transfers: transfers.map(shown), purchaseOrders: orders.map(shown), position: latest([...transfers, ...orders]) });
  });
}
