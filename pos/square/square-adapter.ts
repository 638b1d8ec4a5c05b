/**
 * Square notifications and orders -> effects. Pure.
 *
 * Sales made in the Square POS app do not fire `order.created`: they arrive as
 * `payment.updated` / `order.updated`, and the order is then fetched from the Orders API.
 * The effect of a completed order is keyed on the ORDER id, so the payment and the order
 * notification of one sale (and any retry) count once.
 */
import type { FromSchema } from 'json-schema-to-ts';
import {
  SquareInventoryCountObject, SquareNotification, SquareOrderCreatedObject, SquareOrderResponse, SquareOrderUpdatedObject,
  SquarePaymentObject,
} from '../../schemas/pos';
import { assertValid } from '../../schemas/validation';
import {
  isoTime, lookup, MalformedPayload, mergeLines,
  type ConnectionMaps, type Observation, type PosEffect, type TicketLine, type UnstockedLine,
} from '../effects';

type Notification = FromSchema<typeof SquareNotification>;
type OrderResponse = FromSchema<typeof SquareOrderResponse>;
type Counts = FromSchema<typeof SquareInventoryCountObject>['inventory_counts'];
type SquareLine = NonNullable<OrderResponse['order']['line_items']>[number];

/** The id of the effect of one completed order (sale part; its returns add `#return`). */
export const completedOrderEventId = (orderId: string) => `order:${orderId}:COMPLETED`;

/** Square quantities are decimal strings; stock moves in whole units. */
export function squareUnits(text: string): number | undefined {
  if (!/^-?[0-9]{1,10}$/.test(text)) return undefined;
  return Number(text);
}

/** A Square event type's handler (one entry per type in `processing/topic-table.ts`); gets the validated envelope. */
export type SquareHandler = (notification: Notification, c: ConnectionMaps) => PosEffect;

/** Validates the envelope every Square notification shares (then the table picks the handler by `type`). */
export function squareEnvelope(payload: unknown): Notification {
  assertValid<Notification>(SquareNotification, payload, 'Square notification');
  return payload;
}

/** `payment.created` / `payment.updated`: the event that fires for sales in the Square POS app. */
export const squarePaymentChanged: SquareHandler = (n) => {
  const object = n.data.object ?? {};
  assertValid<FromSchema<typeof SquarePaymentObject>>(SquarePaymentObject, object, 'Square payment');
  const { status, order_id } = object.payment;
  if (status !== 'COMPLETED') return { kind: 'ignore', reason: `payment is ${status}` };
  if (!order_id) return { kind: 'ignore', reason: 'payment has no order' };
  return { kind: 'fetch-order', orderId: order_id, posEventId: completedOrderEventId(order_id) };
};

/** `order.created`: may be the only event of an order created already COMPLETED (API, integrations). */
export const squareOrderCreated: SquareHandler = (n) => {
  const object = n.data.object ?? {};
  assertValid<FromSchema<typeof SquareOrderCreatedObject>>(SquareOrderCreatedObject, object, 'Square order created');
  const { state, order_id } = object.order_created;
  if (state !== 'COMPLETED') return { kind: 'ignore', reason: `order is ${state}` };
  return { kind: 'fetch-order', orderId: order_id, posEventId: completedOrderEventId(order_id) };
};

/** `order.updated`: orders changed through the API or the Dashboard. */
export const squareOrderUpdated: SquareHandler = (n) => {
  const object = n.data.object ?? {};
  assertValid<FromSchema<typeof SquareOrderUpdatedObject>>(SquareOrderUpdatedObject, object, 'Square order update');
  const { state, order_id } = object.order_updated;
  if (state !== 'COMPLETED') return { kind: 'ignore', reason: `order is ${state}` };
  return { kind: 'fetch-order', orderId: order_id, posEventId: completedOrderEventId(order_id) };
};

/** `inventory.count.updated`: totals (observations), never changes. */
export const squareInventoryCountUpdated: SquareHandler = (n, c) => {
  const object = n.data.object ?? {};
  assertValid<FromSchema<typeof SquareInventoryCountObject>>(SquareInventoryCountObject, object, 'Square inventory counts');
  const observedAt = isoTime(n.created_at);
  if (!observedAt) throw new MalformedPayload('created_at is not a date');
  return { kind: 'observation', dedupeKey: n.event_id, ...countObservations(object.inventory_counts, n.event_id, observedAt, c) };
};

/** A Square event type that moves no stock here. */
export const squareNotUsed: SquareHandler = (n) => ({ kind: 'ignore', reason: `event type ${n.type} moves no stock` });

/**
 * IN_STOCK totals -> observations (webhook and the scheduled batch-retrieve alike).
 * Counts of items or locations we do not map are skipped and reported.
 */
