/**
 * Payloads shaped as the platforms document them (trimmed to realistic fields), as raw text:
 * Shopify ids above 2^53 must reach the parser exactly as sent.
 */

/** Shopify ids beyond Number.MAX_SAFE_INTEGER (9007199254740991). */
export const BIG = {
  order: '5678901234567890123',
  line1: '13012345678901234567',
  line2: '13012345678901234568',
  variant1: '45012345678901234561',
  variant2: '45012345678901234562',
  location: '76012345678901234567',
  location2: '76012345678901234599',
  refund: '9123456789012345678',
  inventoryItem: '47012345678901234567',
} as const;

export function shopifyOrder(o: {
  id?: string; locationId?: string | null; createdAt?: string; cancelledAt?: string | null;
  lines?: Array<{ id: string; variantId: string | null; sku: string | null; quantity: number }>;
  refunds?: Array<{ lineItemId: string; quantity: number }>;
} = {}): string {
  const lines = o.lines ?? [
    { id: BIG.line1, variantId: BIG.variant1, sku: 'SKU-1', quantity: 2 },
    { id: BIG.line2, variantId: BIG.variant2, sku: '', quantity: 1 },
  ];
  const raw = (v: string | null | undefined) => (v === null || v === undefined ? 'null' : v);
  return `{
  "id": ${o.id ?? BIG.order},
  "admin_graphql_api_id": "gid://shopify/Order/${o.id ?? BIG.order}",
  "name": "#1001",
  "email": "jon@example.com",
  "created_at": "${o.createdAt ?? '2024-06-02T07:59:00-04:00'}",
  "processed_at": "${o.createdAt ?? '2024-06-02T07:59:00-04:00'}",
  "cancelled_at": ${o.cancelledAt ? `"${o.cancelledAt}"` : 'null'},
  "cancel_reason": ${o.cancelledAt ? '"customer"' : 'null'},
  "currency": "USD",
  "financial_status": "paid",
  "location_id": ${raw(o.locationId === undefined ? BIG.location : o.locationId)},
  "total_price": "59.00",
  "line_items": [${lines.map((l) => `{
    "id": ${l.id}, "admin_graphql_api_id": "gid://shopify/LineItem/${l.id}",
    "variant_id": ${raw(l.variantId)}, "product_id": 632910392, "sku": ${l.sku === null ? 'null' : `"${l.sku}"`},
    "title": "IPod Nano - 8gb", "quantity": ${l.quantity}, "current_quantity": ${l.quantity},
    "price": "19.00", "fulfillable_quantity": ${l.quantity}, "requires_shipping": true, "taxable": true
  }`).join(',')}],
  "refunds": [${(o.refunds ?? []).map((r, i) => `{
    "id": ${9100000000000000000 + i}, "order_id": ${o.id ?? BIG.order}, "restock": true,
    "refund_line_items": [{ "id": 104689539, "line_item_id": ${r.lineItemId}, "location_id": ${BIG.location}, "quantity": ${r.quantity}, "restock_type": "cancel" }]
  }`).join(',')}]
}`;
}

export function shopifyRefund(o: {
  lines: Array<{ variantId: string; sku: string; quantity: number; restockType: string; locationId: string | null }>;
  id?: string;
}): string {
  return `{
  "id": ${o.id ?? BIG.refund},
  "order_id": ${BIG.order},
  "created_at": "2024-06-02T10:00:00-04:00",
  "note": "wrong size",
  "user_id": null,
  "processed_at": "2024-06-02T10:00:00-04:00",
  "restock": true,
  "admin_graphql_api_id": "gid://shopify/Refund/${o.id ?? BIG.refund}",
  "refund_line_items": [${o.lines.map((l, i) => `{
    "id": ${104689539 + i}, "quantity": ${l.quantity}, "line_item_id": ${BIG.line1},
    "location_id": ${l.locationId ?? 'null'}, "restock_type": "${l.restockType}", "subtotal": 199.0, "total_tax": 3.98,
    "line_item": { "id": ${BIG.line1}, "variant_id": ${l.variantId}, "sku": "${l.sku}", "quantity": 2, "price": "199.00" }
  }`).join(',')}],
  "transactions": []
}`;
}

