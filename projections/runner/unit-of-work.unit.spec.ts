import { describe, expect, it } from 'vitest';
import { MemoryReadStore } from '../readstore/memory-read-store';
import { BatchUnitOfWork, RebuildUnitOfWork, frozenJson } from './unit-of-work';

const storeWith = async (docs: Array<{ _id: string } & Record<string, unknown>>): Promise<MemoryReadStore> => {
  const store = new MemoryReadStore();
  await store.commit('setup', docs.map((doc) => ({ op: 'put' as const, collection: 'c', doc })), 1n);
  return store;
};

describe('BatchUnitOfWork', () => {
  it('given a put document, when the projector keeps mutating its own object, then the batch keeps what was put', async () => {
    const uow = new BatchUnitOfWork(new MemoryReadStore());
    const doc = { _id: 'a', n: 1, lots: [{ q: 1 }] };
    uow.put('c', doc);
    doc.n = 2;
    doc.lots.push({ q: 9 });
    doc.lots[0]!.q = 5;
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1, lots: [{ q: 1 }] });
    expect(uow.writes()).toEqual([{ op: 'put', collection: 'c', doc: { _id: 'a', n: 1, lots: [{ q: 1 }] } }]);
  });

  it('given a document read twice, when the first copy has its top-level fields reassigned, then the second read is unchanged', async () => {
    const uow = new BatchUnitOfWork(await storeWith([{ _id: 'a', n: 1 }]));
    const first = await uow.get<{ _id: string; n: number }>('c', 'a');
    first!.n = 7;
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
  });

  it('given a read document, when the projector mutates a nested array in place, then it throws and the batch is unchanged', async () => {
    const uow = new BatchUnitOfWork(await storeWith([{ _id: 'a', lots: [{ q: 1 }] }]));
    const doc = await uow.get<{ _id: string; lots: Array<{ q: number }> }>('c', 'a');
    expect(() => doc!.lots.push({ q: 2 })).toThrow(TypeError);
    expect(() => { doc!.lots[0]!.q = 3; }).toThrow(TypeError);
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', lots: [{ q: 1 }] });
  });

  it('given a document with undefined fields, when put, then they are dropped as the store would drop them', async () => {
    const uow = new BatchUnitOfWork(new MemoryReadStore());
    uow.put('c', { _id: 'a', gone: undefined, nested: { gone: undefined, kept: 1 } });
    expect(Object.keys((await uow.get('c', 'a'))!)).toEqual(['_id', 'nested']);
    expect((await uow.get('c', 'a'))!.nested).toEqual({ kept: 1 });
  });

  it('given an absent document, when read twice and then put, then the store is asked once and the put wins', async () => {
    const store = new MemoryReadStore();
    let asked = 0;
    const get = store.get.bind(store);
    store.get = (async (c: string, id: string) => { asked += 1; return get(c, id); }) as typeof store.get;
    const uow = new BatchUnitOfWork(store);
    expect(await uow.get('c', 'x')).toBeUndefined();
    expect(await uow.get('c', 'x')).toBeUndefined();
    uow.put('c', { _id: 'x', n: 1 });
    expect(await uow.get('c', 'x')).toEqual({ _id: 'x', n: 1 });
    expect(asked).toBe(1);
  });
});

describe('frozenJson', () => {
  it('given a value with a frozen subtree, when snapshotted, then the subtree is shared and the rest copied and frozen', () => {
    const shared = frozenJson([{ q: 1 }]);
    const mine = { _id: 'a', lots: [...shared, { q: 2 }] };
    const snap = frozenJson(mine);
    expect(snap).not.toBe(mine);
    expect(Object.isFrozen(snap) && Object.isFrozen(snap.lots) && Object.isFrozen(snap.lots[1])).toBe(true);
    expect(snap.lots[0]).toBe(shared[0]);
    expect(Object.isFrozen(mine)).toBe(false);
  });
});

