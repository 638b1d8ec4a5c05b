/**
 * Purchasing and replenishment (CONTRACT.md, Purchasing): suppliers and their prices,
 * reorder rules, purchase orders and the suggestion actions. Events, request bodies, query
 * strings and answers; `schemas/events.ts` and `schemas/commands.ts` spread the first two
 * registries in with one line each.
 *
 * Streams (docs/purchasing.md): `supplier-{id}`, `reorder-rules-{locationId}`,
 * `purchase-order-{id}` (the draft), and the delivery location's `location-{id}` for every
 * step after the draft (sent, cancelled, lines closed, and the receipt itself, which is a
 * `StockReceived` carrying `purchaseOrderId`).
 */
import { countQuantity, id, money, name, note, position, quantity, sku, timestamp } from './common';

const object = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;

const times = { occurredAt: timestamp, recordedAt: timestamp } as const;
const event = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({
    type: 'object',
    additionalProperties: false,
    required: [...required, 'occurredAt', 'recordedAt'],
    properties: { ...properties, ...times },
  }) as const;

export const currency = { type: 'string', pattern: '^[A-Z]{3}$' } as const;
export const email = { type: 'string', format: 'email', maxLength: 320 } as const;
/** Days from sending a purchase order to its expected delivery. */
export const leadTimeDays = { type: 'integer', minimum: 0, maximum: 365 } as const;
/** Order multiples: a supplier ships whole packs. */
export const packSize = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;
export const daysOfCover = { type: 'integer', minimum: 1, maximum: 365 } as const;

const poLine = object({ sku, quantity, unitCost: money }, ['sku', 'quantity', 'unitCost'] as const);
const poLines = { type: 'array', minItems: 1, maxItems: 1000, items: poLine } as const;
const poKeys = { purchaseOrderId: id, supplierId: id, locationId: id } as const;
const poRequired = ['purchaseOrderId', 'supplierId', 'locationId'] as const;

// ---------------------------------------------------------------- events

export const SupplierRegistered = event(
  { supplierId: id, name, email, leadTimeDays, currency },
  ['supplierId', 'name', 'leadTimeDays', 'currency'] as const,
);
/** A supplier's price of a SKU; `preferred` makes it the SKU's preferred supplier (the latest such event wins). */
export const SupplierPriceSet = event(
  { supplierId: id, sku, unitCost: money, minOrderQuantity: quantity, packSize, preferred: { type: 'boolean' } },
  ['supplierId', 'sku', 'unitCost', 'minOrderQuantity', 'packSize', 'preferred'] as const,
);
/** No new orders go to the supplier; its prices and orders stay readable. */
export const SupplierDeactivated = event({ supplierId: id, reason: note }, ['supplierId'] as const);

export const ReorderRuleSet = event(
  { locationId: id, sku, min: countQuantity, max: countQuantity, targetDaysOfCover: daysOfCover },
  ['locationId', 'sku', 'min', 'max'] as const,
);

export const PurchaseOrderDrafted = event(
  {
    ...poKeys, currency, lines: poLines,
    /** Suggestions this draft was made from (the action's ids), when it was. */
    suggestionIds: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 64 } },
  },
  [...poRequired, 'currency', 'lines'] as const,
);
/** Appended to the delivery location's stream: send, cancel and receipts exclude one another. */
export const PurchaseOrderSent = event(
  {
    ...poKeys, currency, lines: poLines, leadTimeDays,
    /** occurredAt + leadTimeDays. */
    expectedAt: timestamp,
    supplierName: name,
    supplierEmail: email,
  },
  [...poRequired, 'currency', 'lines', 'leadTimeDays', 'expectedAt', 'supplierName'] as const,
);
export const PurchaseOrderCancelled = event({ ...poKeys, reason: note }, poRequired);
/** What will never arrive: each line's outstanding units, closed short. */
export const PurchaseOrderLinesClosed = event(
  {
    ...poKeys,
    closeId: id,
    lines: { type: 'array', minItems: 1, maxItems: 1000, items: object({ sku, quantity }, ['sku', 'quantity'] as const) },
    reason: note,
  },
  [...poRequired, 'closeId', 'lines'] as const,
);

