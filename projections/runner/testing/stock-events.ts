/**
 * Synthetic stock events for runner tests, the crash test and the benchmark: receipts and
 * sales spread over a few locations and SKUs, valid against the event schemas.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../../../write-side/eventstore/port';

export interface StockEventPlan {
  readonly count: number;
  readonly locations?: number;
  readonly skus?: number;
}

const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

/** The i-th synthetic event: every fourth one a receipt, the others sales (balances go negative: sales are facts). */
export function stockEvent(i: number, plan: StockEventPlan): { streamId: string; event: EventToAppend } {
  const locationId = `L${i % (plan.locations ?? 4)}`;
  const sku = `SKU-${(i * 7) % (plan.skus ?? 50)}`;
  const times = { occurredAt: at(i), recordedAt: at(i) };
  const metadata = { actor: { kind: 'system' as const, id: 'generator' }, source: 'system', correlationId: `gen-${i}` };
  const event: EventToAppend = i % 4 === 0
    ? { id: randomUUID(), type: 'StockReceived', metadata,
        data: { locationId, receiptId: `r${i}`, lines: [{ sku, quantity: 10, unitCost: 150 }], ...times } }
    : { id: randomUUID(), type: 'StockSold', metadata,
        data: { locationId, saleId: `s${i}`, lines: [{ sku, quantity: 1 + (i % 3), unitPrice: 300 }], ...times } };
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
