/**
 * The catalog's events within the log's union, and the streams they belong to:
 * - `product-{sku}`: renames, price changes, discontinuation (beside `ProductRegistered`);
 * - `catalog-barcodes`: every barcode assignment, so uniqueness is decided in one stream;
 * - `pos-catalog-{connectionId}`: which POS items are which SKU, and the conflicts.
 * No catalog event moves stock: read models of stock skip them with one `isCatalogEvent` test.
 */
import { catalogEventSchemas } from '../schemas/catalog';
import { goLiveEventSchemas } from '../schemas/go-live';
import type { DomainEvent } from '../schemas/types';

/**
 * Capability events that move no stock: the catalog's and go-live's (a location's mode). Stock
 * models, the outbox and the location stream skip them all with one `isCatalogEvent` test.
 */
export type CatalogEventType = keyof typeof catalogEventSchemas | keyof typeof goLiveEventSchemas;
export type CatalogEvent = Extract<DomainEvent, { type: CatalogEventType }>;

export const BARCODE_STREAM = 'catalog-barcodes';
export const posCatalogStream = (connectionId: string) => `pos-catalog-${connectionId}`;
export const productStreamOf = (sku: string) => `product-${sku}`;
export const locationModeStream = (locationId: string) => `location-mode-${locationId}`;
export const openingDateStream = (locationId: string) => `opening-date-${locationId}`;

export function isCatalogEvent(event: DomainEvent): event is CatalogEvent {
  return Object.hasOwn(catalogEventSchemas, event.type) || Object.hasOwn(goLiveEventSchemas, event.type);
}

export function catalogStreamOf(event: CatalogEvent): string {
  switch (event.type) {
    case 'ProductRenamed':
    case 'ProductPriceChanged':
    case 'ProductDiscontinued':
    case 'ProductCategorized':
      return productStreamOf(event.data.sku);
    case 'ProductBarcodesChanged':
      return BARCODE_STREAM;
    case 'PosItemLinked':
    case 'PosItemUnlinked':
    case 'CatalogConflictRaised':
    case 'CatalogConflictResolved':
      return posCatalogStream(event.data.connectionId);
    case 'LocationModeChanged':
      return locationModeStream(event.data.locationId);
    case 'OpeningBalancesDated':
      return openingDateStream(event.data.locationId);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
