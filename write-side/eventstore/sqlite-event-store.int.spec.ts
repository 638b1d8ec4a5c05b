import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventStoreContract, readAllAfter, testEvent } from './event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'stocktide-es-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventStoreContract('sqlite (:memory:)', async () => new SqliteEventStore({ path: ':memory:' }));
eventStoreContract('sqlite (temp file)', async () => new SqliteEventStore({ path: join(dir, `contract-${(files += 1)}.sqlite`) }), {
  propertyRuns: 10,
});
eventStoreContract('sqlite (temp file, commits in a worker thread)', async () =>
  new SqliteEventStore({ path: join(dir, `contract-${(files += 1)}.sqlite`), appendInWorker: true }), { propertyRuns: 10 });

describe('SqliteEventStore on disk', () => {
  it('given acknowledged appends, when the store is reopened, then the log, stream heads and idempotency survive', async () => {
    const path = join(dir, 'reopen', 'events.sqlite'); // the folder is created on open
    const first = new SqliteEventStore({ path });
    const retried = testEvent({ n: 1 });
    const original = await first.append('s-1', [retried, testEvent({ n: 2 })], 'no_stream');
    await Promise.all([first.append('s-2', [testEvent()], 'no_stream'), first.append('s-1', [testEvent({ n: 3 })], 1n)]);
    const before = await readAllAfter(first, 0n);
    await first.close();

    const second = new SqliteEventStore({ path });
    expect(await readAllAfter(second, 0n)).toEqual(before);
    expect(await second.headPosition()).toBe(before[before.length - 1]!.position);
    const next = await second.append('s-1', [testEvent()], 2n);
    expect(next.nextRevision).toBe(3n);
    expect(next.position).toBeGreaterThan(before[before.length - 1]!.position);
    const [head, second1] = await second.readStream('s-1', { maxCount: 2 });
    expect(await second.append('s-1', [retried, { ...testEvent({ n: 2 }), id: second1!.id }], 'no_stream')).toEqual(original);
    expect(head!.id).toBe(retried.id);
    await second.close();
  });

  it('given appends queued when close is called, then they are committed before the file closes', async () => {
    const path = join(dir, 'close.sqlite');
    const store = new SqliteEventStore({ path });
    const pending = store.append('s', [testEvent()], 'no_stream');
    await store.close();
    await expect(pending).resolves.toEqual({ nextRevision: 0n, position: 1n });
    await expect(store.append('s', [testEvent()], 'any')).rejects.toThrow(/closed/);
    const reopened = new SqliteEventStore({ path });
    expect(await reopened.readStream('s')).toHaveLength(1);
    await reopened.close();
  });

  it('given commits in the worker, when close is called with a batch in the worker and more queued, then every append is committed first', async () => {
    const path = join(dir, 'close-worker.sqlite');
    const store = new SqliteEventStore({ path, appendInWorker: true });
    const first = store.append('w', [testEvent()], 'no_stream');
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is in the worker now
    const more = Array.from({ length: 20 }, (_, i) => store.append(`w-${i}`, [testEvent(), testEvent()], 'no_stream'));
    await store.close();
    await expect(first).resolves.toEqual({ nextRevision: 0n, position: 1n });
    expect((await Promise.all(more)).map((r) => r.nextRevision)).toEqual(more.map(() => 1n));
    const reopened = new SqliteEventStore({ path });
    expect(await reopened.headPosition()).toBe(41n);
    await reopened.close();
  });

  it('given a live subscriber, when appends commit, then it receives the stored JSON, not the caller\'s objects', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const received: unknown[] = [];
    const subscription = store.subscribe().subscribe((e) => received.push(e.data));
    const data = { at: new Date('2024-01-02T03:04:05.000Z'), gone: undefined, n: 1 };
    await store.append('s', [{ ...testEvent(), data }], 'no_stream');
    data.n = 2;
    expect(received).toEqual([{ at: '2024-01-02T03:04:05.000Z', n: 1 }]);
    expect((await store.readStream('s'))[0]!.data).toEqual(received[0]);
    subscription.unsubscribe();
    await store.close();
  });

  it('given a store closed with a subscriber, then the subscription completes', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    let completed = false;
    store.subscribe().subscribe({ complete: () => (completed = true) });
    await store.close();
    expect(completed).toBe(true);
  });
  it('given a log, when readAll reads it (data and metadata parsed once), then it gets the events each stream holds, page by page', async () => {
    const store = new SqliteEventStore({ path: join(dir, `parsed-once-${(files += 1)}.sqlite`) });
    await store.append('s-1', [testEvent({ n: 1, text: 'quote " and ] bracket', nested: { list: [1, null] } }), testEvent({})], 'no_stream');
    await store.append('s-2', [testEvent({ big: '12345678901234567890' }, 'OtherType')], 'no_stream');
    const all = await store.readAll({ after: 0n, maxCount: 10 });
    expect(all).toHaveLength(3);
    expect(all).toEqual([...await store.readStream('s-1'), ...await store.readStream('s-2')]);
    expect(await store.readAll({ after: all[0]!.position, maxCount: 1 })).toEqual(all.slice(1, 2));
    expect(await store.readAll({ after: all[2]!.position, maxCount: 10 })).toEqual([]);
    await store.close();
  });
});
