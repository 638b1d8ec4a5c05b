/**
 * The event store as seen from another thread or process than the one appending: the embedded
 * store's `subscribe` goes live from its own appends only, so a projector in a worker (or in
 * another process on the same files) polls the log instead. Pages are read after the last
 * position delivered, so nothing is skipped or delivered twice; `exhaustMap` never overlaps two
 * polls. EventStoreDB subscriptions already span processes: there this is not used.
 */
import { Observable, defer, exhaustMap, timer } from 'rxjs';
import type { EventStore, RecordedEvent } from '../write-side/eventstore/port';

const PAGE = 1000;

export function pollingSubscriptions(store: EventStore, intervalMs: number): EventStore {
  const subscribe = (after = 0n): Observable<RecordedEvent> => new Observable<RecordedEvent>((subscriber) => {
    let last = after;
    const drain = async () => {
      for (;;) {
        const page = await store.readAll({ after: last, maxCount: PAGE });
        for (const event of page) {
          if (subscriber.closed) return;
          if (event.position <= last) continue;
          last = event.position;
          subscriber.next(event);
        }
        if (page.length < PAGE) return;
        await new Promise<void>((resolve) => setImmediate(resolve)); // yield between pages
      }
    };
    const polling = timer(0, intervalMs).pipe(exhaustMap(() => defer(drain))).subscribe({ error: (e: unknown) => subscriber.error(e) });
    return () => polling.unsubscribe();
  });
  return {
    kind: store.kind,
    append: (...args) => store.append(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    subscribe,
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
