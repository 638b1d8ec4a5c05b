/**
 * Payloads shaped as Shopify documents them for webhooks (REST order resource, as delivered for
 * `orders/create`), as raw text so ids above 2^53 reach the parser exactly. Field names, types
 * and the sample values of Shopify's own "Send test notification" order (id 820982911946154508,
 * "test": true, "#9999", jon@example.com) follow the webhook reference; trimmed to what a reader
 * needs plus enough surrounding fields to be realistic.
 */
import { BIG } from './fixtures';

/** What Settings → Notifications → Webhooks → "Send test notification" delivers for orders/create. */
export const shopifyTestNotification = `{
  "id": 820982911946154508,
  "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
  "app_id": null,
  "browser_ip": null,
  "buyer_accepts_marketing": true,
  "cancel_reason": "customer",
  "cancelled_at": "2021-12-31T19:00:00-05:00",
  "confirmed": false,
  "contact_email": "jon@example.com",
  "created_at": "2021-12-31T19:00:00-05:00",
  "currency": "USD",
  "email": "jon@example.com",
  "financial_status": "voided",
  "fulfillment_status": "pending",
  "location_id": null,
  "name": "#9999",
  "order_number": 1234,
  "processed_at": "2021-12-31T19:00:00-05:00",
  "source_name": "web",
  "tags": "tag1, tag2",
  "test": true,
  "total_price": "403.00",
  "updated_at": "2021-12-31T19:00:00-05:00",
  "line_items": [
    {
      "id": 487817672276298554,
      "admin_graphql_api_id": "gid://shopify/LineItem/487817672276298554",
      "fulfillable_quantity": 1,
      "fulfillment_service": "manual",
      "fulfillment_status": null,
      "gift_card": false,
      "grams": 100,
      "name": "Aviator sunglasses",
      "price": "89.99",
      "product_exists": true,
      "product_id": 788032119674292922,
      "properties": [],
      "quantity": 1,
      "requires_shipping": true,
      "sku": "SKU2006-001",
      "taxable": true,
      "title": "Aviator sunglasses",
      "total_discount": "0.00",
      "variant_id": null,
      "variant_inventory_management": null,
      "variant_title": null,
      "vendor": null
    },
    {
      "id": 976318377106520349,
      "admin_graphql_api_id": "gid://shopify/LineItem/976318377106520349",
      "fulfillable_quantity": 1,
      "fulfillment_service": "manual",
      "gift_card": false,
      "grams": 1000,
      "name": "Mid-century lounger",
      "price": "159.99",
      "product_exists": true,
      "product_id": 788032119674292922,
      "quantity": 1,
      "requires_shipping": true,
      "sku": "SKU2006-020",
      "taxable": true,
      "title": "Mid-century lounger",
      "variant_id": null,
      "variant_inventory_management": null
    }
  ],
  "refunds": []
}`;

/**
 * A POS order at a mapped location: two units of a tracked variant and one custom sale item
 * (Shopify POS "custom sale": no product, no variant, `product_exists: false`).
 */
export const shopifyOrderWithCustomLine = `{
  "id": ${BIG.order},
  "admin_graphql_api_id": "gid://shopify/Order/${BIG.order}",
  "name": "#1002",
  "source_name": "pos",
  "test": false,
  "created_at": "2024-06-02T07:59:00-04:00",
  "processed_at": "2024-06-02T07:59:00-04:00",
  "cancelled_at": null,
  "currency": "USD",
  "financial_status": "paid",
  "location_id": ${BIG.location},
  "total_price": "43.00",
  "line_items": [
    {
      "id": ${BIG.line1}, "admin_graphql_api_id": "gid://shopify/LineItem/${BIG.line1}",
      "variant_id": ${BIG.variant2}, "product_id": 632910392, "product_exists": true, "gift_card": false,
      "variant_inventory_management": "shopify", "fulfillment_service": "manual",
      "sku": "", "title": "Ceramic mug", "name": "Ceramic mug - Blue", "quantity": 2, "current_quantity": 2,
      "price": "19.00", "requires_shipping": false, "taxable": true
    },
    {
      "id": ${BIG.line2}, "admin_graphql_api_id": "gid://shopify/LineItem/${BIG.line2}",
      "variant_id": null, "product_id": null, "product_exists": false, "gift_card": false,
      "variant_inventory_management": null, "fulfillment_service": "manual",
      "sku": null, "title": "Gift wrapping", "name": "Gift wrapping", "quantity": 1, "current_quantity": 1,
      "price": "5.00", "requires_shipping": false, "taxable": false
    }
  ],
  "refunds": []
}`;

/**
 * Square `order.created` as Square's webhook reference shows it (envelope + `data.object.order_created`).
 * The documented sample is an OPEN order; `state` lets a test make it one created already COMPLETED.
 */
export function squareOrderCreatedNotification(o: { orderId: string; locationId: string; state?: string }): string {
  return JSON.stringify({
    merchant_id: '5S9MXCS9Y99KK',
    type: 'order.created',
    event_id: '116038d3-2948-439f-8679-fc86cbf1d7f7',
    created_at: '2020-04-16T23:14:26.129Z',
    data: {
      type: 'order',
      id: o.orderId,
      object: {
        order_created: {
          created_at: '2020-04-16T23:14:26.129Z',
          location_id: o.locationId,
          order_id: o.orderId,
          state: o.state ?? 'OPEN',
          version: 1,
        },
      },
    },
  });
}
