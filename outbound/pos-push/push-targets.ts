/**
 * Where a balance goes in a POS: the connection's maps inverted. `locationMap` maps POS
 * location ids to ours and `skuMap` POS item ids to our SKUs; a balance of (location, SKU) is
 * pushed to every (POS location, POS item) that maps onto it; an unmapped location or SKU is not
 * pushed. For Shopify the `skuMap` keys that are pushed to must be inventory item ids (numeric
 * or `gid://shopify/InventoryItem/...`); for Square, catalog object ids of item variations.
 */
import type { PosConnection } from '../../pos/connections/connection-store';

export interface PushTarget {
  readonly posLocationId: string;
  readonly posItemId: string;
}

const keysMappingTo = (map: Readonly<Record<string, string>>, value: string): string[] =>
  Object.entries(map).filter(([, v]) => v === value).map(([k]) => k).sort();

export function pushTargets(connection: PosConnection, locationId: string, sku: string): PushTarget[] {
  const locations = keysMappingTo(connection.locationMap, locationId);
  const items = keysMappingTo(connection.skuMap, sku);
  return locations.flatMap((posLocationId) => items.map((posItemId) => ({ posLocationId, posItemId })));
}
