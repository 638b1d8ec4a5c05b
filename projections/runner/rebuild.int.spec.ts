import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../write-side/eventstore/sqlite-event-store';
import { MemoryReadStore } from '../readstore/memory-read-store';
import { SqliteReadStore } from '../readstore/sqlite-read-store';
import { ProjectionRunner } from './projection-runner';
import { rebuildAndCompare } from './rebuild';
import { countingProjection } from './testing/counting-projection';
import { writeStockEvents } from './testing/stock-events';

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
});
