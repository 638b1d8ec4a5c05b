/**
 * Transfer status documents, and the clock-dependent "in transit too long" alerts computed
 * from them at read time (a projection never reads the clock, so rebuilds stay identical).
 */
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { Projection } from '../runner/projection';
import { foldApply, type SyncUnitOfWork } from '../runner/sync-fold';
import type { ReadStore } from '../readstore/port';
import { COLLECTIONS, type AlertDoc, type TransferDoc, type TransferStatus } from './collections';
import { iso, padPosition } from './keys';
import { asDomainEvent } from './model-events';

type Line = TransferDoc['lines'][number];

function addTo(lines: Line[], items: readonly { sku: string; quantity: number }[], field: 'dispatched' | 'received' | 'shortfall'): Line[] {
  const next = lines.map((l) => ({ ...l }));
  for (const item of items) {
    let line = next.find((l) => l.sku === item.sku);
    if (!line) {
      line = { sku: item.sku, quantity: 0, dispatched: 0, received: 0, shortfall: 0 };
      next.push(line);
    }
    line[field] += item.quantity;
  }
  return next;
}

/** Short transfer numbers start here: TR-1001 is the chain's first transfer. */
export const FIRST_TRANSFER_NUMBER = 1001;

/** The projector as plain synchronous code (the fast path of rebuilds and catch-ups). */
function fold(recorded: RecordedEvent, uow: SyncUnitOfWork): void {
  const event = asDomainEvent(recorded);
  if (!event) return;
  if (event.type !== 'TransferCreated' && event.type !== 'TransferDispatched' && event.type !== 'TransferCancelled' && event.type !== 'TransferReceived') return;
  const { transferId, fromLocationId, toLocationId } = event.data;
  const at = iso(event.data.occurredAt);
  const current = uow.get<TransferDoc>(COLLECTIONS.transfers, transferId);
  let doc: TransferDoc = current ?? {
    _id: transferId, transferId, fromLocationId, toLocationId, status: 'created', lines: [], createdAt: at,
    position: '0', positionKey: padPosition(0n),
  };
  let status: TransferStatus;
  switch (event.type) {
    case 'TransferCreated': {
      // The next short number, once per transfer (a replayed creation keeps its number).
      let number = doc.number;
      if (number === undefined) {
        const counter = uow.get<{ _id: string; last: number }>(COLLECTIONS.transferNumbers, 'last');
        const next = (counter?.last ?? FIRST_TRANSFER_NUMBER - 1) + 1;
        uow.put(COLLECTIONS.transferNumbers, { _id: 'last', last: next });
        number = `TR-${next}`;
      }
      doc = { ...doc, number, lines: event.data.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, dispatched: 0, received: 0, shortfall: 0 })), createdAt: at };
      status = 'created';
      break;
    }
    case 'TransferDispatched':
      doc = { ...doc, lines: addTo(doc.lines, event.data.lines, 'dispatched'), dispatchedAt: at };
      status = 'dispatched';
      break;
    case 'TransferCancelled':
      doc = { ...doc, cancelledAt: at, ...(event.data.reason ? { reason: event.data.reason } : {}) };
      status = 'cancelled';
      break;
    case 'TransferReceived': {
      const lines = addTo(addTo(doc.lines, event.data.lines, 'received'), event.data.shortfall, 'shortfall');
      const done = event.data.completed || lines.every((l) => l.received + l.shortfall >= l.dispatched);
      doc = { ...doc, lines, receivedAt: at };
      status = done ? 'received' : 'partially_received';
      break;
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  const position = recorded.position.toString();
  uow.put(COLLECTIONS.transfers, { ...doc, status, position, positionKey: padPosition(recorded.position) });
  uow.emit({ kind: 'transfer', transferId, status, fromLocationId, toLocationId, position });
}

export const transfersProjection: Projection = {
  name: 'transfers',
  collections: [COLLECTIONS.transfers, COLLECTIONS.transferNumbers],
  indexes: [
    { collection: COLLECTIONS.transfers, fields: ['status'] },
    { collection: COLLECTIONS.transfers, fields: ['positionKey'] },
  ],
  fold,
  apply: foldApply(fold),
};

export const DEFAULT_TRANSFER_OVERDUE_HOURS = 48;

/** Hours from `IMS_TRANSFER_OVERDUE_HOURS`, else 48. */
export function transferOverdueHoursFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const hours = Number(env.IMS_TRANSFER_OVERDUE_HOURS);
  return Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_TRANSFER_OVERDUE_HOURS;
}

/** Open alerts for transfers dispatched more than `hours` before `now` and not fully received. */
export async function overdueTransferAlerts(store: ReadStore, now: Date, hours: number): Promise<AlertDoc[]> {
  const deadline = new Date(now.getTime() - hours * 3_600_000).toISOString();
  const inTransit = await store.find<TransferDoc>(COLLECTIONS.transfers, { where: { status: { in: ['dispatched', 'partially_received'] } } });
  return inTransit
    .filter((t) => t.dispatchedAt !== undefined && t.dispatchedAt < deadline)
    .map((t) => ({
      _id: `transfer_overdue|${t.transferId}`,
      alertType: 'transfer_overdue',
      status: 'open',
      locationId: t.toLocationId,
      transferId: t.transferId,
      message: `transfer ${t.transferId} from ${t.fromLocationId} to ${t.toLocationId} in transit since ${t.dispatchedAt}`,
      details: { fromLocationId: t.fromLocationId, toLocationId: t.toLocationId, dispatchedAt: t.dispatchedAt, thresholdHours: hours },
      raisedAt: new Date(Date.parse(t.dispatchedAt!) + hours * 3_600_000).toISOString(),
      position: t.position,
      positionKey: t.positionKey,
    }));
}
