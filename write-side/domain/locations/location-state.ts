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
import { HORIZON_MS, toMillis } from '../time';
import { applyCount, applyMovement, emptyLedger, pruneLedger, type SkuLedger } from '../stock/sku-ledger';

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
  /** Idempotency keys already applied (see `idempotencyKeyOf`). */
  readonly seen: Set<string>;
  /** Transfers dispatched from here, with what left. */
  readonly dispatched: Map<string, readonly SkuQuantity[]>;
  readonly cancelled: Set<string>;
  /** Transfers received here. */
  readonly arrivals: Map<string, TransferArrival>;
  /** Instants before this may have been pruned from the ledgers (latest recordedAt minus the horizon). */
  horizonStart: number;
}

export const initialLocationState = (): LocationState => ({
  registered: false,
  name: undefined,
  locationType: undefined,
  ledgers: new Map(),
  seen: new Set(),
  dispatched: new Map(),
  cancelled: new Set(),
  arrivals: new Map(),
  horizonStart: Number.NEGATIVE_INFINITY,
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
  state.horizonStart = Math.max(state.horizonStart, toMillis(recordedAt) - HORIZON_MS);
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
  // A fact stored twice (best-effort id dedupe) is applied once.
  const key = idempotencyKeyOf(event);
  if (key !== undefined) {
    if (state.seen.has(key)) return state;
    state.seen.add(key);
  }
  if ('recordedAt' in event.data) advanceHorizon(state, event.data.recordedAt);
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
    case 'PollCreated': case 'PollAnswered': case 'FeedbackSubmitted': case 'FeedbackStatusChanged': case 'AuditRecorded': // staff voice and audit (polls/, feedback/, audit/)
    case 'ProductRegistered':
    case 'TransferCreated':
      return state; // live in other streams
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
