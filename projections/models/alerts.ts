/**
 * Alerts raised and cleared as events arrive: low stock, negative stock, POS discrepancy.
 * Documents are kept when cleared (status `cleared`) so a resuming SSE client also learns
 * that an alert went away. Changes are emitted on transitions only.
 *
 * "Transfer in transit too long" is NOT here: it depends on the clock, and a projection
 * that read the clock would give different documents on every rebuild. It is computed at
 * read time from the transfer documents (see `overdueTransferAlerts` in transfers.ts).
 */
import type { SyncUnitOfWork } from '../runner/sync-fold';
import { COLLECTIONS, type AlertDoc, type AlertType, type StockDoc } from './collections';
import { padPosition } from './keys';

export interface AlertContext {
  readonly at: string;
  readonly position: bigint;
}

export const alertId = (type: AlertType, locationId: string, sku: string): string => `${type}|${locationId}|${sku}`;

type AlertFields = Pick<AlertDoc, 'alertType' | 'locationId' | 'sku' | 'message' | 'details'>;

function put(uow: SyncUnitOfWork, id: string, fields: AlertFields, status: 'open' | 'cleared', ctx: AlertContext, previous?: AlertDoc): void {
  const position = ctx.position.toString();
  const doc: AlertDoc = {
    _id: id,
    ...fields,
    status,
    raisedAt: status === 'open' ? ctx.at : (previous?.raisedAt ?? ctx.at),
    ...(status === 'cleared' ? { clearedAt: ctx.at } : {}),
    position,
    positionKey: padPosition(ctx.position),
  };
  uow.put(COLLECTIONS.alerts, doc);
  uow.emit({
    kind: 'alert', alertId: id, alertType: fields.alertType, status, locationId: fields.locationId,
    ...(fields.sku ? { sku: fields.sku } : {}), message: fields.message,
    ...(fields.details ? { details: fields.details } : {}), position,
  });
}

/**
 * Opens or clears one alert so that it is open exactly when `wanted`; writes only on a change.
 * `fieldsOf` is called only when something may be written: most stock changes leave both
 * alerts closed, and building their messages for nothing showed in rebuild profiles.
 */
function ensure(uow: SyncUnitOfWork, id: string, wanted: boolean, fieldsOf: () => AlertFields, ctx: AlertContext): void {
  const current = uow.get<AlertDoc>(COLLECTIONS.alerts, id);
  const open = current?.status === 'open';
  if (wanted === open && !open) return;
  const fields = fieldsOf();
  if (wanted && !open) put(uow, id, fields, 'open', ctx);
  else if (!wanted && open) put(uow, id, { ...fields, details: current.details, message: current.message }, 'cleared', ctx, current);
  else if (wanted && open && JSON.stringify(current.details) !== JSON.stringify(fields.details)) {
    // Still open: keep the message current (e.g. the on-hand figure) without announcing a new alert.
    uow.put(COLLECTIONS.alerts, { ...current, message: fields.message, ...(fields.details ? { details: fields.details } : {}) });
  }
}

/** Low stock (onHand ≤ reorder point, when one is set) and negative stock for a changed stock doc. */
export function reconcileStockAlerts(uow: SyncUnitOfWork, doc: StockDoc, ctx: AlertContext): void {
  const { locationId, sku, onHand, reorderPoint } = doc;
  const low = reorderPoint !== undefined && onHand <= reorderPoint;
  ensure(uow, alertId('low_stock', locationId, sku), low, () => ({
    alertType: 'low_stock', locationId, sku,
    message: `${sku} at ${locationId}: ${onHand} on hand, reorder point ${reorderPoint ?? '-'}`,
    details: { onHand, reorderPoint },
  }), ctx);
  ensure(uow, alertId('negative_stock', locationId, sku), onHand < 0, () => ({
    alertType: 'negative_stock', locationId, sku,
    message: `${sku} at ${locationId}: negative balance ${onHand}`,
    details: { onHand },
  }), ctx);
}

/** A POS reported another total than ours: open (or refresh) the alert with both numbers. */
export function raisePosDiscrepancy(
  uow: SyncUnitOfWork,
  d: { locationId: string; sku: string; connectionId: string; posEventId: string; posQuantity: number; ourQuantity: number; difference: number },
  ctx: AlertContext,
): void {
  put(uow, alertId('pos_discrepancy', d.locationId, d.sku), {
    alertType: 'pos_discrepancy', locationId: d.locationId, sku: d.sku,
    message: `${d.sku} at ${d.locationId}: POS ${d.connectionId} reports ${d.posQuantity}, Stocktide has ${d.ourQuantity}`,
    details: { connectionId: d.connectionId, posEventId: d.posEventId, posQuantity: d.posQuantity, ourQuantity: d.ourQuantity, difference: d.difference },
  }, 'open', ctx);
}

/** A physical count settles what a POS disagreed about. */
export function clearPosDiscrepancy(uow: SyncUnitOfWork, locationId: string, sku: string, ctx: AlertContext): void {
  ensure(uow, alertId('pos_discrepancy', locationId, sku), false, () => ({ alertType: 'pos_discrepancy', locationId, sku, message: '' }), ctx);
}
