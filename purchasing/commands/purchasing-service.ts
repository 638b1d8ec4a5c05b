/**
 * Purchasing's command service: loads the streams a decision needs (its own cache over the
 * same event store), decides with the pure purchasing deciders, and appends to the one
 * stream the events belong to at that stream's expected revision, re-deciding on conflict.
 *
 * A receipt, send, cancel or close targets the delivery location's stream: the stock command
 * service appends there too (sales, dispatches), so both guard with the expected revision
 * and a conflict is simply decided again. The stock service's cache reads our events when it
 * next loads the stream (it always catches up from its cached revision).
 */
import type { CommandBody, DomainEvent } from '../../schemas/types';
import { assertValidEvent } from '../../schemas/validation';
import { evolveProduct, initialProductState, type ProductState } from '../../write-side/domain/catalog/product-state';
import { locationStream, productStream } from '../../write-side/domain/decide';
import { idempotencyKeyOf, receiptKey } from '../../write-side/domain/idempotency';
import { deterministicId, newId } from '../../write-side/commands/ids';
import { KeyedLock } from '../../write-side/commands/keyed-lock';
import { StreamCache, type CachedStream, type StreamKind } from '../../write-side/commands/stream-cache';
import type { CommandContext, CommandResult } from '../../write-side/commands/types';
import { ConcurrencyError, IdempotencyConflictError, type EventStore, type EventToAppend } from '../../write-side/eventstore/port';
import type { PurchasingCommand } from '../domain/commands';
import { decidePurchasing } from '../domain/decide';
import { evolveOrdersAtLocation, initialOrdersAtLocation, type OrdersAtLocationState } from '../domain/orders-at-location';
import { evolvePurchaseOrder, initialPurchaseOrderState, type PurchaseOrderState } from '../domain/purchase-order-state';
import { closeIdOf } from '../domain/receive-purchase-order';
import {
  poCancelledKey, poClosedKey, poDraftedKey, poSentKey, purchaseOrderStream, reorderRulesStream, supplierDeactivatedKey, supplierStream,
} from '../domain/streams';
import { evolveSupplier, initialSupplierState, type SupplierState } from '../domain/supplier-state';
import type { PurchasingView } from '../domain/view';
import { UnknownField } from '../domain/errors';

type Ref =
  | { kind: 'supplier'; id: string }
  | { kind: 'order'; id: string }
  | { kind: 'location'; id: string }
  | { kind: 'product'; id: string }
  | { kind: 'rules'; id: string };

const kinds = {
  supplier: { initial: initialSupplierState, evolve: evolveSupplier } as StreamKind<SupplierState>,
  order: { initial: initialPurchaseOrderState, evolve: evolvePurchaseOrder } as StreamKind<PurchaseOrderState>,
  location: { initial: initialOrdersAtLocation, evolve: evolveOrdersAtLocation } as StreamKind<OrdersAtLocationState>,
  product: { initial: initialProductState, evolve: evolveProduct } as StreamKind<ProductState>,
  // Rules are settings: the stream needs no state, only its revision.
  rules: { initial: () => null, evolve: (s: null) => s } as StreamKind<null>,
};

function streamIdOf(ref: Ref): string {
  switch (ref.kind) {
    case 'supplier': return supplierStream(ref.id);
    case 'order': return purchaseOrderStream(ref.id);
    case 'location': return locationStream(ref.id);
    case 'product': return productStream(ref.id);
    case 'rules': return reorderRulesStream(ref.id);
    default: {
      const _exhaustive: never = ref;
      return _exhaustive;
    }
  }
}

