/**
 * One item as a POS catalog shows it (a Shopify variant, a Square item variation), already
 * taken out of the platform's shape by `sources/`. Titles are kept as text: HTML in a title is
 * characters, never markup (the dashboard escapes it; nothing strips or renders it).
 */
import { sku as skuSchema } from '../schemas/common';

export interface PosCatalogItem {
  /** The id sales name (Shopify variant id, Square item variation id): the derived map's key. */
  readonly posItemId: string;
  /** Other ids of the same item (Shopify inventory item id: totals and pushes use it). */
  readonly aliases: readonly string[];
  readonly posProductId?: string;
  /** The POS's SKU, exactly as given (absent or empty: unmapped). */
  readonly sku?: string;
  /** Product and variant title, as text. */
  readonly name: string;
  readonly barcode?: string;
  /** Selling price in minor units. */
  readonly price?: number;
  /** The POS's unit cost in minor units, where it keeps one. */
  readonly unitCost?: number;
  /** The POS's category (Shopify product type), trimmed; absent when it has none. */
  readonly category?: string;
  readonly posUpdatedAt?: string;
}

export interface SyncReport {
  readonly problems: Array<{ item: string; reason: string }>;
  readonly counts: Record<string, number>;
  position: bigint;
  appended: number;
}

const SKU = new RegExp(skuSchema.pattern);

/** Why an item cannot be mapped ([] when it can). */
export function itemProblems(item: PosCatalogItem): Array<{ item: string; reason: string }> {
  const sku = item.sku?.trim();
  if (!sku) return [{ item: item.posItemId, reason: `no SKU in the POS (${item.name}): listed as unmapped, not invented` }];
  if (sku.length > skuSchema.maxLength || !SKU.test(sku)) {
    return [{ item: item.posItemId, reason: `SKU ${JSON.stringify(sku)} is not a valid Stocktide SKU (letters, digits, . _ / -): listed as unmapped` }];
  }
  return [];
}

/** "Product - Variant", without Shopify's "Default Title"; at most 200 characters; never empty. */
export function itemName(productTitle: string | undefined, variantTitle: string | undefined, fallback: string): string {
  const parts = [productTitle?.trim(), variantTitle?.trim()].filter((p): p is string => !!p && p !== 'Default Title');
  const joined = [...new Set(parts)].join(' - ') || fallback;
  return joined.length > 200 ? `${joined.slice(0, 199)}…` : joined;
}

/** A POS category as ours: trimmed, at most 100 characters; none for an empty one (which clears nothing). */
export function itemCategory(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > 100 ? `${trimmed.slice(0, 99).trimEnd()}…` : trimmed;
}