export const purchasingEventSchemas = {
  SupplierRegistered, SupplierPriceSet, SupplierDeactivated, ReorderRuleSet,
  PurchaseOrderDrafted, PurchaseOrderSent, PurchaseOrderCancelled, PurchaseOrderLinesClosed,
} as const;

// ---------------------------------------------------------------- commands (request bodies)

export const RegisterSupplier = object(
  { id, name, leadTimeDays, email, currency },
  ['id', 'name', 'leadTimeDays'] as const,
);
export const SetSupplierPrice = object(
  { sku, unitCost: money, minOrderQuantity: quantity, packSize, preferred: { type: 'boolean' } },
  ['sku', 'unitCost'] as const,
);
export const DeactivateSupplier = object({ reason: note }, [] as const);
export const SetReorderRule = object(
  { locationId: id, sku, min: countQuantity, max: countQuantity, targetDaysOfCover: daysOfCover },
  ['locationId', 'sku', 'min', 'max'] as const,
);
export const DraftPurchaseOrder = object(
  {
    id, supplierId: id, locationId: id,
    lines: {
      type: 'array', minItems: 1, maxItems: 1000,
      /** `unitCost` absent: the supplier's price of the SKU. */
      items: object({ sku, quantity, unitCost: money }, ['sku', 'quantity'] as const),
    },
  },
  ['supplierId', 'locationId', 'lines'] as const,
);
export const CancelPurchaseOrder = object({ reason: note }, [] as const);
export const ClosePurchaseOrder = object({ reason: note }, [] as const);
export const ReceivePurchaseOrder = object(
  {
    lines: {
      type: 'array', minItems: 1, maxItems: 1000,
      items: object(
        { sku, quantity: countQuantity, closeShort: { type: 'boolean' } },
        ['sku', 'quantity'] as const,
      ),
    },
    /** Repeating a receipt with the same id has one effect. */
    receiptId: { ...id, maxLength: 62 },
    /** Accept more than is outstanding (the supplier shipped extra). */
    allowOver: { type: 'boolean' },
    /** Close every line still outstanding after this receipt (the supplier will ship no more). */
    closeShort: { type: 'boolean' },
    receivedAt: timestamp,
  },
  ['lines'] as const,
);
/** Up to a whole chain's list at once (20 stores × 200 SKUs and more): one pass applies a review. */
export const SuggestionAction = object(
  { suggestionIds: { type: 'array', minItems: 1, maxItems: 5000, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } } },
  ['suggestionIds'] as const,
);

export const purchasingCommandSchemas = {
  RegisterSupplier, SetSupplierPrice, DeactivateSupplier, SetReorderRule, DraftPurchaseOrder,
  CancelPurchaseOrder, ClosePurchaseOrder, ReceivePurchaseOrder, SuggestionAction,
} as const;

// ---------------------------------------------------------------- reads

const format = { type: 'string', enum: ['json', 'csv'] } as const;
const minPosition = position;
const query = <const P extends Record<string, unknown>>(properties: P) =>
  ({ type: 'object', additionalProperties: false, properties: { ...properties, minPosition, format } }) as const;
const answer = <const P extends Record<string, unknown>, const R extends readonly string[]>(properties: P, required: R) =>
  ({ type: 'object', additionalProperties: false, required: [...required, 'position'], properties: { ...properties, position } }) as const;
const int = { type: 'integer' } as const;

export const poStatuses = ['draft', 'sent', 'partially_received', 'received', 'cancelled'] as const;
export const poStatus = { type: 'string', enum: poStatuses } as const;

export const SupplierPrice = object(
  { sku, unitCost: money, minOrderQuantity: quantity, packSize, preferred: { type: 'boolean' } },
  ['sku', 'minOrderQuantity', 'packSize', 'preferred'] as const,
);
export const Supplier = object(
  { id, name, email, leadTimeDays, currency, active: { type: 'boolean' }, prices: { type: 'array', items: SupplierPrice }, lastPosition: position },
  ['id', 'name', 'leadTimeDays', 'currency', 'active', 'prices'] as const,
);
export const SuppliersQuery = query({ active: { type: 'boolean' } });
export const SuppliersAnswer = answer({ items: { type: 'array', items: Supplier } }, ['items'] as const);
export const SupplierAnswer = answer({ ...Supplier.properties }, Supplier.required);

