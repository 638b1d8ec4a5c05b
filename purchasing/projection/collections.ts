/** Purchasing's read-model collections and document shapes. */
import type { Doc } from '../../projections/readstore/port';
import type { PurchaseOrderStatus } from '../domain/order-lines';

export const PURCHASING = {
  suppliers: 'suppliers',
  preferred: 'purchasing_preferred',
  orders: 'purchase_orders',
  onOrder: 'purchasing_on_order',
  rules: 'reorder_rules',
} as const;

export type SupplierPriceDoc = { sku: string; unitCost: number; minOrderQuantity: number; packSize: number };

export type SupplierDoc = Doc & {
  supplierId: string;
  name: string;
  email?: string;
  leadTimeDays: number;
  currency: string;
  active: boolean;
  prices: SupplierPriceDoc[];
  position: string;
};

/** The preferred supplier of a SKU: the latest price set with `preferred: true` (cleared by `preferred: false`). */
export type PreferredDoc = Doc & { sku: string; supplierId: string };

export type PurchaseOrderLineDoc = { sku: string; ordered: number; received: number; closed: number; unitCost: number };

export type PurchaseOrderDoc = Doc & {
  purchaseOrderId: string;
  supplierId: string;
  supplierName?: string;
  locationId: string;
  currency: string;
  status: PurchaseOrderStatus;
  sent: boolean;
  cancelled: boolean;
  lines: PurchaseOrderLineDoc[];
  createdAt: string;
  sentAt?: string;
  expectedAt?: string;
  receivedAt?: string;
  cancelledAt?: string;
  receipts: { receiptId: string; at: string; lines: { sku: string; quantity: number }[] }[];
  closeIds: string[];
  position: string;
  positionKey: string;
};

/** Units on open purchase orders (draft, sent, partially received) not yet received or closed. */
export type OnOrderDoc = Doc & { locationId: string; sku: string; onOrder: number };

export type ReorderRuleDoc = Doc & { locationId: string; sku: string; min: number; max: number; targetDaysOfCover?: number; position: string };
