/**
 * Live catalog sync: POS catalog webhooks go through the same command path as an import.
 * Each handler takes `(connection, topic, parsed body, ctx)`; `catalogTopicHandlers` is the
 * topic → handler table that the POS intake dispatches to (one entry per topic). Repeats are
 * harmless: unchanged details decide no event, and an older version of a product arriving
 * after a newer one changes nothing (the POS's `updated_at` is kept with each link).
 *
 * - Shopify `products/create`, `products/update`: the product's variants, as an import page.
 * - Shopify `products/delete`: the product's items are unlinked (or a conflict when we hold stock).
 * - Square `catalog.version.updated`: the notification names no object; the items changed since
 *   the last search are fetched (`POST /v2/catalog/search`, `begin_time`), deleted ones included.
 */
import type { FromSchema } from 'json-schema-to-ts';
import { ShopifyProductDeleteWebhook, ShopifyProductWebhook } from '../schemas/pos-catalog';
import { assertValid } from '../schemas/validation';
import type { PosConnection, StoredDelivery } from '../pos/connections/connection-store';
import { idText, parsePosJson } from '../pos/pos-json';
import type { Outcome } from '../pos/processing/process-delivery';
import type { CommandContext } from '../write-side/commands/types';
import type { CatalogService } from './catalog-service';
import { POS_WINS } from './domain/product-details';
import { itemCategory, itemName, type PosCatalogItem } from './pos-catalog-item';
import { minorUnits, PosApiError } from './sources/catalog-source';
import { searchSquareCatalog, squareItems } from './sources/square-source';
import type { CatalogStore } from './store/catalog-store';

export type CatalogTopicHandler = (connection: PosConnection, topic: string, body: unknown, ctx: CommandContext) => Promise<Outcome>;

export interface LiveSyncDeps {
  readonly catalog: CatalogService;
  readonly store: CatalogStore;
  readonly fetchImpl?: typeof fetch;
}

const applied = (r: { position: bigint; appended: number }): Outcome =>
  r.appended === 0 ? { status: 'applied', position: r.position, duplicate: true } : { status: 'applied', position: r.position, duplicate: false };

/** A Shopify product (webhook JSON) as POS items, one per variant. */
export function shopifyProductItems(product: FromSchema<typeof ShopifyProductWebhook>): PosCatalogItem[] {
  const posProductId = idText(product.id)!;
  const updatedAt = product.updated_at ? new Date(product.updated_at).toISOString() : undefined;
  const category = itemCategory(product.product_type);
  return (product.variants ?? []).map((v) => {
    const posItemId = idText(v.id)!;
    const inventoryItemId = idText(v.inventory_item_id ?? undefined);
    const price = minorUnits(v.price ?? undefined);
    return {
      posItemId, aliases: inventoryItemId ? [inventoryItemId] : [], posProductId,
      ...(v.sku ? { sku: v.sku } : {}),
      name: itemName(product.title ?? undefined, v.title ?? undefined, v.sku || posItemId),
      ...(v.barcode ? { barcode: v.barcode } : {}),
      ...(price !== undefined && { price }),
      ...(category !== undefined && { category }),
      ...((v.updated_at ?? updatedAt) ? { posUpdatedAt: new Date(v.updated_at ?? updatedAt!).toISOString() } : {}),
    };
  });
}

export function catalogTopicHandlers(deps: LiveSyncDeps): Readonly<Record<string, CatalogTopicHandler>> {
  const policyOf = async (c: PosConnection) => (await deps.store.getSettings(c.id))?.policy ?? POS_WINS;

  const productChanged: CatalogTopicHandler = async (connection, _topic, body, ctx) => {
    assertValid<FromSchema<typeof ShopifyProductWebhook>>(ShopifyProductWebhook, body, 'Shopify product');
    const report = await deps.catalog.syncItems(connection.id, shopifyProductItems(body), await policyOf(connection), ctx);
    return applied(report);
  };

  const productDeleted: CatalogTopicHandler = async (connection, _topic, body, ctx) => {
    assertValid<FromSchema<typeof ShopifyProductDeleteWebhook>>(ShopifyProductDeleteWebhook, body, 'Shopify product deletion');
    const r = await deps.catalog.removePosProduct(connection.id, idText(body.id)!, ctx);
    return { status: 'applied', position: r.position, duplicate: r.duplicate };
  };

  const squareCatalogUpdated: CatalogTopicHandler = async (connection, _topic, _body, ctx) => {
    const settings = await deps.store.getSettings(connection.id);
    let cursor: string | undefined;
    let latest = settings?.squareCatalogTime;
    let position = 0n;
    let appended = 0;
    try {
      for (let page = 0; page < 1000; page++) {
        const found = await searchSquareCatalog(deps.fetchImpl ?? fetch, connection, settings?.squareCatalogTime, cursor);
        const { items, deleted } = squareItems(found);
        const report = await deps.catalog.syncItems(connection.id, items, settings?.policy ?? POS_WINS, ctx);
        if (report.position > position) position = report.position;
        appended += report.appended;
        for (const id of deleted) {
          const r = await deps.catalog.removePosProduct(connection.id, id, ctx);
          if (!r.duplicate) appended += 1;
          if (r.position > position) position = r.position;
        }
        if (found.latest_time) latest = found.latest_time;
        cursor = found.cursor;
        if (!cursor) break;
      }
    } catch (error) {
      if (error instanceof PosApiError) return { status: 'ignored', reason: `catalog not fetched: ${error.message} (the next catalog.version.updated or an import catches up)` };
      throw error;
    }
    if (latest) await deps.store.putSettings(connection.id, { ...(settings ?? { policy: POS_WINS }), squareCatalogTime: latest });
    return applied({ position, appended });
  };

  return {
    'products/create': productChanged,
    'products/update': productChanged,
    'products/delete': productDeleted,
    'catalog.version.updated': squareCatalogUpdated,
  };
}

/** The topic of a delivery: Shopify's header, Square's body `type`. */
function topicOf(delivery: StoredDelivery, body: unknown): string | undefined {
  if (delivery.kind === 'shopify') return delivery.topic;
  if (delivery.kind === 'square' && body && typeof body === 'object' && typeof (body as { type?: unknown }).type === 'string') return (body as { type: string }).type;
  return undefined;
}

/**
 * The hook the POS intake calls before its stock adapters: a delivery whose topic is in the
 * table is handled here (answer: its outcome), any other is left to the intake (undefined).
 */
export function catalogTopicDispatch(handlers: Readonly<Record<string, CatalogTopicHandler>>, clock: () => Date = () => new Date()) {
  return async (connection: PosConnection, delivery: StoredDelivery): Promise<Outcome | undefined> => {
    if (delivery.kind !== 'shopify' && delivery.kind !== 'square') return undefined;
    const headerTopic = delivery.kind === 'shopify' ? delivery.topic : undefined;
    if (headerTopic !== undefined && !Object.hasOwn(handlers, headerTopic)) return undefined;
    const body = parsePosJson(delivery.rawBody);
    const topic = topicOf(delivery, body);
    if (topic === undefined || !Object.hasOwn(handlers, topic)) return undefined;
    const ctx: CommandContext = {
      actor: { kind: 'pos', id: connection.id }, source: `pos:${delivery.kind}`,
      correlationId: `${connection.id}:${topic}`.slice(0, 200), ...(delivery.deliveryId && { causationId: delivery.deliveryId.slice(0, 200) }), now: clock(),
    };
    return handlers[topic]!(connection, topic, body, ctx);
  };
}