export const PurchaseOrderLine = object(
  { sku, ordered: int, received: int, closed: int, outstanding: int, unitCost: money, lineCost: int },
  // Costs are absent for a principal who may not see them (staff without view_costs).
  ['sku', 'ordered', 'received', 'closed', 'outstanding'] as const,
);
export const PurchaseOrder = object(
  {
    id, status: poStatus, supplierId: id, supplierName: { type: 'string' }, locationId: id, currency,
    lines: { type: 'array', items: PurchaseOrderLine },
    totalCost: int,
    /** Some line was closed with fewer units than ordered. */
    closedShort: { type: 'boolean' },
    createdAt: timestamp, sentAt: timestamp, expectedAt: timestamp, receivedAt: timestamp, cancelledAt: timestamp,
    /** Past its expected date and not fully received (at the time of the answer). */
    overdue: { type: 'boolean' },
    receipts: {
      type: 'array',
      items: object(
        { receiptId: id, at: timestamp, lines: { type: 'array', items: object({ sku, quantity: int }, ['sku', 'quantity'] as const) } },
        ['receiptId', 'at', 'lines'] as const,
      ),
    },
    lastPosition: position,
  },
  ['id', 'status', 'supplierId', 'locationId', 'currency', 'lines', 'closedShort', 'createdAt', 'overdue', 'receipts'] as const,
);
/** One document: only `minPosition` and `format`. */
export const OneQuery = query({});
export const PurchaseOrdersQuery = query({ status: poStatus, supplierId: id, locationId: id });
export const PurchaseOrdersAnswer = answer({ items: { type: 'array', items: PurchaseOrder } }, ['items'] as const);
export const PurchaseOrderAnswer = answer({ ...PurchaseOrder.properties }, PurchaseOrder.required);

export const ReorderRule = object(
  { locationId: id, sku, min: int, max: int, targetDaysOfCover: int },
  ['locationId', 'sku', 'min', 'max'] as const,
);
export const ReorderRulesQuery = query({ locationId: id, sku });
export const ReorderRulesAnswer = answer({ items: { type: 'array', items: ReorderRule } }, ['items'] as const);

/** available = onHand + inTransitIn + plannedIn + onOrder − reservedOut. */
export const OnOrderItem = object(
  { locationId: id, sku, onHand: int, inTransitIn: int, plannedIn: int, onOrder: int, reservedOut: int, available: int },
  ['locationId', 'sku', 'onHand', 'inTransitIn', 'plannedIn', 'onOrder', 'reservedOut', 'available'] as const,
);
export const OnOrderQuery = query({ locationId: id, sku });
export const OnOrderAnswer = answer({ items: { type: 'array', items: OnOrderItem } }, ['items'] as const);

export const Suggestion = object(
  {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['transfer', 'purchase'] },
    locationId: id, sku,
    quantity: int,
    /** kind purchase: who from, at what cost. */
    supplierId: id, unitCost: money, lineCost: int, currency, minOrderQuantity: int, packSize: int,
    /** kind transfer: where from. */
    fromLocationId: id,
    available: int, min: int, max: int,
    reason: { type: 'string' },
  },
  ['id', 'kind', 'locationId', 'sku', 'quantity', 'available', 'min', 'max', 'reason'] as const,
);
export const SuggestionsQuery = query({ locationId: id, sku });
export const SuggestionsAnswer = answer(
  {
    items: { type: 'array', items: Suggestion },
    /** Below min but nothing can be suggested (no supplier price, no surplus): said in words. */
    unresolved: { type: 'array', items: object({ locationId: id, sku, reason: { type: 'string' } }, ['locationId', 'sku', 'reason'] as const) },
  },
  ['items', 'unresolved'] as const,
);
