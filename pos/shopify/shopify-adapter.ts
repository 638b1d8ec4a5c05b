/**
 * Shopify webhooks -> effects. Pure: (verified, parsed payload, headers, connection maps).
 *
 * Ticket ids come from Shopify's own object ids (order, refund), so a retry of the same
 * webhook, a second subscription to the same topic or a replay days later all map to the same
 * ticket and count once. Totals (`inventory_levels/update`) are observations, never deltas.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { ShopifyInventoryLevel, ShopifyOrder, ShopifyRefund } from '../../schemas/pos';
import { assertValid } from '../../schemas/validation';
import {
  isoTime, lookup, MalformedPayload, mergeLines,
  type ConnectionMaps, type PosEffect, type Ticket, type TicketLine, type UnstockedLine, type UnstockedReason,
} from '../effects';
import { idText } from '../pos-json';

type Order = FromSchema<typeof ShopifyOrder>;
type Refund = FromSchema<typeof ShopifyRefund>;
type InventoryLevel = FromSchema<typeof ShopifyInventoryLevel>;
type PosId = string | number | null | undefined;

export interface ShopifyDelivery {
  /** `X-Shopify-Topic` */
  readonly topic: string;
  /** `X-Shopify-Event-Id` (or `X-Shopify-Webhook-Id` from older API versions). */
  readonly deliveryId?: string;
}

/** Restock types that put units back on the shelf (`legacy_restock` predates return/cancel). */
const RESTOCKING = new Set(['return', 'cancel', 'legacy_restock']);
/** `locationMap['*']` is used for orders without a location (online orders). */
export const DEFAULT_LOCATION_KEY = '*';

/** A Shopify topic's handler (one entry per topic in `processing/topic-table.ts`). */
export type ShopifyHandler = (payload: unknown, delivery: ShopifyDelivery, c: ConnectionMaps) => PosEffect;

export const shopifyOrderCreated: ShopifyHandler = (payload, _delivery, c) => {
  assertValid<Order>(ShopifyOrder, payload, 'Shopify order');
  return orderEffect(payload, 'sale', `orders/create:${idText(payload.id)}`, c,
    payload.line_items.map((l) => ({ line: l, quantity: l.quantity })));
};

export const shopifyOrderCancelled: ShopifyHandler = (payload, _delivery, c) => {
  assertValid<Order>(ShopifyOrder, payload, 'Shopify order');
  // Refunds are delivered as refunds/create on their own (a restocking cancel creates one);
  // only what no refund covered comes back here, so no unit is counted twice.
  const refunded = new Map<string, number>();
  for (const r of payload.refunds ?? []) {
    for (const rl of r.refund_line_items ?? []) {
      const key = idText(rl.line_item_id)!;
      refunded.set(key, (refunded.get(key) ?? 0) + rl.quantity);
    }
  }
  return orderEffect(payload, 'return', `orders/cancelled:${idText(payload.id)}`, c,
    payload.line_items.map((l) => ({ line: l, quantity: l.quantity - (refunded.get(idText(l.id) ?? '') ?? 0) })),
    payload.cancelled_at);
};

export const shopifyRefundCreated: ShopifyHandler = (payload, _delivery, c) => {
  assertValid<Refund>(ShopifyRefund, payload, 'Shopify refund');
  return refundEffect(payload, c);
};

export const shopifyInventoryLevelUpdated: ShopifyHandler = (payload, delivery, c) => {
  assertValid<InventoryLevel>(ShopifyInventoryLevel, payload, 'Shopify inventory level');
  return inventoryEffect(payload, delivery, c);
};

/** A topic Shopify sends that moves no stock here (the sale came with orders/create). */
export const shopifyNotUsed: ShopifyHandler = (_payload, delivery) => ({ kind: 'ignore', reason: `topic ${delivery.topic} moves no stock` });

/**
 * Shopify's "Send test notification" (and test orders) carry `"test": true`: acknowledged,
 * recorded in the connection's health, never stock.
 */
export function isShopifyTest(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as { test?: unknown }).test === true;
}

type ShopifyLine = {
  title?: string | null; gift_card?: boolean; product_exists?: boolean;
  variant_id?: PosId; variant_inventory_management?: string | null;
};

/**
 * Why a line is not stock, or undefined when it is. Custom sale items have no variant
 * (`product_exists: false`); a tip is such a line titled "Tip"; gift cards say so; a variant whose
 * stock Shopify does not track (`variant_inventory_management: null`, e.g. a service) moves nothing.
 */
export function shopifyUnstocked(line: ShopifyLine): UnstockedReason | undefined {
  if (line.gift_card === true) return 'gift-card';
  const custom = line.product_exists === false || line.variant_id === null;
  if (custom) return /^tips?$/i.test((line.title ?? '').trim()) ? 'tip' : 'custom';
  if ('variant_inventory_management' in line && line.variant_inventory_management === null) return 'untracked';
  return undefined;
}

function skuOf(c: ConnectionMaps, variantId: PosId, sku: string | null | undefined): string | undefined {
  // A mapping entry wins over the payload's SKU, so a quarantined item can be fixed by a map entry.
  return lookup(c.skuMap, idText(variantId)) ?? lookup(c.skuMap, sku ?? undefined) ?? (sku ? sku : undefined);
}

function locationOf(c: ConnectionMaps, posLocation: PosId): string | undefined {
  return lookup(c.locationMap, idText(posLocation) ?? DEFAULT_LOCATION_KEY);
}

