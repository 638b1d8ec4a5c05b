/**
 * The `purchasing` projection: suppliers with their prices, the preferred supplier per SKU,
 * purchase orders with their lines and receipts, units on order per (location, SKU), and
 * reorder rules. Deterministic (no clock): overdue orders are computed at read time.
 * A receipt stored twice (best-effort dedupe) is applied once: an order remembers its receipt ids.
 */
import { stockKey, padPosition, iso } from '../../projections/models/keys';
import { asDomainEvent } from '../../projections/models/model-events';
import type { Projection, UnitOfWork } from '../../projections/runner/projection';
import { outstandingOf, statusOf } from '../domain/order-lines';
import {
  PURCHASING, type OnOrderDoc, type PreferredDoc, type PurchaseOrderDoc, type ReorderRuleDoc, type SupplierDoc,
} from './collections';

const OPEN = new Set(['draft', 'sent', 'partially_received']);

/** What an order adds to "on order", per SKU. */
function contribution(doc: PurchaseOrderDoc | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!doc || !OPEN.has(doc.status)) return out;
  for (const l of doc.lines) out.set(l.sku, (out.get(l.sku) ?? 0) + outstandingOf(l));
  return out;
}

async function saveOrder(uow: UnitOfWork, before: PurchaseOrderDoc | undefined, after: PurchaseOrderDoc, position: bigint): Promise<void> {
  const status = statusOf(after, after.lines);
  const doc: PurchaseOrderDoc = {
    ...after, status, position: position.toString(), positionKey: padPosition(position),
  };
  uow.put(PURCHASING.orders, doc);
  const old = contribution(before);
  const next = contribution(doc);
  for (const sku of new Set([...old.keys(), ...next.keys()])) {
    const delta = (next.get(sku) ?? 0) - (old.get(sku) ?? 0);
    if (delta === 0) continue;
    const id = stockKey(doc.locationId, sku);
    const current = (await uow.get<OnOrderDoc>(PURCHASING.onOrder, id)) ?? { _id: id, locationId: doc.locationId, sku, onOrder: 0 };
    uow.put(PURCHASING.onOrder, { ...current, onOrder: current.onOrder + delta });
  }
}

const addTo = (lines: PurchaseOrderDoc['lines'], items: readonly { sku: string; quantity: number }[], field: 'received' | 'closed') =>
  lines.map((l) => {
    const more = items.filter((i) => i.sku === l.sku).reduce((sum, i) => sum + i.quantity, 0);
    return more === 0 ? l : { ...l, [field]: l[field] + more };
  });

