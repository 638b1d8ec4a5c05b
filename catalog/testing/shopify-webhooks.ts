/** Signed Shopify webhook deliveries for catalog tests (raw text: ids above 2^53 stay exact). */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { FakeVariant } from '../../pos/testing/fake-shopify-admin';

export const SHOPIFY_SECRET = 'shopify-webhook-secret-1';

/** `products/update` (or create) body of a product with the given variants, REST JSON as Shopify sends it. */
export function shopifyProductBody(productId: string, title: string, variants: readonly FakeVariant[], updatedAt = '2024-06-02T09:00:00-04:00'): string {
  return `{
  "id": ${productId}, "admin_graphql_api_id": "gid://shopify/Product/${productId}", "title": ${JSON.stringify(title)},
  "body_html": "<p>Soft</p>", "vendor": "Acme", "product_type": ${JSON.stringify(variants[0]?.product.productType ?? '')}, "status": "active", "updated_at": "${updatedAt}",
  "variants": [${variants.map((v, i) => `{
    "id": ${v.legacyResourceId}, "product_id": ${productId}, "title": ${JSON.stringify(v.title)}, "price": "${v.price}",
    "sku": ${v.sku === null ? 'null' : JSON.stringify(v.sku)}, "position": ${i + 1}, "barcode": ${v.barcode === null ? 'null' : JSON.stringify(v.barcode)},
    "inventory_item_id": ${v.inventoryItem.legacyResourceId}, "updated_at": "${updatedAt}"
  }`).join(',')}]
}`;
}

export async function deliverShopify(app: FastifyInstance, connectionId: string, topic: string, body: string, eventId: string) {
  return app.inject({
    method: 'POST', url: `/pos/${connectionId}/webhook`, payload: body,
    headers: {
      'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-event-id': eventId,
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body, 'utf8').digest('base64'),
      'x-shopify-shop-domain': 'acme.myshopify.com',
    },
  });
}
