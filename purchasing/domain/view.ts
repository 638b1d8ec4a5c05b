/** What a purchasing decision may look at: the states of the streams it names. */
import type { ProductState } from '../../write-side/domain/catalog/product-state';
import type { OrdersAtLocationState } from './orders-at-location';
import type { PurchaseOrderState } from './purchase-order-state';
import type { SupplierState } from './supplier-state';
import { FieldConflict, UnknownField } from './errors';

export interface PurchasingView {
  supplier(supplierId: string): SupplierState;
  purchaseOrder(purchaseOrderId: string): PurchaseOrderState;
  location(locationId: string): OrdersAtLocationState;
  product(sku: string): ProductState;
}

export type RegisteredSupplier = Extract<SupplierState, { registered: true }>;
export type DraftedOrder = Extract<PurchaseOrderState, { drafted: true }>;

export function requireSupplier(view: PurchasingView, supplierId: string, field = 'supplierId'): RegisteredSupplier {
  const supplier = view.supplier(supplierId);
  if (!supplier.registered) throw new UnknownField(`unknown supplier ${supplierId}`, 'unknown-supplier', field);
  return supplier;
}

export function requireActiveSupplier(view: PurchasingView, supplierId: string, field = 'supplierId'): RegisteredSupplier {
  const supplier = requireSupplier(view, supplierId, field);
  if (!supplier.active) throw new FieldConflict(`supplier ${supplierId} is deactivated`, 'supplier-inactive', field);
  return supplier;
}

export function requireLocation(view: PurchasingView, locationId: string, field = 'locationId'): OrdersAtLocationState {
  const location = view.location(locationId);
  if (!location.registered) throw new UnknownField(`unknown location ${locationId}`, 'unknown-location', field);
  return location;
}

export function requireProduct(view: PurchasingView, sku: string, field = 'sku'): void {
  if (!view.product(sku).registered) throw new UnknownField(`unknown sku ${sku}`, 'unknown-sku', field);
}

export function requireOrder(view: PurchasingView, purchaseOrderId: string): DraftedOrder {
  const order = view.purchaseOrder(purchaseOrderId);
  if (!order.drafted) throw new UnknownField(`unknown purchase order ${purchaseOrderId}`, 'unknown-purchase-order', 'id');
  return order;
}