export const purchasingProjection: Projection = {
  name: 'purchasing',
  collections: [PURCHASING.suppliers, PURCHASING.preferred, PURCHASING.orders, PURCHASING.onOrder, PURCHASING.rules],
  indexes: [
    { collection: PURCHASING.orders, fields: ['status'] },
    { collection: PURCHASING.orders, fields: ['locationId'] },
    { collection: PURCHASING.onOrder, fields: ['locationId', 'sku'] },
    { collection: PURCHASING.rules, fields: ['locationId', 'sku'] },
    // A supplier's latest deliveries (suggestions' observed lead times): read by index, not by scanning every order ever made.
    { collection: PURCHASING.orders, fields: ['supplierId', 'receivedAt'] },
  ],
  async apply(recorded, uow) {
    const event = asDomainEvent(recorded);
    if (!event) return;
    const position = recorded.position;
    switch (event.type) {
      case 'SupplierRegistered': {
        const { supplierId, name, email, leadTimeDays, currency } = event.data;
        if (await uow.get(PURCHASING.suppliers, supplierId)) return;
        uow.put(PURCHASING.suppliers, {
          _id: supplierId, supplierId, name, ...(email !== undefined ? { email } : {}), leadTimeDays, currency, active: true, prices: [],
          position: position.toString(),
        });
        return;
      }
      case 'SupplierPriceSet': {
        const { supplierId, sku, unitCost, minOrderQuantity, packSize, preferred } = event.data;
        const doc = await uow.get<SupplierDoc>(PURCHASING.suppliers, supplierId);
        if (!doc) return;
        const prices = [...doc.prices.filter((p) => p.sku !== sku), { sku, unitCost, minOrderQuantity, packSize }]
          .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
        uow.put(PURCHASING.suppliers, { ...doc, prices, position: position.toString() });
        const current = await uow.get<PreferredDoc>(PURCHASING.preferred, sku);
        if (preferred) uow.put(PURCHASING.preferred, { _id: sku, sku, supplierId });
        else if (current?.supplierId === supplierId) uow.delete(PURCHASING.preferred, sku);
        return;
      }
      case 'SupplierDeactivated': {
        const doc = await uow.get<SupplierDoc>(PURCHASING.suppliers, event.data.supplierId);
        if (doc) uow.put(PURCHASING.suppliers, { ...doc, active: false, position: position.toString() });
        return;
      }
      case 'ReorderRuleSet': {
        const { locationId, sku, min, max, targetDaysOfCover } = event.data;
        const id = stockKey(locationId, sku);
        uow.put(PURCHASING.rules, {
          _id: id, locationId, sku, min, max, ...(targetDaysOfCover !== undefined ? { targetDaysOfCover } : {}), position: position.toString(),
        } satisfies ReorderRuleDoc);
        return;
      }
      case 'PurchaseOrderDrafted': {
        const { purchaseOrderId, supplierId, locationId, currency, lines, occurredAt } = event.data;
        if (await uow.get(PURCHASING.orders, purchaseOrderId)) return;
        const supplier = await uow.get<SupplierDoc>(PURCHASING.suppliers, supplierId);
        await saveOrder(uow, undefined, {
          _id: purchaseOrderId, purchaseOrderId, supplierId, ...(supplier ? { supplierName: supplier.name } : {}), locationId, currency,
          status: 'draft', sent: false, cancelled: false,
          lines: lines.map((l) => ({ sku: l.sku, ordered: l.quantity, received: 0, closed: 0, unitCost: l.unitCost })),
          createdAt: iso(occurredAt), receipts: [], closeIds: [], position: '0', positionKey: padPosition(0n),
        }, position);
        return;
      }
      case 'PurchaseOrderSent': {
        const doc = await uow.get<PurchaseOrderDoc>(PURCHASING.orders, event.data.purchaseOrderId);
        if (!doc || doc.sent) return;
        await saveOrder(uow, doc, { ...doc, sent: true, sentAt: iso(event.data.occurredAt), expectedAt: iso(event.data.expectedAt) }, position);
        return;
      }
      case 'PurchaseOrderCancelled': {
        const doc = await uow.get<PurchaseOrderDoc>(PURCHASING.orders, event.data.purchaseOrderId);
        if (!doc || doc.cancelled) return;
        await saveOrder(uow, doc, { ...doc, cancelled: true, cancelledAt: iso(event.data.occurredAt) }, position);
        return;
      }
      case 'PurchaseOrderLinesClosed': {
        const doc = await uow.get<PurchaseOrderDoc>(PURCHASING.orders, event.data.purchaseOrderId);
        if (!doc || doc.closeIds.includes(event.data.closeId)) return;
        await saveOrder(uow, doc, { ...doc, lines: addTo(doc.lines, event.data.lines, 'closed'), closeIds: [...doc.closeIds, event.data.closeId] }, position);
        return;
      }
      case 'StockReceived': {
        const { purchaseOrderId, receiptId, lines, occurredAt } = event.data;
        if (purchaseOrderId === undefined) return;
        const doc = await uow.get<PurchaseOrderDoc>(PURCHASING.orders, purchaseOrderId);
        if (!doc || doc.receipts.some((r) => r.receiptId === receiptId)) return;
        const at = iso(occurredAt);
        await saveOrder(uow, doc, {
          ...doc, lines: addTo(doc.lines, lines, 'received'), receivedAt: at,
          receipts: [...doc.receipts, { receiptId, at, lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) }],
        }, position);
        return;
      }
      default:
        return; // other capabilities' events
    }
  },
};
