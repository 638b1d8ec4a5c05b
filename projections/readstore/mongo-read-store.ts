/**
 * MongoDB read store: one MongoDB collection per read-model collection, `_id` = document id.
 * Internal collections start with an underscore (projection collections cannot: field/collection
 * names must start with a letter): `_checkpoints` {_id: projection, position: decimal string}
 * and `_changes` (see `mongo-changes.ts`).
 *
 * `commit` runs in ONE multi-document transaction on the replica set: the checkpoint guard,
 * the bulk writes and the checkpoint move commit together or not at all (why a transaction
 * rather than per-document position guards: see docs/read-store.md).
 */
import { MongoClient, MongoServerError, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import {
  CheckpointConflictError, FencedOffError, type Fence,
  type ChangeRecord, type Doc, type DocWrite, type IndexSpec, type Query, type ReadStore,
} from './port';
import { assertName, checkQuery } from './query-rules';
import { toMongoFilter, toMongoSort } from './mongo-query';

export const CHECKPOINTS = '_checkpoints';
export const CHANGES = '_changes';
/** How long published changes are kept for `watchChanges` to resume from. */
export const CHANGES_TTL_SECONDS = 24 * 3600;

interface CheckpointDoc {
  _id: string;
  position: string;
}

/** The key of a change in `_changes`: zero-padded position, so string order is log order. */
/** The lease collection of topology/lease/mongo-lease-store.ts, in the same database (fencing in the commit). */
export const LEASES = 'leases';

export const changeKey = (position: string, projection: string, seq: number): string =>
  `${position.padStart(40, '0')}:${projection}:${String(seq).padStart(6, '0')}`;

export interface MongoReadStoreOptions {
  readonly uri: string;
  /** Database name; default: the one in the URI. */
  readonly database?: string;
}

export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  private readonly indexSpecs = new Map<string, IndexSpec[]>();

  private constructor(
    private readonly client: MongoClient,
    /** The database, for `watchChanges` and tests. */
    readonly db: Db,
  ) {}

  static async open(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = new MongoClient(options.uri);
    await client.connect();
    const store = new MongoReadStore(client, client.db(options.database));
    await store.db.collection(CHANGES).createIndex({ at: 1 }, { expireAfterSeconds: CHANGES_TTL_SECONDS });
    return store;
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      assertName('collection', spec.collection);
      spec.fields.forEach((f) => assertName('field', f));
      const known = this.indexSpecs.get(spec.collection) ?? [];
      if (!known.some((k) => k.fields.join() === spec.fields.join())) this.indexSpecs.set(spec.collection, [...known, spec]);
      await this.createIndex(spec);
    }
  }

  async checkpoint(projection: string): Promise<bigint> {
    const doc = await this.db.collection<CheckpointDoc>(CHECKPOINTS).findOne({ _id: { $eq: projection } });
    return doc ? BigInt(doc.position) : 0n;
  }

  async commit(
    projection: string, writes: readonly DocWrite[], position: bigint, changes: readonly ChangeRecord[] = [], fence?: Fence,
  ): Promise<void> {
    const byCollection = new Map<string, AnyBulkWriteOperation<Document>[]>();
    for (const w of writes) {
      assertName('collection', w.collection);
      const ops = byCollection.get(w.collection) ?? [];
      ops.push((w.op === 'put'
        ? { replaceOne: { filter: { _id: { $eq: w.doc._id } }, replacement: w.doc, upsert: true } }
        : { deleteOne: { filter: { _id: { $eq: w.id } } } }) as unknown as AnyBulkWriteOperation<Document>);
      byCollection.set(w.collection, ops);
    }
    const at = new Date();
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        if (fence) {
          // Writing the lease document (not only reading it) makes a concurrent takeover and this
          // commit conflict: one of them retries and sees the other (no write skew).
          const held = await this.db.collection<{ _id: string; token: number }>(LEASES).updateOne(
            { _id: { $eq: fence.name }, token: { $eq: Number(fence.token) } }, { $inc: { commits: 1 } }, { session });
          if (held.matchedCount === 0) throw new FencedOffError(fence, undefined);
        }
        const checkpoints = this.db.collection<CheckpointDoc>(CHECKPOINTS);
        const current = await checkpoints.findOne({ _id: { $eq: projection } }, { session });
        const currentPosition = current ? BigInt(current.position) : 0n;
        if (position <= currentPosition) throw new CheckpointConflictError(projection, currentPosition, position);
        for (const [collection, ops] of byCollection) {
          await this.db.collection(collection).bulkWrite(ops, { session, ordered: true });
        }
        // Writing the checkpoint document also makes two concurrent committers of one
        // projection conflict (WriteConflict): one retries, sees the new checkpoint, and stops.
        await checkpoints.updateOne(
          { _id: { $eq: projection } }, { $set: { position: position.toString(10) } }, { session, upsert: true });
        if (changes.length > 0) {
          await this.db.collection(CHANGES).insertMany(
            changes.map((change, i) => ({ _id: changeKey(change.position, projection, i) as unknown as Document['_id'], at, projection, change })),
            { session });
        }
      });
    } finally {
      await session.endSession();
    }
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    assertName('collection', collection);
    const doc = await this.db.collection(collection).findOne({ _id: { $eq: id } as unknown as Document['_id'] });
    return (doc ?? undefined) as T | undefined;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    assertName('collection', collection);
    const found = new Map<string, T>();
    if (ids.length === 0) return found;
    for (const doc of await this.db.collection(collection).find({ _id: { $in: [...ids] } as unknown as Document['_id'] }).toArray()) {
      found.set(String(doc._id), doc as unknown as T);
    }
    return found;
  }

  async find<T extends Doc = Doc>(collection: string, query?: Query): Promise<T[]> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0) return [];
    let cursor = this.db.collection(collection).find(toMongoFilter(checked)).sort(toMongoSort(checked));
    if (checked.limit !== undefined) cursor = cursor.limit(checked.limit);
    return (await cursor.toArray()) as unknown as T[];
  }

  async count(collection: string, query?: Query): Promise<number> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0) return 0;
    return this.db.collection(collection).countDocuments(toMongoFilter(checked), checked.limit === undefined ? {} : { limit: checked.limit });
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    collections.forEach((c) => assertName('collection', c));
    for (const collection of collections) {
      try {
        await this.db.collection(collection).drop();
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === 26)) throw error; // 26: NamespaceNotFound
      }
      for (const spec of this.indexSpecs.get(collection) ?? []) await this.createIndex(spec);
    }
    await this.db.collection<CheckpointDoc>(CHECKPOINTS).deleteOne({ _id: { $eq: projection } });
  }

  /** Drops the whole database (tests and temporary rebuild databases only). */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async createIndex(spec: IndexSpec): Promise<void> {
    await this.db.collection(spec.collection).createIndex(Object.fromEntries(spec.fields.map((f) => [f, 1])));
  }
}
