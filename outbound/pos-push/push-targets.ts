/**
 * Where a balance goes in a POS. `locationMap` maps POS location ids to ours; the push map
 * maps push ids to our SKUs (Shopify: inventory item ids; Square: item variation catalog object
 * ids). A balance of (location, SKU) is pushed to every (POS location, push id) that maps onto
 * it; an unmapped location or SKU is not pushed. The push map is the catalog's derived one
 * (`catalog/derived-map.ts`, `derivedPushMap`: hand-made `skuMap` on top) where the sender is
 * given it, else the connection's hand-made `skuMap` alone.
 */
import type { PosConnection } from '../../pos/connections/connection-store';

export interface PushTarget {
  readonly posLocationId: string;
  readonly posItemId: string;
}

/** SKU → push ids (sorted), built once per connection and run. */
export function itemsBySku(pushMap: Readonly<Record<string, string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, sku] of Object.entries(pushMap)) out.set(sku, [...(out.get(sku) ?? []), id]);
  for (const ids of out.values()) ids.sort();
  return out;
}

export function pushTargets(
  connection: PosConnection, locationId: string, sku: string, bySku: ReadonlyMap<string, readonly string[]> = itemsBySku(connection.skuMap),
): PushTarget[] {
  const locations = Object.entries(connection.locationMap).filter(([, v]) => v === locationId).map(([k]) => k).sort();
  const items = bySku.get(sku) ?? [];
  return locations.flatMap((posLocationId) => items.map((posItemId) => ({ posLocationId, posItemId })));
}
