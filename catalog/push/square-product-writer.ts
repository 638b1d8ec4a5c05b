/**
 * Product pushes to Square through the Catalog API:
 * - find: `POST /v2/catalog/search {object_types: ["ITEM_VARIATION"], query: {exact_query: {attribute_name: "sku", attribute_value}}, include_related_objects: true}`;
 * - read: `GET /v2/catalog/object/{item id}` (the item with its variations and their versions);
 * - create and update: `POST /v2/catalog/object {idempotency_key, object}` (UpsertCatalogObject).
 *   An update sends the item as read, `version`s included: Square refuses it with
 *   `VERSION_MISMATCH` when the item changed since that read, so nothing changed in the POS
 *   meanwhile is overwritten (true compare-and-set). The key is derived from the job, so a retry
 *   that Square already applied is not applied twice.
 */
import type { PosConnection } from '../../pos/connections/connection-store';
import { SQUARE_VERSION } from '../../pos/square/square-api';
import { parsePosJson } from '../../pos/pos-json';
import { httpRequest } from '../../outbound/http-attempt';
import { itemName } from '../pos-catalog-item';
import { PosApiError } from '../sources/catalog-source';
import { productTitleFor, ProductWriteRefused, type PosProduct, type ProductWriter } from './pos-product';

interface Variation {
  id: string; type?: string; version?: number; updated_at?: string; is_deleted?: boolean;
  item_variation_data?: { item_id?: string; name?: string; sku?: string; upc?: string; pricing_type?: string; price_money?: { amount?: number; currency?: string } } & Record<string, unknown>;
}
interface Item {
  id: string; type: string; version?: number; updated_at?: string; is_deleted?: boolean;
  item_data?: { name?: string; variations?: Variation[] } & Record<string, unknown>;
}

const REGULAR = 'Regular';
const TIMEOUT_MS = 15_000;

export function posProductOfVariation(item: Item, v: Variation): PosProduct {
  const d = v.item_variation_data ?? {};
  const variantTitle = d.name && d.name !== REGULAR ? d.name : undefined;
  return {
    posItemId: v.id, aliases: [], posProductId: item.id,
    ...(d.sku ? { sku: d.sku } : {}),
    name: itemName(item.item_data?.name, variantTitle, d.sku || v.id),
    ...(d.upc ? { barcode: d.upc } : {}),
    ...(d.price_money?.amount !== undefined && { price: d.price_money.amount }),
    ...((v.updated_at ?? item.updated_at) ? { posUpdatedAt: new Date(v.updated_at ?? item.updated_at!).toISOString() } : {}),
    ...(variantTitle && { variantTitle }),
    raw: item,
  };
}

export function squareProductWriter(c: PosConnection, fetchImpl: typeof fetch, currency: string): ProductWriter {
  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    if (!c.apiBaseUrl || !c.accessToken) throw new PosApiError(`connection ${c.id} has no apiBaseUrl or access token`, false);
    const answer = await httpRequest(fetchImpl, `${c.apiBaseUrl.replace(/\/+$/, '')}/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${c.accessToken}`, 'square-version': SQUARE_VERSION, accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }, TIMEOUT_MS);
    if ('error' in answer) throw new PosApiError(`Square: ${answer.error}`, true);
    let json: { errors?: Array<{ code?: string; detail?: string }> } & Record<string, unknown> = {};
    try { json = parsePosJson(answer.text || '{}') as typeof json; } catch { /* the status says enough */ }
    if (answer.status === 404) return undefined;
    if (answer.status >= 200 && answer.status < 300) return json;
    const detail = (json.errors ?? []).map((e) => `${e.code ?? ''}: ${e.detail ?? ''}`).join('; ') || `status ${answer.status}`;
    // The item changed since we read it: retried later, when the read will show the change.
    if ((json.errors ?? []).some((e) => e.code === 'VERSION_MISMATCH')) throw new PosApiError(`Square: the item changed since it was read (${detail})`, true);
    if (answer.status === 408 || answer.status === 429 || answer.status >= 500) throw new PosApiError(`Square answered ${answer.status}: ${detail}`, true);
    throw new ProductWriteRefused(`Square refused: ${detail}`);
  }

  const upsert = async (object: Item, key: string, sku: string): Promise<PosProduct> => {
    const answer = await request('POST', 'v2/catalog/object', { idempotency_key: key, object }) as { catalog_object?: Item } | undefined;
    const item = answer?.catalog_object;
    const variation = item?.item_data?.variations?.find((v) => v.item_variation_data?.sku === sku && !v.is_deleted);
    if (!item || !variation) throw new PosApiError('Square answered the upsert without the variation', true);
    const siblings = (item.item_data?.variations ?? []).filter((v) => v.id !== variation.id && !v.is_deleted).map((v) => posProductOfVariation(item, v));
    return { ...posProductOfVariation(item, variation), siblings };
  };

  const variationData = (product: { sku: string; price?: number; barcode?: string }) => ({
    sku: product.sku,
    ...(product.barcode && { upc: product.barcode }),
    ...(product.price !== undefined
      ? { pricing_type: 'FIXED_PRICING', price_money: { amount: product.price, currency } }
      : { pricing_type: 'VARIABLE_PRICING' }),
  });

  return {
    async findBySku(sku) {
      const answer = await request('POST', 'v2/catalog/search', {
        object_types: ['ITEM_VARIATION'], include_related_objects: true,
        query: { exact_query: { attribute_name: 'sku', attribute_value: sku } },
      }) as { objects?: Variation[]; related_objects?: Item[] } | undefined;
      const variation = answer?.objects?.find((o) => o.item_variation_data?.sku === sku && !o.is_deleted);
      const item = answer?.related_objects?.find((o) => o.id === variation?.item_variation_data?.item_id);
      if (!variation || !item) return undefined;
      const full = item.item_data?.variations?.find((v) => v.id === variation.id) ?? variation;
      return posProductOfVariation(item, full);
    },

    async read(link) {
      if (!link.posProductId) return undefined;
      const answer = await request('GET', `v2/catalog/object/${encodeURIComponent(link.posProductId)}`) as { object?: Item } | undefined;
      const item = answer?.object;
      if (!item || item.is_deleted) return undefined;
      const variation = item.item_data?.variations?.find((v) => v.id === link.posItemId && !v.is_deleted);
      return variation ? posProductOfVariation(item, variation) : undefined;
    },

    async create(product, key) {
      return upsert({
        type: 'ITEM', id: '#stocktide-item',
        item_data: {
          name: product.name,
          variations: [{ type: 'ITEM_VARIATION', id: '#stocktide-variation', item_variation_data: { item_id: '#stocktide-item', name: REGULAR, ...variationData(product) } }],
        },
      }, key, product.sku);
    },

    async update(current, product, key) {
      const item = current.raw as Item;
      const title = productTitleFor(product.name, current.variantTitle);
      if (title === undefined) {
        throw new ProductWriteRefused(`the name "${product.name}" cannot be written to a variation named "${current.variantTitle}": Square names it "<item name> - ${current.variantTitle}"`);
      }
      // The item as read, versions included: Square refuses it if anything changed since (VERSION_MISMATCH).
      const variations = (item.item_data?.variations ?? []).map((v) => (v.id !== current.posItemId ? v : {
        ...v, item_variation_data: { ...v.item_variation_data, ...variationData(product) },
      }));
      return upsert({ ...item, item_data: { ...item.item_data, name: title, variations } }, key, product.sku);
    },
  };
}
