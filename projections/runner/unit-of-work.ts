/**
 * The unit of work of one batch: reads are cached (a document is fetched from the store at
 * most once per batch, absent ones included), writes are buffered with the last write per
 * document winning, and changes wait until the batch is committed.
 *
 * Documents are copied in and out, as a store would: a projector that mutates what it read,
 * or what it already put, cannot change the batch behind its back. Otherwise the result of a
 * projection would depend on where batches happen to split, and rebuilds would differ.
 */
import type { Doc, DocWrite, ReadStore } from '../readstore/port';
import type { ReadModelChange, UnitOfWork } from './projection';

/** Deep copy of JSON data; much cheaper than structuredClone for small documents. */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = copyJson(v);
  }
  return out as T;
}

export class BatchUnitOfWork implements UnitOfWork {
  /** collection -> id -> document as the batch left it (null: absent or deleted). */
  private readonly docs = new Map<string, Map<string, Doc | null>>();
  private readonly dirty = new Map<string, Set<string>>();
  readonly changes: ReadModelChange[] = [];

  constructor(private readonly store: ReadStore) {}

  async get<T extends Doc>(collection: string, id: string): Promise<T | undefined> {
    const docs = this.collection(collection);
    let doc = docs.get(id);
    if (doc === undefined) {
      doc = (await this.store.get(collection, id)) ?? null;
      // A get awaited in parallel may have filled the slot meanwhile; the first answer stays.
      if (!docs.has(id)) docs.set(id, doc);
      doc = docs.get(id)!;
    }
    return doc === null ? undefined : (copyJson(doc) as T);
  }

  put(collection: string, doc: Doc): void {
    this.collection(collection).set(doc._id, copyJson(doc));
    this.markDirty(collection, doc._id);
  }

  delete(collection: string, id: string): void {
    this.collection(collection).set(id, null);
    this.markDirty(collection, id);
  }

  emit(change: ReadModelChange): void {
    this.changes.push(change);
  }

  /** The buffered writes, one per touched document. */
  writes(): DocWrite[] {
    const writes: DocWrite[] = [];
    for (const [collection, ids] of this.dirty) {
      const docs = this.docs.get(collection)!;
      for (const id of ids) {
        const doc = docs.get(id);
        writes.push(doc ? { op: 'put', collection, doc } : { op: 'delete', collection, id });
      }
    }
    return writes;
  }

  private collection(name: string): Map<string, Doc | null> {
    let docs = this.docs.get(name);
    if (!docs) this.docs.set(name, (docs = new Map()));
    return docs;
  }

  private markDirty(collection: string, id: string): void {
    let ids = this.dirty.get(collection);
    if (!ids) this.dirty.set(collection, (ids = new Set()));
    ids.add(id);
  }
}
