/**
 * Every event type of the log, as JSON Schema (the single source of truth).
 * Types are derived in `schemas/types.ts`; Ajv validates every event before it is appended.
 *
 * Each event's data carries `occurredAt` (when it happened, e.g. at the till) and
 * `recordedAt` (when Stocktide stored it). Who and why live in the metadata.
 */
import {
  adjustmentReason, countQuantity, id, locationType, money, name, note, quantity, reference,
  signedQuantity, sku, timestamp,
} from './common';
import { purchasingEventSchemas } from './purchasing';
import { catalogEventSchemas, category } from './catalog';
import { goLiveEventSchemas } from './go-live';
import { pollEventSchemas } from './polls';
import { feedbackEventSchemas } from './feedback';
import { auditEventSchemas } from './audit';
import { countingEventSchemas } from './counting';

const times = { occurredAt: timestamp, recordedAt: timestamp } as const;
const timeKeys = ['occurredAt', 'recordedAt'] as const;

const skuQuantityLine = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity'],
  properties: { sku, quantity },
} as const;
const skuQuantityLines = { type: 'array', minItems: 1, maxItems: 1000, items: skuQuantityLine } as const;

/** Where a POS fact came from; the pair (connectionId, eventId) is unique in the log. */
export const posOrigin = {
  type: 'object',
  additionalProperties: false,
  required: ['connectionId', 'kind', 'eventId'],
  properties: {
    connectionId: id,
    kind: { type: 'string', enum: ['shopify', 'square', 'generic', 'csv'] },
    eventId: { type: 'string', minLength: 1, maxLength: 200 },
    orderId: { type: 'string', maxLength: 200 },
    /** Lines of the POS order that are not stock (custom items, gift cards, tips, services, untracked): recorded, never moved. */
    unstocked: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['quantity', 'reason'],
        properties: {
          posLineId: { type: 'string', maxLength: 200 },
          title: { type: 'string', maxLength: 200 },
          quantity: { type: 'number', minimum: 0 },
          reason: { type: 'string', enum: ['custom', 'gift-card', 'tip', 'service', 'untracked'] },
        },
      },
    },
  },
} as const;

export const eventMetadata = {
  type: 'object',
  additionalProperties: false,
  required: ['actor', 'source', 'correlationId'],
  properties: {
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'id'],
      properties: {
        kind: { type: 'string', enum: ['user', 'pos', 'system'] },
        id: { type: 'string', minLength: 1, maxLength: 200 },
      },
    },
    /** The channel: `api`, `pos:shopify`, `pos:square`, `pos:generic`, `pos:csv`, `demo`, `system`. */
    source: { type: 'string', minLength: 1, maxLength: 40 },
    correlationId: { type: 'string', minLength: 1, maxLength: 200 },
    causationId: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

const event = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: [...required, ...timeKeys],
    properties: { ...properties, ...times },
  }) as const;

export const LocationRegistered = event(
  { locationId: id, name, locationType },
  ['locationId', 'name', 'locationType'] as const,
);

export const ProductRegistered = event(
  { sku, name, unitCost: money, reorderPoint: countQuantity, category },
  ['sku', 'name'] as const,
);

export const ReorderPointSet = event(
  { locationId: id, sku, reorderPoint: countQuantity },
  ['locationId', 'sku', 'reorderPoint'] as const,
);

export const StockReceived = event(
  {
    locationId: id,
    receiptId: id,
    reference,
    /** Set when the goods arrive against a purchase order (purchasing/): lines at the PO's unit costs. */
    purchaseOrderId: id,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity', 'unitCost'],
        properties: { sku, quantity, unitCost: money },
      },
    },
  },
  ['locationId', 'receiptId', 'lines'] as const,
);

export const StockSold = event(
  {
    locationId: id,
    saleId: { type: 'string', minLength: 1, maxLength: 300 },
    reference,
    pos: posOrigin,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'quantity'],
        properties: { sku, quantity, unitPrice: money },
      },
    },
  },
  ['locationId', 'saleId', 'lines'] as const,
);

export const StockReturned = event(
  {
    locationId: id,
    returnId: { type: 'string', minLength: 1, maxLength: 300 },
    reference,
    pos: posOrigin,
    lines: skuQuantityLines,
  },
  ['locationId', 'returnId', 'lines'] as const,
);

export const StockAdjusted = event(
  { locationId: id, adjustmentId: id, sku, quantity: signedQuantity, reason: adjustmentReason, note },
  ['locationId', 'adjustmentId', 'sku', 'quantity', 'reason'] as const,
);

/**
 * A physical count. `bookQuantity` is what the log said at `countedAt`; `adjustment`
 * (= counted - book) is what the count changes. Later movements still apply on top.
 */
export const StockCounted = event(
  {
    locationId: id,
    countId: id,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 5000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sku', 'countedQuantity', 'bookQuantity', 'adjustment'],
        properties: {
          sku,
          countedQuantity: countQuantity,
          bookQuantity: { type: 'integer' },
          adjustment: { type: 'integer' },
          /** Cost of the units a count adds (opening balances from a POS); absent: the product's. */
          unitCost: money,
        },
      },
    },
  },
  ['locationId', 'countId', 'lines'] as const,
);

const transferKeys = { transferId: id, fromLocationId: id, toLocationId: id } as const;
const transferRequired = ['transferId', 'fromLocationId', 'toLocationId'] as const;

export const TransferCreated = event(
  { ...transferKeys, lines: skuQuantityLines },
  [...transferRequired, 'lines'] as const,
);
export const TransferDispatched = event(
  { ...transferKeys, lines: skuQuantityLines },
  [...transferRequired, 'lines'] as const,
);
export const TransferCancelled = event({ ...transferKeys, reason: note }, transferRequired);
/** A receipt at the destination; when `completed`, whatever was not received is `shortfall` (lost in transit). */
export const TransferReceived = event(
  {
    ...transferKeys,
    lines: { type: 'array', maxItems: 1000, items: skuQuantityLine },
    shortfall: { type: 'array', maxItems: 1000, items: skuQuantityLine },
    completed: { type: 'boolean' },
    /** The client's key of this delivery (ReceiveTransfer `receiptId`), when it sent one. */
    receiptId: id,
  },
  [...transferRequired, 'lines', 'shortfall', 'completed'] as const,
);

/** A total reported by a POS differs from our balance at that moment. Nothing is overwritten. */
export const PosDiscrepancyRecorded = event(
  {
    locationId: id,
    sku,
    connectionId: id,
    posEventId: { type: 'string', minLength: 1, maxLength: 200 },
    posQuantity: { type: 'integer' },
    ourQuantity: { type: 'integer' },
    difference: { type: 'integer' },
  },
  ['locationId', 'sku', 'connectionId', 'posEventId', 'posQuantity', 'ourQuantity', 'difference'] as const,
);

/** The registry: event type name -> schema of its data. */
export const eventSchemas = {
  LocationRegistered,
  ProductRegistered,
  ReorderPointSet,
  StockReceived,
  StockSold,
  StockReturned,
  StockAdjusted,
  StockCounted,
  TransferCreated,
  TransferDispatched,
  TransferCancelled,
  TransferReceived,
  PosDiscrepancyRecorded,
  ...purchasingEventSchemas,
  ...catalogEventSchemas,
  ...goLiveEventSchemas,
  ...pollEventSchemas,
  ...feedbackEventSchemas,
  ...auditEventSchemas,
  ...countingEventSchemas,
} as const;
