/**
 * Synthetic stock events for runner tests, the crash test and the benchmark: receipts and
 * the sales that consume them, spread over a few locations and SKUs, valid against the
 * event schemas. Deterministic but for the event ids.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../../../write-side/eventstore/port';

export interface StockEventPlan {
  readonly count: number;
  readonly locations?: number;
  readonly skus?: number;
}

const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/**
 * The i-th synthetic event. Events go round-robin over the (location, SKU) slots, and each
 * slot sees a receipt of 10 units every fourth round and sales of 3, 3 and 4 units in the
 * rounds between: a slot's FIFO lots are consumed as in real data (never more than two
 * open lots), its balance stays within 0..10, and events of one slot lie `slots` apart.
 */
export function stockEvent(i: number, plan: StockEventPlan): { streamId: string; event: EventToAppend } {
  const locations = plan.locations ?? 4;
  const slots = locations * (plan.skus ?? 50);
  const slot = i % slots;
  const round = Math.floor(i / slots);
  const locationId = `L${slot % locations}`;
  const sku = `SKU-${Math.floor(slot / locations)}`;
  const times = { occurredAt: at(i), recordedAt: at(i) };
  const metadata = { actor: { kind: 'system' as const, id: 'generator' }, source: 'system', correlationId: `gen-${i}` };
  const event: EventToAppend = round % 4 === 0
    ? { id: randomUUID(), type: 'StockReceived', metadata,
        data: { locationId, receiptId: `r${i}`, lines: [{ sku, quantity: 10, unitCost: 150 + (round % 7) }], ...times } }
    : { id: randomUUID(), type: 'StockSold', metadata,
        data: { locationId, saleId: `s${i}`, lines: [{ sku, quantity: round % 4 === 3 ? 4 : 3, unitPrice: 300 }], ...times } };
  return { streamId: `location-${locationId}`, event };
}

/** Appends `plan.count` events in chunks of `chunk` per append, `parallel` appends per group commit. */
export async function writeStockEvents(store: EventStore, plan: StockEventPlan, chunk = 500, parallel = 8): Promise<void> {
  let i = 0;
  while (i < plan.count) {
    const appends: Promise<unknown>[] = [];
    for (let p = 0; p < parallel && i < plan.count; p++) {
      const events: EventToAppend[] = [];
      // One stream per chunk keeps every append independent (expected 'any').
      const stream = `gen-${i}`;
      for (let k = 0; k < chunk && i < plan.count; k++, i++) events.push(stockEvent(i, plan).event);
      appends.push(store.append(stream, events, 'any'));
    }
    await Promise.all(appends);
  }
}
