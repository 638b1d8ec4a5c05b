/**
 * `pos-catalog` projection: the derived SKU map (which POS item ids are which SKU, per
 * connection) and the catalog alerts (conflicts with both sides). Deterministic, so `npm run
 * rebuild` proves it like every other read model.
 */
import type { Projection, UnitOfWork } from '../projections/runner/projection';
import type { RecordedEvent } from '../write-side/eventstore/port';
import { asDomainEvent } from '../projections/models/model-events';
import { CATALOG, type CatalogAlertDoc, type PosItemDoc } from './catalog-collections';
import { versionDocId } from './derived-map';

const key = (connectionId: string, id: string) => `${connectionId}|${id}`;

async function unlink(uow: UnitOfWork, connectionId: string, posItemId: string): Promise<void> {
  const doc = await uow.get<PosItemDoc>(CATALOG.posItems, key(connectionId, posItemId));
  if (!doc) return;
  for (const alias of doc.aliases) {
    const a = await uow.get<PosItemDoc>(CATALOG.posItems, key(connectionId, alias));
    if (a?.aliasOf === posItemId) uow.delete(CATALOG.posItems, a._id);
  }
  uow.delete(CATALOG.posItems, doc._id);
}

export const posCatalogProjection: Projection = {
  name: 'pos-catalog',
  collections: [CATALOG.posItems, CATALOG.alerts],
  indexes: [
    { collection: CATALOG.posItems, fields: ['connectionId'] },
    { collection: CATALOG.alerts, fields: ['status', 'connectionId'] },
  ],
  async apply(recorded: RecordedEvent, uow: UnitOfWork) {
    const event = asDomainEvent(recorded);
    if (!event) return;
    const position = recorded.position.toString();
    // The map of a connection changed: readers of the derived map rebuild their copy.
    const touched = (connectionId: string) =>
      uow.put(CATALOG.posItems, { _id: versionDocId(connectionId), connectionId, posItemId: '#version', sku: '', aliases: [], position } satisfies PosItemDoc);
    switch (event.type) {
      case 'PosItemLinked': {
        const { connectionId, posItemId, sku, aliases, title } = event.data;
        await unlink(uow, connectionId, posItemId);
        uow.put(CATALOG.posItems, { _id: key(connectionId, posItemId), connectionId, posItemId, sku, aliases: [...aliases], ...(title !== undefined && { title }), position } satisfies PosItemDoc);
        for (const alias of aliases) {
          uow.put(CATALOG.posItems, { _id: key(connectionId, alias), connectionId, posItemId: alias, sku, aliases: [], aliasOf: posItemId, position } satisfies PosItemDoc);
        }
        touched(connectionId);
        return;
      }
      case 'PosItemUnlinked':
        await unlink(uow, event.data.connectionId, event.data.posItemId);
        touched(event.data.connectionId);
        return;
      case 'CatalogConflictRaised': {
        const { connectionId, conflictId, conflict, sku, posItemId, ours, theirs, occurredAt } = event.data;
        uow.put(CATALOG.alerts, {
          _id: key(connectionId, conflictId), connectionId, conflictId, conflict, status: 'open', sku, posItemId,
          ours: { ...ours }, theirs: { ...theirs }, raisedAt: occurredAt, position,
        } satisfies CatalogAlertDoc);
        return;
      }
      case 'CatalogConflictResolved': {
        const { connectionId, conflictId, resolution, occurredAt } = event.data;
        const doc = await uow.get<CatalogAlertDoc>(CATALOG.alerts, key(connectionId, conflictId));
        if (doc) uow.put(CATALOG.alerts, { ...doc, status: 'resolved', resolution, resolvedAt: occurredAt, position });
        return;
      }
      default:
        return;
    }
  },
};
