/**
 * How catalog events change the `products` documents (owned by the `catalog` projection in
 * `projections/models/catalog.ts`, which delegates here) and the barcode index beside them.
 */
import { COLLECTIONS, type ProductDoc } from '../projections/models/collections';
import type { UnitOfWork } from '../projections/runner/projection';
import { CATALOG, type BarcodeDoc } from './catalog-collections';
import type { CatalogEvent } from './catalog-events';

export async function applyCatalogEventToProducts(event: CatalogEvent, uow: UnitOfWork, position: string): Promise<void> {
  const update = async (sku: string, change: (doc: ProductDoc) => ProductDoc) => {
    const doc = await uow.get<ProductDoc>(COLLECTIONS.products, sku);
    if (doc) uow.put(COLLECTIONS.products, { ...change(doc), position });
  };
  switch (event.type) {
    case 'ProductRenamed': return update(event.data.sku, (d) => ({ ...d, name: event.data.name }));
    case 'ProductPriceChanged': return update(event.data.sku, (d) => ({ ...d, price: event.data.price }));
    case 'ProductDiscontinued': return update(event.data.sku, (d) => ({ ...d, discontinued: true }));
    case 'ProductCategorized': return update(event.data.sku, ({ category: _c, ...d }) => ({ ...d, ...(event.data.category !== null && { category: event.data.category }) }));
    case 'ProductBarcodesChanged': {
      const { sku, barcodes, previous } = event.data;
      for (const code of previous) {
        const doc = await uow.get<BarcodeDoc>(CATALOG.barcodes, code);
        if (doc?.sku === sku) uow.delete(CATALOG.barcodes, code);
      }
      for (const code of barcodes) uow.put(CATALOG.barcodes, { _id: code, barcode: code, sku } satisfies BarcodeDoc);
      return update(sku, (d) => ({ ...d, barcodes: [...barcodes] }));
    }
    case 'PosItemLinked':
    case 'PosItemUnlinked':
    case 'CatalogConflictRaised':
    case 'CatalogConflictResolved':
    case 'LocationModeChanged':
    case 'OpeningBalancesDated':
      return;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
