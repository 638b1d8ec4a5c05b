/** Read-model collections of the catalog capability and their documents. */
import type { Doc } from '../projections/readstore/port';

export const CATALOG = {
  /** `{connectionId}|{posItemId}` → SKU; aliases (Shopify inventory item ids) have their own doc. */
  posItems: 'catalog_pos_items',
  /** `{connectionId}|{conflictId}`. */
  alerts: 'catalog_alerts',
  /** GTIN → SKU (written with the product docs by the `catalog` projection). */
  barcodes: 'catalog_barcodes',
} as const;

export type PosItemDoc = Doc & {
  connectionId: string;
  posItemId: string;
  sku: string;
  aliases: string[];
  /** Set on an alias doc: the POS item it belongs to. */
  aliasOf?: string;
  title?: string;
  position: string;
};

export type CatalogAlertDoc = Doc & {
  connectionId: string;
  conflictId: string;
  conflict: 'sku-clash' | 'sku-changed-with-stock' | 'deleted-with-stock' | 'changed-in-pos';
  status: 'open' | 'resolved';
  sku: string;
  posItemId: string;
  ours: Record<string, unknown>;
  theirs: Record<string, unknown>;
  raisedAt: string;
  resolvedAt?: string;
  resolution?: string;
  position: string;
};

export type BarcodeDoc = Doc & { barcode: string; sku: string };