export function shopifyInventoryLevel(available: number | null, updatedAt = '2024-06-02T08:00:00-04:00'): string {
  return `{
  "inventory_item_id": ${BIG.inventoryItem},
  "location_id": ${BIG.location},
  "available": ${available === null ? 'null' : available},
  "updated_at": "${updatedAt}",
  "admin_graphql_api_id": "gid://shopify/InventoryLevel/${BIG.location}?inventory_item_id=${BIG.inventoryItem}"
}`;
}

export const SQUARE_MERCHANT = '6SSW7HV8K2ST5';
export const SQUARE_LOCATION = 'L1NN4D5HG5Y4X';

export function squarePaymentUpdated(o: { eventId: string; orderId: string; status?: string }): string {
  return JSON.stringify({
    merchant_id: SQUARE_MERCHANT,
    type: 'payment.updated',
    event_id: o.eventId,
    created_at: '2024-06-02T12:00:01.000Z',
    data: {
      type: 'payment',
      id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
      object: {
        payment: {
          id: 'KkAkhdMsgzn59SM8A89WgKwekxLZY',
          amount_money: { amount: 1000, currency: 'USD' },
          created_at: '2024-06-02T11:59:58.000Z',
          location_id: SQUARE_LOCATION,
          order_id: o.orderId,
          source_type: 'CARD',
          status: o.status ?? 'COMPLETED',
          updated_at: '2024-06-02T12:00:00.000Z',
          version: 3,
        },
      },
    },
  });
}

export function squareOrderUpdated(o: { eventId: string; orderId: string; state?: string; version?: number }): string {
  return JSON.stringify({
    merchant_id: SQUARE_MERCHANT,
    type: 'order.updated',
    event_id: o.eventId,
    created_at: '2024-06-02T12:00:02.000Z',
    data: {
      type: 'order_updated',
      id: o.orderId,
      object: {
        order_updated: {
          created_at: '2024-06-02T11:59:50.000Z',
          location_id: SQUARE_LOCATION,
          order_id: o.orderId,
          state: o.state ?? 'COMPLETED',
          updated_at: '2024-06-02T12:00:00.000Z',
          version: o.version ?? 4,
        },
      },
    },
  });
}

export function squareInventoryCountUpdated(o: { eventId: string; counts: Array<{ catalogObjectId: string; quantity: string; state?: string }> }): string {
  return JSON.stringify({
    merchant_id: SQUARE_MERCHANT,
    type: 'inventory.count.updated',
    event_id: o.eventId,
    created_at: '2024-06-02T12:00:03.000Z',
    data: {
      type: 'inventory',
      id: 'e5e4bd19-6f5c-4d3a-8e47-3c0c41a6f5b2',
      object: {
        inventory_counts: o.counts.map((c) => ({
          calculated_at: '2024-06-02T12:00:00.000Z',
          catalog_object_id: c.catalogObjectId,
          catalog_object_type: 'ITEM_VARIATION',
          location_id: SQUARE_LOCATION,
          quantity: c.quantity,
          state: c.state ?? 'IN_STOCK',
        })),
      },
    },
  });
}

/** A `GET /v2/orders/{order_id}` answer. */
export function squareOrder(o: {
  id: string; state?: string; lines?: Array<{ catalogObjectId?: string; quantity: string }>;
  returns?: Array<{ catalogObjectId: string; quantity: string }>; locationId?: string;
}): unknown {
  return {
    order: {
      id: o.id,
      location_id: o.locationId ?? SQUARE_LOCATION,
      source: { name: 'Square Point of Sale' },
      line_items: (o.lines ?? []).map((l, i) => ({
        uid: `uid-${i}`, name: 'Coffee', quantity: l.quantity,
        ...(l.catalogObjectId && { catalog_object_id: l.catalogObjectId, catalog_version: 1717000000000 }),
        base_price_money: { amount: 500, currency: 'USD' },
      })),
      ...(o.returns && {
        returns: [{
          uid: 'ret-1', source_order_id: 'ORIGINAL',
          return_line_items: o.returns.map((r, i) => ({ uid: `rl-${i}`, quantity: r.quantity, catalog_object_id: r.catalogObjectId, name: 'Coffee' })),
        }],
      }),
      created_at: '2024-06-02T11:59:50.000Z',
      updated_at: '2024-06-02T12:00:00.000Z',
      closed_at: '2024-06-02T12:00:00.000Z',
      state: o.state ?? 'COMPLETED',
      version: 4,
      total_money: { amount: 1000, currency: 'USD' },
    },
  };
}
