import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { MemoryReadStore } from '../readstore/memory-read-store';
import { SqliteReadStore } from '../readstore/sqlite-read-store';
import { ProjectionRunner } from './projection-runner';
import { rebuildAndCompare } from './rebuild';
import { projections as readModels } from '../models/index';
import { testMetadata } from '../models/testing/project';
import { stockOp as op, stockOpsToEvents as toEvents } from '../models/testing/stock-ops';
import { countingProjection, expectedCounts } from './testing/counting-projection';
import { stockEvent, writeStockEvents } from './testing/stock-events';

describe('rebuildAndCompare', () => {
  const toClose: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const c of toClose.splice(0).reverse()) await c.close();
  });

  /** A log of 30 events projected live (small batches), then 5 more events the live store has not seen. */
  const liveSetup = async () => {
    const eventStore = new SqliteEventStore({ path: ':memory:' });
    const live = new SqliteReadStore({ path: ':memory:' });
    const fresh = new SqliteReadStore({ path: ':memory:' });
    toClose.push(eventStore, live, fresh);
    const projections = [countingProjection(), countingProjection({ name: 'other', prefix: 'o_' })];
    await writeStockEvents(eventStore, { count: 30, locations: 2, skus: 4 }, 10);
    const runner = new ProjectionRunner({ eventStore, readStore: live, projections, catchUpPageSize: 7, log: () => {} });
    await runner.start();
    expect(await runner.waitForPosition(30n)).toBe(true);
    await runner.stop();
    await writeStockEvents(eventStore, { count: 5 }, 5);
    return { eventStore, live, fresh, projections };
  };

  it('given live models built in other batches, when rebuilt up to their checkpoint, then they are identical', async () => {
    const setup = await liveSetup();
    const report = await rebuildAndCompare({ ...setup, pageSize: 4 });
    expect(report.differences).toEqual([]);
    expect(report.differenceCount).toBe(0);
    expect(report.events).toBe(30);
    expect(report.positions).toEqual({ counting: '30', other: '30' });
    expect(await setup.fresh.checkpoint('counting')).toBe(30n);
  });

  it('given a rebuild written out in several chunks, then it is identical and counts every event once', async () => {
    const setup = await liveSetup();
    const report = await rebuildAndCompare({ ...setup, pageSize: 4, chunkEvents: 8 });
    expect(report.differences).toEqual([]);
    expect(report.events).toBe(30);
    const plan = { count: 30, locations: 2, skus: 4 };
    const expected = expectedCounts(Array.from({ length: 30 }, (_, i) => stockEvent(i, plan).event));
    const counts = await setup.fresh.find('counts');
    expect(new Map(counts.map((d) => [d._id, d.onHand]))).toEqual(expected);
    expect(await setup.fresh.get('count_totals', 'all')).toMatchObject({ events: 30 });
  });

  it('given projections with different checkpoints, then each is rebuilt up to its own', async () => {
    const eventStore = new SqliteEventStore({ path: ':memory:' });
    const live = new SqliteReadStore({ path: ':memory:' });
    const fresh = new SqliteReadStore({ path: ':memory:' });
    toClose.push(eventStore, live, fresh);
    const [early, late] = [countingProjection({ name: 'early', prefix: 'e_' }), countingProjection({ name: 'late' })];
    await writeStockEvents(eventStore, { count: 12, locations: 2, skus: 3 }, 12);
    const first = new ProjectionRunner({ eventStore, readStore: live, projections: [early!, late!], log: () => {} });
    await first.start();
    expect(await first.waitForPosition(12n)).toBe(true);
    await first.stop();
    await writeStockEvents(eventStore, { count: 20, locations: 2, skus: 3 }, 20);
    const second = new ProjectionRunner({ eventStore, readStore: live, projections: [late!], log: () => {} });
    await second.start();
    expect(await second.waitForPosition(32n)).toBe(true);
    await second.stop();
    const report = await rebuildAndCompare({ eventStore, live, fresh, projections: [early!, late!], pageSize: 5, chunkEvents: 10 });
    expect(report.differences).toEqual([]);
    expect(report.positions).toEqual({ early: '12', late: '32' });
    expect(await fresh.get('e_count_totals', 'all')).toMatchObject({ events: 12 });
    expect(await fresh.get('count_totals', 'all')).toMatchObject({ events: 32 });
  });

  it.each([{ chunkEvents: undefined }, { chunkEvents: 37 }])(
    'given the real read models projected live in small batches, when rebuilt ($chunkEvents per chunk), then they are identical',
    async ({ chunkEvents }) => {
      const eventStore = new SqliteEventStore({ path: ':memory:' });
      const live = new SqliteReadStore({ path: ':memory:' });
      const fresh = new SqliteReadStore({ path: ':memory:' });
      toClose.push(eventStore, live, fresh);
      await writeStockEvents(eventStore, { count: 240, locations: 3, skus: 5 }, 40);
      const runner = new ProjectionRunner({ eventStore, readStore: live, projections: readModels, catchUpPageSize: 13, log: () => {} });
      await runner.start();
      expect(await runner.waitForPosition(240n)).toBe(true);
      await runner.stop();
      const report = await rebuildAndCompare({ eventStore, live, fresh, projections: readModels, pageSize: 50, ...(chunkEvents ? { chunkEvents } : {}) });
      expect(report.differences).toEqual([]);
      expect(report.events).toBe(240);
      expect(await fresh.count('stock')).toBe(15);
    },
  );

  it('given a tampered, a missing and an extra live document, then each is reported', async () => {
    const setup = await liveSetup();
    const [victim, gone] = await setup.live.find('counts', { limit: 2 });
    await setup.live.commit('tamper', [
      { op: 'put', collection: 'counts', doc: { ...victim!, onHand: 999 } },
      { op: 'delete', collection: 'counts', id: gone!._id },
      { op: 'put', collection: 'o_counts', doc: { _id: 'zzz', onHand: 1 } },
    ], 1n);
    const report = await rebuildAndCompare({ ...setup, live: setup.live, fresh: new MemoryReadStore() });
    expect(report.differenceCount).toBe(3);
    expect(report.differences.map((d) => [d.projection, d.collection, d.id, d.kind])).toEqual([
      ['counting', 'counts', gone!._id, 'missing_in_live'],
      ['counting', 'counts', victim!._id, 'different'],
      ['other', 'o_counts', 'zzz', 'missing_in_fresh'],
    ].sort((a, b) => (a[2]! < b[2]! ? -1 : 1)).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)));
    expect(report.differences.find((d) => d.kind === 'different')).toMatchObject({ live: { onHand: 999 } });
  });

  it('given any mix of stock events projected live in any batch size (bulk catch-up or paged), when rebuilt in any chunk size, then the read models are identical', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(op, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }),
      fc.option(fc.record({ chunkEvents: fc.integer({ min: 1, max: 40 }), before: fc.nat() }), { nil: undefined }),
      async (ops, batch, chunkEvents, bulk) => {
        const eventStore = new SqliteEventStore({ path: ':memory:' });
        const live = new SqliteReadStore({ path: ':memory:' });
        const fresh = new SqliteReadStore({ path: ':memory:' });
        try {
          const events = toEvents(ops).map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: testMetadata }));
          // With the bulk catch-up: some events are folded on the first start, the rest arrive live.
          const before = bulk ? bulk.before % (events.length + 1) : events.length;
          if (before > 0) await eventStore.append('mixed', events.slice(0, before), 'any');
          const runner = new ProjectionRunner({
            eventStore, readStore: live, projections: readModels, catchUpPageSize: batch, log: () => {},
            bulkCatchUp: bulk ? { minEvents: 1, pageSize: batch, chunkEvents: bulk.chunkEvents } : false,
          });
          await runner.start();
          if (before < events.length) await eventStore.append('mixed', events.slice(before), 'any');
          expect(await runner.waitForPosition(BigInt(events.length))).toBe(true);
          await runner.stop();
          const report = await rebuildAndCompare({ eventStore, live, fresh, projections: readModels, pageSize: 7, chunkEvents });
          expect(report.differences).toEqual([]);
          expect(report.events).toBe(events.length);
        } finally {
          await fresh.close();
          await live.close();
          await eventStore.close();
        }
      },
    ), { numRuns: 25 });
  });

  it.each([{ chunkEvents: 1 }, { chunkEvents: 37 }, { chunkEvents: 1000 }])(
    'given the real read models caught up by the bulk fold ($chunkEvents per chunk) then live, when rebuilt, then they are identical',
    async ({ chunkEvents }) => {
      const eventStore = new SqliteEventStore({ path: ':memory:' });
      const live = new SqliteReadStore({ path: ':memory:' });
      const fresh = new SqliteReadStore({ path: ':memory:' });
      toClose.push(eventStore, live, fresh);
      await writeStockEvents(eventStore, { count: 200, locations: 3, skus: 5 }, 40);
      const runner = new ProjectionRunner({
        eventStore, readStore: live, projections: readModels, log: () => {}, bulkCatchUp: { minEvents: 1, pageSize: 23, chunkEvents },
      });
      await runner.start();
      await writeStockEvents(eventStore, { count: 40, locations: 3, skus: 5 }, 8);
      expect(await runner.waitForPosition(240n)).toBe(true);
      await runner.stop();
      const report = await rebuildAndCompare({ eventStore, live, fresh, projections: readModels, pageSize: 50 });
      expect(report.differences).toEqual([]);
      expect(report.events).toBe(240);
    },
  );
});
