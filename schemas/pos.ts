/**
 * POS integration: request bodies of the POS routes and the parts of the platforms' webhook
 * and API payloads that Stocktide reads. Payload schemas list only the fields we use and allow
 * everything else (platforms add fields over time).
 *
 * POS ids: Shopify's exceed 2^53. Payloads are parsed with lossless-json so that an id too large
 * for a double arrives as its exact decimal text; a smaller one may arrive as an integer.
 * `posIdValue` accepts both, and adapters turn it into text.
 */
import { id, sku, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
/** A payload object: the named fields are checked, any other field is allowed. */
const open = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', required, properties }) as const;
const nullable = <const S>(schema: S) => ({ anyOf: [schema, { type: 'null' }] }) as const;

/** An id as a POS sends it: text, or an integer (text when it does not fit a double). */
export const posIdValue = {
  anyOf: [{ type: 'string', minLength: 1, maxLength: 200 }, { type: 'integer' }],
} as const;
/** A POS id as we keep it: always text. */
export const posIdText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const posText = { type: 'string', maxLength: 500 } as const;

export const posKind = { type: 'string', enum: ['shopify', 'square', 'generic'] } as const;
const secret = { type: 'string', minLength: 8, maxLength: 500 } as const;
const url = { type: 'string', format: 'uri', maxLength: 2000 } as const;
const accessToken = { type: 'string', minLength: 1, maxLength: 2000 } as const;
/** Tenancy pins: `example.myshopify.com`, a Square merchant id. */
const shopDomain = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9.-]+$' } as const;
const merchantId = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** POS location id -> Stocktide location id. */
export const locationMap = {
  type: 'object',
  maxProperties: 10_000,
  propertyNames: { maxLength: 200 },
  additionalProperties: id,
} as const;
/** POS item id (Shopify variant or inventory item id, Square catalog object id, POS SKU) -> Stocktide SKU. */
export const skuMap = {
  type: 'object',
  maxProperties: 100_000,
  propertyNames: { maxLength: 200 },
  additionalProperties: sku,
} as const;

export const CreatePosConnection = object(
  {
    id, kind: posKind, secret, locationMap, skuMap,
    notificationUrl: url, apiBaseUrl: url, accessToken, disabled: { type: 'boolean' },
    shopDomain, merchantId,
  },
  ['id', 'kind', 'secret', 'locationMap'] as const,
);

/** Merge patch: given maps are merged key by key, and a key set to null is removed. */
export const UpdatePosConnection = {
  ...object(
    {
      secret, notificationUrl: url, apiBaseUrl: url, accessToken, disabled: { type: 'boolean' },
      locationMap: { ...locationMap, additionalProperties: nullable(id) },
      skuMap: { ...skuMap, additionalProperties: nullable(sku) },
      shopDomain, merchantId,
    },
    [] as const,
  ),
  minProperties: 1,
} as const;

/** A connection as the API shows it: never its secret nor its access token. */
export const PosConnectionView = object(
  {
    id, kind: posKind, locationMap, skuMap, notificationUrl: url, apiBaseUrl: url,
    hasAccessToken: { type: 'boolean' }, disabled: { type: 'boolean' }, createdAt: timestamp, updatedAt: timestamp,
    shopDomain, merchantId,
  },
  ['id', 'kind', 'locationMap', 'skuMap', 'hasAccessToken', 'disabled', 'createdAt', 'updatedAt'] as const,
);

