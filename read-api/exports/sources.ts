/**
 * The rows of each export, read page by page (keyset paging on each collection's key, so
 * every page is one indexed range read and memory holds one page). Each export is bounded by
 * the log position it started at, so rows committed while it streams do not slip in half-way.
 */
import { COLLECTIONS, type DailySalesDoc, type InventoryDayDoc, type LedgerDoc, type StockDoc } from '../../projections/models/collections';
import { balanceAsOf, type BalanceAsOf } from '../../projections/models/as-of';
import { iso, padPosition } from '../../projections/models/keys';
import { inventoryDayKey } from '../../projections/models/inventory-daily';
import { locationCondition, where, type LocationScope } from '../../projections/models/scope';
import type { Range, ReadStore } from '../../projections/readstore/port';
import type { EventStore, RecordedEvent } from '../../write-side/eventstore/port';

/** Rows read per store query. */
export const EXPORT_PAGE = 2_000;

export interface Window {
  readonly scope: LocationScope;
  readonly locationId?: string;
  readonly sku?: string;
  readonly from?: string;
  readonly to?: string;
  /** Resume strictly after this key. */
  readonly after?: string;
  readonly limit?: number;
}

const between = (from?: string, to?: string): Range | undefined =>
  from === undefined && to === undefined ? undefined : { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };

/** Pages of `read(after, size)` until a short page or `limit` rows; `keyOf` names a row's key. */
async function* keyset<T>(read: (after: string | undefined, size: number) => Promise<T[]>, keyOf: (row: T) => string, after: string | undefined, limit = Number.POSITIVE_INFINITY): AsyncGenerator<T> {
  let left = limit;
  let cursor = after;
  while (left > 0) {
    const size = Math.min(EXPORT_PAGE, left);
    const page = await read(cursor, size);
    for (const row of page) yield row;
    if (page.length < size) return;
    left -= page.length;
    cursor = keyOf(page.at(-1)!);
  }
}

/** Movements in log order, up to and including `upTo`. */
export function movementRows(store: ReadStore, window: Window, upTo: bigint): AsyncGenerator<LedgerDoc> {
  const below = padPosition(upTo + 1n); // every ledger key of position <= upTo sorts before it
  return keyset(
    (after, size) => store.find<LedgerDoc>(COLLECTIONS.ledger, {
      where: where({
        locationId: locationCondition(window.scope, window.locationId), sku: window.sku,
        occurredAt: between(window.from, window.to), _id: after ? { gt: after, lt: below } : { lt: below },
      }),
      orderBy: [['_id', 'asc']], limit: size,
    }),
    (row) => row._id, window.after, window.limit,
  );
}

export type StockRow = { readonly key: string; readonly live?: StockDoc; readonly asOf?: BalanceAsOf };

/** Stock lines by (location, SKU): live documents, or balances at `at` computed from the ledger line by line. */
export async function* stockRows(store: ReadStore, window: Window, at: string | undefined): AsyncGenerator<StockRow> {
  const docs = keyset(
    (after, size) => store.find<StockDoc>(COLLECTIONS.stock, {
      where: where({ locationId: locationCondition(window.scope, window.locationId), sku: window.sku, _id: after ? { gt: after } : undefined }),
      orderBy: [['_id', 'asc']], limit: size,
    }),
    (doc) => doc._id, window.after, window.limit,
  );
  for await (const doc of docs) {
    yield at === undefined ? { key: doc._id, live: doc } : { key: doc._id, asOf: await balanceAsOf(store, doc.locationId, doc.sku, at) };
  }
}

export type DailySalesRow = DailySalesDoc & { readonly cogs?: number };

/** Days of sales by (SKU, location, day), with the day's cost of goods sold when `costs`. */
export async function* dailySalesRows(store: ReadStore, window: Window, costs: boolean): AsyncGenerator<DailySalesRow> {
  const fromDay = window.from ? dayStartingAtOrAfter(window.from) : undefined;
  const toDay = window.to ? dayStartingAtOrAfter(window.to) : undefined;
  let after = window.after;
  let left = window.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0) {
    const size = Math.min(EXPORT_PAGE, left);
    const page = await store.find<DailySalesDoc>(COLLECTIONS.dailySales, {
      where: where({
        locationId: locationCondition(window.scope, window.locationId), sku: window.sku,
        date: between(fromDay, toDay), _id: after ? { gt: after } : undefined,
      }),
      orderBy: [['_id', 'asc']], limit: size,
    });
    const days = costs ? await store.getMany<InventoryDayDoc>(COLLECTIONS.inventoryDaily, page.map((d) => inventoryDayKey(d.locationId, d.sku, d.date))) : undefined;
    for (const doc of page) {
      const day = days?.get(inventoryDayKey(doc.locationId, doc.sku, doc.date));
      yield costs ? { ...doc, cogs: day?.cogs ?? 0 } : doc;
    }
    if (page.length < size) return;
    left -= page.length;
    after = page.at(-1)!._id;
  }
}

/** The first UTC day whose midnight is at or after `instant`. */
export function dayStartingAtOrAfter(instant: string): string {
  const t = new Date(instant);
  const midnight = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  return new Date(midnight < t.getTime() ? midnight + 86_400_000 : midnight).toISOString().slice(0, 10);
}

/** The log in position order, up to `upTo`, filtered by when each event was recorded. */
export async function* eventRows(events: EventStore, window: Window, upTo: bigint): AsyncGenerator<RecordedEvent> {
  let after = window.after === undefined ? 0n : BigInt(window.after);
  let left = window.limit ?? Number.POSITIVE_INFINITY;
  while (left > 0 && after < upTo) {
    const page = await events.readAll({ after, maxCount: EXPORT_PAGE });
    if (page.length === 0) return;
    for (const event of page) {
      if (event.position > upTo) return;
      const recorded = (event.data as { recordedAt?: unknown }).recordedAt;
      const recordedAt = typeof recorded === 'string' ? iso(recorded) : '';
      if (window.from && recordedAt < window.from) continue;
      if (window.to && recordedAt >= window.to) continue;
      yield event;
      if (--left <= 0) return;
    }
    after = page.at(-1)!.position;
  }
}
