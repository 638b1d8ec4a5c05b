/**
 * Schemas of the catalog capability (`catalog/`): product details kept uniform with the POS,
 * barcodes, the links between POS items and our SKUs, catalog conflicts, and catalog imports.
 * The event schemas are spread into `schemas/events.ts` (`...catalogEventSchemas`).
 */
import { id, money, name, position, sku, timestamp } from './common';

const times = { occurredAt: timestamp, recordedAt: timestamp } as const;
const timeKeys = ['occurredAt', 'recordedAt'] as const;
const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
const event = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required: [...required, ...timeKeys], properties: { ...properties, ...times } }) as const;

/** A GTIN as stored: 13 or 14 digits (UPC-A and EAN-8 are padded, see `catalog/gtin.ts`). */
export const gtin = { type: 'string', pattern: '^[0-9]{13,14}$' } as const;
export const barcodes = { type: 'array', maxItems: 20, uniqueItems: true, items: gtin } as const;
/** A POS object id exactly as the POS sends it (Shopify ids exceed 2^53: text, never numbers). */
export const posId = { type: 'string', minLength: 1, maxLength: 200 } as const;
const posTitle = { type: 'string', maxLength: 500 } as const;
/** A product category (Shopify's product type, Square's category): trimmed, compared exactly. */
export const category = { type: 'string', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' } as const;

/** `changed-in-pos`: a product push found the POS item changed since Stocktide last saw it (not overwritten). */
export const conflictKind = { type: 'string', enum: ['sku-clash', 'sku-changed-with-stock', 'deleted-with-stock', 'changed-in-pos'] } as const;
/** `push`: overwrite the POS with Stocktide's version (a `changed-in-pos` conflict). */
export const resolution = { type: 'string', enum: ['keep', 'rename', 'merge', 'discontinue', 'push'] } as const;

export const ProductRenamed = event({ sku, name, previousName: name }, ['sku', 'name', 'previousName'] as const);
/** Selling price in minor units (the POS is the source of truth for prices by default). */
export const ProductPriceChanged = event({ sku, price: money, previousPrice: money }, ['sku', 'price'] as const);
export const ProductDiscontinued = event({ sku, reason: { type: 'string', maxLength: 500 } }, ['sku', 'reason'] as const);
/** Appended to the one `catalog-barcodes` stream: uniqueness across the catalog is decided there. */
export const ProductBarcodesChanged = event({ sku, barcodes, previous: barcodes }, ['sku', 'barcodes', 'previous'] as const);
/** A product's category set (a string) or cleared (null); `previous` absent when it had none. */
export const ProductCategorized = event(
  { sku, category: { anyOf: [category, { type: 'null' }] }, previous: category },
  ['sku', 'category'] as const,
);
/**
 * A POS item (Shopify variant, Square item variation) is this SKU for a connection. `aliases`
 * are the other ids the POS uses for the same item (Shopify inventory item id), so totals and
 * balance pushes map too. Appended to `pos-catalog-{connectionId}`.
 */
export const PosItemLinked = event(
  {
    connectionId: id, posItemId: posId, sku, aliases: { type: 'array', maxItems: 10, items: posId },
    posProductId: posId, title: posTitle, posUpdatedAt: timestamp,
    /** The POS's selling price of the item at `posUpdatedAt` (what a product push compares with). */
    price: money,
  },
  ['connectionId', 'posItemId', 'sku', 'aliases'] as const,
);
export const PosItemUnlinked = event(
  { connectionId: id, posItemId: posId, sku, reason: { type: 'string', maxLength: 500 } },
  ['connectionId', 'posItemId', 'sku', 'reason'] as const,
);
const side = object({ sku, posItemId: posId, title: posTitle, onHand: { type: 'integer' }, price: money, posUpdatedAt: timestamp }, [] as const);
/** Something the POS and Stocktide disagree on: shown with both sides, resolved by a person. */
export const CatalogConflictRaised = event(
  {
    connectionId: id, conflictId: { type: 'string', minLength: 1, maxLength: 300 }, conflict: conflictKind,
    sku, posItemId: posId, ours: side, theirs: side, aliases: { type: 'array', maxItems: 10, items: posId },
  },
  ['connectionId', 'conflictId', 'conflict', 'sku', 'posItemId', 'ours', 'theirs'] as const,
);
export const CatalogConflictResolved = event(
  { connectionId: id, conflictId: { type: 'string', minLength: 1, maxLength: 300 }, resolution, sku },
  ['connectionId', 'conflictId', 'resolution'] as const,
);

export const catalogEventSchemas = {
  ProductRenamed,
  ProductPriceChanged,
  ProductDiscontinued,
  ProductBarcodesChanged,
  PosItemLinked,
  PosItemUnlinked,
  CatalogConflictRaised,
  CatalogConflictResolved,
  ProductCategorized,
} as const;

// ---- HTTP ----

export const ImportScope = { type: 'string', enum: ['locations', 'catalog', 'balances'] } as const;
export const StartImport = object(
  {
    scope: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: ImportScope },
    /** Cut-over instant T of opening balances (default: now). */
    asOf: timestamp,
    /** Register POS locations that no `locationMap` entry links (id derived from the POS id). */
    createLocations: { type: 'boolean' },
  },
  ['scope'] as const,
);
export const ImportIdParams = object({ id: { type: 'string', minLength: 1, maxLength: 64 } }, ['id'] as const);
export const ImportStarted = object({ id: { type: 'string' }, status: { type: 'string' } }, ['id', 'status'] as const);
const problem = object({ item: { type: 'string' }, reason: { type: 'string' } }, ['item', 'reason'] as const);
export const ImportView = object(
  {
    id: { type: 'string' },
    connectionId: { type: 'string' },
    status: { type: 'string', enum: ['running', 'done', 'failed'] },
    scope: { type: 'array', items: ImportScope },
    phase: { type: 'string' },
    asOf: { type: 'string' },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    progress: object({ done: { type: 'integer' }, total: { type: 'integer' } }, ['done', 'total'] as const),
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    problems: { type: 'array', items: problem },
    error: { type: 'string' },
    position: position,
    /** Open quarantine items of this connection: retry them in one action once the import mapped them. */
    quarantine: object({ open: { type: 'integer' }, retry: { type: 'string' } }, ['open', 'retry'] as const),
  },
  ['id', 'connectionId', 'status', 'progress', 'counts', 'problems'] as const,
);
export const ImportsQuery = object({ connectionId: id }, [] as const);
export const ImportsAnswer = object({ items: { type: 'array', items: ImportView } }, ['items'] as const);

