import { describe, expect, it } from 'vitest';
import { MemoryReadStore } from '../readstore/memory-read-store';
import { CheckpointConflictError, type DocWrite, type ProjectionBatch, type ReadStore } from '../readstore/port';
import { groupCommitter } from './group-commit';

const put = (collection: string, _id: string, v: number): DocWrite => ({ op: 'put', collection, doc: { _id, v } });

/** The store's transactions as they reach it: each `commit` or `commitAll`, with the projections in it. */
function recorded(store: ReadStore, withCommitAll = true): { store: ReadStore; transactions: string[][] } {
  const transactions: string[][] = [];
  const wrapped = Object.create(store) as ReadStore;
  Object.assign(wrapped, {
    commit: (...args: Parameters<ReadStore['commit']>) => {
      transactions.push([args[0]]);
      return store.commit(...args);
    },
    commitAll: withCommitAll
      ? (batches: readonly ProjectionBatch[]) => {
        transactions.push(batches.map((b) => b.projection));
        return store.commitAll!(batches);
      }
      : undefined,
  });
  return { store: wrapped, transactions };
}

describe('group commit of the runner', () => {
  it('given batches handed over in one turn, then they are committed in one transaction, each with its checkpoint', async () => {
    const memory = new MemoryReadStore();
    const { store, transactions } = recorded(memory);
    const committer = groupCommitter(store);
    await Promise.all([
      committer.commit({ projection: 'a', writes: [put('ca', '1', 1)], position: 3n }, undefined),
      committer.commit({ projection: 'b', writes: [put('cb', '1', 2)], position: 4n }, undefined),
    ]);
    await committer.commit({ projection: 'a', writes: [put('ca', '1', 5)], position: 5n }, undefined);
    expect(transactions).toEqual([['a', 'b'], ['a']]);
    expect(await memory.checkpoint('a')).toBe(5n);
    expect(await memory.checkpoint('b')).toBe(4n);
    expect(await memory.get('ca', '1')).toEqual({ _id: '1', v: 5 });
  });

  it('given a group one batch of which is refused, then the others commit alone and only that one fails', async () => {
    const memory = new MemoryReadStore();
    await memory.commit('b', [put('cb', '1', 0)], 9n);
    const { store, transactions } = recorded(memory);
    const committer = groupCommitter(store);
    const [a, b, c] = await Promise.allSettled([
      committer.commit({ projection: 'a', writes: [put('ca', '1', 1)], position: 9n }, undefined),
      committer.commit({ projection: 'b', writes: [put('cb', '1', 1)], position: 9n }, undefined), // a replay
      committer.commit({ projection: 'c', writes: [put('cc', '1', 1)], position: 9n }, undefined),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && b.reason).toBeInstanceOf(CheckpointConflictError);
    expect(c.status).toBe('fulfilled');
    expect(transactions).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
    expect(await memory.get('cb', '1')).toEqual({ _id: '1', v: 0 });
    expect(await memory.get('cc', '1')).toEqual({ _id: '1', v: 1 });
  });

  it('given a store without commitAll, then each batch is its own commit', async () => {
    const memory = new MemoryReadStore();
    const { store, transactions } = recorded(memory, false);
    const committer = groupCommitter(store);
    await Promise.all([
      committer.commit({ projection: 'a', writes: [], position: 1n }, undefined),
      committer.commit({ projection: 'b', writes: [], position: 1n }, undefined),
    ]);
    expect(transactions).toEqual([['a'], ['b']]);
  });

  it('given batches under different fences in one turn, then each fence gets its own transaction', async () => {
    const calls: Array<{ projections: string[]; token: bigint | undefined }> = [];
    const store = Object.assign(Object.create(new MemoryReadStore()) as ReadStore, {
      commitAll: async (batches: readonly ProjectionBatch[], fence?: { token: bigint }) => {
        calls.push({ projections: batches.map((b) => b.projection), token: fence?.token });
      },
    });
    const committer = groupCommitter(store);
    await Promise.all([
      committer.commit({ projection: 'a', writes: [], position: 1n }, { name: 'projector', token: 1n }),
      committer.commit({ projection: 'b', writes: [], position: 1n }, { name: 'projector', token: 1n }),
      committer.commit({ projection: 'c', writes: [], position: 1n }, { name: 'projector', token: 2n }),
    ]);
    expect(calls).toEqual([{ projections: ['a', 'b'], token: 1n }, { projections: ['c'], token: 2n }]);
  });
});
