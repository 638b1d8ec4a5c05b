/**
 * The parts of the POS platforms' catalog APIs Stocktide reads (documented shapes; other
 * fields are allowed and ignored). Shopify: GraphQL Admin API (`locations`, `productVariants`,
 * webhooks `products/*` in their REST JSON form). Square: Locations API, Catalog API
 * (`ListCatalog`, `SearchCatalogObjects`).
 */
import { posIdValue } from './pos';

const open = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: true, required, properties }) as const;
const text = { type: 'string', maxLength: 1000 } as const;
const nullableText = { anyOf: [text, { type: 'null' }] } as const;
const pageInfo = open({ hasNextPage: { type: 'boolean' }, endCursor: nullableText }, ['hasNextPage'] as const);

export const ShopifyLocationsPage = open({
  data: open({
    locations: open({
      pageInfo,
      nodes: { type: 'array', items: open({ id: text, legacyResourceId: text, name: text, isActive: { type: 'boolean' } }, ['id', 'name'] as const) },
    }, ['pageInfo', 'nodes'] as const),
  }, ['locations'] as const),
}, ['data'] as const);

const money = open({ amount: { anyOf: [{ type: 'string' }, { type: 'number' }] } }, ['amount'] as const);
export const ShopifyVariantsPage = open({
  data: open({
    productVariantsCount: open({ count: { type: 'integer' } }, ['count'] as const),
    productVariants: open({
      pageInfo,
      nodes: {
        type: 'array',
        items: open({
          id: text, legacyResourceId: text, sku: nullableText, title: nullableText, barcode: nullableText, price: nullableText,
          updatedAt: nullableText,
          product: open({ id: text, legacyResourceId: text, title: text, productType: nullableText }, ['id', 'title'] as const),
          inventoryItem: { anyOf: [open({ id: text, legacyResourceId: text, unitCost: { anyOf: [money, { type: 'null' }] } }, [] as const), { type: 'null' }] },
        }, ['id', 'product'] as const),
      },
    }, ['pageInfo', 'nodes'] as const),
  }, ['productVariants'] as const),
}, ['data'] as const);

/** `products/create` and `products/update` webhook bodies (REST JSON of a product). */
export const ShopifyProductWebhook = open({
  id: posIdValue,
  title: nullableText,
  product_type: nullableText,
  updated_at: nullableText,
  variants: {
    type: 'array',
    maxItems: 2000,
    items: open({
      id: posIdValue, product_id: posIdValue, title: nullableText, sku: nullableText, barcode: nullableText,
      price: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] }, inventory_item_id: { anyOf: [posIdValue, { type: 'null' }] }, updated_at: nullableText,
    }, ['id'] as const),
  },
}, ['id'] as const);
export const ShopifyProductDeleteWebhook = open({ id: posIdValue }, ['id'] as const);

export const SquareLocationsResponse = open({
  locations: { type: 'array', items: open({ id: text, name: text, status: text }, ['id'] as const) },
}, [] as const);

const squareMoney = open({ amount: { type: 'integer' }, currency: text }, [] as const);
const squareVariation = open({
  type: text, id: text, updated_at: text, is_deleted: { type: 'boolean' },
  item_variation_data: open({ item_id: text, name: text, sku: text, upc: text, price_money: squareMoney, default_unit_cost: squareMoney }, [] as const),
}, ['id'] as const);
/** An ITEM (its category by `reporting_category`, `categories` or the older `category_id`) or a CATEGORY object. */
const squareCatalogObject = open({
  type: text, id: text, updated_at: text, is_deleted: { type: 'boolean' },
  item_data: open({
    name: text, variations: { type: 'array', items: squareVariation },
    reporting_category: open({ id: text }, [] as const),
    categories: { type: 'array', items: open({ id: text }, [] as const) },
    category_id: text,
  }, [] as const),
  category_data: open({ name: text }, [] as const),
}, ['type', 'id'] as const);

export const SquareCatalogPage = open({
  objects: { type: 'array', items: squareCatalogObject },
  /** `include_related_objects`: the categories (among others) the listed items name. */
  related_objects: { type: 'array', items: squareCatalogObject },
  cursor: text,
  latest_time: text,
}, [] as const);

/** Shopify `inventoryItems` with their levels per location (`on_hand`, `available`) and unit cost. */
export const ShopifyInventoryPage = open({
  data: open({
    inventoryItems: open({
      pageInfo,
      nodes: {
        type: 'array',
        items: open({
          id: text, legacyResourceId: text, sku: nullableText,
          unitCost: { anyOf: [money, { type: 'null' }] },
          inventoryLevels: open({
            nodes: {
              type: 'array',
              items: open({
                location: open({ id: text, legacyResourceId: text }, ['id'] as const),
                quantities: { type: 'array', items: open({ name: text, quantity: { type: 'number' } }, ['name', 'quantity'] as const) },
              }, ['location', 'quantities'] as const),
            },
          }, ['nodes'] as const),
        }, ['id', 'inventoryLevels'] as const),
      },
    }, ['pageInfo', 'nodes'] as const),
  }, ['inventoryItems'] as const),
}, ['data'] as const);

/** Square `POST /v2/inventory/counts/batch-retrieve` answer, one page. */
export const SquareCountsPage = open({
  counts: {
    type: 'array',
    items: open({ catalog_object_id: text, location_id: text, state: text, quantity: text, calculated_at: text }, ['catalog_object_id', 'location_id', 'quantity'] as const),
  },
  cursor: text,
}, [] as const);
