/**
 * The read models' collections and document shapes. Every document that live layers may
 * replay carries `position` (decimal string, for the API) and `positionKey` (zero-padded,
 * for range queries).
 */
import type { Doc } from '../readstore/port';
import type { Lot } from './fifo';

export const COLLECTIONS = {
  products: 'products',
  locations: 'locations',
  stock: 'stock',
  lots: 'stock_lots',
  transit: 'stock_transit',
  seen: 'stock_seen',
  skus: 'stock_skus',
  ledger: 'ledger',
  alerts: 'alerts',
  inventoryDaily: 'inventory_daily',
  dailySales: 'daily_sales',
  transfers: 'transfers',
  /** The transfers projection's counter of short numbers (TR-1001, TR-1002, ... by creation order). */
  transferNumbers: 'transfer_numbers',
} as const;

export type StockDoc = Doc & {
  locationId: string;
  sku: string;
  onHand: number;
  inTransitIn: number;
  inTransitOut: number;
  /** The effective reorder point: the location's own, else the product's. */
  reorderPoint?: number;
  locationReorderPoint?: number;
  /** FIFO cost of the on-hand units, in cents. */
  value: number;
  lastCountAt?: string;
  position: string;
  positionKey: string;
};

export type LotsDoc = Doc & {
  locationId: string;
  sku: string;
  lots: Lot[];
  deficit: number;
  lastUnitCost: number;
  lastConsumedUnitCost?: number;
};

/** Units of one transfer line between dispatch and receipt, with the cost lots they left with. */
export type TransitDoc = Doc & { transferId: string; sku: string; lots: Lot[] };

/** Per SKU: the product's reorder point and cost, and where stock docs exist (to update them). */
export type SkuDoc = Doc & { sku: string; reorderPoint?: number; unitCost?: number; locations: string[] };

export type MovementType =
  | 'receipt' | 'sale' | 'return' | 'adjustment' | 'count' | 'transfer_out' | 'transfer_in' | 'transfer_shortfall';

export type LedgerDoc = Doc & {
  position: string;
  occurredAt: string;
  recordedAt: string;
  type: MovementType;
  locationId: string;
  sku: string;
  /** Signed change of on-hand (a count: its adjustment; a shortfall: 0, see `lost`). */
  quantity: number;
  /** On-hand after this row. */
  balance: number;
  actor: string;
  source: string;
  reference?: string;
  /** Adjustments: why, and the note typed with it. */
  reason?: string;
  note?: string;
  /** False when an earlier count already reflected the movement (it did not change on-hand). */
  effective: boolean;
  countedQuantity?: number;
  lost?: number;
  transferId?: string;
};

export type AlertType = 'low_stock' | 'negative_stock' | 'transfer_overdue' | 'pos_discrepancy';

export type AlertDoc = Doc & {
  alertType: AlertType;
  status: 'open' | 'cleared';
  locationId: string;
  sku?: string;
  transferId?: string;
  message: string;
  details?: Record<string, unknown>;
  raisedAt: string;
  clearedAt?: string;
  position: string;
  positionKey: string;
};

export type TransferStatus = 'created' | 'dispatched' | 'partially_received' | 'received' | 'cancelled';

export type TransferDoc = Doc & {
  transferId: string;
  fromLocationId: string;
  toLocationId: string;
  status: TransferStatus;
  lines: { sku: string; quantity: number; dispatched: number; received: number; shortfall: number }[];
  createdAt: string;
  dispatchedAt?: string;
  receivedAt?: string;
  cancelledAt?: string;
  reason?: string;
  /** Short number people can say, `TR-1042`: assigned in creation (log) order, so a rebuild gives the same. */
  number?: string;
  position: string;
  positionKey: string;
};

export type InventoryDayDoc = Doc & {
  locationId: string;
  sku: string;
  day: string;
  /** FIFO cost of units sold that day minus the cost of units returned that day. */
  cogs: number;
  /** Inventory value after the last event of that day (absent: carry the previous value). */
  closingValue?: number;
};

export type DailySalesDoc = Doc & { sku: string; locationId: string; date: string; sold: number; returned: number };

export type ProductDoc = Doc & { sku: string; name: string; unitCost?: number; reorderPoint?: number; category?: string; position: string };
export type LocationDoc = Doc & { id: string; name: string; type: 'store' | 'warehouse'; position: string };
