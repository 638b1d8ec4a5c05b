/**
 * Request bodies of the write side (CONTRACT.md, Commands). Fastify validates with these
 * exact objects and the handlers' types are derived from them.
 */
import {
  adjustmentReason, countQuantity, id, locationType, money, name, note, quantity, reference,
  signedQuantity, sku, timestamp,
} from './common';
import { purchasingCommandSchemas } from './purchasing';
import { pollCommandSchemas } from './polls';
import { feedbackCommandSchemas } from './feedback';
import { countingCommandSchemas } from './counting';
import { category } from './catalog';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

const lines = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'array', minItems: 1, maxItems: 1000, items: object(properties, required) }) as const;

export const RegisterLocation = object({ id, name, type: locationType }, ['id', 'name', 'type'] as const);

export const RegisterProduct = object(
  { sku, name, unitCost: money, reorderPoint: countQuantity, category },
  ['sku', 'name'] as const,
);

export const ReceiveStock = object(
  {
    locationId: id,
    reference,
    lines: lines({ sku, quantity, unitCost: money }, ['sku', 'quantity'] as const),
    /** Optional client key: repeating a receipt with the same id has one effect. */
    receiptId: id,
    /** When the goods arrived (default: now): a receipt keyed in late keeps its dock time. */
    receivedAt: timestamp,
  },
  ['locationId', 'lines'] as const,
);

export const AdjustStock = object(
  {
    locationId: id, sku, quantity: signedQuantity, reason: adjustmentReason, note, adjustmentId: id,
    /** When it happened (default: now), e.g. on a phone that was offline; at most 5 min ahead of the server. */
    occurredAt: timestamp,
  },
  ['locationId', 'sku', 'quantity', 'reason'] as const,
);

export const CountStock = object(
  {
    locationId: id,
    lines: { ...lines({ sku, countedQuantity: countQuantity, unitCost: money }, ['sku', 'countedQuantity'] as const), maxItems: 5000 },
    countedAt: timestamp,
    countId: id,
  },
  ['locationId', 'lines'] as const,
);

export const CreateTransfer = object(
  { fromLocationId: id, toLocationId: id, lines: lines({ sku, quantity }, ['sku', 'quantity'] as const), id },
  ['fromLocationId', 'toLocationId', 'lines'] as const,
);

export const ReceiveTransfer = object(
  {
    lines: { type: 'array', minItems: 1, maxItems: 1000, items: object({ sku, quantity: { ...quantity, minimum: 0 } }, ['sku', 'quantity'] as const) },
    /** Default true: what was not received is recorded as a shortfall. `false` leaves it in transit. */
    final: { type: 'boolean' },
    /**
     * Optional client key of this delivery: repeating it (same transfer, id and lines) has one
     * effect, the same id with other lines is refused. Without it a repeated partial receipt counts twice.
     */
    receiptId: id,
  },
  [] as const,
);

export const CancelTransfer = object({ reason: note }, [] as const);

/** A sale or return as the POS adapters hand it to the domain (also POST /api/stock/sales). */
export const RecordSale = object(
  {
    locationId: id,
    occurredAt: timestamp,
    reference,
    saleId: { type: 'string', minLength: 1, maxLength: 300 },
    lines: lines({ sku, quantity, unitPrice: money }, ['sku', 'quantity'] as const),
  },
  ['locationId', 'lines'] as const,
);
export const RecordReturn = object(
  {
    locationId: id,
    occurredAt: timestamp,
    reference,
    returnId: { type: 'string', minLength: 1, maxLength: 300 },
    lines: lines({ sku, quantity }, ['sku', 'quantity'] as const),
  },
  ['locationId', 'lines'] as const,
);

export const SetReorderPoint = object(
  { locationId: id, sku, reorderPoint: countQuantity },
  ['locationId', 'sku', 'reorderPoint'] as const,
);

export const Login = object(
  { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 1000 } },
  ['username', 'password'] as const,
);

export const commandSchemas = {
  RegisterLocation, RegisterProduct, ReceiveStock, AdjustStock, CountStock, CreateTransfer,
  ReceiveTransfer, CancelTransfer, RecordSale, RecordReturn, SetReorderPoint, Login,
  ...purchasingCommandSchemas,
  ...pollCommandSchemas,
  ...feedbackCommandSchemas,
  ...countingCommandSchemas,
} as const;

