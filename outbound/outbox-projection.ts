/**
 * The `outbox` projection: turns recorded events into notification documents, committed by the
 * runner together with its checkpoint. A crash between a read-model commit and a send can
 * therefore lose nothing: the sender reads the outbox, not an in-memory stream.
 *
 * Kinds: `stock.changed` (each (location, SKU) whose on-hand an event touched, with on-hand
 * after it), `stock.low` (on-hand went from above to at-or-below the reorder point, by a
 * movement or a new reorder point), `transfer.received`, `pos.discrepancy`.
 *
 * Deterministic: documents depend only on the events (no clock), so a rebuild recreates them
 * byte for byte and ids stay stable (the sender's deliveries are keyed on them).
 */
import { padPosition, stockKey } from '../projections/models/keys';
import { timesOf, type Times } from '../projections/models/ledger';
import { asDomainEvent } from '../projections/models/model-events';
import { effectsOf } from '../projections/models/stock-effects';
import type { Doc } from '../projections/readstore/port';
import type { Projection, UnitOfWork } from '../projections/runner/projection';
import type { DomainEvent } from '../schemas/types';
import type { RecordedEvent } from '../write-side/eventstore/port';
import { OUTBOX, notificationId, type NotificationKind, type OutboxDoc } from './notifications';
import { applyToBalance, isLow } from './running-balance';
import { isCatalogEvent } from '../catalog/catalog-events';
import { pollAnsweredPayload } from '../polls/poll-webhook';

type BalanceDoc = Doc & {
  locationId: string;
  sku: string;
  onHand: number;
  lastCountAt?: string;
  /** The location's own reorder point (ReorderPointSet); else the product's applies. */
  locationReorderPoint?: number;
  low: boolean;
};
type SkuDoc = Doc & { sku: string; reorderPoint?: number; locations: string[] };

/**
 * Writes the notifications of one event, numbered in the order they are added; one about a
 * location in shadow is stamped so (the mode as of this event, not as of the send).
 */
function outboxOf(uow: UnitOfWork, position: bigint, times: Times, shadow: readonly string[]) {
  let n = 0;
  return (kind: NotificationKind, payload: Record<string, unknown>): void => {
    const at = payload['locationId'];
    const doc: OutboxDoc = {
      _id: notificationId(position, n++), kind, position: padPosition(position),
      occurredAt: times.occurredAt, recordedAt: times.recordedAt, payload,
      ...(typeof at === 'string' && shadow.includes(at) && { shadow: true as const }),
    };
    uow.put(OUTBOX.notifications, doc);
  };
}

type ModesDoc = Doc & { locations: string[] };
const SHADOW = 'shadow';

const NONE: readonly string[] = [];

/** The locations in shadow, as the log stands at the event being projected (a short list, usually empty). */
async function shadowLocations(uow: UnitOfWork): Promise<readonly string[]> {
  return (await uow.get<ModesDoc>(OUTBOX.modes, SHADOW))?.locations ?? NONE;
}

async function recordMode(uow: UnitOfWork, locationId: string, mode: 'shadow' | 'live'): Promise<void> {
  const others = (await shadowLocations(uow)).filter((l) => l !== locationId);
  uow.put(OUTBOX.modes, { _id: SHADOW, locations: mode === 'shadow' ? [...others, locationId].sort() : others } satisfies ModesDoc);
}
type Emit = ReturnType<typeof outboxOf>;

async function firstTime(uow: UnitOfWork, id: string): Promise<boolean> {
  if (await uow.get(OUTBOX.seen, id)) return false;
  uow.put(OUTBOX.seen, { _id: id });
  return true;
}

async function loadBalance(uow: UnitOfWork, locationId: string, sku: string): Promise<BalanceDoc> {
  const id = stockKey(locationId, sku);
  const doc = await uow.get<BalanceDoc>(OUTBOX.balances, id);
  if (doc) return doc;
  const skuDoc = (await uow.get<SkuDoc>(OUTBOX.skus, sku)) ?? { _id: sku, sku, locations: [] };
  uow.put(OUTBOX.skus, { ...skuDoc, locations: [...skuDoc.locations, locationId] });
  return { _id: id, locationId, sku, onHand: 0, low: false };
}

async function reorderPointOf(uow: UnitOfWork, doc: BalanceDoc): Promise<number | undefined> {
  if (doc.locationReorderPoint !== undefined) return doc.locationReorderPoint;
  return (await uow.get<SkuDoc>(OUTBOX.skus, doc.sku))?.reorderPoint;
}

/** Saves the balance; announces `stock.low` when it has just become low. */
async function settle(uow: UnitOfWork, doc: BalanceDoc, emit: Emit): Promise<number | undefined> {
  const reorderPoint = await reorderPointOf(uow, doc);
  const low = isLow(doc.onHand, reorderPoint);
  if (low && !doc.low) emit('stock.low', { locationId: doc.locationId, sku: doc.sku, onHand: doc.onHand, reorderPoint });
  uow.put(OUTBOX.balances, { ...doc, low });
  return reorderPoint;
}

