/**
 * The one contract every ReadStore adapter passes (STYLE.md #4). Call it from a spec file:
 * `readStoreContract('sqlite', async () => new SqliteReadStore({ path: ':memory:' }))`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointConflictError, InvalidQueryError, type Doc, type DocWrite, type Query, type ReadStore } from './port';

const put = (collection: string, doc: Doc): DocWrite => ({ op: 'put', collection, doc });
const ids = (docs: readonly Doc[]) => docs.map((d) => d._id);

export function readStoreContract(name: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('given a fresh store', () => {
      it('then checkpoints start at zero and collections are empty', async () => {
        expect(await store.checkpoint('p')).toBe(0n);
        expect(await store.get('balances', 'x')).toBeUndefined();
        expect(await store.find('balances')).toEqual([]);
        expect(await store.count('balances')).toBe(0);
        expect((await store.getMany('balances', ['x'])).size).toBe(0);
      });
    });

    describe('when a batch is committed', () => {
      it('then documents and checkpoint move together', async () => {
        await store.commit('p', [put('balances', { _id: 'a', onHand: 3 }), put('balances', { _id: 'b', onHand: 4 })], 7n);
        expect(await store.checkpoint('p')).toBe(7n);
        expect(await store.checkpoint('other')).toBe(0n);
        expect(await store.get('balances', 'a')).toEqual({ _id: 'a', onHand: 3 });
        const many = await store.getMany('balances', ['a', 'b', 'zz']);
        expect([...many.keys()].sort()).toEqual(['a', 'b']);
        expect(many.get('b')).toEqual({ _id: 'b', onHand: 4 });
      });

      it('then a put replaces the whole document and a delete removes it', async () => {
        await store.commit('p', [put('c', { _id: 'a', x: 1, y: 2 }), put('c', { _id: 'b', x: 1 })], 1n);
        await store.commit('p', [put('c', { _id: 'a', x: 5 }), { op: 'delete', collection: 'c', id: 'b' }], 2n);
        expect(await store.get('c', 'a')).toEqual({ _id: 'a', x: 5 });
        expect(await store.get('c', 'b')).toBeUndefined();
      });

      it('then positions beyond 2^53 are kept exactly', async () => {
        const big = 2n ** 64n + 1n;
        await store.commit('p', [], big);
        expect(await store.checkpoint('p')).toBe(big);
      });

      it('then nested values and strings that look like operators come back as they were', async () => {
        const doc = { _id: 'n', lines: [{ sku: 'A', q: 1 }], meta: { a: null, b: true }, text: '{"$ne":null}', id: '98765432109876543210' };
        await store.commit('p', [put('c', doc)], 1n);
        expect(await store.get('c', 'n')).toEqual(doc);
      });
    });

    describe('when several projections commit together (optional commitAll)', () => {
      it('then every batch lands with its own checkpoint, two batches of one projection in order', async (ctx) => {
        if (!store.commitAll) return ctx.skip();
        await store.commit('q', [put('q', { _id: 'old', v: 0 })], 2n);
        await store.commitAll([
          { projection: 'p', writes: [put('c', { _id: 'a', v: 1 }), put('c', { _id: 'b', v: 1 })], position: 5n },
          { projection: 'q', writes: [put('q', { _id: 'old', v: 3 }), { op: 'delete', collection: 'q', id: 'gone' }], position: 6n },
          { projection: 'p', writes: [put('c', { _id: 'a', v: 2 })], position: 7n },
        ]);
        expect(await store.checkpoint('p')).toBe(7n);
        expect(await store.checkpoint('q')).toBe(6n);
        expect(await store.get('c', 'a')).toEqual({ _id: 'a', v: 2 });
        expect(await store.get('c', 'b')).toEqual({ _id: 'b', v: 1 });
        expect(await store.get('q', 'old')).toEqual({ _id: 'old', v: 3 });
      });

      it('then one batch at or before its checkpoint refuses them all and nothing of any is written', async (ctx) => {
        if (!store.commitAll) return ctx.skip();
        await store.commit('q', [put('q', { _id: 'x', v: 0 })], 9n);
        const all = store.commitAll([
          { projection: 'p', writes: [put('c', { _id: 'a', v: 1 })], position: 5n },
          { projection: 'q', writes: [put('q', { _id: 'x', v: 1 })], position: 9n },
        ]);
        await expect(all).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await store.checkpoint('p')).toBe(0n);
        expect(await store.checkpoint('q')).toBe(9n);
        expect(await store.get('c', 'a')).toBeUndefined();
        expect(await store.get('q', 'x')).toEqual({ _id: 'x', v: 0 });
      });

      it('then a bad write in one batch leaves every batch unwritten', async (ctx) => {
        if (!store.commitAll) return ctx.skip();
        const all = store.commitAll([
          { projection: 'p', writes: [put('c', { _id: 'a', v: 1 })], position: 5n },
          { projection: 'q', writes: [put('bad name', { _id: 'x' })], position: 6n },
        ]);
        await expect(all).rejects.toThrow();
        expect(await store.checkpoint('p')).toBe(0n);
        expect(await store.get('c', 'a')).toBeUndefined();
      });
    });

    describe('when the checkpoints of several projections are read at once (optional checkpoints)', () => {
      it('then each answers as checkpoint() would, 0n for one never committed', async (ctx) => {
        if (!store.checkpoints) return ctx.skip();
        await store.commit('p', [], 4n);
        await store.commit('q', [], 2n ** 64n);
        const read = await store.checkpoints(['q', 'never', 'p']);
        expect([...read]).toEqual([['q', 2n ** 64n], ['never', 0n], ['p', 4n]]);
      });
    });

    describe('when a commit would re-apply or go back', () => {
      it('then it is refused and nothing is written', async () => {
        await store.commit('p', [put('c', { _id: 'a', v: 1 })], 10n);
        await expect(store.commit('p', [put('c', { _id: 'a', v: 2 })], 10n)).rejects.toBeInstanceOf(CheckpointConflictError);
        await expect(store.commit('p', [put('c', { _id: 'b', v: 2 })], 3n)).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await store.get('c', 'a')).toEqual({ _id: 'a', v: 1 });
        expect(await store.get('c', 'b')).toBeUndefined();
        expect(await store.checkpoint('p')).toBe(10n);
      });

      it('then a write with a bad collection name leaves everything untouched', async () => {
        await expect(store.commit('p', [put('c', { _id: 'a' }), put('bad name', { _id: 'b' })], 1n)).rejects.toThrow();
        expect(await store.get('c', 'a')).toBeUndefined();
        expect(await store.checkpoint('p')).toBe(0n);
      });
    });

    describe('given documents of mixed types', () => {
      const docs: Doc[] = [
        { _id: 'd1', loc: 'L1', sku: 'A', pos: 3, tag: 'x' },
        { _id: 'd2', loc: 'L1', sku: 'A', pos: 10, tag: 'y' },
        { _id: 'd3', loc: 'L1', sku: 'B', pos: 2.5 },
        { _id: 'd4', loc: 'L2', sku: 'A', pos: '7', tag: null },
        { _id: 'd5', loc: 'L2', sku: 'A', pos: null, flag: true },
        { _id: 'd6', loc: 'L2', sku: 'B', pos: -1, flag: false },
        { _id: 'd7', loc: 'L3', sku: 'Ä', pos: 'abc' },
      ];
      beforeEach(async () => {
        await store.ensureIndexes([{ collection: 'ledger', fields: ['loc', 'sku', 'pos'] }]);
        await store.commit('p', docs.map((d) => put('ledger', d)), 1n);
      });
      const find = async (query: Query) => ids(await store.find('ledger', query));

      it('then equality is exact per type and ANDed', async () => {
        expect(await find({ where: { loc: 'L1', sku: 'A' }, orderBy: [['pos', 'asc']] })).toEqual(['d1', 'd2']);
        expect(await find({ where: { pos: 3 } })).toEqual(['d1']);
        expect(await find({ where: { pos: '3' } })).toEqual([]);
        expect(await find({ where: { flag: true } })).toEqual(['d5']);
        expect(await find({ where: { flag: 1 } })).toEqual([]);
        expect(await find({ where: { tag: null } })).toEqual(['d3', 'd4', 'd5', 'd6', 'd7']);
        expect(await find({ where: { _id: 'd3' } })).toEqual(['d3']);
      });

      it('then ranges match values of their own type only', async () => {
        expect(await find({ where: { pos: { gt: 2.5 } }, orderBy: [['pos', 'asc']] })).toEqual(['d1', 'd2']);
        expect(await find({ where: { pos: { gte: 2.5, lt: 10 } }, orderBy: [['pos', 'asc']] })).toEqual(['d3', 'd1']);
        expect(await find({ where: { pos: { gte: '' } }, orderBy: [['pos', 'asc']] })).toEqual(['d4', 'd7']);
        expect(await find({ where: { _id: { gt: 'd5' } } })).toEqual(['d6', 'd7']);
        expect(await find({ where: { loc: 'L1', sku: 'A', pos: { lte: 3 } } })).toEqual(['d1']);
      });

      it('then in matches any listed value, typed', async () => {
        expect(await find({ where: { pos: { in: [3, '7', null, 99] } } })).toEqual(['d1', 'd4', 'd5']);
        expect(await find({ where: { pos: { in: [] } } })).toEqual([]);
        expect(await find({ where: { flag: { in: [false] } } })).toEqual(['d6']);
      });

      it('then ordering of mixed types is total and deterministic: null < numbers < strings < booleans', async () => {
        expect(await find({ orderBy: [['pos', 'asc']] })).toEqual(['d5', 'd6', 'd3', 'd1', 'd2', 'd4', 'd7']);
        expect(await find({ orderBy: [['pos', 'desc']] })).toEqual(['d7', 'd4', 'd2', 'd1', 'd3', 'd6', 'd5']);
        expect(await find({ orderBy: [['flag', 'asc']] })).toEqual(['d1', 'd2', 'd3', 'd4', 'd7', 'd6', 'd5']);
        expect(await find({ orderBy: [['loc', 'desc'], ['sku', 'asc']] })).toEqual(['d7', 'd4', 'd5', 'd6', 'd1', 'd2', 'd3']);
      });

      it('then limit and count apply after filtering', async () => {
        expect(await find({ where: { loc: 'L2' }, orderBy: [['_id', 'desc']], limit: 2 })).toEqual(['d6', 'd5']);
        expect(await find({ limit: 0 })).toEqual([]);
        expect(await store.count('ledger')).toBe(7);
        expect(await store.count('ledger', { where: { sku: 'A' } })).toBe(4);
        expect(await store.count('ledger', { where: { sku: 'A' }, limit: 2 })).toBe(2);
      });

      it('then operator-looking user input is only ever a value, and structures are refused', async () => {
        expect(await find({ where: { loc: '{"$ne":null}' } })).toEqual([]);
        expect(await find({ where: { loc: "L1' OR '1'='1" } })).toEqual([]);
        const hostile = [
          { where: { loc: { $ne: null } } },
          { where: { loc: { eq: { $gt: '' } } } },
          { where: { loc: ['L1'] } },
          { where: { 'loc; DROP TABLE x': 'L1' } },
          { where: { 'a.b': 1 } },
          { where: { pos: { gt: true } } },
          { where: { pos: { in: [{ $gt: 0 }] } } },
          { orderBy: [['pos', 'sideways']] },
          { limit: -1 },
        ] as unknown as Query[];
        for (const query of hostile) await expect(store.find('ledger', query), JSON.stringify(query)).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find('bad-name')).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await store.count('ledger')).toBe(7);
      });
    });

    describe('when indexes come after the documents, or are declared before a bulk load', () => {
      const many: Doc[] = Array.from({ length: 150 }, (_, i) => ({
        _id: `r${String(i).padStart(3, '0')}`, loc: `L${i % 3}`, n: i % 7 === 0 ? String(i) : i, on: i % 2 === 0,
      }));
      const queries: Query[] = [
        { where: { loc: 'L1' }, orderBy: [['n', 'desc']], limit: 5 },
        { where: { n: { gte: 100 } }, orderBy: [['n', 'asc']] },
        { where: { n: { in: ['14', 15] } } },
        { where: { on: false, loc: 'L2' }, orderBy: [['_id', 'asc']], limit: 3 },
        { orderBy: [['n', 'desc'], ['loc', 'asc']], limit: 12 },
      ];
      const answers = async () => Promise.all(queries.map(async (q) => ids(await store.find('rows', q))));
      // The same queries over the same documents with no index at all: what every layout must answer.
      const unindexed = async () => {
        await store.commit('ref', many.map((d) => put('plain', d)), 1n);
        return Promise.all(queries.map(async (q) => ids(await store.find('plain', q))));
      };

      it('then an index built over stored documents answers as the unindexed collection does', async () => {
        const expected = await unindexed();
        // More than one multi-row statement's worth of puts, with a delete and a re-put between.
        await store.commit('p', [...many.slice(0, 100).map((d) => put('rows', d)), { op: 'delete', collection: 'rows', id: 'r003' }, put('rows', many[3]!), ...many.slice(100).map((d) => put('rows', d))], 1n);
        await store.ensureIndexes([{ collection: 'rows', fields: ['loc', 'n'] }, { collection: 'rows', fields: ['on'] }]);
        expect(await answers()).toEqual(expected);
        await store.commit('p', [put('rows', { _id: 'r001', loc: 'L1', n: 1000, on: true })], 2n);
        expect(ids(await store.find('rows', { where: { loc: 'L1', n: { gt: 148 } } }))).toEqual(['r001']);
        expect(ids(await store.find('rows', { where: { loc: 'L0', n: { gt: 148 } } }))).toEqual([]);
      });

      it('then an index on a field name too long for typed columns (PostgreSQL) is built and answers the same', async () => {
        const long = `f${'x'.repeat(59)}`; // 60 characters: within the name rules, past PostgreSQL's columns
        const docs = many.map((d) => ({ _id: d._id, [long]: d.n }));
        const query: Query = { where: { [long]: { gte: 100 } }, orderBy: [[long, 'asc']] };
        await store.commit('ref', docs.map((d) => put('plain', d)), 1n);
        const expected = ids(await store.find('plain', query));
        await store.commit('p', docs.map((d) => put('rows', d)), 1n);
        await store.ensureIndexes([{ collection: 'rows', fields: [long] }]);
        expect(ids(await store.find('rows', query))).toEqual(expected);
        expect(expected.length).toBeGreaterThan(0);
      });

      it('then indexes declared before a load and built after it answer the same', async () => {
        const expected = await unindexed();
        const indexes = [{ collection: 'rows', fields: ['loc', 'n'] }, { collection: 'rows', fields: ['on'] }];
        await store.reset('p', ['rows']);
        await store.declareIndexes?.(indexes);
        await store.commit('p', many.slice(0, 70).map((d) => put('rows', d)), 1n);
        await store.commit('p', many.slice(70).map((d) => put('rows', d)), 2n);
        expect(await answers()).toEqual(expected);
        await store.ensureIndexes(indexes);
        await store.finishBulkLoad?.();
        expect(await answers()).toEqual(expected);
      });
    });

    describe('when a projection is reset', () => {
      it('then its collections and checkpoint are gone, others stay, and indexes still work', async () => {
        await store.ensureIndexes([{ collection: 'a', fields: ['k'] }]);
        await store.commit('p', [put('a', { _id: '1', k: 1 })], 5n);
        await store.commit('q', [put('b', { _id: '1', k: 1 })], 6n);
        await store.reset('p', ['a']);
        expect(await store.checkpoint('p')).toBe(0n);
        expect(await store.find('a')).toEqual([]);
        expect(await store.checkpoint('q')).toBe(6n);
        expect(await store.get('b', '1')).toEqual({ _id: '1', k: 1 });
        await store.commit('p', [put('a', { _id: '2', k: 2 })], 1n);
        expect(ids(await store.find('a', { where: { k: 2 } }))).toEqual(['2']);
      });
    });
  });
}