describe('RebuildUnitOfWork', () => {
  /** A store that records which documents were asked for. */
  const watched = async (docs: Array<{ _id: string } & Record<string, unknown>>, collection = 'c') => {
    const store = new MemoryReadStore();
    if (docs.length > 0) await store.commit('setup', docs.map((doc) => ({ op: 'put' as const, collection, doc })), 1n);
    const asked: string[] = [];
    const get = store.get.bind(store);
    store.get = (async (c: string, id: string) => {
      asked.push(`${c}/${id}`);
      return get(c, id);
    }) as typeof store.get;
    return { store, asked };
  };

  it('given owned collections just reset, when a document is missing, then the store is not asked', async () => {
    const { store, asked } = await watched([{ _id: 'x', n: 1 }], 'other');
    const uow = new RebuildUnitOfWork(store, ['c']);
    expect(await uow.get('c', 'a')).toBeUndefined();
    expect(await uow.get('other', 'x')).toEqual({ _id: 'x', n: 1 });
    expect(await uow.get('other', 'x')).toEqual({ _id: 'x', n: 1 });
    expect(asked).toEqual(['other/x']);
  });

  it('given documents put by many events, when flushed, then each is written once as last put, and emitted changes are not kept', async () => {
    const uow = new RebuildUnitOfWork(new MemoryReadStore(), ['c']);
    for (let n = 1; n <= 3; n++) {
      const doc = (await uow.get<{ _id: string; n: number }>('c', 'a')) ?? { _id: 'a', n: 0 };
      uow.put('c', { ...doc, n: doc.n + n });
      uow.emit({ kind: 'transfer', transferId: 't', status: 'created', fromLocationId: 'A', toLocationId: 'B', position: String(n) });
    }
    uow.put('c', { _id: 'b', n: 1 });
    uow.delete('c', 'b');
    expect(uow.pending).toBe(2);
    expect(uow.flush()).toEqual([
      { op: 'put', collection: 'c', doc: { _id: 'a', n: 6 } },
      { op: 'delete', collection: 'c', id: 'b' },
    ]);
    expect(uow.changes).toEqual([]);
    expect(uow.pending).toBe(0);
  });

  it('given a flush committed to the store, when a document is read again, then it comes from the store', async () => {
    const { store, asked } = await watched([]);
    const uow = new RebuildUnitOfWork(store, ['c']);
    uow.put('c', { _id: 'a', n: 1 });
    await store.commit('p', uow.flush(), 5n);
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
    expect(asked).toEqual(['c/a']);
  });

  it('given a flush, when an id it did not write is missed in a collection the projector reads, then the store is still not asked', async () => {
    const { store, asked } = await watched([]);
    const uow = new RebuildUnitOfWork(store, ['c', 'ledger']);
    expect(await uow.get('c', 'a')).toBeUndefined(); // read: its flushed ids are remembered
    uow.put('c', { _id: 'a', n: 1 });
    uow.put('ledger', { _id: 'row-1' }); // only ever written: its ids are not held
    await store.commit('p', uow.flush(), 5n);
    expect(await uow.get('c', 'never-written')).toBeUndefined();
    expect(asked).toEqual([]);
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1 }); // kept from the flush (below)
    expect(await uow.get('ledger', 'row-1')).toEqual({ _id: 'row-1' });
    expect(asked).toEqual(['ledger/row-1']);
  });

  it('given a flush, when a document of the chunk is read in the next one, then it comes back without a store read; one untouched for a whole chunk is read from the store', async () => {
    const { store, asked } = await watched([]);
    const uow = new RebuildUnitOfWork(store, ['c']);
    expect(await uow.get('c', 'a')).toBeUndefined();
    uow.put('c', { _id: 'a', n: 1 });
    uow.put('c', { _id: 'b', n: 1 });
    await store.commit('p', uow.flush(), 5n);
    expect(uow.sync.get('c', 'a')).toEqual({ _id: 'a', n: 1 }); // the sync view: no NotLoaded either
    await store.commit('p', uow.flush(), 6n); // 'b' was not touched in this chunk: forgotten
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
    expect(await uow.get('c', 'b')).toEqual({ _id: 'b', n: 1 });
    expect(asked).toEqual(['c/b']);
  });

  it('given kept documents of which fewer than a quarter came back, when flushing again, then that collection is no longer kept', async () => {
    const { store, asked } = await watched([]);
    const uow = new RebuildUnitOfWork(store, ['seen', 'c']);
    for (const id of ['s1', 's2', 's3', 's4', 's5']) {
      expect(await uow.get('seen', id)).toBeUndefined();
      uow.put('seen', { _id: id });
    }
    await store.commit('p', uow.flush(), 5n);
    expect(await uow.get('seen', 's1')).toEqual({ _id: 's1' }); // 1 of 5 came back
    uow.put('seen', { _id: 's6' });
    await store.commit('p', uow.flush(), 6n);
    expect(await uow.get('seen', 's6')).toEqual({ _id: 's6' });
    expect(asked).toEqual(['seen/s6']);
  });

  it('given a collection no longer kept, when a quarter of a chunk\'s documents of it are read back from the store, then it is kept again', async () => {
    const { store, asked } = await watched([]);
    const uow = new RebuildUnitOfWork(store, ['day']);
    for (const id of ['d1', 'd2', 'd3', 'd4', 'd5']) uow.put('day', { _id: id }); // read: known absent
    expect(await uow.get('day', 'd0')).toBeUndefined();
    await store.commit('p', uow.flush(), 1n);
    uow.put('day', { _id: 'e1' }); // none came back: no longer kept
    await store.commit('p', uow.flush(), 2n);
    expect(await uow.get('day', 'e1')).toEqual({ _id: 'e1' }); // read back from the store (1 of 1)
    await store.commit('p', uow.flush(), 3n);
    expect(await uow.get('day', 'e1')).toEqual({ _id: 'e1' }); // kept again: no store read
    expect(asked).toEqual(['day/e1']);
  });

  it('given documents read and put, when their top-level fields are reassigned afterwards, then the pass keeps what was put', async () => {
    const uow = new RebuildUnitOfWork(new MemoryReadStore(), ['c']);
    const mine = { _id: 'a', n: 1 };
    uow.put('c', mine);
    mine.n = 2;
    const read = await uow.get<{ _id: string; n: number }>('c', 'a');
    read!.n = 3;
    expect(await uow.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
  });
});
