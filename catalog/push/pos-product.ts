/**
 * A product as a POS shows it to a product push, and what a push writes. The platform writers
 * (`shopify-product-writer.ts`, `square-product-writer.ts`) turn these into API calls; the
 * pusher (`product-pusher.ts`) decides create / update / conflict with them.
 */
import { normaliseGtin } from '../gtin';
import type { PosCatalogItem } from '../pos-catalog-item';

/** One POS item (Shopify variant, Square item variation) read back from the POS. */
export interface PosProduct extends PosCatalogItem {
  /** The variant's own title (Shopify option values, Square variation name); absent for a default variant. */
  readonly variantTitle?: string;
  /** The whole item as read, for writers that send it back (Square upserts the item with its version). */
  readonly raw?: unknown;
  /**
   * The other items a write gave a new version (Square: every variation of an upserted item):
   * their links record it, or the next push of a sibling would take our own write for a change in the POS.
   */
  readonly siblings?: readonly PosProduct[];
}

/** What Stocktide pushes: the product as it is now. */
export interface ProductToPush {
  readonly sku: string;
  readonly name: string;
  /** Selling price in minor units (absent: not sent, the POS keeps its own). */
  readonly price?: number;
  /** The first of the product's barcodes (absent: the POS keeps its own). */
  readonly barcode?: string;
}

export interface ProductWriter {
  /** The POS item carrying this SKU, if any (a create that was applied but whose answer was lost is found here). */
  findBySku(sku: string): Promise<PosProduct | undefined>;
  /** The linked item as the POS has it now (undefined: deleted in the POS). */
  read(link: { posItemId: string; posProductId?: string }): Promise<PosProduct | undefined>;
  create(product: ProductToPush, idempotencyKey: string): Promise<PosProduct>;
  /** Writes over `current`; where the platform can, only if the POS still has that version. */
  update(current: PosProduct, product: ProductToPush, idempotencyKey: string): Promise<PosProduct>;
}

/** The POS refused or failed a product write with a reason a person can read. */
export class ProductWriteRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProductWriteRefused';
  }
}

/**
 * The product title that gives `name` for a variant titled `variantTitle` (POS item names are
 * "Product - Variant", see `itemName`): the whole name for a default variant, the part before
 * " - Variant" otherwise; undefined when the name cannot be written that way.
 */
export function productTitleFor(name: string, variantTitle: string | undefined): string | undefined {
  if (!variantTitle) return name;
  const suffix = ` - ${variantTitle}`;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : undefined;
}

/** Minor units as a decimal amount (`1234` → `"12.34"`), without floating point. */
export const decimalAmount = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** The POS already shows the product as Stocktide has it (nothing to write). */
export function samePosDetails(pos: PosProduct, product: ProductToPush): boolean {
  return pos.sku === product.sku && pos.name === product.name
    && (product.price === undefined || pos.price === product.price)
    && (product.barcode === undefined || (pos.barcode !== undefined && normaliseGtin(pos.barcode) === product.barcode));
}
