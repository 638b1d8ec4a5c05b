/**
 * Read-model changes across processes when the read store is MongoDB: the projector process
 * inserts each batch's changes into `_changes` in the same transaction as the batch (see
 * `MongoReadStore.commit`), and any API process watches them with a change stream.
 * In one process, `ProjectionRunner.changes$` is enough.
 *
 * Seam without gap: the change stream is opened first, then the backlog after `after` is read;
 * a change arriving by both paths is delivered once (by its `_id`). Changes are kept for
 * `CHANGES_TTL_SECONDS`; `_changes` is an ordinary collection with a TTL index, because
 * capped collections cannot be written inside a transaction.
 */
import { Observable } from 'rxjs';
import type { Document } from 'mongodb';
import type { ChangeRecord } from './port';
import { CHANGES, changeKey, type MongoReadStore } from './mongo-read-store';

interface ChangeDoc {
  _id: string;
  projection: string;
  change: ChangeRecord;
}

/** Every change committed after position `after` (all projections), backlog first, then live. */
export function watchChanges(store: MongoReadStore, after: bigint): Observable<ChangeRecord> {
  return new Observable<ChangeRecord>((subscriber) => {
    const collection = store.db.collection<ChangeDoc>(CHANGES);
    const stream = collection.watch<ChangeDoc>([{ $match: { operationType: 'insert' } }], { fullDocument: 'default' });
    const fromBacklog = new Set<string>();
    let backlogDone = false;
    const pending: ChangeDoc[] = [];
    const deliver = (doc: ChangeDoc) => {
      if (fromBacklog.delete(doc._id)) return; // already delivered from the backlog
      subscriber.next(doc.change);
    };
    stream.on('change', (event: Document) => {
      const doc = (event as { fullDocument?: ChangeDoc }).fullDocument;
      if (!doc) return;
      if (backlogDone) deliver(doc);
      else pending.push(doc);
    });
    stream.on('error', (error: unknown) => subscriber.error(error));
    (async () => {
      const floor = changeKey((after + 1n).toString(), '', 0);
      for await (const doc of collection.find({ _id: { $gte: floor } }).sort({ _id: 1 })) {
        if (subscriber.closed) return;
        fromBacklog.add(doc._id);
        subscriber.next(doc.change);
      }
      backlogDone = true;
      pending.splice(0).forEach(deliver);
    })().catch((error: unknown) => subscriber.error(error));
    return () => {
      void stream.close();
    };
  });
}
