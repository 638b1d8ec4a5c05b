/** The catalog: products (sku, name, unit cost, reorder point, category, price, barcodes) and locations (id, name, type). */
import type { Projection } from '../runner/projection';
import { COLLECTIONS, type LocationDoc, type ProductDoc } from './collections';
import { asDomainEvent } from './model-events';
import { CATALOG } from '../../catalog/catalog-collections';
import { isCatalogEvent } from '../../catalog/catalog-events';
import { applyCatalogEventToProducts } from '../../catalog/product-docs';

export const catalogProjection: Projection = {
  name: 'catalog',
  collections: [COLLECTIONS.products, COLLECTIONS.locations, CATALOG.barcodes],
  indexes: [],
  async apply(recorded, uow) {
    const event = asDomainEvent(recorded);
    const position = recorded.position.toString();
    if (event?.type === 'ProductRegistered') {
      const { sku, name, unitCost, reorderPoint, category } = event.data;
      const doc: ProductDoc = {
        _id: sku, sku, name, position,
        ...(unitCost !== undefined ? { unitCost } : {}),
        ...(reorderPoint !== undefined ? { reorderPoint } : {}),
        ...(category !== undefined ? { category } : {}),
      };
      uow.put(COLLECTIONS.products, doc);
    } else if (event?.type === 'LocationRegistered') {
      const { locationId, name, locationType } = event.data;
      const doc: LocationDoc = { _id: locationId, id: locationId, name, type: locationType, position };
      uow.put(COLLECTIONS.locations, doc);
    } else if (event && isCatalogEvent(event)) {
      await applyCatalogEventToProducts(event, uow, position);
    }
  },
};