/** A connection's health (`GET /api/pos/connections/{id}/health`, `GET /api/pos/health`). */
export const ConnectionHealthView = object(
  {
    connectionId: id, kind: posKind, disabled: { type: 'boolean' },
    lastDeliveryAt: timestamp,
    deliveriesLastHour: { type: 'integer', minimum: 0 },
    deliveriesLastWeek: { type: 'integer', minimum: 0 },
    quarantined: { type: 'integer', minimum: 0 },
    pending: { type: 'integer', minimum: 0 },
    testDeliveries: { type: 'integer', minimum: 0 },
    lastTestAt: timestamp,
    lastError: object({ at: timestamp, message: { type: 'string' } }, ['at', 'message'] as const),
    /** Usually delivers (5+ in 7 days) and nothing for IMS_POS_SILENT_AFTER_MINUTES. */
    silent: { type: 'boolean' },
    alert: { type: 'string' },
  },
  ['connectionId', 'kind', 'disabled', 'deliveriesLastHour', 'deliveriesLastWeek', 'quarantined', 'pending', 'testDeliveries', 'silent'] as const,
);
export const ConnectionHealthList = object(
  { silentAfterMinutes: { type: 'integer' }, items: { type: 'array', items: ConnectionHealthView } },
  ['silentAfterMinutes', 'items'] as const,
);
export const InboxDeliveriesQuery = object({ limit: { type: 'integer', minimum: 1, maximum: 500 } }, [] as const);

export const ConnectionIdParams = object({ connectionId: id }, ['connectionId'] as const);
export const IdParams = object({ id: { type: 'string', minLength: 1, maxLength: 200 } }, ['id'] as const);

export const QuarantineQuery = object(
  { status: { type: 'string', enum: ['open', 'released', 'all'] }, connectionId: id, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
  [] as const,
);

/** The generic webhook body (CONTRACT.md): `locationId` and `sku` are the POS's own ids. */
export const GenericPosEvent = object(
  {
    eventId: posIdText,
    type: { type: 'string', enum: ['sale', 'return'] },
    locationId: posIdText,
    occurredAt: timestamp,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: object({ sku: posIdText, quantity: { type: 'integer', minimum: 1, maximum: 1_000_000_000 } }, ['sku', 'quantity'] as const),
    },
  },
  ['eventId', 'type', 'locationId', 'occurredAt', 'lines'] as const,
);

// ---- Shopify (REST webhook payloads) ----

const shopifyTime = { type: 'string', maxLength: 40 } as const;

/** `orders/create` and `orders/cancelled` carry the whole order. */
export const ShopifyOrder = open(
  {
    id: posIdValue,
    name: posText,
    created_at: shopifyTime,
    processed_at: nullable(shopifyTime),
    cancelled_at: nullable(shopifyTime),
    location_id: nullable(posIdValue),
    line_items: {
      type: 'array',
      maxItems: 5000,
      items: open(
        {
          id: posIdValue,
          variant_id: nullable(posIdValue),
          sku: nullable(posText),
          quantity: { type: 'integer', minimum: 0 },
          current_quantity: { type: 'integer', minimum: 0 },
          title: nullable(posText),
          gift_card: { type: 'boolean' },
          product_exists: { type: 'boolean' },
          /** `shopify` (or a fulfillment service) when tracked; null when the variant's stock is not tracked. */
          variant_inventory_management: nullable(posText),
        },
        ['quantity'] as const,
      ),
    },
    /** Refunds so far; each was also delivered as `refunds/create`. */
    refunds: {
      type: 'array',
      maxItems: 1000,
      items: open(
        {
          refund_line_items: {
            type: 'array',
            maxItems: 5000,
            items: open({ line_item_id: posIdValue, quantity: { type: 'integer', minimum: 0 } }, ['line_item_id', 'quantity'] as const),
          },
        },
        [] as const,
      ),
    },
  },
  ['id', 'created_at', 'line_items'] as const,
);

export const ShopifyRefund = open(
  {
    id: posIdValue,
    order_id: posIdValue,
    created_at: shopifyTime,
    processed_at: nullable(shopifyTime),
    refund_line_items: {
      type: 'array',
      maxItems: 5000,
      items: open(
        {
          id: posIdValue,
          line_item_id: posIdValue,
          location_id: nullable(posIdValue),
          quantity: { type: 'integer', minimum: 0 },
          restock_type: { type: 'string', maxLength: 40 },
          line_item: open({
            variant_id: nullable(posIdValue), sku: nullable(posText), title: nullable(posText), gift_card: { type: 'boolean' },
            product_exists: { type: 'boolean' }, variant_inventory_management: nullable(posText),
          }, [] as const),
        },
        ['quantity', 'restock_type'] as const,
      ),
    },
  },
  ['id', 'order_id', 'created_at', 'refund_line_items'] as const,
);

