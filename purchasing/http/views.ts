/** Read-model documents as the API shows them, and the overdue rule (clock-dependent: at read time). */
import type { FromSchema } from 'json-schema-to-ts';
import type { ComputedAlert } from '../../read-api/read-deps';
import type { ReadStore } from '../../projections/readstore/port';
import type { PurchaseOrder, Supplier } from '../../schemas/purchasing';
import { outstandingOf } from '../domain/order-lines';
import { PURCHASING, type PreferredDoc, type PurchaseOrderDoc, type SupplierDoc } from '../projection/collections';

export type PurchaseOrderView = FromSchema<typeof PurchaseOrder>;
export type SupplierView = FromSchema<typeof Supplier>;

const AWAITING = new Set(['sent', 'partially_received']);

/** Past its expected date and not fully received (nor cancelled). */
export const isOverdue = (doc: Pick<PurchaseOrderDoc, 'status' | 'expectedAt'>, now: Date): boolean =>
  AWAITING.has(doc.status) && doc.expectedAt !== undefined && doc.expectedAt < now.toISOString();

export function purchaseOrderView(doc: PurchaseOrderDoc, now: Date): PurchaseOrderView {
  const lines = doc.lines.map((l) => ({ ...l, outstanding: outstandingOf(l), lineCost: l.ordered * l.unitCost }));
  return {
    id: doc.purchaseOrderId, status: doc.status, supplierId: doc.supplierId,
    ...(doc.supplierName !== undefined && { supplierName: doc.supplierName }),
    locationId: doc.locationId, currency: doc.currency, lines,
    totalCost: lines.reduce((sum, l) => sum + l.lineCost, 0),
    closedShort: doc.lines.some((l) => l.closed > 0),
    createdAt: doc.createdAt,
    ...(doc.sentAt !== undefined && { sentAt: doc.sentAt }),
    ...(doc.expectedAt !== undefined && { expectedAt: doc.expectedAt }),
    ...(doc.receivedAt !== undefined && { receivedAt: doc.receivedAt }),
    ...(doc.cancelledAt !== undefined && { cancelledAt: doc.cancelledAt }),
    overdue: isOverdue(doc, now),
    receipts: doc.receipts,
    lastPosition: doc.position,
  };
}

export async function supplierViews(store: ReadStore, docs: readonly SupplierDoc[]): Promise<SupplierView[]> {
  const preferred = new Map((await store.find<PreferredDoc>(PURCHASING.preferred, {})).map((p) => [p.sku, p.supplierId]));
  return docs.map((d) => ({
    id: d.supplierId, name: d.name, ...(d.email !== undefined && { email: d.email }), leadTimeDays: d.leadTimeDays, currency: d.currency,
    active: d.active, prices: d.prices.map((p) => ({ ...p, preferred: preferred.get(p.sku) === d.supplierId })), lastPosition: d.position,
  }));
}

/** Alerts for orders past their expected date and not fully received (like overdue transfers). */
export async function overduePurchaseOrderAlerts(store: ReadStore, now: Date): Promise<ComputedAlert[]> {
  const awaiting = await store.find<PurchaseOrderDoc>(PURCHASING.orders, { where: { status: { in: ['sent', 'partially_received'] } } });
  return awaiting.filter((d) => isOverdue(d, now)).map((d) => ({
    _id: `purchase_order_overdue|${d.purchaseOrderId}`,
    alertType: 'purchase_order_overdue',
    status: 'open',
    locationId: d.locationId,
    message: `purchase order ${d.purchaseOrderId} from ${d.supplierName ?? d.supplierId} was expected ${d.expectedAt} and is not fully received`,
    details: { purchaseOrderId: d.purchaseOrderId, supplierId: d.supplierId, expectedAt: d.expectedAt },
    raisedAt: d.expectedAt!,
    position: d.position,
    positionKey: d.positionKey,
  }));
}
