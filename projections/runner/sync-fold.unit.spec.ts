import { describe, expect, it } from 'vitest';
import { MemoryReadStore } from '../readstore/memory-read-store';
import type { Doc } from '../readstore/port';
import type { RecordedEvent } from '../../write-side/eventstore/port';
import type { UnitOfWork } from './projection';
import { foldApply, foldSync, type Fold } from './sync-fold';
import { BatchUnitOfWork, RebuildUnitOfWork } from './unit-of-work';

const event = (position: bigint, amount: number) => ({ position, type: 'Added', data: { amount } }) as unknown as RecordedEvent;

/** Adds to a running total, and counts the add in a per-parity document read second (a miss after a write). */
const fold: Fold = (e, uow) => {
  const amount = (e.data as { amount: number }).amount;
  const total = uow.get<Doc & { sum: number }>('totals', 'all') ?? { _id: 'all', sum: 0 };
  uow.put('totals', { ...total, sum: total.sum + amount });
  uow.emit({ kind: 'transfer', transferId: String(e.position), status: 'created', fromLocationId: 'a', toLocationId: 'b', position: String(e.position) });
  const parity = amount % 2 === 0 ? 'even' : 'odd';
  const count = uow.get<Doc & { n: number }>('parity', parity) ?? { _id: parity, n: 0 };
  uow.put('parity', { ...count, n: count.n + 1 });
  if (amount < 0) throw new Error('negative');
};

describe('folds (the synchronous fast path)', () => {
  const seeded = async () => {
    const store = new MemoryReadStore();
    await store.commit('p', [{ op: 'put', collection: 'totals', doc: { _id: 'all', sum: 100 } }, { op: 'put', collection: 'parity', doc: { _id: 'odd', n: 5 } }], 1n);
    return store;
  };

  it('given documents not in memory, when folded, then each miss is loaded and the event applied exactly once (writes and changes)', async () => {
    const uow = new BatchUnitOfWork(await seeded());
    for (const [p, amount] of [[2n, 3], [3n, 4], [4n, 5]] as const) {
      const done = foldSync(fold, event(p, amount), uow);
      if (done !== true) await done;
    }
    expect(await uow.get('totals', 'all')).toMatchObject({ sum: 112 });
    expect(await uow.get('parity', 'odd')).toMatchObject({ n: 7 });
    expect(await uow.get('parity', 'even')).toMatchObject({ n: 1 });
    expect(uow.changes.map((c) => c.position)).toEqual(['2', '3', '4']);
    expect(uow.writes().map((w) => (w.op === 'put' ? w.doc._id : w.id)).sort()).toEqual(['all', 'even', 'odd']);
  });

  it('given an event that reads many documents not in memory, then they are loaded together and the event folded a few times, not once per document', async () => {
    const store = new MemoryReadStore();
    await store.commit('p', Array.from({ length: 50 }, (_, i) => ({ op: 'put' as const, collection: 'lines', doc: { _id: `l${i}`, n: i } })), 1n);
    let folds = 0;
    const wide: Fold = (_e, uow) => {
      folds += 1;
      let sum = 0;
      for (let i = 0; i < 50; i += 1) sum += uow.get<Doc & { n: number }>('lines', `l${i}`)?.n ?? 0;
      uow.put('totals', { _id: 'sum', sum });
    };
    const uow = new BatchUnitOfWork(store);
    const done = foldSync(wide, event(2n, 0), uow);
    if (done !== true) await done;
    expect(await uow.get('totals', 'sum')).toMatchObject({ sum: 1225 });
    expect(folds).toBeLessThanOrEqual(3); // the stopped attempt, one discovery pass, the real fold
    expect(uow.writes()).toHaveLength(1);
  });

  it('given everything in memory, then the fold completes synchronously', async () => {
    const uow = new BatchUnitOfWork(await seeded());
    await uow.load('totals', 'all');
    await uow.load('parity', 'odd');
    expect(foldSync(fold, event(2n, 1), uow)).toBe(true);
    expect(await uow.get('totals', 'all')).toMatchObject({ sum: 101 });
  });

  it('given a rebuild into a reset store, then misses in its own collections need no load', () => {
    const uow = new RebuildUnitOfWork(new MemoryReadStore(), ['totals', 'parity']);
    expect(foldSync(fold, event(1n, 2), uow)).toBe(true);
    expect(uow.writes()).toHaveLength(2);
  });

  it('given a fold that throws, then the error surfaces and nothing of the failed attempt stays', async () => {
    const uow = new BatchUnitOfWork(await seeded());
    await uow.load('totals', 'all');
    await uow.load('parity', 'odd');
    expect(() => foldSync(fold, event(2n, -1), uow)).toThrow('negative');
    expect(await uow.get('totals', 'all')).toMatchObject({ sum: 100 });
    expect(uow.writes()).toEqual([]);
    expect(uow.changes).toEqual([]);
  });

  it('given any other unit of work, then foldApply reads through it and hands over the writes once', async () => {
    const docs = new Map<string, Doc>([['totals/all', { _id: 'all', sum: 10 }]]);
    const emitted: unknown[] = [];
    let reads = 0;
    const plain: UnitOfWork = {
      get: async <T extends Doc>(c: string, id: string) => { reads += 1; return docs.get(`${c}/${id}`) as T | undefined; },
      put: (c, doc) => void docs.set(`${c}/${doc._id}`, doc),
      delete: (c, id) => void docs.delete(`${c}/${id}`),
      emit: (change) => void emitted.push(change),
    };
    await foldApply(fold)(event(2n, 3), plain);
    expect(docs.get('totals/all')).toMatchObject({ sum: 13 });
    expect(docs.get('parity/odd')).toMatchObject({ n: 1 });
    expect(emitted).toHaveLength(1);
    expect(reads).toBe(2);
  });

  it('given a fold that appends a row before a miss, when retried after the load, then the row is appended once, in every unit of work', async () => {
    // Appends a row keyed by position, then reads a document that is not in memory yet.
    const appending: Fold = (e, uow) => {
      uow.append('rows', { _id: `r${e.position}`, amount: (e.data as { amount: number }).amount });
      const total = uow.get<Doc & { sum: number }>('totals', 'all') ?? { _id: 'all', sum: 0 };
      uow.put('totals', { ...total, sum: total.sum + (e.data as { amount: number }).amount });
    };
    for (const uow of [new BatchUnitOfWork(await seeded()), new RebuildUnitOfWork(await seeded(), [])]) {
      for (const [p, amount] of [[2n, 3], [3n, 4]] as const) {
        const done = foldSync(appending, event(p, amount), uow);
        if (done !== true) await done;
      }
      const writes = uow instanceof RebuildUnitOfWork ? uow.flush() : uow.writes();
      expect(writes.filter((w) => w.collection === 'rows').map((w) => (w.op === 'put' ? w.doc : w.id))).toEqual([{ _id: 'r2', amount: 3 }, { _id: 'r3', amount: 4 }]);
      expect(writes.filter((w) => w.collection === 'totals').map((w) => (w.op === 'put' ? w.doc['sum'] : w.id))).toEqual([107]);
    }
    // Through any other unit of work (foldApply's overlay), an appended row is an ordinary put.
    const puts: Doc[] = [];
    const plain: UnitOfWork = {
      get: async () => undefined, put: (_c, doc) => { puts.push(doc); }, delete: () => undefined, emit: () => undefined,
    };
    await foldApply(appending)(event(5n, 1), plain);
    expect(puts.map((d) => d._id)).toEqual(['r5', 'all']);
  });
});
