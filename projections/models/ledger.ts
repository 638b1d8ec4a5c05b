/** Rows of the movement ledger: one per (event, line) that touches a location's stock. */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { LedgerDoc, MovementType } from './collections';
import { iso, ledgerKey } from './keys';
import type { Effect } from './stock-effects';

export interface Times {
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export function ledgerRow(
  recorded: RecordedEvent,
  line: number,
  effect: Effect & { type: MovementType },
  times: Times,
  balance: number,
  effective: boolean,
): LedgerDoc {
  // Built field by field rather than with conditional spreads (one row per line of every
  // event: the spreads showed in rebuild profiles); the field order is the same as before.
  const row = {
    _id: ledgerKey(recorded.position, line),
    position: recorded.position.toString(),
    occurredAt: times.occurredAt,
    recordedAt: times.recordedAt,
    type: effect.type,
    locationId: effect.locationId,
    sku: effect.sku,
    quantity: effect.quantity,
    balance,
    actor: recorded.metadata.actor.id,
    actorKind: recorded.metadata.actor.kind,
    source: recorded.metadata.source,
  } as Omit<LedgerDoc, 'effective'> & { effective?: boolean };
  if (effect.reference !== undefined) row.reference = effect.reference;
  if (effect.reason !== undefined) row.reason = effect.reason;
  if (effect.note !== undefined) row.note = effect.note;
  row.effective = effective;
  if (effect.countedQuantity !== undefined) row.countedQuantity = effect.countedQuantity;
  if (effect.lost !== undefined) row.lost = effect.lost;
  if (effect.transferId !== undefined) row.transferId = effect.transferId;
  return row as LedgerDoc;
}

export const timesOf = (data: { occurredAt: string; recordedAt: string }): Times => ({
  occurredAt: iso(data.occurredAt),
  recordedAt: iso(data.recordedAt),
});
