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
  return {
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
    ...(effect.reference !== undefined ? { reference: effect.reference } : {}),
    effective,
    ...(effect.countedQuantity !== undefined ? { countedQuantity: effect.countedQuantity } : {}),
    ...(effect.lost !== undefined ? { lost: effect.lost } : {}),
    ...(effect.transferId !== undefined ? { transferId: effect.transferId } : {}),
  };
}

export const timesOf = (data: { occurredAt: string; recordedAt: string }): Times => ({
  occurredAt: iso(data.occurredAt),
  recordedAt: iso(data.recordedAt),
});
