/**
 * State of one `location-{id}` stream: the registration, the ledger of every sku, the
 * idempotency keys already applied, and the transfers dispatched from or received here.
 *
 * `evolveLocation` updates the given state in place and returns it: a busy store's stream
 * holds hundreds of thousands of events, and copying its maps per event would make loading
 * quadratic. The state is owned by whoever folds it (the command service's cache, a test);
 * `decide` functions only read it.
 */
import type { DomainEvent } from '../../../schemas/types';
import { idempotencyKeyOf } from '../idempotency';
import { DEDUPE_WINDOW_MS, HORIZON_MS, toMillis } from '../time';
import { applyCount, applyMovement, emptyLedger, pruneLedger, type SkuLedger } from '../stock/sku-ledger';
import { isCatalogEvent } from '../../../catalog/catalog-events';

export interface SkuQuantity {
  readonly sku: string;
  readonly quantity: number;
}

export interface TransferArrival {
  /** Units received so far, per sku. */
  readonly received: Map<string, number>;
  completed: boolean;
}

export interface LocationState {
  registered: boolean;
  name: string | undefined;
  locationType: 'store' | 'warehouse' | undefined;
  readonly ledgers: Map<string, SkuLedger>;
  /**
   * Idempotency keys already applied (see `idempotencyKeyOf`), each with its fact's instant
   * (occurredAt, else recordedAt), in the order they were applied. Every key whose instant is at
   * or after `dedupeStart` is here; older ones are pruned from the front (DEDUPE_WINDOW_MS), so
   * the set grows with the rate of facts, not with the stream's history.
   */
  readonly seen: Map<string, number>;
  /** Transfers dispatched from here, with what left. */
  readonly dispatched: Map<string, readonly SkuQuantity[]>;
  readonly cancelled: Set<string>;
  /** Transfers received here. */
  readonly arrivals: Map<string, TransferArrival>;
  /** Instants before this may have been pruned from the ledgers (latest recordedAt minus the horizon). */
  horizonStart: number;
  /** Keys of facts that occurred before this may have been pruned from `seen` (latest recordedAt minus the dedupe window). */
  dedupeStart: number;
}

export const initialLocationState = (): LocationState => ({
  registered: false,
  name: undefined,
  locationType: undefined,
  ledgers: new Map(),
  seen: new Map(),
  dispatched: new Map(),
  cancelled: new Set(),
  arrivals: new Map(),
  horizonStart: Number.NEGATIVE_INFINITY,
  dedupeStart: Number.NEGATIVE_INFINITY,
});

export const onHandOf = (state: LocationState, sku: string): number => state.ledgers.get(sku)?.onHand ?? 0;

function ledgerOf(state: LocationState, sku: string): SkuLedger {
  let ledger = state.ledgers.get(sku);
  if (!ledger) {
    ledger = emptyLedger();
    state.ledgers.set(sku, ledger);
  }
  return ledger;
}

function advanceHorizon(state: LocationState, recordedAt: string): void {
  const at = toMillis(recordedAt);
  state.horizonStart = Math.max(state.horizonStart, at - HORIZON_MS);
  state.dedupeStart = Math.max(state.dedupeStart, at - DEDUPE_WINDOW_MS);
}

/** The instant a key is remembered by: when its fact occurred (a repeat carries the same one). */
function instantOf(event: DomainEvent): number {
  const data = event.data as { occurredAt?: string; recordedAt?: string };
  const iso = data.occurredAt ?? data.recordedAt;
  return iso === undefined ? Number.POSITIVE_INFINITY : toMillis(iso);
}

/**
 * Drops keys from the front while they are older than the window. Keys arrive roughly in
 * instant order; a late one behind a recent one simply stays a little longer (remembering more
 * is always safe). Amortized O(1) per event, and a pure function of the events: replay from a
 * snapshot and full replay prune the same keys.
 */
function pruneSeen(state: LocationState): void {
  for (const [key, at] of state.seen) {
    if (at >= state.dedupeStart) return;
    state.seen.delete(key);
  }
}

function move(state: LocationState, occurredAt: string, lines: readonly SkuQuantity[], sign: 1 | -1): void {
  const at = toMillis(occurredAt);
  for (const line of lines) {
    const ledger = ledgerOf(state, line.sku);
    applyMovement(ledger, at, sign * line.quantity);
    pruneLedger(ledger, state.horizonStart);
  }
}

export function evolveLocation(state: LocationState, event: DomainEvent): LocationState {
  if (isCatalogEvent(event)) return state; // lives in other streams
  // A fact stored twice (best-effort id dedupe) is applied once.
  const key = idempotencyKeyOf(event);
  if (key !== undefined) {
    if (state.seen.has(key)) return state;
    state.seen.set(key, instantOf(event));
  }
  if ('recordedAt' in event.data) {
    advanceHorizon(state, event.data.recordedAt);
    pruneSeen(state);
  }
  switch (event.type) {
    case 'LocationRegistered':
      state.registered = true;
      state.name = event.data.name;
      state.locationType = event.data.locationType;
      return state;
    case 'ReorderPointSet':
      ledgerOf(state, event.data.sku).reorderPoint = event.data.reorderPoint;
      return state;
    case 'StockReceived':
      move(state, event.data.occurredAt, event.data.lines, 1);
      return state;
    case 'StockSold':
      move(state, event.data.occurredAt, event.data.lines, -1);
      return state;
    case 'StockReturned':
      move(state, event.data.occurredAt, event.data.lines, 1);
      return state;
    case 'StockAdjusted':
      move(state, event.data.occurredAt, [{ sku: event.data.sku, quantity: event.data.quantity }], 1);
      return state;
    case 'StockCounted': {
      const at = toMillis(event.data.occurredAt);
      for (const line of event.data.lines) {
        const ledger = ledgerOf(state, line.sku);
        applyCount(ledger, at, line.adjustment);
        pruneLedger(ledger, state.horizonStart);
      }
      return state;
    }
    case 'TransferDispatched':
      state.dispatched.set(event.data.transferId, event.data.lines);
      move(state, event.data.occurredAt, event.data.lines, -1);
      return state;
    case 'TransferCancelled':
      state.cancelled.add(event.data.transferId);
      return state;
    case 'TransferReceived': {
      let arrival = state.arrivals.get(event.data.transferId);
      if (!arrival) {
        arrival = { received: new Map(), completed: false };
        state.arrivals.set(event.data.transferId, arrival);
      }
      for (const line of event.data.lines) {
        arrival.received.set(line.sku, (arrival.received.get(line.sku) ?? 0) + line.quantity);
      }
      if (event.data.completed) arrival.completed = true;
      move(state, event.data.occurredAt, event.data.lines, 1);
      return state;
    }
    case 'PosDiscrepancyRecorded':
      return state; // an observation: it never changes the balance
    case 'PurchaseOrderSent':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return state; // purchasing's own state folds them (purchasing/domain/orders-at-location.ts); no stock effect
    case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded': // staff voice and audit (polls/, feedback/, audit/)
    case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
    case 'ProductRegistered':
    case 'TransferCreated':
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
    case 'ReorderRuleSet':
    case 'PurchaseOrderDrafted':
      return state; // live in other streams
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
