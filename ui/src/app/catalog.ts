/**
 * The products scanning needs, cached for offline use: fetched while online, kept in IndexedDB,
 * looked up by any form of a GTIN (the same normalisation as the server: catalog/gtin.ts) or,
 * for Code 128 / QR labels that carry it, by the SKU itself.
 */
import { ref } from 'vue';
import { normaliseGtin } from '../../../catalog/gtin';
import { api } from '../api/client';
import { allProducts, replaceProducts, type CachedProduct } from './db';

export const products = ref<CachedProduct[]>([]);
let byCode = new Map<string, CachedProduct>();
let markCached: () => void = () => undefined;
/** Settles once the cached catalog is indexed: a scan made earlier waits for it, not "unknown". */
export const catalogCached = new Promise<void>((resolve) => (markCached = resolve));

function index(list: CachedProduct[]): void {
  products.value = list;
  byCode = new Map();
  for (const p of list) {
    byCode.set(`sku:${p.sku}`, p);
    for (const code of p.barcodes ?? []) {
      const normal = normaliseGtin(code);
      if (normal) byCode.set(`gtin:${normal}`, p);
    }
  }
}

/** Loads the cache, then refreshes it from the server when online. */
export async function loadCatalog(): Promise<void> {
  try {
    index(await allProducts());
  } finally {
    markCached();
  }
  try {
    const answer = await api.get<{ items: CachedProduct[] }>('/api/products');
    const list = answer.items.map((p) => ({ sku: p.sku, name: p.name, ...(p.barcodes && { barcodes: p.barcodes }) }));
    await replaceProducts(list);
    index(list);
  } catch {
    // Offline (or signed out): the cached catalog serves.
  }
}

/** The product a scanned text names: a GTIN in any form, else a SKU. */
export function lookup(text: string): CachedProduct | undefined {
  const code = text.trim();
  const gtin = normaliseGtin(code);
  return (gtin ? byCode.get(`gtin:${gtin}`) : undefined) ?? byCode.get(`sku:${code}`);
}

export function search(text: string, limit = 8): CachedProduct[] {
  const q = text.trim().toLowerCase();
  if (q.length === 0) return [];
  return products.value.filter((p) => p.sku.toLowerCase().includes(q) || p.name.toLowerCase().includes(q)).slice(0, limit);
}

export const nameOf = (sku: string): string => byCode.get(`sku:${sku}`)?.name ?? sku;