export const SkuParams = object({ sku }, ['sku'] as const);
/** Any barcode form (UPC-A, EAN-8, EAN-13, GTIN-14, with or without spaces/dashes); normalised on the way in. */
export const SetBarcodes = object(
  { barcodes: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 40 } } },
  ['barcodes'] as const,
);
export const UpdateProduct = object({ name, price: money }, [] as const);
/** `null` clears the category. */
export const SetCategory = object({ category: { anyOf: [category, { type: 'null' }] } }, ['category'] as const);
export const DiscontinueProduct = object({ reason: { type: 'string', maxLength: 500 } }, [] as const);
export const CatalogWrite = object({ position, duplicate: { type: 'boolean' } }, ['position'] as const);

export const ConflictParams = object({ id: { type: 'string', minLength: 1, maxLength: 300 } }, ['id'] as const);
export const ResolveConflict = object({ resolution, sku }, ['resolution'] as const);
export const CatalogAlertsQuery = object({ status: { type: 'string', enum: ['open', 'resolved', 'all'] }, connectionId: id, minPosition: position }, [] as const);
const alertSide = object({ sku: { type: 'string' }, posItemId: { type: 'string' }, title: { type: 'string' }, onHand: { type: 'integer' }, price: { type: 'integer' }, posUpdatedAt: { type: 'string' } }, [] as const);
export const CatalogAlertView = object(
  {
    id: { type: 'string' }, connectionId: { type: 'string' }, conflictId: { type: 'string' }, conflict: { type: 'string' }, status: { type: 'string' },
    sku: { type: 'string' }, posItemId: { type: 'string' }, ours: alertSide, theirs: alertSide,
    raisedAt: { type: 'string' }, resolvedAt: { type: 'string' }, resolution: { type: 'string' }, position: { type: 'string' },
    actions: { type: 'array', items: { type: 'string' } },
  },
  ['id', 'connectionId', 'conflictId', 'conflict', 'status', 'sku', 'posItemId', 'ours', 'theirs', 'position', 'actions'] as const,
);
export const CatalogAlertsAnswer = object({ items: { type: 'array', items: CatalogAlertView }, position }, ['items', 'position'] as const);
export const PosItemsQuery = object({ minPosition: position }, [] as const);
export const PosItemsAnswer = object({
  items: {
    type: 'array',
    items: object({ posItemId: { type: 'string' }, sku: { type: 'string' }, aliases: { type: 'array', items: { type: 'string' } }, title: { type: 'string' } }, ['posItemId', 'sku'] as const),
  },
  position,
}, ['items', 'position'] as const);

// ---- Product push (Stocktide → POS) ----

export const SetProductPush = object(
  {
    enabled: { type: 'boolean' },
    /** Also push the products that exist already (the whole log); default: only changes from now on. */
    includeExisting: { type: 'boolean' },
  },
  ['enabled'] as const,
);
export const ProductPushSetting = object(
  { connectionId: { type: 'string' }, enabled: { type: 'boolean' }, fromPosition: { type: 'string' } },
  ['connectionId', 'enabled'] as const,
);
export const ProductPushesQuery = object(
  { connectionId: id, status: { type: 'string', enum: ['pending', 'delivered', 'failed', 'dead'] }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
  [] as const,
);
export const ProductPushIdParams = object({ id: { type: 'string', minLength: 1, maxLength: 300 } }, ['id'] as const);
export const ProductPushView = object(
  {
    id: { type: 'string' }, connectionId: { type: 'string' }, sku: { type: 'string' }, position: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed', 'dead'] }, attempts: { type: 'integer' }, nextAttemptAt: { type: 'string' },
    lastStatus: { type: 'integer' }, lastError: { type: 'string' }, deliveredAt: { type: 'string' }, createdAt: { type: 'string' }, updatedAt: { type: 'string' },
    result: { type: 'string' }, posItemId: { type: 'string' }, expectedPosUpdatedAt: { type: 'string' },
    observed: object({ title: { type: 'string' }, sku: { type: 'string' }, price: { type: 'integer' }, posUpdatedAt: { type: 'string' } }, [] as const),
  },
  ['id', 'connectionId', 'sku', 'position', 'status', 'attempts', 'nextAttemptAt', 'createdAt', 'updatedAt'] as const,
);
export const ProductPushesAnswer = object({ items: { type: 'array', items: ProductPushView } }, ['items'] as const);
