/**
 * The SKU map a POS connection is read with: the map derived from its imported catalog (the
 * `pos-catalog` projection), with the hand-made `skuMap` on top as an override. Rebuilt only
 * when the connection's links (a version document the projection keeps) or the connection
 * itself changed, so a sale does not read the whole map.
 */
import type { ReadStore } from '../projections/readstore/port';
import type { PosConnection } from '../pos/connections/connection-store';
import { CATALOG, type PosItemDoc } from './catalog-collections';

export const versionDocId = (connectionId: string) => `${connectionId}|#version`;

export function derivedMapping(readStore: ReadStore): (connection: PosConnection) => Promise<PosConnection> {
  const cache = new Map<string, { version: string; updatedAt: string; connection: PosConnection }>();
  return async (connection) => {
    if (connection.kind === 'generic') return connection;
    const version = (await readStore.get<PosItemDoc>(CATALOG.posItems, versionDocId(connection.id)))?.position;
    if (version === undefined) return connection; // nothing imported for this connection
    const hit = cache.get(connection.id);
    if (hit && hit.version === version && hit.updatedAt === connection.updatedAt) return hit.connection;
    const docs = await readStore.find<PosItemDoc>(CATALOG.posItems, { where: { connectionId: connection.id } });
    const skuMap: Record<string, string> = {};
    for (const doc of docs) if (doc._id !== versionDocId(connection.id)) skuMap[doc.posItemId] = doc.sku;
    const merged: PosConnection = { ...connection, skuMap: { ...skuMap, ...connection.skuMap } };
    cache.set(connection.id, { version, updatedAt: connection.updatedAt, connection: merged });
    return merged;
  };
}
