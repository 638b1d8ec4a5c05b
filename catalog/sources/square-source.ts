/**
 * Square through the Locations API (`GET /v2/locations`) and the Catalog API
 * (`GET /v2/catalog/list?types=ITEM`, paged by `cursor`). An item variation is the POS item:
 * its catalog object id is what orders and inventory counts name.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { SquareCatalogPage, SquareLocationsResponse } from '../../schemas/pos-catalog';
import { assertValid } from '../../schemas/validation';
import type { PosConnection } from '../../pos/connections/connection-store';
import { call, SquareApiError } from '../../pos/square/square-api';
import { itemName, type PosCatalogItem } from '../pos-catalog-item';
import { PosApiError, type CatalogSource } from './catalog-source';

type CatalogPage = FromSchema<typeof SquareCatalogPage>;

async function squareCall(fetchImpl: typeof fetch, c: PosConnection, path: string, init: { method: 'GET' | 'POST'; body?: unknown }, schema: object, what: string) {
  let body: unknown;
  try {
    body = await call(fetchImpl, c, path, init);
  } catch (error) {
    const status = error instanceof SquareApiError ? error.status : undefined;
    throw new PosApiError((error as Error).message, status === undefined || status === 429 || status >= 500);
  }
  try {
    assertValid(schema, body, what);
  } catch {
    throw new PosApiError(`Square answered ${what} in an unexpected shape`, false);
  }
  return body;
}

/** The variations of a page of catalog objects, as POS items (deleted ones left out). */
export function squareItems(page: CatalogPage): { items: PosCatalogItem[]; deleted: string[] } {
  const items: PosCatalogItem[] = [];
  const deleted: string[] = [];
  for (const object of page.objects ?? []) {
    if (object.type !== 'ITEM') continue;
    if (object.is_deleted) {
      deleted.push(object.id);
      continue;
    }
    for (const v of object.item_data?.variations ?? []) {
      if (v.is_deleted) continue;
      const d = v.item_variation_data ?? {};
      items.push({
        posItemId: v.id,
        aliases: [],
        posProductId: object.id,
        ...(d.sku ? { sku: d.sku } : {}),
        name: itemName(object.item_data?.name, d.name === 'Regular' ? undefined : d.name, d.sku || v.id),
        ...(d.upc ? { barcode: d.upc } : {}),
        ...(d.price_money?.amount !== undefined && { price: d.price_money.amount }),
        ...(d.default_unit_cost?.amount !== undefined && { unitCost: d.default_unit_cost.amount }),
        ...((v.updated_at ?? object.updated_at) ? { posUpdatedAt: new Date(v.updated_at ?? object.updated_at!).toISOString() } : {}),
      });
    }
  }
  return { items, deleted };
}

export function squareSource(c: PosConnection, fetchImpl: typeof fetch): CatalogSource {
  return {
    async locations() {
      const body = await squareCall(fetchImpl, c, 'v2/locations', { method: 'GET' }, SquareLocationsResponse, 'locations') as FromSchema<typeof SquareLocationsResponse>;
      return { items: (body.locations ?? []).map((l) => ({ posLocationId: l.id, name: l.name ?? l.id, active: l.status !== 'INACTIVE' })) };
    },
    async items(cursor) {
      const query = `v2/catalog/list?types=ITEM${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = await squareCall(fetchImpl, c, query, { method: 'GET' }, SquareCatalogPage, 'catalog') as CatalogPage;
      return { items: squareItems(body).items, ...(body.cursor && { next: body.cursor }) };
    },
  };
}

/** `POST /v2/catalog/search`: items changed since `beginTime` (deleted ones included), for live sync. */
export async function searchSquareCatalog(fetchImpl: typeof fetch, c: PosConnection, beginTime: string | undefined, cursor?: string): Promise<CatalogPage> {
  return await squareCall(fetchImpl, c, 'v2/catalog/search', {
    method: 'POST',
    body: { object_types: ['ITEM'], include_deleted_objects: true, ...(beginTime && { begin_time: beginTime }), ...(cursor && { cursor }) },
  }, SquareCatalogPage, 'catalog search') as CatalogPage;
}
