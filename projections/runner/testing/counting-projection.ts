/**
 * A small projection for runner tests: on-hand units per (location, SKU) from receipts and
 * sales, plus a running total of applied events, which would show any double application.
 */
import type { RecordedEvent } from '../../../write-side/eventstore/port';
import type { Doc } from '../../readstore/port';
import type { Projection } from '../projection';

export interface CountDoc extends Doc {
  readonly locationId: string;
  readonly sku: string;
  readonly onHand: number;
  readonly movements: number;
  readonly lastPosition: string;
}

export interface CountingOptions {
  readonly name?: string;
  /** Prefix of the collection names, so two instances can run side by side. */
  readonly prefix?: string;
  /** Makes the projector throw on matching events (failure tests). */
  readonly failOn?: (event: RecordedEvent) => boolean;
}

interface Lines {
  readonly locationId: string;
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number }>;
}

export function countingProjection(options: CountingOptions = {}): Projection {
  const counts = `${options.prefix ?? ''}counts`;
  const totals = `${options.prefix ?? ''}count_totals`;
  return {
    name: options.name ?? 'counting',
    collections: [counts, totals],
    indexes: [{ collection: counts, fields: ['locationId', 'sku'] }],
    async apply(event, uow) {
      if (options.failOn?.(event)) throw new Error(`refusing ${event.type} at ${event.position}`);
      const total = (await uow.get(totals, 'all')) ?? { _id: 'all', events: 0 };
      uow.put(totals, { ...total, events: (total.events as number) + 1 });
      if (event.type !== 'StockReceived' && event.type !== 'StockSold') return;
      const sign = event.type === 'StockReceived' ? 1 : -1;
      const data = event.data as unknown as Lines;
      for (const line of data.lines) {
        const id = `${data.locationId}|${line.sku}`;
        const doc = (await uow.get<CountDoc>(counts, id)) ??
          { _id: id, locationId: data.locationId, sku: line.sku, onHand: 0, movements: 0, lastPosition: '0' };
        const next: CountDoc = { ...doc, onHand: doc.onHand + sign * line.quantity, movements: doc.movements + 1, lastPosition: String(event.position) };
        uow.put(counts, next);
        uow.emit({
          kind: 'stock', locationId: next.locationId, sku: next.sku, onHand: next.onHand,
          inTransitIn: 0, inTransitOut: 0, position: String(event.position),
        });
      }
    },
  };
}

/** What the counting projection must hold after the first `count` synthetic events (computed independently). */
export function expectedCounts(events: ReadonlyArray<{ type: string; data: Record<string, unknown> }>): Map<string, number> {
  const onHand = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'StockReceived' && event.type !== 'StockSold') continue;
    const data = event.data as unknown as Lines;
    for (const line of data.lines) {
      const key = `${data.locationId}|${line.sku}`;
      onHand.set(key, (onHand.get(key) ?? 0) + (event.type === 'StockReceived' ? line.quantity : -line.quantity));
    }
  }
  return onHand;
}
