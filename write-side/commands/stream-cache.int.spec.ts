import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../schemas/types';
import { dropSchemaOnClose, freshSchema, reportPostgresSkip, testDatabaseUrl } from '../../storage/testing/postgres-test';
import type { EventStore, EventToAppend } from '../eventstore/port';
import { PostgresEventStore } from '../eventstore/postgres-event-store';
import { SqliteEventStore } from '../eventstore/sqlite-event-store';
import { StreamCache, type StreamKind } from './stream-cache';

/** A state that remembers every sale folded in, in order (so a double fold shows). */
const salesKind: StreamKind<string[]> = {
  initial: () => [],
  evolve: (state, event) => [...state, (event.data as { saleId: string }).saleId],
};
const sale = (saleId: string): DomainEvent => ({
  type: 'StockSold',
  data: { locationId: 'A', saleId, occurredAt: '2025-03-01T09:00:00.000Z', lines: [{ sku: 'X', quantity: 1 }] },
} as unknown as DomainEvent);
const toAppend = (e: DomainEvent): EventToAppend => ({
  id: `id-${(e.data as { saleId: string }).saleId}`, type: e.type, data: e.data as Record<string, unknown>,
  metadata: { actor: { kind: 'system', id: 'test' }, source: 'test', correlationId: 'c' },
});

reportPostgresSkip('stream cache on the PostgreSQL event store');

/** The same specifications on every store whose append answers the cache folds from. */
const stores: Array<[string, (() => Promise<EventStore>) | undefined]> = [
  ['embedded', async () => new SqliteEventStore({ path: ':memory:' })],
  ['postgres', testDatabaseUrl ? async () => {
    const schema = freshSchema();
    return dropSchemaOnClose(await PostgresEventStore.open({ url: testDatabaseUrl!, schema }), schema);
  } : undefined],
];

describe.each(stores)('the stream cache, advanced from an append answer (%s)', (_name, open) => {
  let store: EventStore;
  beforeEach(async (context) => {
    if (!open) return context.skip();
    store = await open();
  });
  afterEach(async () => {
    await store?.close();
  });

  it('given a cached stream, when our append follows it directly, then the events are folded without reading back', async () => {
    const cache = new StreamCache(store, 10);
    await store.append('location-A', [toAppend(sale('s1'))], 'any');
    const entry = await cache.load('location-A', salesKind);
    const events = [sale('s2'), sale('s3')];
    const result = await store.append('location-A', events.map(toAppend), entry.revision);
    const reads = vi.spyOn(store, 'readStream');

    await cache.advance(entry, events, result);

    expect(reads).not.toHaveBeenCalled();
    expect(entry.state).toEqual(['s1', 's2', 's3']);
    expect(entry.revision).toBe(result.nextRevision);
    expect(entry.lastPosition).toBe(result.position);
    const stored = await store.readStream('location-A');
    expect(entry.positions.get('sale:s2')).toBe(stored[1]!.position);
    expect(entry.positions.get('sale:s3')).toBe(stored[2]!.position);
  });

  it('given another append in between, when advancing, then it reads the stream and folds each event once, in order', async () => {
    const cache = new StreamCache(store, 10);
    const entry = await cache.load('location-A', salesKind);
    await store.append('location-A', [toAppend(sale('other'))], 'any');
    const ours = [sale('mine')];
    const result = await store.append('location-A', ours.map(toAppend), 'any');

    await cache.advance(entry, ours, result);

    expect(entry.state).toEqual(['other', 'mine']);
    expect(entry.positions.get('sale:mine')).toBe(result.position);
    const fresh = await new StreamCache(store, 10).load('location-A', salesKind);
    expect(entry.revision).toBe(fresh.revision);
  });

  it('given a repeat answered as a replay, when advancing, then the original is not folded twice and keeps its position', async () => {
    const cache = new StreamCache(store, 10);
    const first = await store.append('location-A', [toAppend(sale('s1'))], 'any');
    const entry = await cache.load('location-A', salesKind);
    const replay = await store.append('location-A', [toAppend(sale('s1'))], 'any');

    await cache.advance(entry, [sale('s1')], replay);

    expect(replay.position).toBe(first.position);
    expect(entry.state).toEqual(['s1']);
    expect(entry.positions.get('sale:s1')).toBe(first.position);
  });
});
