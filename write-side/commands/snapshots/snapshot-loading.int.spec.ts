/**
 * The command service over snapshots: a cold service (a restart) starts a location from its
 * snapshot and reads only the tail; a snapshot the log does not confirm is ignored; a repeat
 * older than the dedupe window is answered as a duplicate by the store's deterministic ids.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '../../eventstore/sqlite-event-store';
import { createStockCommands } from '../service';
import type { CommandContext } from '../types';
import { MemorySnapshotStore } from './memory-snapshot-store';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const ctx = (ms = T0): CommandContext => ({ actor: { kind: 'system', id: 'test' }, source: 'test', correlationId: 'c', now: new Date(ms) });
const line = [{ sku: 'X', quantity: 1 }];

let store: SqliteEventStore;
let snapshots: MemorySnapshotStore;
beforeEach(async () => {
  store = new SqliteEventStore({ path: ':memory:' });
  snapshots = new MemorySnapshotStore();
  const seed = createStockCommands(store);
  await seed.registerLocation({ id: 'A', name: 'Shop A', type: 'store' }, ctx());
  await seed.registerProduct({ sku: 'X', name: 'X' }, ctx());
});
afterEach(async () => {
  await store.close();
});

async function sell(service: ReturnType<typeof createStockCommands>, n: number, from = 0) {
  for (let i = from; i < from + n; i += 1) await service.recordSale({ locationId: 'A', saleId: `s${i}`, lines: line }, ctx(T0 + i * 60_000));
}

describe('loading a location from its snapshot', () => {
  it('given 250 sales snapshotted every 100, when a fresh service decides, then it reads only the events after the snapshot', async () => {
    await sell(createStockCommands(store, { snapshots, snapshotEvery: 100 }), 250);
    const snapshot = await snapshots.load('location-A');
    expect(snapshot?.revision).toBe(199n); // revisions 99 and 199 (0 is the registration)

    const reads = vi.spyOn(store, 'readStream');
    const cold = createStockCommands(store, { snapshots, snapshotEvery: 100 });
    expect(await cold.onHand('A', 'X')).toBe(-250);
    const fromRevisions = reads.mock.calls.filter(([id]) => id === 'location-A').map(([, o]) => o?.fromRevision);
    expect(fromRevisions).toEqual([199n, 200n]); // the check of the snapshot's event, then the tail
    // A repeat of a sale folded from the snapshot is still recognised; a new one is not.
    expect((await cold.recordSale({ locationId: 'A', saleId: 's10', lines: line }, ctx())).duplicate).toBe(true);
    expect((await cold.recordSale({ locationId: 'A', saleId: 'new', lines: line }, ctx())).duplicate).toBe(false);
    expect(await cold.onHand('A', 'X')).toBe(-251);
  });

  it('given a snapshot the log does not confirm (another log), when a service loads, then it replays the stream instead', async () => {
    await snapshots.save({ streamId: 'location-A', version: 1, revision: 0n, position: 999n, state: { bogus: true } });
    const service = createStockCommands(store, { snapshots });
    await sell(service, 3);
    expect(await service.onHand('A', 'X')).toBe(-3);
  });
});

describe('a repeat older than the dedupe window', () => {
  it('given a sale and 31 days of later sales, when the POS redelivers it, then it answers duplicate and appends nothing', async () => {
    const service = createStockCommands(store, { snapshots });
    const pos = { connectionId: 'c1', kind: 'generic', eventId: 'e1' } as const;
    const first = await service.recordSale({ locationId: 'A', pos, occurredAt: new Date(T0).toISOString(), lines: line }, ctx());
    await service.recordSale({ locationId: 'A', saleId: 'later', lines: line }, ctx(T0 + 31 * DAY));
    const head = await store.headPosition();

    for (const svc of [service, createStockCommands(store, { snapshots })]) { // warm and cold
      const again = await svc.recordSale({ locationId: 'A', pos, occurredAt: new Date(T0).toISOString(), lines: line }, ctx(T0 + 32 * DAY));
      expect(again.duplicate).toBe(true);
      expect(again.position >= first.position).toBe(true);
    }
    expect(await store.headPosition()).toBe(head);
    expect(await service.onHand('A', 'X')).toBe(-2);
  });
});