/** The key a command's events carry (to answer a repeat with the original position). */
function keysOf(command: PurchasingCommand): string[] {
  switch (command.type) {
    case 'DeactivateSupplier': return [supplierDeactivatedKey(command.supplierId)];
    case 'DraftPurchaseOrder': return [poDraftedKey(command.purchaseOrderId)];
    case 'SendPurchaseOrder': return [poSentKey(command.purchaseOrderId)];
    case 'CancelPurchaseOrder': return [poCancelledKey(command.purchaseOrderId)];
    case 'ClosePurchaseOrder': return [poClosedKey(command.purchaseOrderId, command.closeId)];
    case 'ReceivePurchaseOrder': return [receiptKey(command.receiptId), poClosedKey(command.purchaseOrderId, closeIdOf(command.receiptId))];
    case 'RegisterSupplier':
    case 'SetSupplierPrice':
    case 'SetReorderRule':
      return [];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export type DraftBody = CommandBody<'DraftPurchaseOrder'> & { suggestionIds?: string[] };

export interface PurchasingCommands {
  registerSupplier(body: CommandBody<'RegisterSupplier'>, ctx: CommandContext): Promise<CommandResult>;
  setSupplierPrice(supplierId: string, body: CommandBody<'SetSupplierPrice'>, ctx: CommandContext): Promise<CommandResult>;
  deactivateSupplier(supplierId: string, body: CommandBody<'DeactivateSupplier'>, ctx: CommandContext): Promise<CommandResult>;
  setReorderRule(body: CommandBody<'SetReorderRule'>, ctx: CommandContext): Promise<CommandResult>;
  draftPurchaseOrder(body: DraftBody, ctx: CommandContext): Promise<CommandResult & { id: string }>;
  sendPurchaseOrder(id: string, ctx: CommandContext): Promise<CommandResult>;
  cancelPurchaseOrder(id: string, body: CommandBody<'CancelPurchaseOrder'>, ctx: CommandContext): Promise<CommandResult>;
  closePurchaseOrder(id: string, body: CommandBody<'ClosePurchaseOrder'>, ctx: CommandContext): Promise<CommandResult>;
  receivePurchaseOrder(id: string, body: CommandBody<'ReceivePurchaseOrder'>, ctx: CommandContext): Promise<CommandResult & { receiptId: string }>;
  /** The draft of an order (404 when unknown): the edge checks access to its location. */
  purchaseOrder(id: string): Promise<Extract<PurchaseOrderState, { drafted: true }>>;
}

export interface PurchasingCommandsOptions {
  readonly maxCachedStreams?: number;
  readonly maxAttempts?: number;
  /** The currency of suppliers registered without one (IMS_CURRENCY). */
  readonly currency?: string;
}

const isRetryable = (error: unknown) => error instanceof ConcurrencyError || error instanceof IdempotencyConflictError;

export function createPurchasingCommands(eventStore: EventStore, options: PurchasingCommandsOptions = {}): PurchasingCommands {
  const cache = new StreamCache(eventStore, options.maxCachedStreams ?? 2_000);
  const lock = new KeyedLock();
  const maxAttempts = options.maxAttempts ?? 10;
  const defaultCurrency = options.currency ?? 'USD';

  const load = (ref: Ref): Promise<CachedStream<unknown>> => {
    const id = streamIdOf(ref);
    switch (ref.kind) {
      case 'product': return cache.load(id, kinds.product, (s) => s.registered) as Promise<CachedStream<unknown>>;
      case 'order': return cache.load(id, kinds.order, (s) => s.drafted) as Promise<CachedStream<unknown>>;
      default: return cache.load(id, kinds[ref.kind] as StreamKind<unknown>);
    }
  };

  async function loadView(refs: readonly Ref[]) {
    const unique = [...new Map(refs.map((r) => [streamIdOf(r), r])).values()];
    const entries = new Map((await Promise.all(unique.map(load))).map((e) => [e.streamId, e]));
    const stateOf = <S>(streamId: string, initial: () => S): S => (entries.get(streamId)?.state as S | undefined) ?? initial();
    const view: PurchasingView = {
      supplier: (id) => stateOf(supplierStream(id), initialSupplierState),
      purchaseOrder: (id) => stateOf(purchaseOrderStream(id), initialPurchaseOrderState),
      location: (id) => stateOf(locationStream(id), initialOrdersAtLocation),
      product: (sku) => stateOf(productStream(sku), initialProductState),
    };
    return { view, entries };
  }

  function envelope(event: DomainEvent, streamId: string, ctx: CommandContext): EventToAppend {
    const metadata = {
      actor: ctx.actor, source: ctx.source, correlationId: ctx.correlationId,
      ...(ctx.causationId !== undefined && { causationId: ctx.causationId }),
    };
    assertValidEvent(event.type, event.data, metadata);
    const key = idempotencyKeyOf(event);
    return { id: key === undefined ? newId() : deterministicId(`${streamId}/${key}`), type: event.type, data: event.data as Record<string, unknown>, metadata };
  }

  async function execute(command: PurchasingCommand, ctx: CommandContext, target: Ref, reads: readonly Ref[]): Promise<CommandResult> {
    const streamId = streamIdOf(target);
    const keys = keysOf(command);
    return lock.run(streamId, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const { view, entries } = await loadView([target, ...reads]);
        const entry = entries.get(streamId)!;
        // Nothing awaits between deciding and the append's call: the decision matches the revision.
        const events = decidePurchasing(command, view);
        const original = keys.map((k) => entry.positions.get(k)).find((p) => p !== undefined);
        if (events.length === 0) return { position: original ?? entry.lastPosition, duplicate: true };
        const expected = entry.revision < 0n ? 'no_stream' : entry.revision;
        let appended;
        try {
          appended = await eventStore.append(streamId, events.map((e) => envelope(e, streamId, ctx)), expected);
        } catch (error) {
          if (isRetryable(error) && attempt < maxAttempts) continue;
          throw error;
        }
        // A key stored before what we had read is an original (a repeat that raced us in).
        const before = entry.lastPosition;
        await cache.advance(entry, events, appended);
        const stored = keys.map((k) => entry.positions.get(k)).find((p) => p !== undefined);
        const duplicate = stored !== undefined && stored <= before && before > 0n;
        return { position: duplicate ? stored : appended.position, duplicate };
      }
    });
  }

  const now = (ctx: CommandContext) => ctx.now.toISOString();
  const sup = (id: string): Ref => ({ kind: 'supplier', id });
  const loc = (id: string): Ref => ({ kind: 'location', id });
  const prod = (id: string): Ref => ({ kind: 'product', id });
  const ord = (id: string): Ref => ({ kind: 'order', id });

  async function draftOf(id: string): Promise<Extract<PurchaseOrderState, { drafted: true }>> {
    const state = (await load(ord(id))).state as PurchaseOrderState;
    if (!state.drafted) throw new UnknownField(`unknown purchase order ${id}`, 'unknown-purchase-order', 'id');
    return state;
  }

  return {
    registerSupplier: (body, ctx) => execute({
      type: 'RegisterSupplier', supplierId: body.id, name: body.name, leadTimeDays: body.leadTimeDays,
      currency: body.currency ?? defaultCurrency, ...(body.email !== undefined && { email: body.email }), now: now(ctx),
    }, ctx, sup(body.id), []),

    setSupplierPrice: (supplierId, body, ctx) =>
      execute({ type: 'SetSupplierPrice', supplierId, ...body, now: now(ctx) }, ctx, sup(supplierId), [prod(body.sku)]),

    deactivateSupplier: (supplierId, body, ctx) =>
      execute({ type: 'DeactivateSupplier', supplierId, ...(body.reason !== undefined && { reason: body.reason }), now: now(ctx) }, ctx, sup(supplierId), []),

    setReorderRule: (body, ctx) =>
      execute({ type: 'SetReorderRule', ...body, now: now(ctx) }, ctx, { kind: 'rules', id: body.locationId }, [loc(body.locationId), prod(body.sku)]),

    async draftPurchaseOrder(body, ctx) {
      const id = body.id ?? newId();
      const command: PurchasingCommand = {
        type: 'DraftPurchaseOrder', purchaseOrderId: id, supplierId: body.supplierId, locationId: body.locationId, lines: body.lines,
        ...(body.suggestionIds && { suggestionIds: body.suggestionIds }), now: now(ctx),
      };
      const reads = [sup(body.supplierId), loc(body.locationId), ...body.lines.map((l) => prod(l.sku))];
      return { ...(await execute(command, ctx, ord(id), reads)), id };
    },

    async sendPurchaseOrder(id, ctx) {
      const draft = await draftOf(id);
      return execute({ type: 'SendPurchaseOrder', purchaseOrderId: id, now: now(ctx) }, ctx, loc(draft.locationId), [ord(id), sup(draft.supplierId)]);
    },

    async cancelPurchaseOrder(id, body, ctx) {
      const draft = await draftOf(id);
      const command: PurchasingCommand = { type: 'CancelPurchaseOrder', purchaseOrderId: id, ...(body.reason !== undefined && { reason: body.reason }), now: now(ctx) };
      return execute(command, ctx, loc(draft.locationId), [ord(id)]);
    },

    async closePurchaseOrder(id, body, ctx) {
      const draft = await draftOf(id);
      const command: PurchasingCommand = {
        type: 'ClosePurchaseOrder', purchaseOrderId: id, closeId: newId(), ...(body.reason !== undefined && { reason: body.reason }), now: now(ctx),
      };
      return execute(command, ctx, loc(draft.locationId), [ord(id)]);
    },

    async receivePurchaseOrder(id, body, ctx) {
      const draft = await draftOf(id);
      const receiptId = body.receiptId ?? newId();
      const command: PurchasingCommand = {
        type: 'ReceivePurchaseOrder', purchaseOrderId: id, receiptId, lines: body.lines, allowOver: body.allowOver ?? false,
        closeShort: body.closeShort ?? false, ...(body.receivedAt !== undefined && { receivedAt: body.receivedAt }), now: now(ctx),
      };
      return { ...(await execute(command, ctx, loc(draft.locationId), [ord(id)])), receiptId };
    },

    purchaseOrder: draftOf,
  };
}
