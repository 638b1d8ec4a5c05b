/** Names beside codes: the catalog's product and location names, read once per request. */
import { COLLECTIONS, type LocationDoc, type ProductDoc } from '../projections/models/collections';
import type { ReadStore } from '../projections/readstore/port';

export interface Names {
  product(sku: string): ProductDoc | undefined;
  location(id: string): string | undefined;
}

export async function loadNames(store: ReadStore): Promise<Names> {
  const [products, locations] = await Promise.all([
    store.find<ProductDoc>(COLLECTIONS.products, {}),
    store.find<LocationDoc>(COLLECTIONS.locations, {}),
  ]);
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const byId = new Map(locations.map((l) => [l.id, l.name]));
  return { product: (sku) => bySku.get(sku), location: (id) => byId.get(id) };
}

/** Barcodes where the catalog carries them (the catalog branch adds `barcodes`). */
export const barcodesOf = (p: ProductDoc | undefined): string[] => {
  const codes = (p as { barcodes?: unknown } | undefined)?.barcodes;
  return Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [];
};