async function applyStock(uow: UnitOfWork, event: DomainEvent, times: Times, emit: Emit): Promise<void> {
  const touched = new Map<string, { doc: BalanceDoc; before: number }>();
  for (const effect of effectsOf(event)) {
    if (effect.type === 'transit') continue; // only in-transit figures move
    const key = stockKey(effect.locationId, effect.sku);
    const slot = touched.get(key) ?? await (async () => {
      const doc = await loadBalance(uow, effect.locationId, effect.sku);
      return { doc, before: doc.onHand };
    })();
    touched.set(key, slot);
    const { onHand, lastCountAt } = applyToBalance(slot.doc, effect, times.occurredAt);
    slot.doc = { ...slot.doc, onHand, ...(lastCountAt !== undefined ? { lastCountAt } : {}) };
  }
  for (const { doc, before } of touched.values()) {
    const reorderPoint = await reorderPointOf(uow, doc);
    emit('stock.changed', {
      locationId: doc.locationId, sku: doc.sku, onHand: doc.onHand, previousOnHand: before,
      ...(reorderPoint !== undefined ? { reorderPoint } : {}),
    });
  }
  for (const { doc } of touched.values()) await settle(uow, doc, emit);
}

async function apply(recorded: RecordedEvent, uow: UnitOfWork): Promise<void> {
  const event = asDomainEvent(recorded);
  if (event?.type === 'LocationModeChanged') return recordMode(uow, event.data.locationId, event.data.mode);
  if (!event || isCatalogEvent(event)) return;
  const times = timesOf(event.data);
  const emit = outboxOf(uow, recorded.position, times, await shadowLocations(uow));
  switch (event.type) {
    case 'StockSold':
      // The stock model applies each sale once per (location, saleId): so must we.
      if (!(await firstTime(uow, `sale|${event.data.locationId}|${event.data.saleId}`))) return;
      return applyStock(uow, event, times, emit);
    case 'StockReturned':
      if (!(await firstTime(uow, `return|${event.data.locationId}|${event.data.returnId}`))) return;
      return applyStock(uow, event, times, emit);
    case 'StockReceived':
    case 'StockAdjusted':
    case 'StockCounted':
    case 'TransferDispatched':
      return applyStock(uow, event, times, emit);
    case 'TransferReceived': {
      await applyStock(uow, event, times, emit);
      const { transferId, fromLocationId, toLocationId, lines, shortfall, completed } = event.data;
      emit('transfer.received', { transferId, fromLocationId, toLocationId, lines, shortfall, completed });
      return;
    }
    case 'ProductRegistered': {
      const { sku, reorderPoint } = event.data;
      const skuDoc = (await uow.get<SkuDoc>(OUTBOX.skus, sku)) ?? { _id: sku, sku, locations: [] };
      const { reorderPoint: _old, ...rest } = skuDoc;
      uow.put(OUTBOX.skus, { ...rest, ...(reorderPoint !== undefined ? { reorderPoint } : {}) });
      for (const locationId of skuDoc.locations) {
        const doc = await uow.get<BalanceDoc>(OUTBOX.balances, stockKey(locationId, sku));
        if (doc && doc.locationReorderPoint === undefined) await settle(uow, doc, emit);
      }
      return;
    }
    case 'ReorderPointSet': {
      const { locationId, sku, reorderPoint } = event.data;
      const doc = await loadBalance(uow, locationId, sku);
      await settle(uow, { ...doc, locationReorderPoint: reorderPoint }, emit);
      return;
    }
    case 'PosDiscrepancyRecorded': {
      const { occurredAt: _o, recordedAt: _r, ...data } = event.data;
      emit('pos.discrepancy', data);
      return;
    }
    case 'PurchaseOrderSent': {
      // Middleware e-mails or EDIs the order: the event carries everything it needs.
      const { occurredAt: _o, recordedAt: _r, ...data } = event.data;
      const totalCost = data.lines.reduce((sum, l) => sum + l.quantity * l.unitCost, 0);
      emit('purchase_order.sent', { ...data, sentAt: times.occurredAt, totalCost });
      return;
    }
    case 'PollAnswered':
      emit('poll.answered', pollAnsweredPayload(event.data));
      return;
    case 'FeedbackSubmitted': {
      const { occurredAt: _o, recordedAt: _r, ...data } = event.data;
      emit('feedback.created', data);
      return;
    }
    case 'PollCreated': case 'FeedbackStatusChanged': case 'AuditRecorded':
    case 'CountSessionOpened': case 'CountScansRecorded': case 'CountRecountRequested': case 'CountSessionPostingStarted': case 'CountSessionPosted': case 'CountSessionCancelled': // count sessions (counting/): their stock effect is the StockCounted they post
    case 'LocationRegistered':
    case 'TransferCreated':
    case 'TransferCancelled':
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
    case 'ReorderRuleSet':
    case 'PurchaseOrderDrafted':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const outboxProjection: Projection = {
  name: 'outbox',
  collections: [OUTBOX.notifications, OUTBOX.balances, OUTBOX.skus, OUTBOX.seen, OUTBOX.modes],
  indexes: [{ collection: OUTBOX.notifications, fields: ['position'] }],
  apply,
};
