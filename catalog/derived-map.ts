/**
 * The SKU maps a POS connection is read and written with, derived from its imported catalog
 * (the `pos-catalog` projection) with the hand-made `skuMap` on top as an override. Each is
 * rebuilt only when the connection's links (a version document the projection keeps) or the
 * connection itself changed, so a sale or a balance push does not read the whole map.
 *
 * Two maps, kept apart because the platforms name an item differently by direction:
 * - **intake** (`derivedMapping`): every id a delivery may carry → SKU (Shopify variant ids of
 *   orders and refunds, and inventory item ids of `inventory_levels/update`; Square item
 *   variation ids);
 * - **push** (`derivedPushMap`): the id a balance is written to → SKU. Shopify's
 *   `inventorySetQuantities` takes inventory item ids, never variant ids: only the alias
 *   documents (the inventory item of a variant) are push targets. Square writes counts to the
 *   item variation itself.
 */
import type { ReadStore } from '../projections/readstore/port';
import type { PosConnection } from '../pos/connections/connection-store';
import { CATALOG, type PosItemDoc } from './catalog-collections';

export const versionDocId = (connectionId: string) => `${connectionId}|#version`;

type Cached<T> = { version: string; updatedAt: string; value: T };

/** Reads the connection's link documents only when its version (or the connection) changed. */
function cachedByVersion<T>(readStore: ReadStore, build: (connection: PosConnection, docs: PosItemDoc[]) => T) {
  const cache = new Map<string, Cached<T>>();
  return async (connection: PosConnection): Promise<T | undefined> => {
    const version = (await readStore.get<PosItemDoc>(CATALOG.posItems, versionDocId(connection.id)))?.position;
    if (version === undefined) return undefined; // nothing imported for this connection
    const hit = cache.get(connection.id);
    if (hit && hit.version === version && hit.updatedAt === connection.updatedAt) return hit.value;
    const docs = (await readStore.find<PosItemDoc>(CATALOG.posItems, { where: { connectionId: connection.id } }))
      .filter((doc) => doc._id !== versionDocId(connection.id));
    const value = build(connection, docs);
    cache.set(connection.id, { version, updatedAt: connection.updatedAt, value });
    return value;
  };
}

/** The intake's view: the connection with `skuMap` = derived map under the hand-made one. */
export function derivedMapping(readStore: ReadStore): (connection: PosConnection) => Promise<PosConnection> {
  const merged = cachedByVersion(readStore, (connection, docs): PosConnection => {
    const skuMap: Record<string, string> = {};
    for (const doc of docs) skuMap[doc.posItemId] = doc.sku;
    return { ...connection, skuMap: { ...skuMap, ...connection.skuMap } };
  });
  return async (connection) => (connection.kind === 'generic' ? connection : (await merged(connection)) ?? connection);
}

/**
 * Push ids → SKU of one connection (pure). Derived: Shopify inventory item ids (alias docs),
 * Square item variation ids (item docs). The hand-made `skuMap` overrides: an entry keyed by a
 * Shopify variant id the catalog knows overrides that variant's inventory item; any other key
 * is taken as a push id itself (as before the catalog existed).
 */
export function pushMapOf(connection: PosConnection, docs: readonly PosItemDoc[]): Record<string, string> {
  const out: Record<string, string> = {};
  const inventoryItemsOf = new Map<string, readonly string[]>();
  for (const doc of docs) {
    const isAlias = doc.aliasOf !== undefined;
    if (connection.kind === 'shopify') {
      if (isAlias) out[doc.posItemId] = doc.sku;
      else if (doc.aliases.length > 0) inventoryItemsOf.set(doc.posItemId, doc.aliases);
    } else if (!isAlias) out[doc.posItemId] = doc.sku;
  }
  for (const [key, sku] of Object.entries(connection.skuMap)) {
    for (const id of inventoryItemsOf.get(key) ?? [key]) out[id] = sku;
  }
  return out;
}

/** The push map of a connection: derived where a catalog was imported, else the hand-made map alone. */
export function derivedPushMap(readStore: ReadStore): (connection: PosConnection) => Promise<Readonly<Record<string, string>>> {
  const derived = cachedByVersion(readStore, pushMapOf);
  return async (connection) => (connection.kind === 'generic' ? connection.skuMap : (await derived(connection)) ?? pushMapOf(connection, []));
}
