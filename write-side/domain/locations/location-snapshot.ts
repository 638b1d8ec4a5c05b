/**
 * A location's state as plain JSON, so a snapshot can be stored and a decision on a stream with
 * a million events starts from it instead of from revision 0. `decodeLocation(encodeLocation(s))`
 * is the same state (same maps, same insertion order: `seen` is pruned from its front), which is
 * what makes "snapshot + tail = full replay" hold (location-snapshot.unit.spec.ts).
 *
 * `LOCATION_SNAPSHOT_VERSION` changes whenever `LocationState` or `evolveLocation` changes
 * meaning: an older snapshot is then ignored and the stream replayed once.
 */
import type { Movement, SkuLedger } from '../stock/sku-ledger';
import type { KeyedReceipt, LocationState, SkuQuantity, TransferArrival } from './location-state';

export const LOCATION_SNAPSHOT_VERSION = 2; // 2: arrivals keep their client-keyed receipts

interface LedgerJson {
  onHand: number;
  lastCountAt: number | null;
  movements: Array<[number, number]>;
  reorderPoint: number | null;
}

export interface LocationSnapshotJson {
  registered: boolean;
  name: string | null;
  locationType: 'store' | 'warehouse' | null;
  ledgers: Array<[string, LedgerJson]>;
  /** [key, instant]; null stands for "never pruned" (+Infinity). */
  seen: Array<[string, number | null]>;
  dispatched: Array<[string, SkuQuantity[]]>;
  cancelled: string[];
  arrivals: Array<[string, { received: Array<[string, number]>; completed: boolean; receipts: Array<[string, KeyedReceipt]> }]>;
  /** null stands for -Infinity (nothing pruned yet). */
  horizonStart: number | null;
  dedupeStart: number | null;
}

const finiteOrNull = (n: number): number | null => (Number.isFinite(n) ? n : null);

export function encodeLocation(state: LocationState): LocationSnapshotJson {
  return {
    registered: state.registered,
    name: state.name ?? null,
    locationType: state.locationType ?? null,
    ledgers: [...state.ledgers].map(([sku, l]) => [sku, {
      onHand: l.onHand,
      lastCountAt: l.lastCountAt ?? null,
      movements: l.movements.map((m) => [m.at, m.delta]),
      reorderPoint: l.reorderPoint ?? null,
    }]),
    seen: [...state.seen].map(([key, at]) => [key, finiteOrNull(at)]),
    dispatched: [...state.dispatched].map(([id, lines]) => [id, lines.map((l) => ({ sku: l.sku, quantity: l.quantity }))]),
    cancelled: [...state.cancelled],
    arrivals: [...state.arrivals].map(([id, a]) => [id, {
      received: [...a.received],
      completed: a.completed,
      receipts: [...a.receipts].map(([receiptId, r]) => [receiptId, { lines: r.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), completed: r.completed }]),
    }]),
    horizonStart: finiteOrNull(state.horizonStart),
    dedupeStart: finiteOrNull(state.dedupeStart),
  };
}

export function decodeLocation(json: LocationSnapshotJson): LocationState {
  return {
    registered: json.registered,
    name: json.name ?? undefined,
    locationType: json.locationType ?? undefined,
    ledgers: new Map(json.ledgers.map(([sku, l]): [string, SkuLedger] => [sku, {
      onHand: l.onHand,
      lastCountAt: l.lastCountAt ?? undefined,
      movements: l.movements.map(([at, delta]): Movement => ({ at, delta })),
      reorderPoint: l.reorderPoint ?? undefined,
    }])),
    seen: new Map(json.seen.map(([key, at]) => [key, at ?? Number.POSITIVE_INFINITY])),
    dispatched: new Map(json.dispatched),
    cancelled: new Set(json.cancelled),
    arrivals: new Map(json.arrivals.map(([id, a]): [string, TransferArrival] => [id, {
      received: new Map(a.received), completed: a.completed, receipts: new Map(a.receipts),
    }])),
    horizonStart: json.horizonStart ?? Number.NEGATIVE_INFINITY,
    dedupeStart: json.dedupeStart ?? Number.NEGATIVE_INFINITY,
  };
}
