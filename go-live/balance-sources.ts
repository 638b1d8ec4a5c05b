/**
 * Opening balances from a POS, page by page (the import runner keeps the cursor):
 * - Shopify, GraphQL Admin API: `inventoryItems(first: 100, after:)` with each item's
 *   `inventoryLevels { location, quantities(names: ["on_hand", "available"]) }` and `unitCost`;
 *   the balance taken is `on_hand` (what is physically there, committed orders included).
 * - Square: `POST /v2/inventory/counts/batch-retrieve {location_ids, states: ["IN_STOCK"], cursor}`;
 *   costs come from the variations' default unit cost, kept on the product at catalog import.
 * Quantities are observations as of the call; they are recorded as of the cut-over T.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { ShopifyInventoryPage, SquareCountsPage } from '../schemas/pos-catalog';
import { assertValid } from '../schemas/validation';
import type { PosConnection } from '../pos/connections/connection-store';
import { call, SquareApiError } from '../pos/square/square-api';
import { legacyId, shopifyGraphql } from '../catalog/sources/shopify-source';
import { minorUnits, PosApiError, type Page } from '../catalog/sources/catalog-source';

/** One POS balance: item and location in the POS's own ids. */
export interface PosBalance {
  readonly posItemId: string;
  readonly posLocationId: string;
  /** As the POS reports it (may be negative or fractional: the caller lists those). */
  readonly quantity: number;
  readonly unitCost?: number;
  readonly sku?: string;
}

export const INVENTORY_QUERY = `query StocktideOpeningBalances($cursor: String) {
  inventoryItems(first: 100, after: $cursor) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId sku unitCost { amount }
      inventoryLevels(first: 50) { nodes { location { id legacyResourceId } quantities(names: ["on_hand", "available"]) { name quantity } } }
    }
  }
}`;

export async function shopifyBalances(fetchImpl: typeof fetch, c: PosConnection, cursor?: string): Promise<Page<PosBalance>> {
  const body = await shopifyGraphql(fetchImpl, c, INVENTORY_QUERY, { cursor: cursor ?? null });
  try {
    assertValid(ShopifyInventoryPage, body, 'inventory items');
  } catch {
    throw new PosApiError('Shopify answered inventory items in an unexpected shape', false);
  }
  const { pageInfo, nodes } = (body as FromSchema<typeof ShopifyInventoryPage>).data.inventoryItems;
  const items: PosBalance[] = [];
  for (const item of nodes) {
    const posItemId = item.legacyResourceId ?? legacyId(item.id);
    const unitCost = minorUnits(item.unitCost?.amount);
    for (const level of item.inventoryLevels.nodes ?? []) {
      const onHand = level.quantities.find((q) => q.name === 'on_hand');
      if (!onHand) continue;
      items.push({
        posItemId, posLocationId: level.location.legacyResourceId ?? legacyId(level.location.id), quantity: onHand.quantity,
        ...(unitCost !== undefined && { unitCost }), ...(item.sku ? { sku: item.sku } : {}),
      });
    }
  }
  return { items, ...(pageInfo.hasNextPage && pageInfo.endCursor && { next: pageInfo.endCursor }) };
}

export async function squareBalances(fetchImpl: typeof fetch, c: PosConnection, locationIds: string[], cursor?: string): Promise<Page<PosBalance>> {
  let body: unknown;
  try {
    body = await call(fetchImpl, c, 'v2/inventory/counts/batch-retrieve', { method: 'POST', body: { location_ids: locationIds, states: ['IN_STOCK'], ...(cursor && { cursor }) } });
  } catch (error) {
    const status = error instanceof SquareApiError ? error.status : undefined;
    throw new PosApiError((error as Error).message, status === undefined || status === 429 || status >= 500);
  }
  try {
    assertValid(SquareCountsPage, body, 'inventory counts');
  } catch {
    throw new PosApiError('Square answered inventory counts in an unexpected shape', false);
  }
  const page = body as FromSchema<typeof SquareCountsPage>;
  const items = (page.counts ?? []).filter((n) => (n.state ?? 'IN_STOCK') === 'IN_STOCK').map((n): PosBalance => ({
    posItemId: n.catalog_object_id, posLocationId: n.location_id, quantity: /^-?[0-9]+(\.0+)?$/.test(n.quantity) ? Number.parseFloat(n.quantity) : Number.NaN,
  }));
  return { items, ...(page.cursor && { next: page.cursor }) };
}
