/**
 * Shopify through the GraphQL Admin API (the REST Admin API is legacy for new apps):
 * `locations` and `productVariants`, 250 a page, paged by `pageInfo.endCursor`. Ids are kept as
 * `legacyResourceId` text: the numeric ids webhooks (orders, refunds, inventory levels) carry.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { ShopifyLocationsPage, ShopifyVariantsPage } from '../../schemas/pos-catalog';
import { assertValid } from '../../schemas/validation';
import type { PosConnection } from '../../pos/connections/connection-store';
import { parsePosJson } from '../../pos/pos-json';
import { itemCategory, itemName, type PosCatalogItem } from '../pos-catalog-item';
import { minorUnits, PosApiError, type CatalogSource, type Page, type PosLocation } from './catalog-source';

export const SHOPIFY_ADMIN_VERSION = '2026-04';
const PAGE = 250;
const TIMEOUT_MS = 15_000;

export const LOCATIONS_QUERY = `query StocktideLocations($cursor: String) {
  locations(first: ${PAGE}, after: $cursor, includeInactive: true) {
    pageInfo { hasNextPage endCursor }
    nodes { id legacyResourceId name isActive }
  }
}`;

export const VARIANTS_QUERY = `query StocktideVariants($cursor: String) {
  productVariantsCount { count }
  productVariants(first: ${PAGE}, after: $cursor) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id legacyResourceId sku title barcode price updatedAt
      product { id legacyResourceId title productType }
      inventoryItem { id legacyResourceId unitCost { amount } }
    }
  }
}`;

/** The numeric id of a GID (`gid://shopify/ProductVariant/123` → `123`), as text. */
export const legacyId = (gidOrId: string): string => gidOrId.slice(gidOrId.lastIndexOf('/') + 1);

export async function shopifyGraphql(fetchImpl: typeof fetch, c: PosConnection, query: string, variables: Record<string, unknown>): Promise<unknown> {
  const base = c.apiBaseUrl!.endsWith('/') ? c.apiBaseUrl! : `${c.apiBaseUrl}/`;
  let response: Response;
  try {
    response = await fetchImpl(new URL(`admin/api/${SHOPIFY_ADMIN_VERSION}/graphql.json`, base), {
      method: 'POST',
      headers: { 'x-shopify-access-token': c.accessToken!, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new PosApiError(`Shopify unreachable: ${(error as Error).message}`, true);
  }
  if (!response.ok) throw new PosApiError(`Shopify answered ${response.status}`, response.status === 429 || response.status >= 500);
  const body = parsePosJson(await response.text()) as { errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  if (body.errors?.length) {
    const throttled = body.errors.some((e) => e.extensions?.code === 'THROTTLED');
    throw new PosApiError(`Shopify GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}`, throttled);
  }
  return body;
}

function valid<T>(schema: object, body: unknown, what: string): T {
  try {
    assertValid<T>(schema, body, what);
  } catch {
    throw new PosApiError(`Shopify answered ${what} in an unexpected shape`, false);
  }
  return body as T;
}

export function shopifySource(c: PosConnection, fetchImpl: typeof fetch): CatalogSource {
  return {
    async locations(cursor) {
      const body = valid<FromSchema<typeof ShopifyLocationsPage>>(ShopifyLocationsPage,
        await shopifyGraphql(fetchImpl, c, LOCATIONS_QUERY, { cursor: cursor ?? null }), 'locations');
      const { pageInfo, nodes } = body.data.locations;
      const items: PosLocation[] = nodes.map((n) => ({ posLocationId: n.legacyResourceId ?? legacyId(n.id), name: n.name, active: n.isActive !== false }));
      return { items, ...(pageInfo.hasNextPage && pageInfo.endCursor && { next: pageInfo.endCursor }) };
    },
    async items(cursor): Promise<Page<PosCatalogItem>> {
      const body = valid<FromSchema<typeof ShopifyVariantsPage>>(ShopifyVariantsPage,
        await shopifyGraphql(fetchImpl, c, VARIANTS_QUERY, { cursor: cursor ?? null }), 'product variants');
      const { pageInfo, nodes } = body.data.productVariants;
      const items = nodes.map((v): PosCatalogItem => {
        const posItemId = v.legacyResourceId ?? legacyId(v.id);
        const inventoryItem = v.inventoryItem ?? undefined;
        const inventoryItemId = inventoryItem?.legacyResourceId ?? (inventoryItem?.id ? legacyId(inventoryItem.id) : undefined);
        const price = minorUnits(v.price ?? undefined);
        const unitCost = minorUnits(inventoryItem?.unitCost?.amount);
        const category = itemCategory(v.product.productType);
        return {
          posItemId,
          aliases: inventoryItemId ? [inventoryItemId] : [],
          posProductId: v.product.legacyResourceId ?? legacyId(v.product.id),
          ...(v.sku ? { sku: v.sku } : {}),
          name: itemName(v.product.title, v.title ?? undefined, v.sku || posItemId),
          ...(v.barcode ? { barcode: v.barcode } : {}),
          ...(price !== undefined && { price }),
          ...(unitCost !== undefined && { unitCost }),
          ...(category !== undefined && { category }),
          ...(v.updatedAt ? { posUpdatedAt: new Date(v.updatedAt).toISOString() } : {}),
        };
      });
      return {
        items,
        ...(pageInfo.hasNextPage && pageInfo.endCursor && { next: pageInfo.endCursor }),
        ...(body.data.productVariantsCount && { total: body.data.productVariantsCount.count }),
      };
    },
  };
}
