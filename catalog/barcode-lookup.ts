/** Finds the SKU a barcode belongs to in the read model (any GTIN form). */
import type { ReadStore } from '../projections/readstore/port';
import { CATALOG, type BarcodeDoc } from './catalog-collections';
import { normaliseGtin } from './gtin';

/** The SKU, or null when the code is not a GTIN or belongs to no product. */
export async function skuOfBarcode(store: ReadStore, text: string): Promise<string | null> {
  const code = normaliseGtin(text);
  if (code === undefined) return null;
  return (await store.get<BarcodeDoc>(CATALOG.barcodes, code))?.sku ?? null;
}