export function countObservations(
  counts: Counts, eventId: string, fallbackTime: string, c: ConnectionMaps,
): { observations: Observation[]; skipped: string[] } {
  const observations: Observation[] = [];
  const skipped: string[] = [];
  for (const count of counts) {
    if (count.state !== 'IN_STOCK') continue;
    const where = `${count.catalog_object_id} at ${count.location_id}`;
    const sku = lookup(c.skuMap, count.catalog_object_id);
    const locationId = lookup(c.locationMap, count.location_id);
    const posQuantity = squareUnits(count.quantity);
    if (!sku || !locationId) { skipped.push(`${where} is not mapped`); continue; }
    if (posQuantity === undefined) { skipped.push(`${where}: quantity ${count.quantity} is not whole units`); continue; }
    observations.push({
      posEventId: `${eventId}#${count.catalog_object_id}@${count.location_id}`,
      locationId, sku, posQuantity,
      observedAt: isoTime(count.calculated_at) ?? fallbackTime,
    });
  }
  return { observations, skipped };
}

/** A fetched order -> its sale and its returns (an exchange has both). */
export function squareOrderEffect(response: unknown, c: ConnectionMaps): PosEffect {
  assertValid<OrderResponse>(SquareOrderResponse, response, 'Square order');
  const order = response.order;
  const eventId = completedOrderEventId(order.id);
  if (order.state !== 'COMPLETED') return { kind: 'ignore', reason: `order ${order.id} is ${order.state}` };
  const occurredAt = isoTime(order.closed_at) ?? isoTime(order.updated_at) ?? isoTime(order.created_at);
  if (!occurredAt) throw new MalformedPayload('order has no valid timestamp');
  const locationId = lookup(c.locationMap, order.location_id);
  if (!locationId) {
    return { kind: 'quarantine', posEventId: eventId, reason: 'unmapped-location', detail: `Square location ${order.location_id} is not in the location map` };
  }
  const sold = mapLines(order.line_items ?? [], c);
  if ('problem' in sold) return { kind: 'quarantine', posEventId: eventId, ...sold.problem };
  const returned = mapLines((order.returns ?? []).flatMap((r) => r.return_line_items ?? []), c);
  if ('problem' in returned) return { kind: 'quarantine', posEventId: eventId, ...returned.problem };

  const effects: PosEffect[] = [];
  const base = { locationId, occurredAt, orderId: order.id, reference: `Square order ${order.id}` };
  if (sold.lines.length > 0) {
    effects.push({ kind: 'sale', tickets: [{ ...base, eventId, lines: sold.lines, ...(sold.unstocked.length > 0 && { unstocked: sold.unstocked }) }] });
  }
  if (returned.lines.length > 0) effects.push({ kind: 'return', tickets: [{ ...base, eventId: `${eventId}#return`, lines: returned.lines }] });
  if (effects.length === 0) return { kind: 'ignore', reason: `order ${order.id} has only lines that are not stock` };
  return effects.length === 1 ? effects[0]! : { kind: 'several', effects };
}

type MappedLines =
  | { lines: TicketLine[]; unstocked: UnstockedLine[] }
  | { problem: { reason: 'unmapped-sku' | 'invalid-quantity'; detail: string } };

function mapLines(lines: readonly SquareLine[], c: ConnectionMaps): MappedLines {
  const mapped: TicketLine[] = [];
  const unstocked: UnstockedLine[] = [];
  for (const line of lines) {
    // Custom amounts (no catalog object) and gift cards are not stock: recorded, never moved.
    const notStock = line.item_type === 'GIFT_CARD' ? 'gift-card' : !line.catalog_object_id || line.item_type === 'CUSTOM_AMOUNT' ? 'custom' : undefined;
    if (notStock) {
      const quantity = Number(line.quantity);
      unstocked.push({
        reason: notStock, quantity: Number.isFinite(quantity) && quantity >= 0 ? quantity : 0,
        ...(line.uid && { posLineId: line.uid.slice(0, 200) }), ...(line.name && { title: line.name.slice(0, 200) }),
      });
      continue;
    }
    if (!line.catalog_object_id) continue;
    const sku = lookup(c.skuMap, line.catalog_object_id);
    if (!sku) return { problem: { reason: 'unmapped-sku', detail: `catalog object ${line.catalog_object_id} is not in the SKU map` } };
    const quantity = squareUnits(line.quantity);
    if (quantity === undefined || quantity < 0) {
      return { problem: { reason: 'invalid-quantity', detail: `quantity ${line.quantity} of ${line.catalog_object_id} is not whole units` } };
    }
    mapped.push({ sku, quantity });
  }
  return { lines: mergeLines(mapped), unstocked };
}
