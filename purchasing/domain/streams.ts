/**
 * Where purchasing events live (docs/purchasing.md, "Streams"). Only schemas are imported
 * here, so write-side/domain/decide.ts can route purchasing events without a cycle.
 */
import type { DomainEvent } from '../../schemas/types';

export const supplierStream = (supplierId: string) => `supplier-${supplierId}`;
export const purchaseOrderStream = (purchaseOrderId: string) => `purchase-order-${purchaseOrderId}`;
export const reorderRulesStream = (locationId: string) => `reorder-rules-${locationId}`;
/** Same naming as write-side/domain/decide.ts: every step after the draft goes to the delivery location. */
export const deliveryStream = (locationId: string) => `location-${locationId}`;

export type PurchasingEvent = Extract<DomainEvent, {
  type: 'SupplierRegistered' | 'SupplierPriceSet' | 'SupplierDeactivated' | 'ReorderRuleSet'
    | 'PurchaseOrderDrafted' | 'PurchaseOrderSent' | 'PurchaseOrderCancelled' | 'PurchaseOrderLinesClosed';
}>;

export function purchasingStreamOf(event: PurchasingEvent): string {
  switch (event.type) {
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'SupplierDeactivated':
      return supplierStream(event.data.supplierId);
    case 'ReorderRuleSet': return reorderRulesStream(event.data.locationId);
    case 'PurchaseOrderDrafted': return purchaseOrderStream(event.data.purchaseOrderId);
    case 'PurchaseOrderSent':
    case 'PurchaseOrderCancelled':
    case 'PurchaseOrderLinesClosed':
      return deliveryStream(event.data.locationId);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const supplierDeactivatedKey = (supplierId: string) => `supplier-deactivated:${supplierId}`;
export const poDraftedKey = (purchaseOrderId: string) => `po-drafted:${purchaseOrderId}`;
export const poSentKey = (purchaseOrderId: string) => `po-sent:${purchaseOrderId}`;
export const poCancelledKey = (purchaseOrderId: string) => `po-cancelled:${purchaseOrderId}`;
export const poClosedKey = (purchaseOrderId: string, closeId: string) => `po-closed:${purchaseOrderId}:${closeId}`;

/** Idempotency keys of purchasing events (write-side/domain/idempotency.ts delegates here). */
export function purchasingKeyOf(event: PurchasingEvent): string | undefined {
  switch (event.type) {
    case 'SupplierDeactivated': return supplierDeactivatedKey(event.data.supplierId);
    case 'PurchaseOrderDrafted': return poDraftedKey(event.data.purchaseOrderId);
    case 'PurchaseOrderSent': return poSentKey(event.data.purchaseOrderId);
    case 'PurchaseOrderCancelled': return poCancelledKey(event.data.purchaseOrderId);
    case 'PurchaseOrderLinesClosed': return poClosedKey(event.data.purchaseOrderId, event.data.closeId);
    // Registrations append to a new stream (no_stream); prices and rules may legitimately repeat.
    case 'SupplierRegistered':
    case 'SupplierPriceSet':
    case 'ReorderRuleSet':
      return undefined;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
