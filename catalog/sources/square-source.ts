/**
 * Square through the Locations API (`GET /v2/locations`) and the Catalog API
 * (`GET /v2/catalog/list?types=ITEM`, paged by `cursor`). An item variation is the POS item:
 * its catalog object id is what orders and inventory counts name.
 *
 * An item names its category by id; the names come from the CATEGORY objects, listed once per
 * import before the items (`types=CATEGORY`) and, in live sync, as the search's related objects.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { SquareCatalogPage, SquareLocationsResponse } from '../../schemas/pos-catalog';
import { assertValid } from '../../schemas/validation';
import type { PosConnection } from '../../pos/connections/connection-store';
import { call, SquareApiError } from '../../pos/square/square-api';
import { itemCategory, itemName, type PosCatalogItem } from '../pos-catalog-item';
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

type CatalogObject = NonNullable<CatalogPage['objects']>[number];

/** Category names by id, from the CATEGORY objects among `objects` (deleted ones left out). */
export function squareCategoryNames(objects: readonly CatalogObject[] = []): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of objects) if (o.type === 'CATEGORY' && !o.is_deleted && o.category_data?.name) names.set(o.id, o.category_data.name);
  return names;
}

/** The item's category: its reporting category, else its first category, else the older single one. */
function itemCategoryId(object: CatalogObject): string | undefined {
  const d = object.item_data;
  return d?.reporting_category?.id ?? d?.categories?.[0]?.id ?? d?.category_id;
}

/**
 * The variations of a page of catalog objects, as POS items (deleted ones left out). `categories`
 * names the categories the page's items point to; the page's own CATEGORY and related objects
 * are added to it.
 */
export function squareItems(page: CatalogPage, categories: ReadonlyMap<string, string> = new Map()): { items: PosCatalogItem[]; deleted: string[] } {
  const items: PosCatalogItem[] = [];
  const deleted: string[] = [];
  const names = new Map([...categories, ...squareCategoryNames(page.related_objects), ...squareCategoryNames(page.objects)]);
  for (const object of page.objects ?? []) {
    if (object.type !== 'ITEM') continue;
    if (object.is_deleted) {
      deleted.push(object.id);
      continue;
    }
    const categoryId = itemCategoryId(object);
    const category = itemCategory(categoryId === undefined ? undefined : names.get(categoryId));
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
        ...(category !== undefined && { category }),
        ...((v.updated_at ?? object.updated_at) ? { posUpdatedAt: new Date(v.updated_at ?? object.updated_at!).toISOString() } : {}),
      });
    }
  }
  return { items, deleted };
}

/** Every category of the merchant, by id (`GET /v2/catalog/list?types=CATEGORY`, every page). */
async function listCategories(fetchImpl: typeof fetch, c: PosConnection): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const query = `v2/catalog/list?types=CATEGORY${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = await squareCall(fetchImpl, c, query, { method: 'GET' }, SquareCatalogPage, 'categories') as CatalogPage;
    for (const [id, name] of squareCategoryNames(body.objects)) names.set(id, name);
    cursor = body.cursor;
    if (!cursor) break;
  }
  return names;
}

export function squareSource(c: PosConnection, fetchImpl: typeof fetch): CatalogSource {
  // Read once per source (an import, or its resumption), before the first page of items.
  let categories: Promise<Map<string, string>> | undefined;
  return {
    async locations() {
      const body = await squareCall(fetchImpl, c, 'v2/locations', { method: 'GET' }, SquareLocationsResponse, 'locations') as FromSchema<typeof SquareLocationsResponse>;
      return { items: (body.locations ?? []).map((l) => ({ posLocationId: l.id, name: l.name ?? l.id, active: l.status !== 'INACTIVE' })) };
    },
    async items(cursor) {
      const query = `v2/catalog/list?types=ITEM${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      categories ??= listCategories(fetchImpl, c).catch((error: unknown) => {
        categories = undefined; // a failed read is tried again with the next page
        throw error;
      });
      const names = await categories;
      const body = await squareCall(fetchImpl, c, query, { method: 'GET' }, SquareCatalogPage, 'catalog') as CatalogPage;
      return { items: squareItems(body, names).items, ...(body.cursor && { next: body.cursor }) };
    },
  };
}

/** `POST /v2/catalog/search`: items changed since `beginTime` (deleted ones included, their categories as related objects), for live sync. */
export async function searchSquareCatalog(fetchImpl: typeof fetch, c: PosConnection, beginTime: string | undefined, cursor?: string): Promise<CatalogPage> {
  return await squareCall(fetchImpl, c, 'v2/catalog/search', {
    method: 'POST',
    body: { object_types: ['ITEM'], include_deleted_objects: true, include_related_objects: true, ...(beginTime && { begin_time: beginTime }), ...(cursor && { cursor }) },
  }, SquareCatalogPage, 'catalog search') as CatalogPage;
}