/** `inventory_levels/update`: a TOTAL (`available`), never a change. */
export const ShopifyInventoryLevel = open(
  {
    inventory_item_id: posIdValue,
    location_id: posIdValue,
    available: nullable({ type: 'integer' }),
    updated_at: shopifyTime,
  },
  ['inventory_item_id', 'location_id', 'available'] as const,
);

// ---- Square ----

const squareText = { type: 'string', minLength: 1, maxLength: 200 } as const;
/** Square sends quantities as decimal strings ("2", "1.5"). */
const squareQuantity = { type: 'string', maxLength: 40 } as const;

/** The envelope of every Square webhook notification. */
export const SquareNotification = open(
  {
    merchant_id: squareText,
    type: squareText,
    event_id: squareText,
    created_at: shopifyTime,
    data: open({ type: squareText, id: posText, object: { type: 'object' } }, ['type'] as const),
  },
  ['merchant_id', 'type', 'event_id', 'created_at', 'data'] as const,
);

export const SquarePaymentObject = open(
  {
    payment: open(
      { id: squareText, order_id: squareText, status: squareText, location_id: squareText, updated_at: shopifyTime },
      ['id', 'status'] as const,
    ),
  },
  ['payment'] as const,
);

/** `order.created`: may be the only event of an order created already COMPLETED (e.g. through the API). */
export const SquareOrderCreatedObject = open(
  {
    order_created: open(
      { order_id: squareText, state: squareText, version: { type: 'integer' }, location_id: squareText, created_at: shopifyTime },
      ['order_id', 'state'] as const,
    ),
  },
  ['order_created'] as const,
);

export const SquareOrderUpdatedObject = open(
  {
    order_updated: open(
      { order_id: squareText, state: squareText, version: { type: 'integer' }, location_id: squareText, updated_at: shopifyTime },
      ['order_id', 'state'] as const,
    ),
  },
  ['order_updated'] as const,
);

const squareCount = open(
  {
    catalog_object_id: squareText,
    catalog_object_type: squareText,
    state: squareText,
    location_id: squareText,
    quantity: squareQuantity,
    calculated_at: shopifyTime,
  },
  ['catalog_object_id', 'state', 'location_id', 'quantity'] as const,
);
const squareCounts = { type: 'array', maxItems: 10_000, items: squareCount } as const;

/** `inventory.count.updated`: totals per catalog object, location and state. */
export const SquareInventoryCountObject = open({ inventory_counts: squareCounts }, ['inventory_counts'] as const);

/** `POST /v2/inventory/counts/batch-retrieve` answer. */
export const SquareBatchCountsResponse = open({ counts: squareCounts, cursor: { type: 'string' } }, [] as const);

/** `item_type`: ITEM, CUSTOM_AMOUNT or GIFT_CARD (only ITEM lines are stock). */
const squareLine = open(
  { uid: posText, catalog_object_id: squareText, quantity: squareQuantity, name: posText, item_type: squareText },
  ['quantity'] as const,
);

/** `GET /v2/orders/{order_id}` answer. */
export const SquareOrderResponse = open(
  {
    order: open(
      {
        id: squareText,
        location_id: squareText,
        state: squareText,
        version: { type: 'integer' },
        created_at: shopifyTime,
        updated_at: shopifyTime,
        closed_at: shopifyTime,
        line_items: { type: 'array', maxItems: 5000, items: squareLine },
        returns: {
          type: 'array',
          maxItems: 100,
          items: open(
            { uid: posText, source_order_id: posText, return_line_items: { type: 'array', maxItems: 5000, items: squareLine } },
            [] as const,
          ),
        },
      },
      ['id', 'location_id', 'state'] as const,
    ),
  },
  ['order'] as const,
);

export const posSchemas = {
  CreatePosConnection, UpdatePosConnection, PosConnectionView, GenericPosEvent,
  ShopifyOrder, ShopifyRefund, ShopifyInventoryLevel,
  SquareNotification, SquarePaymentObject, SquareOrderUpdatedObject, SquareOrderCreatedObject, SquareInventoryCountObject,
  SquareBatchCountsResponse, SquareOrderResponse,
} as const;
