/**
 * Topic -> handler, per POS kind. Every delivery reaches these handlers only after it is in the
 * inbox (`pos/inbox/intake.ts`), so adding a topic is one entry here and nothing else: the
 * durable inbox, the deadline, quarantine and retries come with it. A topic that is not listed
 * is kept in quarantine (`unsupported`) rather than refused or dropped.
 * Catalog topics (Shopify `products/*`, Square `catalog.version.updated`) are added here by the
 * catalog room (docs/seams.md).
 */
import type { ConnectionMaps, PosEffect } from '../effects';
import {
  shopifyInventoryLevelUpdated, shopifyNotUsed, shopifyOrderCancelled, shopifyOrderCreated, shopifyRefundCreated,
  type ShopifyHandler,
} from '../shopify/shopify-adapter';
import {
  squareInventoryCountUpdated, squareNotUsed, squareOrderCreated, squareOrderUpdated, squarePaymentChanged,
  type SquareHandler,
} from '../square/square-adapter';

export const shopifyTopics: Readonly<Record<string, ShopifyHandler>> = {
  'orders/create': shopifyOrderCreated,
  'orders/cancelled': shopifyOrderCancelled,
  'refunds/create': shopifyRefundCreated,
  'inventory_levels/update': shopifyInventoryLevelUpdated,
  // Sent for orders we already counted at orders/create: acknowledged, nothing moves.
  'orders/updated': shopifyNotUsed,
  'orders/paid': shopifyNotUsed,
  'orders/fulfilled': shopifyNotUsed,
  'orders/partially_fulfilled': shopifyNotUsed,
  'orders/edited': shopifyNotUsed,
  'inventory_levels/connect': shopifyNotUsed,
  'inventory_levels/disconnect': shopifyNotUsed,
};

export const squareTopics: Readonly<Record<string, SquareHandler>> = {
  'payment.created': squarePaymentChanged,
  'payment.updated': squarePaymentChanged,
  'order.created': squareOrderCreated,
  'order.updated': squareOrderUpdated,
  'inventory.count.updated': squareInventoryCountUpdated,
  'order.fulfillment.updated': squareNotUsed,
  'refund.created': squareNotUsed,
  'refund.updated': squareNotUsed,
};

/** Own-property lookup: a topic such as "constructor" finds nothing. */
export function handlerFor<H>(table: Readonly<Record<string, H>>, topic: string): H | undefined {
  return Object.hasOwn(table, topic) ? table[topic] : undefined;
}

export type { ConnectionMaps, PosEffect };
