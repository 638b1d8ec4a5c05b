import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter, Subject, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSignals } from '../storage/file-signals';
import { testEvent } from '../write-side/eventstore/event-store.contract';
import type { RecordedEvent } from '../write-side/eventstore/port';
import { SqliteEventStore } from '../write-side/eventstore/sqlite-event-store';
import { pollingSubscriptions } from './polled-log';

const dir = mkdtempSync(join(tmpdir(), 'polled-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position);

describe('the polled log (a projector following appends made elsewhere)', () => {
  it('given subscribers at different positions, when events are appended, then each gets exactly the events after its own position, in order, from one shared poll', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    for (let i = 0; i < 5; i += 1) await store.append(`s-${i}`, [testEvent()], 'no_stream');
    let reads = 0;
    const counted = { ...store, readAll: (o?: Parameters<typeof store.readAll>[0]) => { reads += 1; return store.readAll(o); } } as typeof store;
    const log = pollingSubscriptions(counted, 5);
    const fromStart = firstValueFrom(log.subscribe(0n).pipe(take(8), toArray()));
    const fromThree = firstValueFrom(log.subscribe(3n).pipe(take(5), toArray()));
    for (let i = 5; i < 8; i += 1) await store.append(`s-${i}`, [testEvent()], 'no_stream');

    expect(positions(await fromStart)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(positions(await fromThree)).toEqual([4n, 5n, 6n, 7n, 8n]);
    const readsWithTwo = reads;
    // A dozen subscribers at one position cost one read per poll, not a dozen.
    const many = Array.from({ length: 12 }, () => firstValueFrom(log.subscribe(8n).pipe(take(1))));
    await store.append('s-8', [testEvent()], 'no_stream');
    expect((await Promise.all(many)).map((e) => e.position)).toEqual(Array(12).fill(9n));
    await new Promise((resolve) => setTimeout(resolve, 30)); // the last subscriber left: polling stops
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reads).toBe(after);
    expect(after - readsWithTwo).toBeLessThan(12);
    await store.close();
  });

  it('given a long poll interval, when another thread commits and announces it, then the subscriber is woken at once', async () => {
    const path = join(dir, `events-${(files += 1)}.sqlite`);
    // The appender worker announces each commit on the file's channel; this thread listens.
    const writer = new SqliteEventStore({ path, appendInWorker: true });
    const reader = new SqliteEventStore({ path });
    const log = pollingSubscriptions(reader, 60_000, fileSignals(path));
    const first = firstValueFrom(log.subscribe(0n).pipe(filter((e) => e.position >= 1n), take(1)));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the first poll (at subscription) found nothing
    await writer.append('s-1', [testEvent()], 'no_stream');
    expect((await first).position).toBe(1n); // the next poll would be a minute away (past the test's timeout)
    await Promise.all([writer.close(), reader.close()]);
  });

  it('given a wake-up that arrives while a poll runs, then a second poll reads what it announced', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    const wakeUps = new Subject<void>();
    let release: (() => void) | undefined;
    let calls = 0;
    const slow = {
      ...store,
      readAll: async (o?: Parameters<typeof store.readAll>[0]) => {
        calls += 1;
        const page = await store.readAll(o);
        if (calls === 2) await new Promise<void>((resolve) => { release = resolve; });
        return page;
      },
    } as typeof store;
    const log = pollingSubscriptions(slow, 60_000, wakeUps);
    const got = firstValueFrom(log.subscribe(0n).pipe(take(1)));
    await new Promise((resolve) => setTimeout(resolve, 20)); // poll 1 (at subscription): empty
    wakeUps.next(); // poll 2 starts and stalls on its (empty) read
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.append('s-1', [testEvent()], 'no_stream');
    wakeUps.next(); // arrives during poll 2
    release!();
    expect((await got).position).toBe(1n);
    await store.close();
  });
});