function orderEffect(
  order: Order, kind: 'sale' | 'return', eventId: string, c: ConnectionMaps,
  lines: Array<{ line: Order['line_items'][number]; quantity: number }>, when?: string | null,
): PosEffect {
  const orderId = idText(order.id)!;
  const occurredAt = isoTime(when) ?? isoTime(order.processed_at) ?? isoTime(order.created_at);
  if (!occurredAt) throw new MalformedPayload('order has no valid created_at');
  const positive = lines.filter((l) => l.quantity > 0);
  if (positive.length === 0) return { kind: 'ignore', reason: `order ${orderId} has no ${kind === 'sale' ? 'units' : 'units left to restock'}` };
  // Lines that are not stock never hold the stocked ones hostage: recorded on the sale, not moved.
  const unstocked: UnstockedLine[] = [];
  const wanted: typeof positive = [];
  for (const l of positive) {
    const reason = shopifyUnstocked(l.line);
    if (reason) {
      unstocked.push({ reason, quantity: l.quantity, ...(l.line.id !== undefined && { posLineId: idText(l.line.id)! }), ...(l.line.title && { title: l.line.title.slice(0, 200) }) });
    } else {
      wanted.push(l);
    }
  }
  if (wanted.length === 0) return { kind: 'ignore', reason: `order ${orderId} has only lines that are not stock (${[...new Set(unstocked.map((u) => u.reason))].join(', ')})` };
  const locationId = locationOf(c, order.location_id);
  if (!locationId) {
    return { kind: 'quarantine', posEventId: eventId, reason: 'unmapped-location', detail: `Shopify location ${idText(order.location_id) ?? '(none)'} is not in the location map` };
  }
  const mapped: TicketLine[] = [];
  for (const { line, quantity } of wanted) {
    const sku = skuOf(c, line.variant_id, line.sku);
    if (!sku) {
      return { kind: 'quarantine', posEventId: eventId, reason: 'unmapped-sku', detail: `line ${idText(line.id) ?? '?'} has no SKU and variant ${idText(line.variant_id) ?? '(none)'} is not in the SKU map` };
    }
    mapped.push({ sku, quantity });
  }
  const ticket: Ticket = {
    eventId, locationId, occurredAt, orderId, lines: mergeLines(mapped),
    ...(order.name ? { reference: `Shopify ${order.name}`.slice(0, 200) } : {}),
    ...(unstocked.length > 0 && { unstocked }),
  };
  return { kind, tickets: [ticket] };
}

function refundEffect(refund: Refund, c: ConnectionMaps): PosEffect {
  const refundId = idText(refund.id)!;
  const orderId = idText(refund.order_id)!;
  const baseId = `refunds/create:${refundId}`;
  const occurredAt = isoTime(refund.processed_at) ?? isoTime(refund.created_at);
  if (!occurredAt) throw new MalformedPayload('refund has no valid created_at');
  const byPosLocation = new Map<string, TicketLine[]>();
  for (const rl of refund.refund_line_items) {
    if (!RESTOCKING.has(rl.restock_type) || rl.quantity === 0) continue; // no_restock: nothing back on the shelf
    if (rl.line_item && shopifyUnstocked(rl.line_item)) continue; // a gift card or custom item: nothing to restock
    const posLocation = idText(rl.location_id) ?? DEFAULT_LOCATION_KEY;
    const sku = skuOf(c, rl.line_item?.variant_id, rl.line_item?.sku);
    if (!sku) {
      return { kind: 'quarantine', posEventId: baseId, reason: 'unmapped-sku', detail: `refund line ${idText(rl.id) ?? '?'} has no SKU and its variant is not in the SKU map` };
    }
    byPosLocation.set(posLocation, [...(byPosLocation.get(posLocation) ?? []), { sku, quantity: rl.quantity }]);
  }
  if (byPosLocation.size === 0) return { kind: 'ignore', reason: `refund ${refundId} restocks nothing` };
  const tickets: Ticket[] = [];
  for (const [posLocation, lines] of byPosLocation) {
    const locationId = lookup(c.locationMap, posLocation);
    if (!locationId) {
      return { kind: 'quarantine', posEventId: baseId, reason: 'unmapped-location', detail: `Shopify location ${posLocation} is not in the location map` };
    }
    // One refund restocked at several locations is several returns: one id per POS location.
    const eventId = byPosLocation.size === 1 ? baseId : `${baseId}#loc:${posLocation}`;
    tickets.push({ eventId, locationId, occurredAt, orderId, lines: mergeLines(lines), reference: `Shopify refund ${refundId}`.slice(0, 200) });
  }
  return { kind: 'return', tickets };
}

function inventoryEffect(level: InventoryLevel, delivery: ShopifyDelivery, c: ConnectionMaps): PosEffect {
  const item = idText(level.inventory_item_id)!;
  const posLocation = idText(level.location_id)!;
  if (level.available === null || level.available === undefined) return { kind: 'ignore', reason: 'inventory item is not tracked' };
  const observedAt = isoTime(level.updated_at);
  if (!observedAt) throw new MalformedPayload('inventory level has no valid updated_at');
  const posEventId = delivery.deliveryId ?? `inventory_levels/update:${item}:${posLocation}:${observedAt}`;
  const sku = lookup(c.skuMap, item);
  const locationId = lookup(c.locationMap, posLocation);
  // A total for something we do not track is not a movement: nothing is lost by skipping it.
  if (!sku || !locationId) {
    return { kind: 'observation', dedupeKey: posEventId, observations: [], skipped: [`inventory item ${item} at location ${posLocation} is not mapped`] };
  }
  return { kind: 'observation', dedupeKey: posEventId, skipped: [], observations: [{ posEventId, locationId, sku, posQuantity: level.available, observedAt }] };
}
