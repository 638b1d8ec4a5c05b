/**
 * In-memory read store for tests. Documents are kept as JSON text, so what comes back is a
 * fresh copy that looks exactly like what a persistent adapter would return.
 */
import {
  CheckpointConflictError,
  type ChangeRecord, type Fence, type Doc, type DocWrite, type IndexSpec, type ProjectionBatch, type Query, type ReadStore,
} from './port';
import { assertName, checkQuery, docComparator, matches } from './query-rules';

export class MemoryReadStore implements ReadStore {
  readonly kind = 'memory' as const;
  private readonly collections = new Map<string, Map<string, string>>();
  private readonly positions = new Map<string, bigint>();

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    for (const index of indexes) {
      assertName('collection', index.collection);
      index.fields.forEach((field) => assertName('field', field));
    }
  }

  async checkpoint(projection: string): Promise<bigint> {
    return this.positions.get(projection) ?? 0n;
  }

  async commit(projection: string, writes: readonly DocWrite[], position: bigint, changes?: readonly ChangeRecord[], fence?: Fence): Promise<void> {
    await this.commitAll([{ projection, writes, position, ...(changes && { changes }) }], fence);
  }

  async commitAll(batches: readonly ProjectionBatch[], fence?: Fence): Promise<void> {
    if (fence) throw new Error('the in-memory read store is never shared: it takes no fence');
    // Check and serialize everything first: a conflict or a bad write leaves the store untouched.
    const moved = new Map<string, bigint>();
    const staged = batches.flatMap(({ projection, writes, position }) => {
      const current = moved.get(projection) ?? this.positions.get(projection) ?? 0n;
      if (position <= current) throw new CheckpointConflictError(projection, current, position);
      moved.set(projection, position);
      return writes.map((write) => {
        assertName('collection', write.collection);
        return write.op === 'put'
          ? { collection: write.collection, id: write.doc._id, json: JSON.stringify(write.doc) }
          : { collection: write.collection, id: write.id, json: undefined };
      });
    });
    for (const { collection, id, json } of staged) {
      const docs = this.collection(collection);
      if (json === undefined) docs.delete(id);
      else docs.set(id, json);
    }
    for (const [projection, position] of moved) this.positions.set(projection, position);
  }

  async checkpoints(projections: readonly string[]): Promise<ReadonlyMap<string, bigint>> {
    return new Map(projections.map((p) => [p, this.positions.get(p) ?? 0n]));
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | undefined> {
    assertName('collection', collection);
    const json = this.collections.get(collection)?.get(id);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const id of ids) {
      const doc = await this.get<T>(collection, id);
      if (doc) found.set(id, doc);
    }
    return found;
  }

  async find<T extends Doc = Doc>(collection: string, query?: Query): Promise<T[]> {
    assertName('collection', collection);
    const checked = checkQuery(query);
    if (checked.limit === 0) return [];
    const docs = [...(this.collections.get(collection)?.values() ?? [])]
      .map((json) => JSON.parse(json) as T)
      .filter((doc) => matches(doc, checked.conditions))
      .sort(docComparator(checked.orderBy));
    return checked.limit === undefined ? docs : docs.slice(0, checked.limit);
  }

  async count(collection: string, query?: Query): Promise<number> {
    return (await this.find(collection, query)).length;
  }

  async reset(projection: string, collections: readonly string[]): Promise<void> {
    collections.forEach((c) => assertName('collection', c));
    for (const collection of collections) this.collections.delete(collection);
    this.positions.delete(projection);
  }

  async close(): Promise<void> {}

  private collection(name: string): Map<string, string> {
    let docs = this.collections.get(name);
    if (!docs) this.collections.set(name, (docs = new Map()));
    return docs;
  }
}
